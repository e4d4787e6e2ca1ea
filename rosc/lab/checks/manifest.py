"""Lab checks on lab.toml itself: errors in the manifest, cables to ports a device does not use."""

from __future__ import annotations

from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.lab.manifest import Cable


@rule(
    "LAB001", "manifest-error", area="lab", severity=Severity.ERROR, scope="lab",
    summary="lab.toml cannot be used as written: bad syntax, unknown device, missing file, port cabled twice",
)
def manifest_error(ctx):
    for d in ctx.lab.diagnostics:
        if d.code == "LAB001":
            d.severity = ctx.severity
            yield d


@rule(
    "LAB002", "cable-to-unused-port", area="lab", severity=Severity.WARNING, scope="lab",
    summary="A cable ends in a port the device's configuration does not use",
)
def cable_to_unused_port(ctx):
    from rosc.lab.topology import port_uses

    cabled = {}
    for a, b, cable in ctx.topology.cables:
        cabled[a] = cable
        cabled[b] = cable
    for uplink in ctx.lab.manifest.uplinks:
        dev = ctx.devices.get(uplink.port.device)
        if dev is not None:
            name = dev.port_name(uplink.port.port)
            if name:
                cabled[(uplink.port.device, name)] = uplink
    uses = {name: port_uses(dev) for name, dev in ctx.devices.items()}
    for (device, port), cable in cabled.items():
        used = uses[device]
        if port in used:
            continue
        dev = ctx.devices[device]
        bridged = dev.facts.bridge_of
        idle = sorted(
            (p for p in used if dev.interface_kind(p) == "ethernet" and (device, p) not in cabled and dev.port_name(p) == p),
            key=lambda p: (p in bridged, p),
        )
        if any(p not in bridged for p in idle):
            idle = [p for p in idle if p not in bridged]
        idle = idle[:3]
        if len(idle) == 1:
            hint = f" (it is configured for {idle[0]}, which has no cable)"
        elif idle:
            hint = f" (it is configured for {', '.join(idle)}, which have no cable)"
        else:
            hint = ""
        is_cable = isinstance(cable, Cable)
        yield ctx.manifest_finding(
            cable.span,
            f"the {'cable' if is_cable else 'uplink'} {cable if is_cable else cable.port} ends in {device}:{port}, which "
            f"{dev.file} does not use{hint}",
            notes=[
                f"Nothing in {dev.file} gives {port} an address, puts it in a bridge, or runs a PPPoE or DHCP "
                f"client or server on it, so {device} ignores whatever comes in on it.",
            ],
            fix=f"plug the cable into the port {device} is configured for"
            + (f" ({idle[0]})" if len(idle) == 1 else "") + f", or configure {port}",
        )
