"""Next-hop resolution the way RouterOS does it.

Given the routes of one router (``rosc.model.facts.RouteFact``: static, connected
and the dynamic routes of PPPoE/DHCP clients), work out for every route
whether its gateways can be resolved, through which routes, and whether the
route is active.  The rules (help.mikrotik.com, "IP Routing" and "Failover
(WAN Backup)"; the ``scope``/``target-scope`` properties of ``/ip route``):

* a gateway that is an interface name (``gateway=pppoe-out``), or an address
  bound to an interface (``gateway=10.0.0.1%ether1``), is directly
  reachable: no lookup is needed, the interface just has to exist;
* a gateway address is looked up among the *resolved* routes whose ``scope``
  is at most the ``target-scope`` of the route being resolved, longest
  prefix first.  Connected routes have scope 10; static routes default to
  scope 30 and target-scope 10, so by default a gateway resolves only
  through a connected network;
* when the route found has a gateway address itself, the gateway is
  resolved *recursively*: that route must be resolved in turn, with its own
  target-scope (each route is resolved once, with its own scope rules; the
  route that uses it only needs it to be resolved).  This is how the
  documented recursive failover works: host routes with ``scope=10`` and
  default routes with ``target-scope=11`` through them;
* a route is resolved when at least one of its gateways is (ECMP routes
  keep working on the gateways that resolve), and it is *active* when it is
  resolved and no resolved route for the same destination in the same
  routing table has a smaller distance.

Resolving every route is a reachability question on the graph "route R can
use route C for one of its gateways": routes with directly reachable
gateways are resolved, and a route is resolved as soon as one route it can
use is.  A breadth-first walk from the directly reachable routes settles the
whole table in time linear in the number of (gateway, candidate route)
pairs; candidates are found through a per-prefix-length hash index (at most
33 lookups for an IPv4 address), so nothing here is quadratic.

Simplifications, all on the permissive side (a route rosc calls resolved
might still be inactive on a router, never the other way round):

* the lookup for a route in another routing table uses that table and
  ``main`` (``gateway=ADDRESS@TABLE`` uses TABLE only);
* any resolved route can resolve others, not only the one RouterOS elects
  as best for its destination;
* routes learnt at run time (the address a DHCP client gets, the /32 a PPP
  session installs to its peer, BGP/OSPF) are unknown unless given here;
* a route with no gateway at all is resolved (a blackhole, or a DHCP default
  route whose gateway is learnt at run time); a blackhole (no gateway, no
  interface) is never used to resolve other routes.
"""

from __future__ import annotations

import ipaddress
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable

from rosc.model.facts import RouteFact

# Why a gateway resolved...
INTERFACE = "interface"  # an interface name, or ADDRESS%INTERFACE
CONNECTED = "connected"  # an address inside a connected network
RECURSIVE = "recursive"  # through a route that has a gateway of its own
RUNTIME = "runtime"  # no gateway to resolve (DHCP default route, blackhole)
# ...or why it did not.
NO_ROUTE = "no-route"  # no route at all contains the address (default routes aside)
SCOPE = "scope"  # the route that contains it has a scope above this route's target-scope
SELF = "self"  # only this route itself contains the address
LOOP = "loop"  # the routes it needs need this route again
VIA_INACTIVE = "via-inactive"  # the route it needs cannot be resolved itself
UNKNOWN_INTERFACE = "unknown-interface"  # an interface name that does not exist
DISABLED = "disabled"  # the route is disabled

OK_REASONS = frozenset({INTERFACE, CONNECTED, RECURSIVE, RUNTIME})
_WALK_LIMIT = 64  # longest chain followed when explaining a failure


@dataclass(slots=True, eq=False)
class GatewayResolution:
    """How one gateway of a route resolves (or why it does not)."""

    text: str  # the gateway as written: 1.1.1.1, pppoe-out, 10.0.0.1%ether1, 1.1.1.1@main
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None  # None for interface names
    tables: tuple[str, ...]  # the routing tables the address is looked up in
    reason: str  # one of the constants above
    via: RouteFact | None = None  # the route used; on failure the route that blocks or is missing
    # The routes tried, first the one that contains `address`, then the one its gateway needs, and so on; on
    # failure, a route repeated at the end marks a loop among the routes this one needs.
    chain: list[RouteFact] = field(default_factory=list)
    interface: str | None = None  # the output interface, when known

    @property
    def ok(self) -> bool:
        return self.reason in OK_REASONS

    @property
    def is_interface(self) -> bool:
        """The gateway names an interface (``pppoe-out``), not an address."""
        return self.address is None


@dataclass(slots=True, eq=False)
class RouteResolution:
    route: RouteFact
    resolved: bool  # at least one gateway resolves (or the route needs none)
    active: bool  # resolved, and the smallest distance among resolved routes to the same destination
    gateways: list[GatewayResolution] = field(default_factory=list)

    @property
    def interfaces(self) -> list[str]:
        """Output interfaces of the gateways that resolve."""
        out: list[str] = []
        for gw in self.gateways:
            if gw.ok and gw.interface and gw.interface not in out:
                out.append(gw.interface)
        if not self.route.gateways and self.route.interface and self.route.interface not in out:
            out.append(self.route.interface)
        return out


def split_gateway(text: str) -> tuple[str, str | None, str | None]:
    """``1.1.1.1%ether1@main`` → (``1.1.1.1``, ``ether1``, ``main``)."""
    table = None
    if "@" in text:
        text, _, table = text.partition("@")
    iface = None
    if "%" in text:
        text, _, iface = text.partition("%")
    return text, iface or None, table or None


def parse_address(text: str):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class _Index:
    """Enabled routes by (table, IP version), bucketed by prefix length and
    network address, to find every route containing an address quickly."""

    def __init__(self, routes: Iterable[RouteFact]):
        self.buckets: dict[tuple[str, int], dict[int, dict[int, list[RouteFact]]]] = {}
        for route in routes:
            by_len = self.buckets.setdefault((route.table, route.dst.version), {})
            by_len.setdefault(route.dst.prefixlen, {}).setdefault(int(route.dst.network_address), []).append(route)
        self.lengths = {key: sorted(by_len, reverse=True) for key, by_len in self.buckets.items()}

    def covering(self, tables: tuple[str, ...], address) -> list[RouteFact]:
        """Routes of ``tables`` that contain ``address``, longest prefix first
        (then smallest distance)."""
        version, value = address.version, int(address)
        bits = address.max_prefixlen
        found: list[tuple[int, int, int, RouteFact]] = []
        for table in tables:
            by_len = self.buckets.get((table, version))
            if not by_len:
                continue
            for length in self.lengths[(table, version)]:
                mask = ((1 << length) - 1) << (bits - length) if length else 0
                for route in by_len[length].get(value & mask, ()):
                    found.append((-length, route.distance, len(found), route))
        found.sort(key=lambda t: t[:3])
        return [t[3] for t in found]


def lookup_tables(route: RouteFact, table: str | None, main: str = "main") -> tuple[str, ...]:
    if table:
        return (table,)
    return (route.table,) if route.table == main else (route.table, main)


def resolve_routes(
    routes: list[RouteFact],
    interface_exists: Callable[[str], bool] | None = None,
    main: str = "main",
) -> list[RouteResolution]:
    """Resolve every route of ``routes``; the result is in the same order.

    ``interface_exists`` says whether an interface name used as a gateway
    exists (default: every name does).
    """
    exists = interface_exists or (lambda _name: True)
    enabled = [r for r in routes if not r.disabled]
    # A route with neither gateway nor interface (a blackhole) has no next hop to lend.
    index = _Index(r for r in enabled if r.gateways or r.interface)
    results: dict[int, RouteResolution] = {}
    pending: dict[int, list[tuple[GatewayResolution, list[RouteFact]]]] = {}
    users: dict[int, list[RouteFact]] = {}  # candidate route → routes that could resolve through it
    resolved: set[int] = set()
    queue: deque[RouteFact] = deque()

    for route in routes:
        res = RouteResolution(route, False, False)
        results[id(route)] = res
        if route.disabled:
            res.gateways = [GatewayResolution(gw, None, (), DISABLED) for gw in route.gateways]
            continue
        if not route.gateways:  # a DHCP default route, a blackhole: nothing to resolve
            resolved.add(id(route))
            queue.append(route)
            continue
        for text in route.gateways:
            addr_text, iface, table = split_gateway(text)
            address = parse_address(addr_text)
            tables = lookup_tables(route, table, main)
            if address is None:  # an interface name
                if route.kind == "connected":
                    reason = CONNECTED
                else:
                    reason = INTERFACE if exists(addr_text) else UNKNOWN_INTERFACE
                gw = GatewayResolution(text, None, tables, reason, interface=addr_text)
            elif iface is not None:
                reason = INTERFACE if exists(iface) else UNKNOWN_INTERFACE
                gw = GatewayResolution(text, address, tables, reason, interface=iface)
            else:
                gw = GatewayResolution(text, address, tables, NO_ROUTE)
                candidates = [
                    c for c in index.covering(tables, address) if c is not route and c.scope <= route.target_scope
                ]
                pending.setdefault(id(route), []).append((gw, candidates))
                for c in candidates:
                    users.setdefault(id(c), []).append(route)
            res.gateways.append(gw)
            if gw.ok and id(route) not in resolved:
                resolved.add(id(route))
                queue.append(route)

    # Breadth-first from the routes that need no lookup: a route is resolved
    # as soon as one route it can use for a gateway is.
    while queue:
        route = queue.popleft()
        for user in users.pop(id(route), ()):
            if id(user) not in resolved:
                resolved.add(id(user))
                queue.append(user)

    for route in enabled:
        results[id(route)].resolved = id(route) in resolved

    # Which route each gateway goes through, and why the others fail.
    hops: dict[int, RouteFact | None] = {}
    for route in enabled:
        for gw, candidates in pending.get(id(route), ()):
            for c in candidates:  # longest prefix first
                if id(c) in resolved:
                    gw.via = c
                    gw.reason = CONNECTED if c.kind == "connected" else RECURSIVE
                    break
            else:
                _explain(route, gw, index, results, hops)

    memo: dict[int, str | None] = {}
    for route in enabled:
        for gw, _candidates in pending.get(id(route), ()):
            if gw.ok:
                gw.chain = _chain(gw.via, results)
                gw.interface = _out_interface(gw.via, results, memo)

    _elect(enabled, results)
    return [results[id(r)] for r in routes]


def _chain(start: RouteFact, results: dict[int, RouteResolution]) -> list[RouteFact]:
    """``start``, then the route its first resolved gateway goes through, and so on."""
    chain: list[RouteFact] = []
    seen: set[int] = set()
    route: RouteFact | None = start
    while route is not None and id(route) not in seen and len(chain) < _WALK_LIMIT:
        seen.add(id(route))
        chain.append(route)
        route = next((g.via for g in results[id(route)].gateways if g.ok and g.via is not None), None)
    return chain


def _out_interface(start: RouteFact, results: dict[int, RouteResolution], memo: dict[int, str | None]) -> str | None:
    """The interface packets through ``start`` leave by (memoised: every
    route's answer is computed once, so long chains stay linear)."""
    path: list[RouteFact] = []
    seen: set[int] = set()
    route: RouteFact | None = start
    answer: str | None = None
    while route is not None:
        if id(route) in memo:
            answer = memo[id(route)]
            break
        if id(route) in seen:
            break
        seen.add(id(route))
        path.append(route)
        if route.kind == "connected" or not route.gateways:
            answer = route.interface
            break
        res = results[id(route)]
        direct = next((g.interface for g in res.gateways if g.ok and g.via is None and g.interface), None)
        if direct:
            answer = direct
            break
        route = next((g.via for g in res.gateways if g.ok and g.via is not None), None)
    for r in path:
        memo[id(r)] = answer
    return answer


def _first_hop(route: RouteFact, index: _Index, results, memo: dict) -> RouteFact | None:
    """For an unresolved route: the route its first looked-up gateway would
    need (scope permitting, else the longest that contains it; never a
    default route it may not use)."""
    if id(route) not in memo:
        memo[id(route)] = _find_first_hop(route, index, results)
    return memo[id(route)]


def _find_first_hop(route: RouteFact, index: _Index, results) -> RouteFact | None:
    for gw in results[id(route)].gateways:
        if gw.address is None or gw.reason == INTERFACE:
            continue
        cover = [c for c in index.covering(gw.tables, gw.address) if c is not route]
        eligible = [c for c in cover if c.scope <= route.target_scope]
        if eligible:
            return eligible[0]
        if cover and cover[0].dst.prefixlen:
            return cover[0]
    return None


def _walk(origin: RouteFact, first: RouteFact, index: _Index, results, memo: dict) -> tuple[list[RouteFact], bool]:
    """Follow what unresolved routes need, from ``first``; True when the walk
    comes back to ``origin`` (a loop)."""
    chain = [first]
    seen = {id(origin)}
    route = first
    while len(chain) < _WALK_LIMIT:
        if results[id(route)].resolved or id(route) in seen:
            return chain, False
        seen.add(id(route))
        nxt = _first_hop(route, index, results, memo)
        if nxt is None:
            return chain, False
        if nxt is origin:
            return chain, True
        chain.append(nxt)
        route = nxt
    return chain, False


def _explain(route: RouteFact, gw: GatewayResolution, index: _Index, results, memo: dict) -> None:
    cover = [c for c in index.covering(gw.tables, gw.address) if c is not route]
    if not cover:
        inside = route.dst.version == gw.address.version and gw.address in route.dst
        gw.reason = SELF if inside else NO_ROUTE
        return
    best = cover[0]
    eligible = best.scope <= route.target_scope
    if not eligible and best.dst.prefixlen == 0:
        gw.reason, gw.via = NO_ROUTE, best  # only a default route contains it, and it may not be used
        return
    chain, loop = _walk(route, best, index, results, memo)
    gw.via, gw.chain = best, chain
    if loop:
        gw.reason = LOOP
    elif eligible:
        gw.reason = VIA_INACTIVE
    else:
        gw.reason = SCOPE


def _elect(enabled: list[RouteFact], results: dict[int, RouteResolution]) -> None:
    best: dict[tuple, int] = {}
    for route in enabled:
        if results[id(route)].resolved:
            key = (route.table, route.dst)
            best[key] = min(best.get(key, route.distance), route.distance)
    for route in enabled:
        res = results[id(route)]
        res.active = res.resolved and route.distance == best.get((route.table, route.dst))
