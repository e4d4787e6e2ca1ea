"""Checks across the devices of a lab (area ``lab``, scope ``lab``).

Each check takes a :class:`rosc.lab.runner.LabContext`: ``ctx.devices`` (name →
``LabDevice``), ``ctx.topology`` (segments), ``ctx.sessions`` (PPPoE
sessions, DHCP leases, WireGuard tunnels), ``ctx.network.simulation``
(routing across the lab), and ``ctx.finding(device, node, message, ...)`` /
``ctx.manifest_finding(span, ...)`` to report.  ``rosc.lab.runner`` discovers them in
the modules of this package (one per area) and runs them on
every configuration of the lab (each variant of a device) and reports each
finding once.
"""
