"""Next-hop resolution (rosc.model.nexthop) on hand-built routing tables."""

from __future__ import annotations

import ipaddress
import time

from rosc.model.facts import RouteFact
from rosc.model.nexthop import (
    CONNECTED,
    DISABLED,
    INTERFACE,
    LOOP,
    NO_ROUTE,
    RECURSIVE,
    RUNTIME,
    SCOPE,
    SELF,
    UNKNOWN_INTERFACE,
    VIA_INACTIVE,
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
    # The "improve detection" layout of MikroTik's Failover (WAN Backup): a
    # default route through a virtual hop, which resolves through a monitored
    # host, which resolves through the ISP gateway.
    routes = [
        route("0.0.0.0/0", ["10.1.1.1"]),  # target-scope 10
        route("10.1.1.1/32", ["8.8.8.8"], scope=10, ts=11),
        route("8.8.8.8/32", ["203.0.113.1"], scope=10),
        connected("203.0.113.0/30", "ether1"),
    ]
    results = resolve_routes(routes)
    assert all(r.resolved for r in results)
    gw = results[0].gateways[0]
    assert gw.reason == RECURSIVE and gw.interface == "ether1"
    assert gw.chain == [routes[1], routes[2], routes[3]]


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


def test_blackhole_is_resolved_but_resolves_nothing():
    routes = [route("10.0.0.0/8", []), route("10.20.0.0/16", ["10.0.0.1"], ts=30)]
    results = resolve_routes(routes)
    assert results[0].resolved and results[0].gateways == []
    assert results[1].gateways[0].reason == NO_ROUTE


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


def test_long_chain_is_linear():
    n = 20000
    routes = [connected("203.0.113.0/30", "ether1")]
    first = int(ipaddress.ip_address("10.0.0.0"))
    for i in range(n):
        dst = ipaddress.ip_address(first + i)
        gw = ipaddress.ip_address(first + i + 1) if i < n - 1 else "203.0.113.1"
        routes.append(route(f"{dst}/32", [str(gw)], scope=10, ts=10))
    start = time.perf_counter()
    results = resolve_routes(routes)
    assert time.perf_counter() - start < 5
    assert all(r.resolved for r in results)
