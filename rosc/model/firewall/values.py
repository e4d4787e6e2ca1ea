"""Matcher values → the sets of ``rosc.model.firewall.sets``.

Each parser takes the literal text of a matcher (without a leading ``!``)
and returns the known set it stands for, or None when the text is not one
rosc can read (the rule then "may match": see ``rules``).
"""

from __future__ import annotations

import ipaddress
import re

from rosc.model.firewall.sets import Names, Ranges

TOP = {4: (1 << 32) - 1, 6: (1 << 128) - 1}
_OCTET = r"(0|[1-9][0-9]{0,2})"
_QUAD = re.compile(r"\.".join([_OCTET] * 4))
PORT_TOP = 65535
PROTO_TOP = 255

# /ip firewall filter protocol=: names RouterOS accepts (IANA numbers).
PROTOCOLS = {
    "icmp": 1, "igmp": 2, "ggp": 3, "ip-encap": 4, "st": 5, "tcp": 6, "egp": 8, "pup": 12, "udp": 17,
    "hmp": 20, "xns-idp": 22, "rdp": 27, "iso-tp4": 29, "dccp": 33, "xtp": 36, "ddp": 37, "idpr-cmtp": 38,
    "ipv6": 41, "ipv6-route": 43, "ipv6-frag": 44, "idrp": 45, "rsvp": 46, "gre": 47, "ipsec-esp": 50,
    "ipsec-ah": 51, "icmpv6": 58, "ipv6-icmp": 58, "ipv6-nonxt": 59, "ipv6-opts": 60, "rspf": 73, "vmtp": 81,
    "ospf": 89, "ipip": 94, "etherip": 97, "encap": 98, "pim": 103, "vrrp": 112, "l2tp": 115, "sctp": 132,
    "udp-lite": 136,
}
# Protocols that carry ports (a port matcher needs one of them).
PORT_PROTOCOLS = Ranges.of([(6, 6), (17, 17), (33, 33), (132, 132), (136, 136)], PROTO_TOP)

STATES = frozenset({"established", "related", "new", "invalid", "untracked"})
# What connection-nat-state can see of a connection: natted by neither, by src-nat, by dst-nat, by both.
NAT_STATES = frozenset({"none", "srcnat", "dstnat", "both"})
# ipsec-policy: (arrived under an IPsec policy, leaves under one); "in-ipsec" etc. below.
IPSEC_STATES = frozenset({"in:ipsec/out:ipsec", "in:ipsec/out:none", "in:none/out:ipsec", "in:none/out:none"})


def addresses(text: str, family: int) -> Ranges | None:
    """``10.0.0.0/8``, ``10.0.0.1``, ``10.0.0.1-10.0.0.9`` (RouterOS 7 also
    accepts a comma-separated list of them) → the addresses, or None."""
    if "," not in text:  # the common case: one address, network or range
        pair = address_range(text.strip(), family)
        return Ranges((pair,), TOP[family]) if pair is not None else None
    pairs = []
    for part in text.split(","):
        pair = address_range(part.strip(), family)
        if pair is None:
            return None
        pairs.append(pair)
    return Ranges.of(pairs, TOP[family]) if pairs else None


def address_range(text: str, family: int) -> tuple[int, int] | None:
    """``10.0.0.0/8``, ``10.0.0.1`` or ``10.0.0.1-10.0.0.9`` → (first, last)
    as integers, or None.  Plain dotted quads (the common case: address
    lists of thousands of entries) are read by ``v4_network`` without building
    ``ipaddress`` objects; anything else (IPv6, a netmask after the slash,
    a leading zero...) goes through ``ipaddress``, which decides."""
    if family == 4:
        if "-" in text:
            lo, _, hi = text.partition("-")
            a, b = dotted_quad(lo), dotted_quad(hi)
            if a is not None and b is not None:
                return (a, b) if a <= b else None
        else:
            found = v4_network(text)
            if found is not None:
                return found
    return _address_range(text, family)


def v4_network(text: str) -> tuple[int, int] | None:
    """``10.0.0.1`` or ``10.0.0.0/8`` (host bits allowed) → (first, last),
    when the text is a canonical dotted quad with a decimal prefix length;
    None for anything else, which ``ipaddress`` must then decide."""
    address, slash, length = text.partition("/")
    value = dotted_quad(address)
    if value is None:
        return None
    if not slash:
        return value, value
    if 0 < len(length) <= 2 and length.isascii() and length.isdigit() and int(length) <= 32:
        host = (1 << (32 - int(length))) - 1
        return value & ~host, value | host
    return None


def dotted_quad(text: str) -> int | None:
    """A canonical dotted quad (four decimal octets, no leading zeros) as an integer, else None."""
    found = _QUAD.fullmatch(text)
    if found is None:
        return None
    a, b, c, d = map(int, found.groups())
    if a > 255 or b > 255 or c > 255 or d > 255:
        return None
    return a << 24 | b << 16 | c << 8 | d


def _address_range(text: str, family: int) -> tuple[int, int] | None:
    try:
        if "-" in text:
            lo, _, hi = text.partition("-")
            a, b = ipaddress.ip_address(lo), ipaddress.ip_address(hi)
            if a.version != family or b.version != family or a > b:
                return None
            return int(a), int(b)
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    if net.version != family:
        return None
    return int(net.network_address), int(net.broadcast_address)


def ports(text: str) -> Ranges | None:
    pairs = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        if not (lo.isascii() and lo.isdigit()) or (hi and not (hi.isascii() and hi.isdigit())):
            return None  # (isdigit alone lets "²" through, which int() rejects)
        a, b = int(lo), int(hi or lo)
        if a > b or b > PORT_TOP:
            return None
        pairs.append((a, b))
    return Ranges.of(pairs, PORT_TOP) if pairs else None


def protocol(text: str) -> Ranges | None:
    number = int(text) if text.isdigit() else PROTOCOLS.get(text)
    if number is None or number > PROTO_TOP:
        return None
    return Ranges.of([(number, number)], PROTO_TOP)


def states(text: str) -> frozenset | None:
    found = frozenset(p for p in text.split(",") if p)
    return found if found and found <= STATES else None


def nat_states(text: str) -> frozenset | None:
    """The connections ``connection-nat-state=srcnat,dstnat`` matches: natted by any one listed."""
    wanted = frozenset(p for p in text.split(",") if p)
    if not wanted or not wanted <= {"srcnat", "dstnat"}:
        return None
    out = set()
    if "srcnat" in wanted:
        out |= {"srcnat", "both"}
    if "dstnat" in wanted:
        out |= {"dstnat", "both"}
    return frozenset(out)


def ipsec_states(text: str) -> frozenset | None:
    """``ipsec-policy=in,ipsec`` → the packets that arrived under a policy."""
    direction, _, kind = text.partition(",")
    if direction not in ("in", "out") or kind not in ("ipsec", "none"):
        return None
    return frozenset(s for s in IPSEC_STATES if f"{direction}:{kind}" in s)


def interfaces(text: str) -> Names | None:
    """``ether1`` → {ether1}; RouterOS 6's ``all-ethernet``, ``all-ppp``...
    groups are not known by name: None."""
    if not text or text.startswith("all-") or "," in text:
        return None
    return Names(frozenset({text}))
