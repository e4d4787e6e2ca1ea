"""The firewall of each device a simulated path crosses: the same evaluation
as ``rosc flow`` (``rosc.model.firewall.walk``), per hop.

A packet arriving on a device goes through NAT dstnat (a dst-nat or redirect
that certainly matches rewrites its destination and port), then filter
input (addressed to the device) or filter forward (routed through it).
Only a certain verdict counts: a rule rosc cannot decide lets the packet
on, so the lab never reports a drop it cannot prove.  Packets the device
sends itself (the first hop of a trace without an in-interface) go through
the output chain, which is not modelled here.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from rosc.model.firewall import packet, policy, walk


@dataclass(slots=True, frozen=True)
class Probe:
    """What the simulated packet carries besides its addresses."""

    protocol: str | None = None
    dst_port: int | None = None
    state: str = "new"


def _packet(probe: Probe, in_interface, out_interface, src, dst, nat: str):
    return packet(dst.version, in_interface=in_interface, out_interface=out_interface, src=src, dst=dst,
                  protocol=probe.protocol, dst_port=probe.dst_port if probe.protocol else None, state=probe.state,
                  nat=nat, ipsec="in:none/out:none")


def dst_nat(lab_device, probe: Probe, in_interface: str, src, dst):
    """(new destination, new port, rule) when a dst-nat rule certainly rewrites the packet, else None."""
    if probe.state != "new" or dst.version != 4:
        return None
    fw = lab_device.lint.run.shared(policy)
    verdict = walk(fw, "nat", "dstnat", _packet(probe, in_interface, None, src, dst, "none"))
    if verdict.rule is None or not verdict.certain or verdict.action not in ("dst-nat", "netmap"):
        return None
    first = (verdict.rule.item.get("to-addresses") or "").split("-")[0].split("/")[0]
    try:
        new_dst = ipaddress.ip_address(first)
    except ValueError:
        return None
    ports = (verdict.rule.item.get("to-ports") or "").split("-")[0]
    return new_dst, (int(ports) if ports.isdigit() else probe.dst_port), verdict.rule


def filter_drop(lab_device, probe: Probe, chain: str, in_interface: str, out_interface, src, dst, natted: bool):
    """The rule that certainly drops the packet in ``chain`` (input or forward) of the device, or None."""
    fw = lab_device.lint.run.shared(policy)
    verdict = walk(fw, "filter", chain, _packet(probe, in_interface, out_interface, src, dst,
                                                "dstnat" if natted else "none"), dst.version)
    if verdict.dropped and verdict.certain:
        return verdict.rule
    return None


def rule_text(rule) -> str:
    comment = rule.item.get("comment")
    return f"filter {rule.chain}, line {rule.line} (action={rule.action}" + (f', "{comment}")' if comment else ")")
