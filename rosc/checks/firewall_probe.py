"""One packet through one chain: which rule decides, and is rosc sure.

A ``Packet`` describes a class of packets (the source and destination are
address ranges, "any host" is None).  ``walk`` follows a table's chain as
RouterOS does (help.mikrotik.com: Filter, NAT: rules in order, the first
matching rule with a terminal action decides, ``jump`` enters a chain,
``return`` comes back, the end of a jumped-to chain returns); each rule
matches (True), cannot match (False) or may match (None: a matcher rosc does
not model, or a matcher that holds for part of the class).  A verdict is
*certain* only when no earlier rule that may match could have decided; the
walk stops at the first rule that may decide (every check asks for a certain
verdict), and skips rules limited to another single destination host, so a
walk costs a comparison per rule, not a match.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rosc.checks.firewall_lookup import Table, address_set, ports_of
from rosc.model.device import Item

__all__ = ["Packet", "Verdict", "match", "ports_of", "walk"]

# Parameters that do not narrow what a rule matches.
NEUTRAL = frozenset(
    {
        "chain", "action", "comment", "log", "log-prefix", "disabled", "jump-target", "reject-with",
        "address-list", "address-list-timeout", "copy-from", "to-addresses", "to-ports", "new-routing-mark",
        "new-connection-mark", "new-packet-mark", "passthrough", "hw-offload", "place-before", "new-dscp",
        "new-mss", "new-ttl", "new-priority",
    }
)
TERMINAL = frozenset(
    {"accept", "drop", "reject", "tarpit", "src-nat", "masquerade", "dst-nat", "redirect", "netmap", "same",
     "endpoint-independent-nat"}
)
NON_TERMINAL = frozenset(
    {"log", "passthrough", "add-src-to-address-list", "add-dst-to-address-list", "fasttrack-connection",
     "sniff-tzsp", "sniff-pc"}
)
PROTOCOLS = {"tcp": {"tcp", "6"}, "udp": {"udp", "17"}, "icmp": {"icmp", "1"}}
MAX_DEPTH = 32


@dataclass(slots=True, frozen=True)
class Packet:
    in_interface: str | None = None
    out_interface: str | None = None
    src: tuple[int, int, int] | None = None  # (version, first, last); None: any host
    dst: tuple[int, int, int] | None = None
    protocol: str | None = None  # tcp, udp, icmp
    dst_port: int | None = None
    state: str = "new"
    nat: frozenset[str] = field(default_factory=frozenset)  # "dstnat", "srcnat"
    dst_local: bool = False  # addressed to the router itself
    unmarked: bool = False  # nothing in the file sets marks: every mark is no-mark


@dataclass(slots=True)
class Verdict:
    action: str | None  # the deciding action; None: the packet leaves the chain undecided
    item: Item | None
    certain: bool


def walk(table: Table, chain: str, packet: Packet, lists, depth: int = 0) -> Verdict:
    host = packet.dst if packet.dst is not None and packet.dst[1] == packet.dst[2] else None
    port = packet.dst_port
    rows = table.with_hosts(chain)
    for position in table.candidates(chain, host, port, packet.in_interface):
        item, only, ports = rows[position]
        if host is not None and only is not None and only != host:
            continue  # limited to another destination host: cannot match
        if port is not None and ports is not None and not any(lo <= port <= hi for lo, hi in ports):
            continue  # limited to other destination ports
        matched = match(item, packet, lists, table)
        if matched is False:
            continue
        action = item.get("action", "accept")
        if action == "jump":
            target = item.get("jump-target")
            if not target or depth >= MAX_DEPTH:
                return Verdict(None, item, False)
            inner = walk(table, target, packet, lists, depth + 1)
            if not inner.certain:
                return inner
            decided = inner.action not in (None, "return")
            if matched is True and decided:
                return inner
            if decided:
                return Verdict(None, item, False)  # the jump may decide
            continue
        if action == "return":
            return Verdict("return", item, matched is True)
        if action in TERMINAL:
            return Verdict(action, item, matched is True)
        if action in NON_TERMINAL:
            continue
        return Verdict(None, item, False)  # marks, notrack, route...: rosc does not follow what they change
    return Verdict(None, None, True)


def match(item: Item, packet: Packet, lists, table: Table | None = None) -> bool | None:
    result: bool | None = True
    for name in item.props:
        if name in NEUTRAL:
            continue
        value = item.get(name)
        if value is None:
            return None
        negated = value.startswith("!")
        got = _one(name, value[1:] if negated else value, packet, lists, table)
        if got is not None and negated:
            got = not got
        if got is False:
            return False
        if got is None:
            result = None
    return result


def _one(name: str, value: str, packet: Packet, lists, table: Table | None) -> bool | None:
    if name in ("in-interface", "out-interface"):
        iface = packet.in_interface if name == "in-interface" else packet.out_interface
        if iface is None or value.startswith("all-") or "*" in value:
            return None
        return value == iface
    if name in ("in-interface-list", "out-interface-list"):
        iface = packet.in_interface if name == "in-interface-list" else packet.out_interface
        if value == "all":
            return True
        if value == "none":
            return False
        members = lists.get(value)
        if iface is None or members is None:
            return None
        return iface in members
    if name in ("src-address", "dst-address"):
        got = table.address(value) if table is not None else address_set(value)
        return _covers(got, packet.src if name == "src-address" else packet.dst)
    if name == "protocol":
        if packet.protocol is None:
            return None
        return value in PROTOCOLS.get(packet.protocol, {packet.protocol})
    if name in ("dst-port", "port"):
        ports = ports_of(value)
        if ports is None or packet.dst_port is None:
            return None
        hit = any(lo <= packet.dst_port <= hi for lo, hi in ports)
        return hit if name == "dst-port" or hit else None
    if name == "connection-state":
        return packet.state in value.split(",")
    if name == "connection-nat-state":
        states = set(value.split(","))
        if not states <= {"srcnat", "dstnat"}:
            return None
        return bool(states & packet.nat)
    if name == "ipsec-policy":
        direction, _, kind = value.partition(",")
        if kind == "none":
            return True
        if kind == "ipsec":
            return False
        return None
    if name == "dst-address-type" and set(value.split(",")) <= {"local"}:
        return packet.dst_local
    if name in ("connection-mark", "packet-mark", "routing-mark") and packet.unmarked:
        return value == "no-mark" or (name == "routing-mark" and value == "main")
    return None


def _covers(got: tuple[int, int, int] | None, wanted: tuple[int, int, int] | None) -> bool | None:
    if got is None:
        return None
    version, lo, hi = got
    if wanted is None:
        return True if hi - lo == (2**32 - 1 if version == 4 else 2**128 - 1) else None
    w_version, w_lo, w_hi = wanted
    if version != w_version or hi < w_lo or w_hi < lo:
        return False
    if lo <= w_lo and w_hi <= hi:
        return True
    return None
