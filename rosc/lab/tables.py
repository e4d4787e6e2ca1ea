"""The routing table of one device in the simulation: routes with their resolved
gateways, as `/ip route print` shows them."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from rosc.model.facts import RouteFact, parse_ip
from rosc.model.nexthop import GatewayResolution, RouteResolution

DEFAULT = ipaddress.ip_network("0.0.0.0/0")


@dataclass(slots=True, frozen=True)
class UplinkAddress:
    """The address a device gets from the network behind an uplink (a DHCP
    lease from outside the lab): unknown, but it is that device's."""

    device: str
    interface: str

    def __str__(self) -> str:
        return f"{self.device}'s address on {self.interface}"


@dataclass(slots=True, eq=False)
class SimRoute:
    fact: RouteFact
    origin: str  # connected | static | pppoe | pppoe-server | dhcp
    resolution: RouteResolution | None = None  # as forwarding uses it (check-gateway failures applied)
    base: RouteResolution | None = None  # every gateway, as if all checks passed
    failed: dict[str, str] = field(default_factory=dict)  # gateway text -> why check-gateway failed
    ecmp: bool = False

    @property
    def active(self) -> bool:
        return self.resolution is not None and self.resolution.active

    @property
    def resolved(self) -> bool:
        return self.resolution is not None and self.resolution.resolved

    @property
    def dst(self):
        return self.fact.dst

    @property
    def dynamic(self) -> bool:
        return self.origin != "static"

    @property
    def blackhole(self) -> bool:
        return not self.fact.gateways and not self.fact.interface

    def next_hops(self) -> list[tuple[str | None, object]]:
        """(out interface, immediate gateway address or None) for each
        gateway that forwarding uses."""
        res = self.resolution
        if res is None or not res.resolved:
            return []
        if not self.fact.gateways:
            return [(self.fact.interface, None)] if self.fact.interface else []
        out = []
        for gw in res.gateways:
            if not gw.ok or gw.text in self.failed:
                continue
            hop = immediate(gw)
            if hop not in out:
                out.append(hop)
        return out


def immediate(gw: GatewayResolution) -> tuple[str | None, object]:
    """Out interface and immediate gateway of a resolved gateway: recursion
    followed down to the route whose gateway is an interface or lies in a
    connected network."""
    if gw.address is None:
        return gw.interface, None
    if gw.via is None:  # ADDRESS%INTERFACE
        return gw.interface, gw.address
    address = gw.address
    for route in gw.chain:
        if route.kind == "connected":
            return gw.interface, address
        if not route.gateways:
            return gw.interface or route.interface, None
        nxt = None
        for text in route.gateways:
            ip = parse_ip(text.split("%")[0].split("@")[0])
            if ip is None:
                return gw.interface, None  # through an interface: no address to ARP for
            nxt = ip
            break
        address = nxt
    return gw.interface, address


@dataclass(eq=False)
class Table:
    device: str
    routes: list[SimRoute]
    local: dict = field(default_factory=dict)  # own address -> interface
    sources: dict[str, object] = field(default_factory=dict)  # interface -> preferred source address

    def __post_init__(self) -> None:
        self._index: dict[int, dict[int, list[SimRoute]]] = {}
        for r in self.routes:
            if r.active and r.dst.version == 4:
                self._index.setdefault(r.dst.prefixlen, {}).setdefault(int(r.dst.network_address), []).append(r)
        self._lengths = sorted(self._index, reverse=True)
        for group in (g for by in self._index.values() for g in by.values()):
            hops = sum(len(r.next_hops()) or 1 for r in group)
            for r in group:
                r.ecmp = hops > 1

    def lookup(self, ip) -> list[SimRoute]:
        """The active routes forwarding uses for ``ip``: the longest prefix
        (several routes when they share it: ECMP)."""
        value = int(ip)
        for length in self._lengths:
            mask = ((1 << length) - 1) << (32 - length) if length else 0
            found = self._index[length].get(value & mask)
            if found:
                return found
        return []

    def covering(self, ip) -> list[SimRoute]:
        """Every route (active or not) that contains ``ip``, longest first."""
        out = [r for r in self.routes if r.dst.version == 4 and ip in r.dst]
        out.sort(key=lambda r: (-r.dst.prefixlen, r.fact.distance))
        return out
