"""Addressing checks on one device: malformed addresses and prefixes, a
``network=`` that does not match its address, the same address twice,
subnets that overlap across interfaces, host addresses that are a subnet's
network or broadcast address.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.device import literal
from rosc.model.facts import AddressFact, Facts
from rosc.model.list_values import TextSpan as _Span
from rosc.syntax.tree import Arg, Word

# --- parsing, with the reason a value is wrong --------------------------------------


class Bad(ValueError):
    """A value that is not a valid address; the message says why."""


_V4_SHAPE = re.compile(r"[0-9.]+\Z")
_V6_SHAPE = re.compile(r"[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\Z")


def parse_v4(text: str) -> ipaddress.IPv4Address:
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        if _V4_SHAPE.match(text):
            raise Bad(f"{text} is not an IPv4 address (it needs four numbers separated by dots)")
        raise Bad(f"{text} is not an IPv4 address")
    value = 0
    for part in parts:
        octet = int(part)
        if octet > 255:
            raise Bad(f"{text} is not an IPv4 address ({part} is above 255)")
        value = (value << 8) | octet
    return ipaddress.IPv4Address(value)  # (from the number: the text is not parsed twice)


def parse_v6(text: str) -> ipaddress.IPv6Address:
    try:
        return ipaddress.IPv6Address(text)
    except ValueError:
        raise Bad(f"{text} is not an IPv6 address") from None


def parse_address(text: str, family: int | None):
    """An address of ``family`` (4, 6, or None for either)."""
    if family == 4 or family is None and ":" not in text:
        return parse_v4(text)
    return parse_v6(text.split("%")[0])


def _mask_length(mask: str) -> int:
    value = int(parse_v4(mask))
    length = bin(value).count("1")
    if value != ((1 << 32) - 1) ^ ((1 << (32 - length)) - 1):
        raise Bad(f"{mask} is not a netmask (its one bits are not contiguous)")
    return length


def parse_prefix(text: str, family: int | None):
    """``addr`` or ``addr/len`` (IPv4 also ``addr/netmask``) → ip_interface."""
    addr_text, slash, length_text = text.partition("/")
    addr = parse_address(addr_text, family)
    top = 32 if addr.version == 4 else 128
    if not slash:
        return ipaddress.IPv4Interface((int(addr), 32)) if top == 32 else ipaddress.ip_interface(f"{addr}/{top}")
    if length_text.isdigit():
        length = int(length_text)
        if length > top:
            raise Bad(f"{text}: prefix length /{length} is above /{top}")
    elif addr.version == 4 and "." in length_text:
        length = _mask_length(length_text)
    else:
        raise Bad(f"{text}: /{length_text} is not a prefix length")
    if top == 32:
        return ipaddress.IPv4Interface((int(addr), length))
    return ipaddress.ip_interface(f"{addr}/{length}")


def parse_range(text: str, family: int | None, check_order: bool = True):
    """An address, a prefix, or ``first-last`` → (first, last)."""
    if "-" in text:
        lo, _, hi = text.partition("-")
        a, b = parse_address(lo, family), parse_address(hi, family)
        if a.version != b.version:
            raise Bad(f"{text} mixes an IPv{a.version} and an IPv{b.version} address")
        if check_order and a > b:
            raise Bad(f"{text}: the range starts above its end ({a} > {b})")
        return a, b
    net = parse_prefix(text, family).network
    return net[0], net[-1]


# --- which parameters hold addresses ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Spec:
    shape: str  # "addr", "prefix", "range"
    family: int | None = None  # 4, 6, None for either
    many: bool = False
    negatable: bool = False
    names_ok: bool = False  # a name (interface, pool, DNS name) is also accepted
    ordered: bool = True  # check that ranges start below their end (pools: POOL001 does)


_V4 = Spec("addr", 4)
_V4_PFX = Spec("prefix", 4)
_V4_FW = Spec("range", 4, negatable=True)
_V6_FW = Spec("range", 6, negatable=True)

SPECS: dict[str, dict[str, Spec]] = {
    "/ip address": {"address": _V4_PFX, "network": _V4},
    "/ipv6 address": {"address": Spec("prefix", 6)},
    "/ip route": {"dst-address": _V4_PFX, "gateway": Spec("addr", 4, many=True, names_ok=True), "pref-src": _V4},
    "/ipv6 route": {"dst-address": Spec("prefix", 6), "gateway": Spec("addr", 6, many=True, names_ok=True)},
    "/ip pool": {"ranges": Spec("range", 4, many=True, ordered=False)},
    "/ipv6 pool": {"prefix": Spec("prefix", 6)},
    "/ip dhcp-server": {"relay": _V4},
    "/ip dhcp-server network": {
        "address": _V4_PFX, "gateway": Spec("addr", 4, many=True), "dns-server": Spec("addr", 4, many=True),
        "ntp-server": Spec("addr", 4, many=True), "wins-server": Spec("addr", 4, many=True),
    },
    "/ip dhcp-server lease": {"address": Spec("addr", 4, names_ok=True)},
    "/ip firewall address-list": {"address": Spec("range", 4, names_ok=True)},
    "/ipv6 firewall address-list": {"address": Spec("range", 6, names_ok=True)},
    "/ppp profile": {"local-address": Spec("addr", 4, names_ok=True), "remote-address": Spec("addr", 4, names_ok=True)},
    "/ppp secret": {"local-address": _V4, "remote-address": _V4},
    "/interface wireguard peers": {
        "allowed-address": Spec("prefix", None, many=True), "endpoint-address": Spec("addr", None, names_ok=True),
    },
    "/ip dns": {"servers": Spec("addr", None, many=True)},
    "/ip dns static": {"address": Spec("addr", None)},
    "/ip service": {"address": Spec("prefix", None, many=True)},
    "/user": {"address": Spec("prefix", None, many=True)},
    "/ip arp": {"address": _V4},
    "/interface gre": {"local-address": _V4, "remote-address": _V4},
    "/interface ipip": {"local-address": _V4, "remote-address": _V4},
    "/interface eoip": {"local-address": _V4, "remote-address": _V4},
    "/ip ipsec peer": {"address": Spec("prefix", None, names_ok=True)},
    "/ip ipsec policy": {"src-address": Spec("prefix", None), "dst-address": Spec("prefix", None)},
}
for _t in ("filter", "nat", "mangle", "raw"):
    SPECS[f"/ip firewall {_t}"] = {"src-address": _V4_FW, "dst-address": _V4_FW}
    SPECS[f"/ipv6 firewall {_t}"] = {"src-address": _V6_FW, "dst-address": _V6_FW}
SPECS["/ip firewall nat"]["to-addresses"] = Spec("range", 4)

_LOOKS_V4 = re.compile(r"[0-9]+(\.[0-9]*)+(/[0-9.]*)?(-[0-9.]*)?\Z")


def _looks_like_address(text: str) -> bool:
    """For parameters that also take names: is this meant as an address?"""
    return bool(_LOOKS_V4.match(text)) or (":" in text and bool(_V6_SHAPE.match(text.split("/")[0].split("%")[0])))




def _arg_elements(arg: Arg, many: bool) -> list[tuple[str, object]]:
    text = literal(arg)
    if not text:
        return []
    value = arg.value
    if not many:
        return [(text, value)]
    out = []
    pos = 0
    for part in text.split(","):
        if part:
            node = _Span(value.start + pos, value.start + pos + len(part)) if type(value) is Word else value
            out.append((part, node))
        pos += len(part) + 1
    return out


def _line(ctx, node) -> int:
    return ctx.source.line_col(node.start)[0] if node is not None else 0


# --- ADDR001 ------------------------------------------------------------------------


@rule("ADDR001", "invalid-address", area="addressing", severity=Severity.ERROR, local=True,
      summary="An address, prefix or range RouterOS cannot read")
def invalid_address(ctx):
    # Every add/set command, including those of scripts: a value is refused
    # when its command runs, whatever item it ends up on.
    index = ctx.facts.commands
    problems: dict[tuple[str, int], str | None] = {}  # (value, id(spec)) -> its problem, once per distinct value
    for path, params in SPECS.items():
        wanted: dict[int, tuple] = {}  # id(argument names) -> (index, spec) of the arguments ADDR001 reads
        for cmd, names in index.named_in_menu(path):
            if cmd.verb is None or cmd.verb.text not in ("add", "set"):
                continue
            found = wanted.get(id(names))
            if found is None:
                found = wanted[id(names)] = tuple((i, params[n]) for i, n in enumerate(names) if n in params)
            args = cmd.args
            for i, spec in found:
                arg = args[i]
                if spec.many:
                    elements = _arg_elements(arg, True)
                else:
                    text = literal(arg)
                    if not text:
                        continue
                    elements = ((text, arg.value),)
                for text, node in elements:
                    key = (text, id(spec))
                    try:
                        problem = problems[key]
                    except KeyError:
                        problem = problems[key] = _problem(text, spec)
                    if problem is not None:
                        yield _invalid(ctx, arg, text, node, problem)


def _invalid(ctx, arg, text, node, problem):
    return ctx.finding(
        node,
        f"{arg.name}={text}: {problem}",
        notes=[
            "RouterOS refuses a malformed address (\"invalid value for argument\"), so this "
            "command fails and the item is not created or changed.",
        ],
        fix="correct the address: four numbers 0-255 for IPv4, a prefix length up to /32 "
        "(IPv4) or /128 (IPv6), ranges written low-high",
    )


_PLAIN_V4 = re.compile(r"([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})(?:/([0-9]{1,2}))?\Z")


def _plain_v4(text: str, with_length: bool) -> tuple[int, int, int, int] | None:
    """The four numbers of a valid dotted-quad IPv4 address (with a valid
    ``/len`` when ``with_length``), else None: the common case, answered
    without building ``ipaddress`` objects; anything else takes the full path."""
    m = _PLAIN_V4.match(text)
    if m is None:
        return None
    a, b, c, d, length = m.groups()
    if length is not None and (not with_length or int(length) > 32):
        return None
    quad = (int(a), int(b), int(c), int(d))
    return quad if max(quad) <= 255 else None


def _quick_valid(value: str, spec: Spec) -> bool:
    """True when ``value`` is certainly a valid IPv4 value of ``spec``'s shape."""
    if spec.family == 6:
        return False
    if spec.shape == "range" and "-" in value:
        lo, _, hi = value.partition("-")
        a, b = _plain_v4(lo, False), _plain_v4(hi, False)
        return a is not None and b is not None and (not spec.ordered or a <= b)
    return _plain_v4(value, spec.shape != "addr") is not None


def _problem(text: str, spec: Spec) -> str | None:
    """Why ``text`` is not a value of ``spec``, or None (ADDR001 keeps the
    answer per distinct value for the run)."""
    value = text
    if spec.negatable and value.startswith("!"):
        value = value[1:]
    if spec.names_ok:
        if spec.shape == "addr" and spec.many:
            # gateway=fe80::1%ether1, gateway=10.0.0.1%ether1, gateway=10.0.0.1@main
            value = value.split("@")[0].split("%")[0]
        if not _looks_like_address(value):
            return None
    elif "%" in value and spec.family != 4:
        value = value.split("%")[0]
    if _quick_valid(value, spec):
        return None
    try:
        if spec.shape == "addr":
            parse_address(value, spec.family)
        elif spec.shape == "prefix":
            parse_prefix(value, spec.family)
        else:
            parse_range(value, spec.family, check_order=spec.ordered)
    except Bad as exc:
        message = str(exc)
        return message[len(value) + 2:] if message.startswith(value + ":") else message
    return None


# --- shared: the router's addresses ---------------------------------------------------


def _vrf_of(device) -> dict[str, str]:
    """Interface → VRF name, for interfaces in a VRF other than main."""
    out: dict[str, str] = {}
    for item in device.items("/ip vrf"):
        if item.disabled or not item.name:
            continue
        for iface in (item.get("interfaces") or "").split(","):
            if iface and iface not in out:
                out[iface] = item.name
    return out


def _addresses(ctx) -> tuple[Facts, list[AddressFact], dict[str, str]]:
    facts = ctx.facts
    usable = [
        a for a in facts.router_addresses
        # IPv6: link-local addresses repeat on every interface by design, and
        # with from-pool= the written address only gives the host part.
        if not (a.iface.version == 6 and (a.ip.is_link_local or a.ip.is_multicast or a.item.get("from-pool")))
    ]
    return facts, usable, _vrf_of(ctx.device)


def _addr_text(fact: AddressFact) -> str:
    text = fact.item.get("address") or ""
    return text if "/" in text else str(fact.iface)


# --- ADDR002 ------------------------------------------------------------------------


@rule("ADDR002", "network-mismatch", area="addressing", severity=Severity.WARNING,
      summary="network= on an /ip address that is not the network of the address")
def network_mismatch(ctx):
    for item in ctx.device.items("/ip address"):
        text, network_text = item.get("address"), item.get("network")
        if not text or not network_text:
            continue
        if "/" not in text and item.get("netmask"):
            text = f"{text}/{item.get('netmask')}"
        try:
            iface = parse_prefix(text, 4)
            network = parse_v4(network_text)
        except Bad:
            continue  # ADDR001
        if iface.network.prefixlen == 32 or network == iface.network.network_address:
            continue  # /32: network= is the remote end of a point-to-point link
        yield ctx.finding(
            item.node("network"),
            f"network={network_text} does not match address={text}, whose network is "
            f"{iface.network.network_address}",
            notes=[
                "RouterOS computes the network from the address and its prefix length; a different network= "
                "is only meaningful for /32 addresses on point-to-point links, where it names the remote end "
                "(help.mikrotik.com: IP Addressing).",
                "A mismatch usually means the address or the prefix length was edited and network= was not: "
                "check which of them is wrong.",
            ],
            fix=f"set network={iface.network.network_address}, or correct the address or its prefix length",
        )


# --- ADDR003 ------------------------------------------------------------------------


@rule("ADDR003", "duplicate-address", area="addressing", severity=Severity.ERROR,
      summary="The same IP address is configured twice")
def duplicate_address(ctx):
    _facts, addresses, vrf = _addresses(ctx)
    first: dict[tuple, AddressFact] = {}
    for fact in addresses:
        key = (vrf.get(fact.interface, "main"), fact.ip)
        other = first.get(key)
        if other is None:
            first[key] = fact
            continue
        top = 32 if fact.ip.version == 4 else 128
        if (
            other.interface != fact.interface
            and fact.network.prefixlen == top
            and other.network.prefixlen == top
        ):
            continue  # the same /32 on several point-to-point links ("unnumbered") is a known setup
        line = _line(ctx, other.item.node("address"))
        where = "also on" if other.interface == fact.interface else "already on"
        yield ctx.finding(
            fact.item.node("address"),
            f"address {fact.ip} is {where} {other.interface} (line {line})",
            notes=[
                "An address can be configured once: on two interfaces both claim it, ARP answers come from "
                "either side and the connected routes compete, so traffic to and from it breaks "
                "unpredictably. On the same interface the second entry is redundant.",
            ],
            fix="remove one of them, or give this one its own address",
        )


# --- ADDR004 ------------------------------------------------------------------------


@rule("ADDR004", "overlapping-subnets", area="addressing", severity=Severity.WARNING,
      summary="Subnets on different interfaces that overlap")
def overlapping_subnets(ctx):
    facts, addresses, vrf = _addresses(ctx)
    bridge_of = facts.bridge_of
    vrrp_parent = {
        item.name: item.get("interface")
        for item in ctx.device.items("/interface vrrp") if item.name and item.get("interface")
    }

    def related(a: str, b: str) -> bool:
        return (
            a == b or bridge_of.get(a) == b or bridge_of.get(b) == a
            or vrrp_parent.get(a) == b or vrrp_parent.get(b) == a
        )

    entries = []
    for fact in addresses:
        top = 32 if fact.ip.version == 4 else 128
        if fact.network.prefixlen == top:
            continue  # a host address: overlaps nothing by itself (loopbacks, point-to-point)
        entries.append(fact)
    # CIDR networks are nested or disjoint: sort so that a network comes right
    # after the ones containing it, and keep the chain of enclosing networks
    # on a stack (at most 129 deep, one group per distinct network).
    entries.sort(key=lambda f: (vrf.get(f.interface, "main"), f.ip.version,
                                int(f.network.network_address), f.network.prefixlen, f.item.node().start))
    stack: list[list] = []  # [network, vrf, facts on up to two distinct interfaces]
    reported: set[tuple[int, int]] = set()
    for fact in entries:
        space = vrf.get(fact.interface, "main")
        net = fact.network
        while stack and (
            stack[-1][1] != space or stack[-1][0].version != net.version
            or int(stack[-1][0].broadcast_address) < int(net.network_address)
        ):
            stack.pop()
        other = None
        for group in reversed(stack):
            for candidate in group[2]:
                if not related(candidate.interface, fact.interface) and candidate.ip != fact.ip:
                    other = candidate
                    break
            if other is not None:
                break
        if other is not None:
            a, b = sorted((other, fact), key=lambda f: f.item.node().start)
            key = (id(a), id(b))
            if key not in reported:
                reported.add(key)
                yield _overlap(ctx, later=b, earlier=a)
        if stack and stack[-1][0] == net and stack[-1][1] == space:
            group = stack[-1][2]
            if len({f.interface for f in group}) < 2 and all(f.interface != fact.interface for f in group):
                group.append(fact)
        else:
            stack.append([net, space, [fact]])


def _overlap(ctx, later: AddressFact, earlier: AddressFact):
    line = _line(ctx, earlier.item.node("address"))
    if later.network == earlier.network:
        relation = f"is in the same subnet {later.network} as"
    elif later.network.subnet_of(earlier.network):
        relation = f"({later.network}) lies inside {earlier.network} of"
    else:
        relation = f"({later.network}) contains {earlier.network} of"
    return ctx.finding(
        later.item.node("address"),
        f"{_addr_text(later)} on {later.interface} {relation} {_addr_text(earlier)} on {earlier.interface} "
        f"(line {line})",
        notes=[
            "Each address adds a connected route for its subnet; with the same or overlapping subnets on two "
            "interfaces, the router sends traffic for the shared addresses out of one interface only, and hosts "
            "on the other side become unreachable. Two addresses of one network on different interfaces are "
            "not valid unless the interfaces are in different VRFs (help.mikrotik.com: IP Addressing).",
            "If the two interfaces are really one network, bridge them and put a single address on the bridge.",
        ],
        fix="give each interface its own subnet, or move the interfaces into separate VRFs (/ip vrf)",
    )


# --- ADDR005 ------------------------------------------------------------------------


@rule("ADDR005", "network-or-broadcast-address", area="addressing", severity=Severity.WARNING,
      summary="An interface address that is its subnet's network or broadcast address")
def network_or_broadcast_address(ctx):
    for item in ctx.device.items("/ip address"):
        text = item.get("address")
        if not text:
            continue
        if "/" not in text and item.get("netmask"):
            text = f"{text}/{item.get('netmask')}"
        try:
            iface = parse_prefix(text, 4)
        except Bad:
            continue
        net = iface.network
        if net.prefixlen >= 31:
            continue  # /31 (RFC 3021) and /32 have no network or broadcast address
        if iface.ip == net.network_address:
            which, usable = "network", net.network_address + 1
        elif iface.ip == net.broadcast_address:
            which, usable = "broadcast", net.broadcast_address - 1
        else:
            continue
        yield ctx.finding(
            item.node("address"),
            f"{text}: {iface.ip} is the {which} address of {net}, not a host address",
            notes=[
                f"In {net} the first address names the network and the last one is the broadcast address; "
                "an interface given either of them cannot talk to hosts normally (they treat packets to it as "
                "broadcast or invalid).",
                "A common slip: writing the network (192.168.88.0/24) where the router's own address "
                "(192.168.88.1/24) was meant.",
            ],
            fix=f"use a host address of {net}, for example {usable}/{net.prefixlen}",
        )
