"""Next-hop resolution the way RouterOS does it.

Given the routes of one router (``rosc.model.facts.RouteFact``: static,
connected and the dynamic routes of PPPoE/DHCP clients), work out for every
route whether its gateways can be resolved, through which routes, and
whether the route is active.  The rules come from the RouterOS manual
(help.mikrotik.com: Routing Decision, "Nexthop Lookup" and "Route
Selection"; Failover (WAN Backup); Moving from ROSv6 to ROSv7, "Nexthop
lookup"):

* a gateway that is an interface name (``gateway=pppoe-out``), or an address
  bound to an interface (``gateway=10.0.0.1%ether1``), needs no lookup: the
  interface just has to exist;
* a gateway address is looked up among the *active* routes whose scope is at
  most the target-scope of the route being resolved, and the most specific
  of them (the longest prefix) decides: when it is a blackhole, the gateway
  is unreachable; a less specific route is never used instead;
* RouterOS 7 fixes invalid scopes: a route whose scope is not greater than
  its own target-scope gets the next-hop scope ``target-scope + 1`` (and 255
  becomes 254; ``/routing/nexthop`` shows the values).  So a route is only
  ever resolved through routes of a smaller scope, routes are settled in
  scope order, and a host route with ``scope=10`` and the default
  ``target-scope=10`` counts as scope 11: a default route through it needs
  ``target-scope=11`` (the Failover page's value).  Connected routes have
  scope 10 and look nothing up;
* RouterOS 6 does not fix scopes, and keeps one gateway object per address:
  every route with the same gateway address resolves it with the smallest
  target-scope among them (``version=6``);
* "active among the routes it may use": the view of a lookup with
  target-scope ``t`` holds the resolved routes of scope at most ``t``; of
  those with the same destination (and table), the smallest distance is the
  active one.  Updates to routes of a larger scope cannot change that view,
  as the manual says;
* a route is resolved when at least one of its gateways is (ECMP routes keep
  the gateways that resolve), and *active* when it is resolved and no
  resolved route for the same destination in the same table has a smaller
  distance.

The walk is linear: routes are inserted into a prefix index in scope order,
and each lookup is answered when the index holds exactly the routes its
target-scope allows; a lookup costs one hash probe per prefix length (at
most 33 for IPv4, 129 for IPv6), whatever the number of routes sharing a
destination.  When scopes are not strictly ordered (RouterOS 6, or a scope
clamped at 254) the pass is repeated with what the previous pass resolved,
until nothing changes.

Simplifications, on the permissive side: a lookup for a route in another
routing table uses that table and ``main`` (``gateway=ADDRESS@TABLE`` uses
TABLE only); routes learnt at run time (a DHCP lease's network, a PPP
peer's /32, BGP/OSPF) are unknown unless given here; check-gateway is
assumed to succeed; a route with no gateway and no interface is a
blackhole.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Callable

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
BLACKHOLE = "blackhole"  # the most specific active route to it is a blackhole
INTERFACE_DOWN = "interface-down"  # it is in a connected network of a disabled interface

OK_REASONS = frozenset({INTERFACE, CONNECTED, RECURSIVE, RUNTIME})
_WALK_LIMIT = 64  # longest chain followed when explaining a failure
_MAX_PASSES = 8
MAX_SCOPE = 254


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
    target_scope: int | None = None  # the target-scope the lookup used (RouterOS 6: shared per address)

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
    scope: int = 0  # the scope RouterOS uses for it (RouterOS 7 fixes scope <= target-scope)

    @property
    def scope_fixed(self) -> bool:
        """RouterOS raised the scope: it was not greater than the target-scope."""
        return self.scope != self.route.scope

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


def effective_scope(route: RouteFact, version: int = 7) -> int:
    """The scope RouterOS uses for ``route`` (help.mikrotik.com: Routing
    Decision, "Scope values that are invalid are fixed automatically")."""
    scope = route.scope
    if route.kind != "connected" and version >= 7 and scope <= route.target_scope:
        scope = route.target_scope + 1
    return min(scope, MAX_SCOPE)


def is_blackhole(route: RouteFact) -> bool:
    return not route.gateways and not route.interface


def lookup_tables(route: RouteFact, table: str | None, main: str = "main") -> tuple[str, ...]:
    if table:
        return (table,)
    return (route.table,) if route.table == main else (route.table, main)


class _Group:
    """The routes of one (table, destination): the inserted (resolved) ones
    by distance, and all of them by scope for explanations."""

    __slots__ = ("members", "by_scope", "best", "active")

    def __init__(self) -> None:
        self.members: list[RouteFact] = []
        self.by_scope: list[tuple[int, int, RouteFact]] = []  # (scope, distance, route), sorted once built
        self.best: int | None = None
        self.active: list[RouteFact] = []

    def reset(self) -> None:
        self.best = None
        self.active = []

    def insert(self, route: RouteFact) -> None:
        if self.best is None or route.distance < self.best:
            self.best = route.distance
            self.active = [route]
        elif route.distance == self.best:
            self.active.append(route)

    def chosen(self) -> RouteFact | None:
        """The active route a lookup uses (a non-blackhole one when ECMP mixes them)."""
        if not self.active:
            return None
        return next((r for r in self.active if not is_blackhole(r)), self.active[0])

    def eligible(self, scopes: dict[int, int], limit: int, exclude: RouteFact) -> RouteFact | None:
        """A member other than ``exclude`` with scope at most ``limit`` (the lowest distance of the lowest scope)."""
        for scope, _distance, route in self.by_scope:
            if scope > limit:
                return None
            if route is not exclude:
                return route
        return None

    def first(self, exclude: RouteFact) -> RouteFact | None:
        for _scope, _distance, route in self.by_scope:
            if route is not exclude:
                return route
        return None


class _Index:
    """Enabled routes by (table, IP version), bucketed by prefix length and
    network address: every destination that contains an address is found
    with one probe per prefix length."""

    def __init__(self, routes: list[RouteFact], scopes: dict[int, int]):
        self.buckets: dict[tuple[str, int], dict[int, dict[int, _Group]]] = {}
        for route in routes:
            by_len = self.buckets.setdefault((route.table, route.dst.version), {})
            group = by_len.setdefault(route.dst.prefixlen, {}).setdefault(int(route.dst.network_address), _Group())
            group.members.append(route)
            group.by_scope.append((scopes[id(route)], route.distance, route))
        self.lengths = {key: sorted(by_len, reverse=True) for key, by_len in self.buckets.items()}
        self._merged: dict[tuple, list[int]] = {}
        self.groups = [g for by_len in self.buckets.values() for by_net in by_len.values() for g in by_net.values()]
        for group in self.groups:
            group.by_scope.sort(key=lambda t: (t[0], t[1]))
        self.group_of: dict[int, _Group] = {}
        for group in self.groups:
            for route in group.members:
                self.group_of[id(route)] = group

    def reset(self) -> None:
        for group in self.groups:
            group.reset()

    def covering(self, tables: tuple[str, ...], address):
        """The groups of ``tables`` that contain ``address``, longest prefix first."""
        version, value = address.version, int(address)
        bits = address.max_prefixlen
        lengths = self._merged.get((tables, version))
        if lengths is None:
            lengths = sorted({n for t in tables for n in self.lengths.get((t, version), ())}, reverse=True)
            self._merged[(tables, version)] = lengths
        for length in lengths:
            mask = ((1 << length) - 1) << (bits - length) if length else 0
            key = value & mask
            for table in tables:
                by_len = self.buckets.get((table, version))
                if by_len is None:
                    continue
                group = by_len.get(length, {}).get(key)
                if group is not None:
                    yield group


@dataclass(slots=True, eq=False)
class _Lookup:
    route: RouteFact
    gw: GatewayResolution
    target_scope: int


def resolve_routes(
    routes: list[RouteFact],
    interface_exists: Callable[[str], bool] | None = None,
    main: str = "main",
    version: int = 7,
    interface_up: Callable[[str], bool] | None = None,
) -> list[RouteResolution]:
    """Resolve every route of ``routes``; the result is in the same order.

    ``interface_exists`` says whether an interface name used as a gateway
    exists (default: every name does), ``interface_up`` whether it can run
    (not disabled; default: every one can); ``version`` is the RouterOS major
    version whose rules apply (6 or 7).  Disabled connected routes (an
    address on a disabled interface) resolve nothing, but explain failures.
    """
    known = interface_exists or (lambda _name: True)
    up = interface_up or (lambda _name: True)

    def iface_reason(name: str) -> str:
        if not known(name):
            return UNKNOWN_INTERFACE
        return INTERFACE if up(name) else INTERFACE_DOWN

    enabled = [r for r in routes if not r.disabled]
    scopes = {id(r): effective_scope(r, version) for r in routes}
    index = _Index(enabled, scopes)
    results: dict[int, RouteResolution] = {}
    lookups: list[_Lookup] = []
    direct: set[int] = set()  # routes resolved without any lookup

    for route in routes:
        res = RouteResolution(route, False, False, scope=scopes[id(route)])
        results[id(route)] = res
        if route.disabled:
            res.gateways = [GatewayResolution(gw, None, (), DISABLED) for gw in route.gateways]
            continue
        if not route.gateways:  # a DHCP default route, a blackhole: nothing to resolve
            direct.add(id(route))
            continue
        for text in route.gateways:
            addr_text, iface, table = split_gateway(text)
            address = parse_address(addr_text)
            tables = lookup_tables(route, table, main)
            if address is None:  # an interface name
                reason = CONNECTED if route.kind == "connected" else iface_reason(addr_text)
                gw = GatewayResolution(text, None, tables, reason, interface=addr_text)
            elif iface is not None:
                reason = iface_reason(iface)
                gw = GatewayResolution(text, address, tables, reason, interface=iface)
            else:
                gw = GatewayResolution(text, address, tables, NO_ROUTE, target_scope=route.target_scope)
                lookups.append(_Lookup(route, gw, route.target_scope))
            res.gateways.append(gw)
            if gw.ok:
                direct.add(id(route))

    if version < 7:
        _share_target_scopes(lookups)

    resolved = _settle(enabled, lookups, direct, scopes, index)

    for route in enabled:
        results[id(route)].resolved = id(route) in resolved
    explain_memo: dict[int, RouteFact | None] = {}
    out_memo: dict[int, str | None] = {}
    down = _Index([r for r in routes if r.disabled and r.kind == "connected"], scopes)
    for lookup in lookups:
        if lookup.gw.ok:
            lookup.gw.chain = _chain(lookup.gw.via, results)
            lookup.gw.interface = _out_interface(lookup.gw.via, results, out_memo)
        else:
            _explain(lookup, index, scopes, results, explain_memo)
            _down_interface(lookup.gw, down)
    _elect(enabled, results)
    return [results[id(r)] for r in routes]


def _share_target_scopes(lookups: list[_Lookup]) -> None:
    """RouterOS 6 keeps one gateway object per address: it is resolved with
    the smallest target-scope of the routes that use it (Moving from ROSv6
    to ROSv7, "Nexthop lookup")."""
    smallest: dict[tuple, int] = {}
    for lookup in lookups:
        key = (lookup.gw.address, lookup.gw.tables)
        smallest[key] = min(smallest.get(key, lookup.target_scope), lookup.target_scope)
    for lookup in lookups:
        lookup.target_scope = smallest[(lookup.gw.address, lookup.gw.tables)]
        lookup.gw.target_scope = lookup.target_scope


def _settle(enabled, lookups, direct, scopes, index) -> set[int]:
    """The routes that resolve: one pass in scope order, repeated with the
    previous pass's answer while scopes are not strictly ordered."""
    by_route: dict[int, list[_Lookup]] = {}
    for lookup in lookups:
        by_route.setdefault(id(lookup.route), []).append(lookup)
    ordered = all(lk.target_scope < scopes[id(lk.route)] for lk in lookups)
    assumed: set[int] = set()
    resolved: set[int] = set()
    for _ in range(_MAX_PASSES):
        resolved = _pass(enabled, lookups, by_route, direct, scopes, index, assumed)
        if ordered or resolved == assumed:
            break
        assumed = resolved
    return resolved


def _pass(enabled, lookups, by_route, direct, scopes, index, assumed: set[int]) -> set[int]:
    index.reset()
    for lookup in lookups:
        lookup.gw.reason, lookup.gw.via = NO_ROUTE, None
    inserts: dict[int, list[RouteFact]] = {}
    for route in enabled:
        inserts.setdefault(scopes[id(route)], []).append(route)
    asks: dict[int, list[_Lookup]] = {}
    for lookup in lookups:
        asks.setdefault(lookup.target_scope, []).append(lookup)
    resolved: set[int] = set(direct)
    inserted: set[int] = set()
    late: dict[int, RouteFact] = {}  # routes whose own lookups come at or after their scope

    def insert(route: RouteFact) -> None:
        if id(route) not in inserted:
            inserted.add(id(route))
            index.group_of[id(route)].insert(route)

    for level in sorted(set(inserts) | set(asks)):
        for route in inserts.get(level, ()):
            if id(route) in resolved or id(route) in assumed:
                insert(route)
            elif any(lk.target_scope >= level for lk in by_route.get(id(route), ())):
                late[id(route)] = route
        for lookup in asks.get(level, ()):
            gw = lookup.gw
            for group in index.covering(gw.tables, gw.address):
                chosen = group.chosen()
                if chosen is None or chosen is lookup.route:
                    if chosen is lookup.route and len(group.active) > 1:
                        chosen = next(r for r in group.active if r is not lookup.route)
                    else:
                        continue
                if is_blackhole(chosen):
                    gw.reason, gw.via = BLACKHOLE, chosen
                else:
                    gw.reason = CONNECTED if chosen.kind == "connected" else RECURSIVE
                    gw.via = chosen
                    resolved.add(id(lookup.route))
                    if id(lookup.route) in late:
                        insert(late.pop(id(lookup.route)))
                break
    return resolved


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


def _first_hop(route: RouteFact, index: _Index, scopes, results, memo: dict) -> RouteFact | None:
    """For an unresolved route: the route its first looked-up gateway would
    need (scope permitting, else the longest that contains it; never a
    default route it may not use)."""
    key = id(route)
    if key not in memo:
        memo[key] = None
        for gw in results[key].gateways:
            if gw.address is None or gw.reason == INTERFACE:
                continue
            limit = gw.target_scope if gw.target_scope is not None else route.target_scope
            found = _blocking(route, gw, limit, index, scopes)
            if found is not None:
                memo[key] = found[0]
                break
    return memo[key]


def _blocking(route: RouteFact, gw: GatewayResolution, limit: int, index: _Index, scopes):
    """(route, eligible) for the most specific destination that contains the
    gateway: a member it may use if there is one, else (when it is not a
    default route) the member that blocks it by scope."""
    longest = None
    for group in index.covering(gw.tables, gw.address):
        member = group.eligible(scopes, limit, route)
        if member is not None:
            return member, True
        if longest is None:
            longest = group.first(route)
    if longest is not None and longest.dst.prefixlen:
        return longest, False
    return None


def _walk(origin: RouteFact, first: RouteFact, index: _Index, scopes, results, memo) -> tuple[list[RouteFact], bool]:
    """Follow what unresolved routes need, from ``first``; True when the walk
    comes back to ``origin`` (a loop)."""
    chain = [first]
    seen = {id(origin)}
    route = first
    while len(chain) < _WALK_LIMIT:
        if results[id(route)].resolved or id(route) in seen:
            return chain, False
        seen.add(id(route))
        nxt = _first_hop(route, index, scopes, results, memo)
        if nxt is None:
            return chain, False
        if nxt is origin:
            return chain, True
        chain.append(nxt)
        route = nxt
    return chain, False


def _explain(lookup: _Lookup, index: _Index, scopes, results, memo) -> None:
    route, gw, limit = lookup.route, lookup.gw, lookup.target_scope
    if gw.reason == BLACKHOLE:
        gw.chain = [gw.via]
        return
    groups = list(index.covering(gw.tables, gw.address))
    best = next((m for m in (g.first(route) for g in groups) if m is not None), None)
    if best is None:
        inside = route.dst.version == gw.address.version and gw.address in route.dst
        gw.reason = SELF if inside else NO_ROUTE
        return
    eligible = None
    for group in groups:
        member = group.first(route)
        if member is None:
            continue
        eligible = group.eligible(scopes, limit, route)
        if eligible is None and member.dst.prefixlen == 0:
            gw.reason, gw.via = NO_ROUTE, member  # only a default route contains it, and it may not be used
            return
        best = member
        break
    target = eligible or best
    chain, loop = _walk(route, target, index, scopes, results, memo)
    gw.via, gw.chain = target, chain
    if loop:
        gw.reason = LOOP
    elif eligible is not None:
        gw.reason = VIA_INACTIVE
    else:
        gw.reason = SCOPE


def _down_interface(gw: GatewayResolution, down: _Index) -> None:
    """A failed gateway inside the network of an address on a disabled
    interface: that is the reason to give (Routing Decision: a connected
    route exists only for an address on an enabled interface)."""
    if gw.reason == BLACKHOLE or not down.groups:
        return
    for group in down.covering(gw.tables, gw.address):
        route = group.members[0]
        if gw.via is None or route.dst.prefixlen > gw.via.dst.prefixlen or gw.reason == NO_ROUTE:
            gw.reason, gw.via, gw.chain = INTERFACE_DOWN, route, [route]
            gw.interface = route.interface
        return


def _elect(enabled: list[RouteFact], results: dict[int, RouteResolution]) -> None:
    best: dict[tuple, int] = {}
    for route in enabled:
        if results[id(route)].resolved:
            key = (route.table, route.dst)
            best[key] = min(best.get(key, route.distance), route.distance)
    for route in enabled:
        res = results[id(route)]
        res.active = res.resolved and route.distance == best.get((route.table, route.dst))
