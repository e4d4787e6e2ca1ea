"""Packets, and classes of packets, as match spaces.

A packet is a ``dict`` from dimension name to ``Dim`` (see ``rules``): the
same shape as a rule's match space, so one packet with every field known,
or a class of them (every host of a LAN, any source port), is matched the
same way.  A field left out is "any".
"""

from __future__ import annotations

import ipaddress

from rosc.model.firewall import values
from rosc.model.firewall.sets import Dim, Names, Ranges


def packet(
    family: int = 4,
    *,
    in_interface: str | None = None,
    out_interface: str | None = None,
    src=None,
    dst=None,
    protocol: str | int | None = None,
    src_port: int | None = None,
    dst_port: int | None = None,
    state: str | None = "new",
    nat: str | None = None,
    ipsec: str | None = None,
) -> dict[str, Dim]:
    """The packet (class) with these fields.  ``src``/``dst`` are an address
    or a network (text or ``ipaddress``); ``nat`` one of ``values.NAT_STATES``;
    ``ipsec`` one of ``values.IPSEC_STATES``."""
    out: dict[str, Dim] = {}
    if in_interface is not None:
        out["in"] = Dim(Names(frozenset({in_interface})))
    if out_interface is not None:
        out["out"] = Dim(Names(frozenset({out_interface})))
    for name, value in (("src", src), ("dst", dst)):
        if value is not None:
            out[name] = Dim(Ranges.of([_span(value)], values.TOP[family]))
    if protocol is not None:
        number = protocol if isinstance(protocol, int) else values.protocol(str(protocol)).spans[0][0]
        out["proto"] = Dim(Ranges.of([(number, number)], values.PROTO_TOP))
    for name, port in (("sport", src_port), ("dport", dst_port)):
        if port is not None:
            out[name] = Dim(Ranges.of([(port, port)], values.PORT_TOP))
    if state is not None:
        out["state"] = Dim(frozenset({state}))
    if nat is not None:
        out["nat"] = Dim(frozenset({nat}))
    if ipsec is not None:
        out["ipsec"] = Dim(frozenset({ipsec}))
    return out


def _span(value) -> tuple[int, int]:
    """(first, last) of an address or network: ``ipaddress`` objects read
    directly (checks pass the facts' own), text parsed."""
    kind = type(value)
    if kind is ipaddress.IPv4Network or kind is ipaddress.IPv6Network:
        return int(value.network_address), int(value.broadcast_address)
    if kind is ipaddress.IPv4Address or kind is ipaddress.IPv6Address:
        return int(value), int(value)
    net = ipaddress.ip_network(str(value), strict=False)
    return int(net.network_address), int(net.broadcast_address)


def with_field(pkt: dict[str, Dim], name: str, dim: Dim | None) -> dict[str, Dim]:
    """A copy of ``pkt`` with one field replaced (None: any)."""
    out = dict(pkt)
    if dim is None:
        out.pop(name, None)
    else:
        out[name] = dim
    return out
