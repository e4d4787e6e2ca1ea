"""Next-hop resolution (rosc.model.nexthop) on hand-built routing tables."""

from __future__ import annotations

import ipaddress
import time

from rosc.model.facts import RouteFact
from rosc.model.nexthop import (
    BLACKHOLE,
    CONNECTED,
    DISABLED,
    INTERFACE,
    INTERFACE_DOWN,
    LOOP,
    NO_ROUTE,
    RECURSIVE,
    RUNTIME,
    SCOPE,
    SELF,
    UNKNOWN_INTERFACE,
    VIA_INACTIVE,
    effective_scope,
    resolve_routes,
    split_gateway,
)


def route(dst, gateways=(), *, kind="static", scope=None, ts=10, distance=1, table="main", interface=None,
          disabled=False):
    if scope is None:
        scope = 10 if kind == "connected" else 30
    if kind == "connected":
        distance = 0
        interface = gateways[0]
    return RouteFact(ipaddress.ip_network(dst), list(gateways), distance, scope, ts, kind, None, interface,
                     table=table, disabled=disabled)


def connected(dst, iface):
    return route(dst, [iface], kind="connected")


def by_dst(results):
    return {(str(r.route.dst), r.route.distance): r for r in results}


def test_result_order_and_length_follow_the_input():
    routes = [route("10.5.0.0/16", ["10.0.0.1"]), connected("10.0.0.0/24", "ether1"), route("0.0.0.0/0", ["ether9"])]
    results = resolve_routes(routes)
    assert [r.route for r in results] == routes


def test_gateway_inside_a_connected_network():
    routes = [connected("192.168.88.0/24", "bridge"), route("10.0.0.0/8", ["192.168.88.254"])]
    res = resolve_routes(routes)[1]
    assert res.resolved and res.active
    gw = res.gateways[0]
    assert gw.reason == CONNECTED and gw.via is routes[0] and gw.interface == "bridge"
    assert gw.chain == [routes[0]]


def test_interface_gateway_is_directly_connected():
    res = resolve_routes([route("0.0.0.0/0", ["pppoe-out"])], interface_exists=lambda n: n == "pppoe-out")[0]
    assert res.resolved and res.gateways[0].reason == INTERFACE and res.gateways[0].is_interface
    assert res.interfaces == ["pppoe-out"]


def test_unknown_interface_gateway_leaves_the_route_unresolved():
    res = resolve_routes([route("0.0.0.0/0", ["pppoe-typo"])], interface_exists=lambda n: False)[0]
    assert not res.resolved and res.gateways[0].reason == UNKNOWN_INTERFACE


def test_address_bound_to_an_interface_needs_no_lookup():
    res = resolve_routes([route("2001:db8:60::/48", ["fe80::1%ether1"])])[0]
    assert res.resolved and res.gateways[0].reason == INTERFACE and res.gateways[0].interface == "ether1"
    assert str(res.gateways[0].address) == "fe80::1"


def test_split_gateway():
    assert split_gateway("1.1.1.1%ether1@main") == ("1.1.1.1", "ether1", "main")
    assert split_gateway("pppoe-out") == ("pppoe-out", None, None)


def test_article_recursive_failover_resolves():
    routes = [
        route("0.0.0.0/0", ["1.1.1.1"], ts=11),
        route("0.0.0.0/0", ["8.8.8.8"], ts=11, distance=2),
        route("1.1.1.1/32", ["pppoe-out"], scope=10),
        route("8.8.8.8/32", ["pppoe-out1"], scope=10),
    ]
    results = resolve_routes(routes)
    primary, backup = results[0], results[1]
    assert primary.resolved and primary.active
    assert backup.resolved and not backup.active  # resolved, but distance 2 waits
    assert primary.gateways[0].reason == RECURSIVE
    assert primary.gateways[0].via is routes[2] and primary.gateways[0].interface == "pppoe-out"
    assert backup.gateways[0].interface == "pppoe-out1"


def test_host_route_with_default_scope_blocks_resolution():
    routes = [route("0.0.0.0/0", ["1.1.1.1"]), route("1.1.1.1/32", ["pppoe-out"])]
    res = resolve_routes(routes)[0]
    assert not res.resolved and not res.active
    gw = res.gateways[0]
    assert gw.reason == SCOPE and gw.via is routes[1] and gw.chain == [routes[1]]


def test_target_scope_equal_to_scope_is_enough():
    routes = [route("0.0.0.0/0", ["1.1.1.1"], ts=30), route("1.1.1.1/32", ["pppoe-out"])]
    assert resolve_routes(routes)[0].resolved


def test_each_route_resolves_with_its_own_target_scope():
    # A default route through a virtual hop, which resolves through a monitored host, which resolves through
    # the ISP gateway: each level needs a target-scope at or above the (fixed) scope of the level below.
    routes = [
        route("0.0.0.0/0", ["10.1.1.1"], ts=12),
        route("10.1.1.1/32", ["8.8.8.8"], scope=10, ts=11),  # scope 10 <= 11: RouterOS uses 12
        route("8.8.8.8/32", ["203.0.113.1"], scope=10),  # scope 10 <= 10: RouterOS uses 11
        connected("203.0.113.0/30", "ether1"),
    ]
    results = resolve_routes(routes)
    assert all(r.resolved for r in results)
    assert [r.scope for r in results] == [30, 12, 11, 10]
    gw = results[0].gateways[0]
    assert gw.reason == RECURSIVE and gw.interface == "ether1"
    assert gw.chain == [routes[1], routes[2], routes[3]]
    # With target-scope 11 on the default route, the virtual hop (scope 12) is out of reach.
    routes[0] = route("0.0.0.0/0", ["10.1.1.1"], ts=11)
    gw = resolve_routes(routes)[0].gateways[0]
    assert gw.reason == SCOPE and gw.via is routes[1]


# --- Routing Decision: "Scope values that are invalid are fixed automatically" ------------


def test_scope_not_greater_than_target_scope_becomes_target_scope_plus_one():
    assert effective_scope(route("1.1.1.1/32", ["ether1"], scope=10, ts=10)) == 11
    assert effective_scope(route("1.1.1.1/32", ["ether1"], scope=5, ts=20)) == 21
    assert effective_scope(route("1.1.1.1/32", ["ether1"], scope=30, ts=10)) == 30  # valid: kept
    assert effective_scope(connected("10.0.0.0/24", "ether1")) == 10  # connected routes look nothing up


def test_nexthop_scope_255_becomes_254():
    assert effective_scope(route("1.1.1.1/32", ["ether1"], scope=255, ts=10)) == 254
    assert effective_scope(route("1.1.1.1/32", ["ether1"], scope=200, ts=254)) == 254


def test_host_route_scope_10_resolves_only_target_scope_11_and_up():
    # The reading of the manual, and the Failover (WAN Backup) page's target-scope=11.
    for ts, ok in ((10, False), (11, True), (30, True)):
        routes = [route("0.0.0.0/0", ["8.8.8.8"], ts=ts), route("8.8.8.8/32", ["10.111.0.1"], scope=10),
                  connected("10.111.0.0/24", "ether1")]
        res = resolve_routes(routes)[0]
        assert res.resolved is ok, ts
        if not ok:
            assert res.gateways[0].reason == SCOPE and res.gateways[0].via is routes[1]


def test_routeros_6_compares_scopes_as_written():
    routes = [route("0.0.0.0/0", ["8.8.8.8"]), route("8.8.8.8/32", ["10.111.0.1"], scope=10),
              connected("10.111.0.0/24", "ether1")]
    assert resolve_routes(routes, version=6)[0].resolved
    assert not resolve_routes(routes, version=7)[0].resolved
    assert [r.scope for r in resolve_routes(routes, version=6)] == [30, 10, 10]


def test_routeros_6_shares_the_smallest_target_scope_per_gateway_address():
    # Moving from ROSv6 to ROSv7, "Nexthop lookup": A and B share gateway 10.0.0.1; in v6 one gateway object
    # is resolved with the smallest target-scope of its routes.
    def table(ts_a):
        return [
            route("10.0.1.0/24", ["10.0.0.1"], scope=50, ts=ts_a),
            route("10.0.2.0/24", ["10.0.0.1"], scope=30, ts=20),
            route("10.0.0.0/24", ["ether1"], scope=20, ts=10),
        ]
    assert [r.resolved for r in resolve_routes(table(30), version=6)] == [True, True, True]
    assert [r.resolved for r in resolve_routes(table(10), version=6)] == [False, False, True]
    assert [r.resolved for r in resolve_routes(table(10), version=7)] == [False, True, True]


def test_routes_are_resolved_in_scope_order():
    # v7: a route only ever resolves through routes of smaller (fixed) scope, so two routes can never resolve
    # each other; the loop is still explained as one.
    routes = [route("10.1.0.0/16", ["10.2.0.1"], scope=10, ts=30), route("10.2.0.0/16", ["10.1.0.1"], scope=10, ts=30)]
    assert [r.scope for r in resolve_routes(routes)] == [31, 31]
    assert [r.gateways[0].reason for r in resolve_routes(routes)] == [LOOP, LOOP]


# --- Routing Decision: lookups through active routes, the most specific one ---------------


def test_gateway_resolves_through_the_most_specific_active_route_only():
    routes = [
        connected("192.0.2.0/24", "ether1"),
        route("10.50.0.0/24", ["198.51.100.9"], scope=10),  # more specific, but unresolvable: inactive
        route("10.50.0.0/16", ["192.0.2.1"], scope=10),
        route("172.16.0.0/12", ["10.50.0.7"], ts=30),
    ]
    results = resolve_routes(routes)
    assert not results[1].resolved
    gw = results[3].gateways[0]
    assert gw.ok and gw.via is routes[2]


def test_a_more_specific_blackhole_makes_the_gateway_unreachable():
    routes = [
        connected("192.0.2.0/24", "ether1"),
        route("10.50.0.0/16", ["192.0.2.1"], scope=10),
        route("10.50.7.0/24", [], scope=10),  # blackhole, active
        route("172.16.0.0/12", ["10.50.7.1"], ts=30),
    ]
    gw = resolve_routes(routes)[3].gateways[0]
    assert gw.reason == BLACKHOLE and gw.via is routes[2]


def test_only_the_active_route_of_a_destination_is_used():
    # Two routes to 10.50.0.0/16: the blackhole at distance 1 is active, the ether2 route at distance 2 waits;
    # a gateway inside 10.50.0.0/16 follows the active one.
    routes = [
        route("10.50.0.0/16", [], scope=10, distance=1),
        route("10.50.0.0/16", ["ether2"], scope=10, distance=2),
        route("172.16.0.0/12", ["10.50.0.1"], ts=30),
    ]
    results = resolve_routes(routes)
    assert results[0].active and results[1].resolved and not results[1].active
    assert results[2].gateways[0].reason == BLACKHOLE


def test_active_among_the_routes_the_lookup_may_use():
    # The distance-1 route has scope 30, above the lookup's target-scope 10, so it cannot change the view:
    # the distance-2 route with scope 10 (fixed to 11 -> target-scope 11 here) is the one used.
    routes = [
        route("10.50.0.0/16", ["ether2"], scope=30, distance=1),
        route("10.50.0.0/16", ["ether3"], scope=10, distance=2),
        route("172.16.0.0/12", ["10.50.0.1"], ts=11),
    ]
    gw = resolve_routes(routes)[2].gateways[0]
    assert gw.ok and gw.via is routes[1] and gw.interface == "ether3"


# --- Routing Decision: connected routes only for addresses on enabled interfaces ----------


def test_address_on_a_disabled_interface_resolves_nothing():
    down = connected("10.0.0.0/24", "ether2")
    down.disabled = True
    routes = [down, route("172.16.0.0/12", ["10.0.0.1"])]
    gw = resolve_routes(routes)[1].gateways[0]
    assert gw.reason == INTERFACE_DOWN and gw.via is down


def test_interface_gateway_that_cannot_run():
    res = resolve_routes([route("0.0.0.0/0", ["pppoe-out"])], interface_up=lambda n: False)[0]
    assert not res.resolved and res.gateways[0].reason == INTERFACE_DOWN


def test_the_lower_level_fails_with_its_own_target_scope():
    routes = [
        route("0.0.0.0/0", ["10.1.1.1"], ts=30),
        route("10.1.1.1/32", ["8.8.8.8"], scope=10),  # target-scope 10 < scope 30 of the 8.8.8.8 route
        route("8.8.8.8/32", ["203.0.113.1"]),
        connected("203.0.113.0/30", "ether1"),
    ]
    results = resolve_routes(routes)
    assert results[2].resolved
    assert not results[1].resolved and results[1].gateways[0].reason == SCOPE
    assert not results[0].resolved and results[0].gateways[0].reason == VIA_INACTIVE
    assert results[0].gateways[0].via is routes[1]


def test_longest_prefix_among_eligible_routes():
    routes = [
        connected("10.0.0.0/24", "ether1"),
        connected("10.0.0.0/30", "ether2"),
        route("172.16.0.0/12", ["10.0.0.2"]),
    ]
    gw = resolve_routes(routes)[2].gateways[0]
    assert gw.via is routes[1] and gw.interface == "ether2"


def test_ineligible_longer_route_is_skipped_for_an_eligible_shorter_one():
    routes = [
        connected("10.0.0.0/24", "ether1"),
        route("10.0.0.7/32", ["ether5"]),  # scope 30: not usable with target-scope 10
        route("172.16.0.0/12", ["10.0.0.7"]),
    ]
    gw = resolve_routes(routes)[2].gateways[0]
    assert gw.reason == CONNECTED and gw.via is routes[0]


def test_route_reachable_only_through_itself():
    res = resolve_routes([route("0.0.0.0/0", ["8.8.8.8"], ts=30)])[0]
    assert not res.resolved and res.gateways[0].reason == SELF


def test_no_route_at_all():
    gw = resolve_routes([connected("10.0.0.0/24", "ether1"), route("10.5.0.0/16", ["10.9.9.9"])])[1].gateways[0]
    assert gw.reason == NO_ROUTE and gw.via is None


def test_only_a_default_route_contains_the_gateway():
    routes = [route("0.0.0.0/0", ["ether1"]), route("10.5.0.0/16", ["10.9.9.9"])]
    gw = resolve_routes(routes)[1].gateways[0]
    assert gw.reason == NO_ROUTE and gw.via is routes[0]


def test_two_routes_needing_each_other_loop():
    routes = [route("10.1.0.0/16", ["10.2.0.1"], ts=30), route("10.2.0.0/16", ["10.1.0.1"], ts=30)]
    results = resolve_routes(routes)
    assert [r.gateways[0].reason for r in results] == [LOOP, LOOP]
    assert results[0].gateways[0].chain == [routes[1]]


def test_loop_is_found_through_scope_blocked_routes_too():
    routes = [route("10.1.0.0/16", ["10.2.0.1"]), route("10.2.0.0/16", ["10.1.0.1"])]
    assert [r.gateways[0].reason for r in resolve_routes(routes)] == [LOOP, LOOP]


def test_ecmp_route_resolves_when_one_gateway_does():
    routes = [connected("10.0.0.0/24", "ether1"), route("0.0.0.0/0", ["10.0.0.1", "192.0.2.1"])]
    res = resolve_routes(routes)[1]
    assert res.resolved
    assert [g.ok for g in res.gateways] == [True, False]


def test_disabled_routes_are_neither_resolved_nor_used():
    routes = [
        route("1.1.1.1/32", ["pppoe-out"], scope=10, disabled=True),
        route("0.0.0.0/0", ["1.1.1.1"], ts=11),
    ]
    results = resolve_routes(routes)
    assert not results[0].resolved and results[0].gateways[0].reason == DISABLED
    assert results[1].gateways[0].reason == SELF


def test_blackhole_is_resolved_and_its_gateways_are_unreachable():
    routes = [route("10.0.0.0/8", []), route("10.20.0.0/16", ["10.0.0.1"], ts=30)]
    results = resolve_routes(routes)
    assert results[0].resolved and results[0].gateways == []
    assert results[1].gateways[0].reason == BLACKHOLE


def test_dhcp_default_route_is_resolved_and_gives_its_interface():
    dhcp = route("0.0.0.0/0", [], kind="dynamic", interface="ether1")
    other = route("10.20.0.0/16", ["8.8.4.4"], ts=30)
    results = resolve_routes([dhcp, other])
    assert results[0].resolved and results[0].interfaces == ["ether1"]
    assert results[1].gateways[0].reason == RECURSIVE and results[1].gateways[0].interface == "ether1"
    assert RUNTIME  # the constant exists for callers


def test_routes_in_other_tables_resolve_through_main():
    routes = [connected("203.0.113.0/30", "ether1"), route("0.0.0.0/0", ["203.0.113.1"], table="isp1")]
    gw = resolve_routes(routes)[1].gateways[0]
    assert gw.ok and gw.tables == ("isp1", "main")


def test_gateway_at_table_looks_only_there():
    routes = [connected("203.0.113.0/30", "ether1"), route("0.0.0.0/0", ["203.0.113.1@isp1"], table="main")]
    gw = resolve_routes(routes)[1].gateways[0]
    assert not gw.ok and gw.tables == ("isp1",)


def test_ipv6_resolution():
    routes = [
        connected("2001:db8:1::/64", "ether1"),
        route("::/0", ["2001:db8:1::ffff"]),
        route("2001:db8:50::/48", ["2001:db8:9::1"]),
    ]
    results = resolve_routes(routes)
    assert results[1].resolved and results[1].gateways[0].interface == "ether1"
    assert results[2].gateways[0].reason == NO_ROUTE and results[2].gateways[0].via is routes[1]


def test_ipv4_gateway_never_matches_ipv6_routes():
    routes = [connected("2001:db8:1::/64", "ether1"), route("::/0", ["ether1"]), route("10.0.0.0/8", ["10.0.0.1"])]
    assert resolve_routes(routes)[2].gateways[0].reason == SELF


def test_equal_distance_routes_are_all_active():
    routes = [route("0.0.0.0/0", ["pppoe-out"]), route("0.0.0.0/0", ["pppoe-out1"])]
    assert all(r.active for r in resolve_routes(routes))


def test_unresolved_primary_lets_the_backup_be_active():
    routes = [route("0.0.0.0/0", ["192.0.2.1"]), route("0.0.0.0/0", ["pppoe-out"], distance=2)]
    results = resolve_routes(routes)
    assert not results[0].active and results[1].active


def _nested(n: int) -> list:
    """``n`` routes whose gateways lie inside each other's destinations: many routes to one /8 (at different
    distances) through the connected /24 inside it, /24s inside the /8 and host routes inside the /24s, all
    through gateways inside the /8; and a quarter that cannot resolve (each /24 of 172.16.0.0/12 through the
    next one, with the default scopes), which rosc must explain."""
    routes = [connected("10.0.0.0/24", "ether1")]
    for i in range(n):
        kind = i % 4
        if kind == 0:
            routes.append(route("10.0.0.0/8", [f"10.0.0.{1 + i % 250}"], scope=10, ts=10, distance=1 + i % 200))
        elif kind == 1:
            routes.append(route(f"10.{1 + i % 250}.{i % 256}.0/24", [f"10.{i % 250}.7.1"], ts=30))
        elif kind == 2:
            routes.append(route(f"10.{i % 250}.{i % 256}.{i % 200}/32", [f"10.{i % 250}.{i % 256}.9"], ts=11))
        else:
            j = i // 4
            routes.append(route(f"172.{16 + j // 256 % 16}.{j % 256}.0/24", [f"172.{16 + (j + 1) // 256 % 16}.{(j + 1) % 256}.1"]))
    return routes


def test_8k_nested_routes_resolve_without_the_quadratic_blowup():
    # Issue 10 measured the previous resolver at 52-75 s for 4k such routes and over 10 minutes for 8k.
    routes = _nested(8000)
    start = time.perf_counter()
    results = resolve_routes(routes)
    elapsed = time.perf_counter() - start
    # A guard against the quadratic resolver coming back (minutes), not a measurement: bench/routing.py
    # measures the time and its growth per doubling.
    assert elapsed < 30, elapsed
    assert results[1].resolved and results[1].gateways[0].via is routes[0]
    unresolved = [r for r in results if not r.resolved]
    assert len(unresolved) == 2000 and all(r.route.dst.network_address.packed[0] == 172 for r in unresolved)
    reasons = [r.gateways[0].reason for r in unresolved]
    assert reasons.count(NO_ROUTE) == 1 and reasons.count(SCOPE) == 1999  # the last /24 has nothing after it


def test_long_unresolvable_chain_is_explained_quickly():
    # 20,000 host routes each through the next with scope=10 and the default target-scope: RouterOS counts
    # every one as scope 11, above target-scope 10, so none resolves; rosc says why for each, in linear time.
    n = 20000
    routes = [connected("203.0.113.0/30", "ether1")]
    first = int(ipaddress.ip_address("10.0.0.0"))
    for i in range(n):
        dst = ipaddress.ip_address(first + i)
        gw = ipaddress.ip_address(first + i + 1) if i < n - 1 else "203.0.113.1"
        routes.append(route(f"{dst}/32", [str(gw)], scope=10, ts=10))
    start = time.perf_counter()
    results = resolve_routes(routes)
    assert time.perf_counter() - start < 30  # a hang guard; bench/routing.py measures it
    assert results[-1].resolved and not any(r.resolved for r in results[1:-1])
    assert results[1].gateways[0].reason == SCOPE


def test_deep_chain_with_increasing_scopes_resolves():
    # The longest chain RouterOS allows: each level's target-scope reaches the (fixed) scope of the one below.
    routes = [connected("203.0.113.0/30", "ether1")]
    first = int(ipaddress.ip_address("10.0.0.0"))
    levels = 240
    for i in range(levels):
        gw = "203.0.113.1" if i == 0 else str(ipaddress.ip_address(first + i - 1))
        routes.append(route(f"{ipaddress.ip_address(first + i)}/32", [gw], scope=11 + i, ts=10 + i))
    results = resolve_routes(list(reversed(routes)))
    assert all(r.resolved for r in results)
    assert len(results[0].gateways[0].chain) == 64  # chains are cut at 64 routes
