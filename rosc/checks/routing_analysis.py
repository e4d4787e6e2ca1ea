"""The routing analysis the ROUTE checks share: the device's routes (static,
connected, dynamic, point-to-point peers, IPv6), their next-hop resolution
(``rosc.model.nexthop``), and how to show a route in a message.  Computed once
per lint run (``analyse``)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from rosc.model.device import Device, literal
from rosc.model.facts import (
    Facts,
    RouteFact,
    parse_ip,
    parse_network,
    static_route,
    to_int,
)
from rosc.model.nexthop import (
    GatewayResolution,
    RouteResolution,
    resolve_routes,
)
from rosc.syntax.tree import Arg, Command, Substitution, Word

# Links that carry no ARP: point-to-point and layer-3 tunnels.
NO_ARP_KINDS = {
    "pppoe-client": "PPPoE",
    "l2tp-client": "L2TP",
    "sstp-client": "SSTP",
    "pptp-client": "PPTP",
    "wireguard": "WireGuard",
    "gre": "GRE",
    "gre6": "GRE",
    "ipip": "IPIP",
    "6to4": "6to4",
}


# PPP clients that can add a default route of their own.
PPP_CLIENT_MENUS = {
    "/interface pppoe-client": "PPPoE",
    "/interface l2tp-client": "L2TP",
    "/interface sstp-client": "SSTP",
    "/interface pptp-client": "PPTP",
    "/interface ovpn-client": "OpenVPN",
}


PROBES = {"ping", "arp", "bfd", "bfd-multihop"}


@dataclass(slots=True, eq=False)
class Analysis:
    device: Device
    facts: Facts
    routes: list[RouteFact]
    results: list[RouteResolution]
    dhcp_clients: bool  # an enabled DHCP client: addresses learnt at run time
    ipv6_dynamic: bool  # IPv6 addresses or routes learnt at run time (DHCPv6, pools, PPP)
    runtime_ranges: list[tuple[int, int]] = field(default_factory=list)  # PPP pools and remote addresses
    by_route: dict[int, RouteResolution] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_route = {id(r.route): r for r in self.results}

    @property
    def version(self) -> int:
        """The RouterOS major version whose routing rules apply (6 or 7)."""
        return self.facts.routeros_major

    def runtime_reachable(self, address) -> bool:
        """Could a connected route learnt at run time contain ``address``?"""
        if address.version != 4:
            return address.is_link_local or self.ipv6_dynamic
        value = int(address)
        if any(lo <= value <= hi for lo, hi in self.runtime_ranges):
            return True  # a PPP session installs a /32 to its peer
        return self.dhcp_clients and not address.is_global


def analyse(ctx) -> Analysis:
    """The routing analysis of the device, computed once per lint run for
    all the routing checks."""
    return ctx.shared(_analyse)


def _analyse(run) -> Analysis:
    device, facts = run.device, run.facts
    routes = [r for r in facts.routes if r.dst.version == 4] + _point_to_point(facts) + _ipv6_routes(device, facts)
    scripted = _scripted_routes(device, facts)
    routes = [r for r in routes if r.kind != "static" or not (_computed(r) or id(r.item) in scripted)]
    results = resolve_routes(
        routes, facts.interface_exists, version=facts.routeros_major,
        interface_up=lambda name: facts.interface_down(name) is None,
    )
    dhcp = any(not i.disabled and i.get("interface") for i in device.items("/ip dhcp-client"))
    v6 = (
        any(not i.disabled for i in device.items("/ipv6 dhcp-client"))
        or any(i.get("from-pool") for i in device.items("/ipv6 address"))
        or any(device.items(menu) for menu in PPP_CLIENT_MENUS)
    )
    return Analysis(device, facts, routes, results, dhcp, v6, _runtime_ranges(device, facts))


ROUTE_ARGS = ("dst-address", "gateway", "distance", "scope", "target-scope", "routing-table", "routing-mark")


def _computed(route: RouteFact) -> bool:
    """A route whose destination, gateway or scopes the script computes
    (a variable, an expression): rosc cannot know them, so it leaves it out."""
    item = route.item
    return item is not None and any(
        item.arg(name) is not None and literal(item.arg(name)) is None for name in ROUTE_ARGS
    )


def _scripted_routes(device: Device, facts: Facts) -> set[int]:
    """Route items whose gateway, destination or scopes a script of the file
    sets at run time (a PPP profile's ``on-up``, a scheduler, a netwatch
    script: ``/ip route set [ find comment=ISP1 ] gateway=$gw``): rosc cannot
    know their values, so it leaves them out.  A selection it cannot decide
    covers every route of the menu."""
    out: set[int] = set()
    index = facts.commands
    for cmd in index.nested_in(("/ip route", "/ipv6 route")):
        if cmd.verb is None or cmd.verb.text != "set":
            continue
        menu = index.path_of(cmd)
        if not any(cmd.get(n) is not None for n in ROUTE_ARGS):
            continue
        wanted = _find_selector(cmd)
        for item in device.items(menu):
            if wanted is None or all(item.get(k) == v for k, v in wanted.items()):
                out.add(id(item))
    return out


def _find_selector(cmd) -> dict[str, str] | None:
    """``set [ find k=v ... ] ...`` → {k: v}, or None when the selection is
    not a plain find with literal values."""
    positional = [a for a in cmd.args if type(a) is not Arg]
    if len(positional) != 1 or type(positional[0]) is not Substitution:
        return None
    body = positional[0].body
    if len(body) != 1 or type(body[0]) is not Command or body[0].verb is None or body[0].verb.text != "find":
        return None
    wanted: dict[str, str] = {}
    for arg in body[0].args:
        if type(arg) is Word and arg.text == "where":
            continue
        value = literal(arg) if type(arg) is Arg else None
        if value is None:
            return None
        wanted[arg.name] = value
    return wanted or None


def _point_to_point(facts: Facts) -> list[RouteFact]:
    """``address=10.0.0.1/32 network=10.0.0.2``: the connected route goes to
    the peer, which ``Facts.routes`` does not know."""
    out = []
    for fact in facts.addresses:
        if fact.iface.version != 4 or fact.network.prefixlen != 32:
            continue
        peer = parse_ip(fact.item.get("network"))
        if peer is None or peer.version != 4 or peer == fact.ip:
            continue
        out.append(facts.connected_route(fact, ipaddress.ip_network(f"{peer}/32")))
    return out


def _ipv6_routes(device: Device, facts: Facts) -> list[RouteFact]:
    """Connected and static IPv6 routes, and the default routes of DHCPv6
    clients (``Facts.routes`` holds IPv4 only)."""
    out = [facts.connected_route(a, a.network) for a in facts.addresses if a.iface.version == 6]
    for item in device.items("/ipv6 route"):
        dst = parse_network(item.get("dst-address", "::/0"))
        if dst is None or dst.version != 6:
            continue
        out.append(static_route(item, dst))
    for item in device.items("/ipv6 dhcp-client"):
        iface = item.get("interface")
        if item.flag("add-default-route") and not item.disabled and iface:
            out.append(
                RouteFact(
                    ipaddress.ip_network("::/0"), [], to_int(item.get("default-route-distance"), 1), 30, 10,
                    "dynamic", item, iface, note=f"added by the DHCPv6 client on {iface}",
                )
            )
    return out


def _runtime_ranges(device: Device, facts: Facts) -> list[tuple[int, int]]:
    out = [(int(lo), int(hi)) for pool in facts.pools.values() for lo, hi in pool.ranges]
    for menu in ("/ppp secret", "/ppp profile"):
        for item in device.items(menu):
            ip = parse_ip(item.get("remote-address"))
            if ip is not None and ip.version == 4:
                out.append((int(ip), int(ip)))
    return out


def route_line(ctx, route: RouteFact) -> int | None:
    if route.item is None:
        return None
    node = route.item.node()
    return ctx.source.line_col(node.start)[0] if node is not None else None


def where_text(route: RouteFact) -> str:
    return "" if route.table == "main" else f" in routing table {route.table}"


def describe(route: RouteFact) -> str:
    if route.kind == "connected":
        return f"the connected network {route.dst} of {route.interface}"
    if route.kind == "dynamic":
        return f"the default route {route.note}" if route.note else f"the dynamic route to {route.dst}"
    if route.dst.prefixlen == 0:
        return f"the default route{where_text(route)}"
    return f"the route to {route.dst}{where_text(route)}"


def ref(ctx, route: RouteFact) -> str:
    line = route_line(ctx, route)
    return f"{describe(route)} (line {line})" if line else describe(route)


def gateway_node(route: RouteFact):
    if route.item is None:
        return None
    if route.kind == "dynamic":
        return route.item.node("add-default-route")
    return route.item.node("gateway")


def route_start(route: RouteFact) -> int:
    node = route.item.node() if route.item is not None else None
    return node.start if node is not None else 0


def sorted_by_source(routes):
    return sorted(routes, key=route_start)


def failing_gateway(result: RouteResolution) -> GatewayResolution | None:
    return next((g for g in result.gateways if not g.ok and g.address is not None), None)


def chain_text(ctx, analysis: Analysis, chain: list[RouteFact]) -> str:
    """``the route to 10.1.1.1/32 (line 5), gateway 10.9.9.9 → ...``"""
    parts = []
    seen: set[int] = set()
    for route in chain:
        if len(parts) == 4:
            parts.append(f"... ({len(chain) - 4} more)")
            break
        if id(route) in seen:
            parts.append(f"back to {ref(ctx, route)}")
            break
        seen.add(id(route))
        result = analysis.by_route.get(id(route))
        gw = failing_gateway(result) if result is not None and not result.resolved else None
        parts.append(f"{ref(ctx, route)} with gateway {gw.text}" if gw is not None else ref(ctx, route))
    return " → ".join(parts)


def connected_summary(analysis: Analysis, version: int) -> str:
    nets = [
        f"{r.dst} ({r.interface})"
        for r in analysis.routes
        if r.kind == "connected" and not r.disabled and r.dst.version == version
    ]
    if not nets:
        return f"This router has no IPv{version} address, so no connected network a gateway could be in"
    shown = ", ".join(nets[:4]) + (", ..." if len(nets) > 4 else "")
    return f"Connected networks here: {shown}"
