"""Source NAT in the simulation: the address a packet leaves a device with.

Only what decides the usual rule sets is modelled (``masquerade`` and
``src-nat`` by out-interface, out-interface-list and src-address); a rule
with any other matcher is left out rather than guessed, since whether it
matches depends on the packet.
"""

from __future__ import annotations

import ipaddress

from rosc.model.device import Device, Item
from rosc.model.facts import parse_ip, parse_network

UNMODELLED = (
    "in-interface", "in-interface-list", "src-address-list", "dst-address-list",
    "routing-mark", "connection-mark", "packet-mark", "protocol", "dst-port", "ipsec-policy",
)


class SourceNat:
    """The enabled ``srcnat`` rules of one device and its interface lists."""

    def __init__(self, device: Device):
        self.rules = [i for i in device.items("/ip firewall nat") if not i.disabled and i.get("chain") == "srcnat"]
        self.lists: dict[str, set[str]] = {}
        for item in device.items("/interface list member"):
            if not item.disabled and item.get("list") and item.get("interface"):
                self.lists.setdefault(item.get("list"), set()).add(item.get("interface"))

    def translate(self, out_iface: str, src, sources: dict) -> object | None:
        """The new source address when a packet from ``src`` leaves by
        ``out_iface`` (``sources``: the address masquerade uses on each
        interface), or None when srcnat leaves it alone."""
        for rule in self.rules:
            if not self._matches(rule, out_iface, src):
                continue
            action = rule.get("action") or "accept"
            if action == "masquerade":
                return sources.get(out_iface)
            if action == "src-nat":
                return parse_ip((rule.get("to-addresses") or "").split("-")[0])
            if action in ("accept", "return"):
                return None
            if action in ("passthrough", "log"):
                continue
            return None
        return None

    def _matches(self, rule: Item, out_iface: str, src) -> bool:
        out = rule.get("out-interface")
        if out and not _negated(out, lambda v: v == out_iface):
            return False
        lst = rule.get("out-interface-list")
        if lst and not _negated(lst, lambda v: v == "all" or out_iface in self.lists.get(v, set())):
            return False
        src_rule = rule.get("src-address")
        if src_rule:
            if not isinstance(src, ipaddress.IPv4Address):
                return False
            if not _negated(src_rule, lambda v: _in(src, v)):
                return False
        if any(rule.get(name) for name in UNMODELLED):
            return False
        if rule.get("dst-address"):
            return False  # depends on the packet; rosc does not guess
        return True


def _negated(value: str, test) -> bool:
    return not test(value[1:]) if value.startswith("!") else test(value)


def _in(ip, text: str) -> bool:
    net = parse_network(text)
    if net is not None:
        return net.version == ip.version and ip in net
    if "-" in text:
        lo, _, hi = text.partition("-")
        a, b = parse_ip(lo), parse_ip(hi)
        return a is not None and b is not None and a <= ip <= b
    return False
