"""The routing checks (ROUTE001-ROUTE007)."""

from __future__ import annotations

import pytest

from conftest import ARTICLE
from rosc.lint.engine import lint_bytes


def findings(code: str, prefix: str = "ROUTE"):
    return [d for d in lint_bytes(code.encode("utf-8"), "t.rsc").diagnostics if d.code.startswith(prefix)]


def codes(code: str) -> list[str]:
    return [d.code for d in findings(code)]


def only(code: str, rule: str):
    found = [d for d in findings(code) if d.code == rule]
    assert len(found) == 1, [(d.code, d.message) for d in findings(code)]
    return found[0]


# --- the article lab -----------------------------------------------------------------

ARTICLE_EXPECTED = {
    "core.rsc": [],
    "isp1.rsc": [],
    "isp2.rsc": [],
    "mtr1.rsc": [],
    "mtr3.rsc": [],
    "mtr2.rsc": ["ROUTE005"],
    "mtr2-failover.rsc": ["ROUTE006"],
    "mtr2-recursive.rsc": ["ROUTE006"],
}


@pytest.mark.parametrize("name", sorted(ARTICLE_EXPECTED))
def test_article_lab(name):
    data = (ARTICLE / name).read_bytes()
    got = [d for d in lint_bytes(data, name).diagnostics if d.code.startswith("ROUTE")]
    assert [d.code for d in got] == ARTICLE_EXPECTED[name], [d.message for d in got]
    assert all(d.severity.label == "info" for d in got)


def test_article_mtr2_is_ecmp_over_both_pppoe_clients():
    d = lint_bytes((ARTICLE / "mtr2.rsc").read_bytes(), "mtr2.rsc").diagnostics
    (ecmp,) = [x for x in d if x.code == "ROUTE005"]
    assert ecmp.message == (
        "ECMP: the default route is shared between pppoe-out (line 9) and pppoe-out1 (line 11), both at distance 1"
    )
    assert ecmp.span.line == 9


def test_article_mtr2_failover_by_distance():
    d = lint_bytes((ARTICLE / "mtr2-failover.rsc").read_bytes(), "x.rsc").diagnostics
    (info,) = [x for x in d if x.code == "ROUTE006"]
    assert info.message == (
        "failover: the default route uses pppoe-out (line 45) at distance 1, then pppoe-out1 (line 46) at distance 2"
    )
    assert any("PPP session drops" in n for n in info.notes)


def test_article_mtr2_recursive_failover_with_check_gateway():
    d = lint_bytes((ARTICLE / "mtr2-recursive.rsc").read_bytes(), "x.rsc").diagnostics
    (info,) = [x for x in d if x.code == "ROUTE006"]
    assert info.message == (
        "failover: the default route uses 1.1.1.1 via pppoe-out (line 45, check-gateway=ping) at distance 1, "
        "then 8.8.8.8 via pppoe-out1 (line 46, check-gateway=ping) at distance 2"
    )


def test_check_gateway_timing_is_the_manuals():
    # Routing Decision: a ping (or ARP) every 10 seconds, a timeout of 1 second, unreachable after two timeouts.
    d = lint_bytes((ARTICLE / "mtr2-recursive.rsc").read_bytes(), "x.rsc").diagnostics
    (info,) = [x for x in d if x.code == "ROUTE006"]
    note = next(n for n in info.notes if "checked with ping" in n)
    assert "every 10 s" in note and "two timeouts of 1 s" in note and "Routing Decision" in note
    assert "as soon as" not in note


# --- ROUTE001 unresolvable-gateway ----------------------------------------------------

RECURSIVE_WITHOUT_SCOPE = """\
/interface pppoe-client
add interface=ether1 name=pppoe-out user=a password=Xk29vq81Lmz4
add interface=ether2 name=pppoe-out1 user=b password=Xk29vq81Lmz4
/ip route
add check-gateway=ping dst-address=0.0.0.0/0 gateway=1.1.1.1 target-scope=11
add check-gateway=ping distance=2 dst-address=0.0.0.0/0 gateway=8.8.8.8 target-scope=11
add check-gateway=none dst-address=1.1.1.1 gateway=pppoe-out
add check-gateway=none dst-address=8.8.8.8 gateway=pppoe-out1
"""


def test_recursive_failover_without_scope_10_on_the_host_routes():
    found = findings(RECURSIVE_WITHOUT_SCOPE)
    assert [d.code for d in found] == ["ROUTE001", "ROUTE001"]
    assert found[0].message == (
        "gateway 1.1.1.1 of the default route cannot be resolved: the route to 1.1.1.1/32 (line 7) has scope 30 > "
        "target-scope 11 of this route; set scope=10 on it or target-scope=30 here"
    )
    assert found[0].span.line == 5 and found[0].severity.label == "error"
    assert "8.8.8.8/32 (line 8)" in found[1].message
    assert found[0].fix == "set scope=10 on the route to 1.1.1.1/32 (line 7), or target-scope=30 on this route"


def test_default_target_scope_message():
    d = only(
        """\
/ip address
add address=203.0.113.2/30 interface=ether1
/ip route
add dst-address=1.1.1.1 gateway=203.0.113.1
add gateway=1.1.1.1
""",
        "ROUTE001",
    )
    # scope=10 alone would not do: RouterOS makes it 11 (not above the host route's own target-scope 10)
    assert d.message == (
        "gateway 1.1.1.1 of the default route cannot be resolved: the route to 1.1.1.1/32 (line 4) has scope 30 > "
        "target-scope 10 of this route; set scope=10 on it and target-scope=11 here, or target-scope=30 here"
    )
    assert d.fix == (
        "set scope=10 on the route to 1.1.1.1/32 (line 4) and target-scope=11 on this route (the Failover (WAN "
        "Backup) layout), or target-scope=30 on this route"
    )


SCOPE_10_DEFAULT_TARGET = """\
/ip address
add address=203.0.113.2/30 interface=ether1
/ip route
add dst-address=1.1.1.1 gateway=203.0.113.1 scope=10
add check-gateway=ping gateway=1.1.1.1
"""


def test_scope_not_above_target_scope_is_fixed_to_target_scope_plus_one():
    # Routing Decision: "if a route's scope is not greater than the maximum accepted scope for gateway lookup,
    # RouterOS fixes the error by setting the nexthop scope to target-scope + 1": the host route counts as
    # scope 11, and the default route's target-scope 10 does not reach it.
    d = only(SCOPE_10_DEFAULT_TARGET, "ROUTE001")
    assert d.message == (
        "gateway 1.1.1.1 of the default route cannot be resolved: the route to 1.1.1.1/32 (line 4) has scope 10 "
        "(RouterOS uses 11: not above its target-scope 10) > target-scope 10 of this route; set target-scope=11 "
        "here"
    )
    assert any("fixed automatically" in n and "target-scope=11" in n for n in d.notes)
    assert codes(SCOPE_10_DEFAULT_TARGET.replace("check-gateway=ping", "check-gateway=ping target-scope=11")) == []


def test_routeros_6_does_not_fix_scopes():
    # The fix is RouterOS 7's: a v6 export with the classic scope=10 / target-scope=10 failover resolves.
    v6 = "# jan/02/2023 10:00:00 by RouterOS 6.49.6\n# software id = ABCD-1234\n" + SCOPE_10_DEFAULT_TARGET
    assert codes(v6) == []
    v7 = "# 2024-01-02 10:00:00 by RouterOS 7.16\n" + SCOPE_10_DEFAULT_TARGET
    assert codes(v7) == ["ROUTE001"]


MARK_ISP1 = "/ip firewall mangle\nadd action=mark-routing chain=prerouting in-interface=ether5 new-routing-mark=isp1\n"


def test_routing_mark_on_a_route_means_routeros_6():
    code = SCOPE_10_DEFAULT_TARGET + "add gateway=203.0.113.1 routing-mark=isp1\n" + MARK_ISP1
    assert codes(code) == []


def test_routeros_6_shares_one_gateway_object_per_address():
    # Moving from ROSv6 to ROSv7, "Nexthop lookup": in v6 a gateway address is resolved once, with the smallest
    # target-scope of the routes that use it, so lowering A's target-scope makes B's gateway inactive too.
    base = """\
# jan/02/2023 10:00:00 by RouterOS 6.49.6
/ip address
add address=192.0.2.1/24 interface=ether1
/ip route
add dst-address=10.0.1.0/24 gateway=10.0.0.1 scope=50 target-scope={a} comment=A
add dst-address=10.0.2.0/24 gateway=10.0.0.1 scope=30 target-scope=20 comment=B
add dst-address=10.0.0.0/24 scope=20 gateway=192.0.2.254 comment=C
"""
    assert codes(base.format(a=30)) == []
    found = findings(base.format(a=10))
    assert [d.code for d in found] == ["ROUTE001", "ROUTE001"]
    assert "target-scope 10 of this route" in found[1].message
    assert any("one gateway object per address" in n for n in found[1].notes)
    # RouterOS 7 keeps one gateway object per scope: only A is affected.
    v7 = base.format(a=10).replace("by RouterOS 6.49.6", "by RouterOS 7.16")
    assert [d.span.line for d in findings(v7)] == [5]


def test_scope_set_later_with_find_fixes_it():
    code = RECURSIVE_WITHOUT_SCOPE + (
        "set [ find dst-address=1.1.1.1 ] scope=10\nset [ find dst-address=8.8.8.8 ] scope=10\n"
    )
    assert codes(code) == ["ROUTE006"]


def test_article_recursive_variant_is_clean_apart_from_the_failover_info():
    code = RECURSIVE_WITHOUT_SCOPE.replace("gateway=pppoe-out\n", "gateway=pppoe-out scope=10\n").replace(
        "gateway=pppoe-out1\n", "gateway=pppoe-out1 scope=10\n"
    )
    assert codes(code) == ["ROUTE006"]


def test_gateway_outside_every_connected_network():
    d = only(
        """\
/ip address
add address=192.168.88.1/24 interface=ether2
/ip route
add dst-address=10.5.0.0/16 gateway=10.9.9.9
""",
        "ROUTE001",
    )
    assert d.message == (
        "no route reaches gateway 10.9.9.9 of the route to 10.5.0.0/16 (no connected network contains it)"
    )
    assert "192.168.88.0/24 (ether2)" in d.notes[0]
    assert d.span.line == 4 and d.span.column == len("add dst-address=10.5.0.0/16 gateway=") + 1


def test_only_a_default_route_contains_the_gateway():
    d = only(
        """\
/ip address
add address=203.0.113.2/30 interface=ether1
/ip route
add gateway=203.0.113.1
add dst-address=10.5.0.0/16 gateway=10.9.9.9
""",
        "ROUTE001",
    )
    assert d.message.startswith("no route reaches gateway 10.9.9.9")
    assert any("the default route (line 4)" in n for n in d.notes)


def test_gateway_in_a_connected_network_is_fine():
    assert codes("/ip address\nadd address=10.0.0.1/24 interface=ether1\n/ip route\nadd gateway=10.0.0.254\n") == []


def test_gateway_in_routing_table_resolves_through_main():
    code = """\
/ip address
add address=203.0.113.2/30 interface=ether1
/routing table
add fib name=isp1
/ip route
add gateway=203.0.113.1 routing-table=isp1
""" + MARK_ISP1
    assert codes(code) == []


def test_gateway_bound_to_an_interface():
    assert codes("/ip route\nadd dst-address=10.5.0.0/16 gateway=10.9.9.9%ether1\n") == []


def test_interface_that_does_not_exist_is_left_to_the_reference_checks():
    assert codes("/ip route\nadd dst-address=10.5.0.0/16 gateway=pppoe-typo\n") == []


def test_disabled_route_is_not_reported():
    assert codes("/ip route\nadd dst-address=10.5.0.0/16 gateway=10.9.9.9 disabled=yes\n") == []


def test_route_disabled_later_is_not_reported():
    code = "/ip route\nadd dst-address=10.5.0.0/16 gateway=10.9.9.9\ndisable [ find dst-address=10.5.0.0/16 ]\n"
    assert codes(code) == []


def test_computed_gateway_is_not_guessed():
    assert codes(":local gw 10.9.9.9\n/ip route\nadd dst-address=10.5.0.0/16 gateway=$gw\n") == []


def test_private_gateway_behind_a_dhcp_client_may_be_reachable_at_run_time():
    code = """\
/ip dhcp-client
add interface=ether1 add-default-route=no
/ip route
add gateway=192.168.1.1
add dst-address=10.5.0.0/16 gateway=100.64.0.1
"""
    assert codes(code) == []


def test_public_gateway_is_reported_even_with_a_dhcp_client():
    code = """\
/ip dhcp-client
add interface=ether1
/ip route
add dst-address=10.5.0.0/16 gateway=8.8.4.4
"""
    assert codes(code) == ["ROUTE001"]


def test_gateway_in_a_ppp_pool_is_a_customer_session():
    code = """\
/ip pool
add name=pppoe-pool ranges=121.0.0.2-121.0.0.254
/ppp profile
add local-address=121.0.0.1 name=pppoe-server remote-address=pppoe-pool
/ip route
add dst-address=192.168.50.0/24 gateway=121.0.0.5
"""
    assert codes(code) == []


def test_gateway_at_a_ppp_secret_remote_address():
    code = """\
/ppp secret
add name=branch password=Xk29vq81Lmz4 remote-address=10.77.0.2 service=pppoe
/ip route
add dst-address=192.168.50.0/24 gateway=10.77.0.2
"""
    assert codes(code) == []


def test_point_to_point_address_with_network():
    code = """\
/ip address
add address=100.64.0.1 interface=ether1 network=100.64.0.2
/ip route
add gateway=100.64.0.2
"""
    assert codes(code) == []


def test_route_through_an_inactive_route():
    code = """\
/ip address
add address=203.0.113.2/30 interface=ether1
/ip route
add dst-address=10.1.1.1 gateway=10.9.9.9 scope=10
add gateway=10.1.1.1 target-scope=11
"""
    found = findings(code)
    assert [d.code for d in found] == ["ROUTE001", "ROUTE001"]
    assert found[0].message.startswith("no route reaches gateway 10.9.9.9 of the route to 10.1.1.1/32")
    assert found[1].message == (
        "gateway 10.1.1.1 of the default route cannot be resolved: it is reached only through the route to "
        "10.1.1.1/32 (line 4), which is inactive itself"
    )


def test_ecmp_route_with_one_bad_gateway():
    code = """\
/ip address
add address=203.0.113.2/30 interface=ether1
/ip route
add dst-address=10.5.0.0/16 gateway=203.0.113.1,198.51.100.1
"""
    d = only(code, "ROUTE001")
    assert "gateway 198.51.100.1" in d.message


def test_ipv6_gateway_outside_connected_networks():
    code = """\
/ipv6 address
add address=2001:db8:1::1/64 interface=ether1
/ipv6 route
add gateway=2001:db8:1::ffff
add dst-address=2001:db8:50::/48 gateway=2001:db8:9::1
add dst-address=2001:db8:60::/48 gateway=fe80::1%ether1
"""
    d = only(code, "ROUTE001")
    assert d.message.startswith("no route reaches gateway 2001:db8:9::1 of the route to 2001:db8:50::/48")


def test_ipv6_with_dhcpv6_is_not_guessed():
    code = """\
/ipv6 dhcp-client
add interface=ether1 request=prefix pool-name=isp
/ipv6 route
add gateway=2001:db8:9::1
"""
    assert codes(code) == []


# --- ROUTE002 recursive-gateway-loop --------------------------------------------------


def test_default_route_through_itself():
    d = only(
        "/ip address\nadd address=203.0.113.2/30 interface=ether1\n/ip route\nadd gateway=8.8.8.8 target-scope=11\n",
        "ROUTE002",
    )
    assert d.message == "gateway 8.8.8.8 of the default route is reachable only through this route itself"
    assert any("Failover (WAN Backup)" in n for n in d.notes)
    assert d.severity.label == "error"


def test_disabled_host_route_leaves_the_default_route_alone():
    code = """\
/ip route
add dst-address=1.1.1.1 gateway=pppoe-out scope=10 disabled=yes
add gateway=1.1.1.1 target-scope=11
/interface pppoe-client
add interface=ether1 name=pppoe-out user=a password=Xk29vq81Lmz4
"""
    assert codes(code) == ["ROUTE002"]


def test_two_routes_needing_each_other():
    code = """\
/ip route
add dst-address=10.1.0.0/16 gateway=10.2.0.1
add dst-address=10.2.0.0/16 gateway=10.1.0.1
"""
    found = findings(code)
    assert [d.code for d in found] == ["ROUTE002", "ROUTE002"]
    assert found[0].message == (
        "gateway 10.2.0.1 of the route to 10.1.0.0/16 resolves in a loop: it needs the route to 10.2.0.0/16 "
        "(line 3) with gateway 10.1.0.1, which needs this route again"
    )


def test_loop_broken_by_a_connected_gateway():
    code = """\
/ip address
add address=10.2.0.2/16 interface=ether1
/ip route
add dst-address=10.1.0.0/16 gateway=10.2.0.1
"""
    assert codes(code) == []


def test_route_to_a_prefix_containing_its_own_gateway():
    d = only("/ip route\nadd dst-address=10.0.0.0/8 gateway=10.0.0.1\n", "ROUTE002")
    assert not any("Failover" in n for n in d.notes)


# --- ROUTE003 check-gateway-cannot-probe -----------------------------------------------


def test_check_gateway_on_an_interface_gateway():
    code = """\
/interface pppoe-client
add interface=ether1 name=pppoe-out user=a password=Xk29vq81Lmz4
/ip route
add dst-address=172.16.0.0/16 gateway=pppoe-out check-gateway=ping
"""
    d = only(code, "ROUTE003")
    assert d.message == (
        "check-gateway=ping has no address to probe on the route to 172.16.0.0/16: its gateway pppoe-out is an "
        "interface"
    )
    assert d.span.line == 4 and d.severity.label == "warning"


@pytest.mark.parametrize("probe", ["arp", "bfd", "bfd-multihop"])
def test_other_probes_on_an_interface_gateway(probe):
    gre = "/interface gre\nadd name=gre1 remote-address=203.0.113.9\n"
    assert codes(gre + f"/ip route\nadd dst-address=172.16.0.0/16 gateway=gre1 check-gateway={probe}\n") == ["ROUTE003"]


def test_check_gateway_none_on_an_interface_is_fine():
    gre = "/interface gre\nadd name=gre1 remote-address=203.0.113.9\n"
    assert codes(gre + "/ip route\nadd dst-address=172.16.0.0/16 gateway=gre1 check-gateway=none\n") == []


def test_check_gateway_set_later():
    code = "/ip route\nadd dst-address=172.16.0.0/16 gateway=ether1\nset [ find gateway=ether1 ] check-gateway=ping\n"
    d = only(code, "ROUTE003")
    assert d.span.line == 3


def test_arp_check_on_a_recursive_gateway():
    code = """\
/ip address
add address=203.0.113.2/30 interface=ether1
/ip route
add dst-address=8.8.8.8 gateway=203.0.113.1 scope=10
add check-gateway=arp gateway=8.8.8.8 target-scope=11
"""
    d = only(code, "ROUTE003")
    assert d.message == (
        "check-gateway=arp cannot probe gateway 8.8.8.8 of the default route: it is not on a connected network but "
        "resolves through the route to 8.8.8.8/32 (line 4)"
    )
    assert d.fix == "use check-gateway=ping"


def test_arp_check_over_wireguard():
    code = """\
/interface wireguard
add listen-port=13231 name=wg1
/ip address
add address=10.10.0.1/30 interface=wg1
/ip route
add dst-address=10.20.0.0/16 gateway=10.10.0.2 check-gateway=arp
"""
    d = only(code, "ROUTE003")
    assert "over wg1, and WireGuard links carry no ARP" in d.message


def test_arp_check_through_an_interface_route_is_on_the_link():
    code = """\
/ip route
add dst-address=10.0.0.0/24 gateway=ether1 scope=10
add dst-address=172.16.0.0/16 gateway=10.0.0.5 check-gateway=arp target-scope=11
"""
    # target-scope=11: the interface route's scope 10 counts as 11 (Routing Decision); the interface route
    # itself only reaches hosts on ether1's link (ROUTE009), which 10.0.0.5 is
    assert codes(code) == ["ROUTE009"]


def test_arp_check_through_a_pppoe_host_route():
    code = """\
/interface pppoe-client
add interface=ether1 name=pppoe-out user=a password=Xk29vq81Lmz4
/ip route
add dst-address=1.1.1.1 gateway=pppoe-out scope=10
add check-gateway=arp gateway=1.1.1.1 target-scope=11
"""
    d = only(code, "ROUTE003")
    assert "over pppoe-out, and PPPoE links carry no ARP" in d.message


def test_arp_and_ping_checks_on_ethernet_are_fine():
    code = """\
/ip address
add address=203.0.113.2/30 interface=ether1
/ip route
add check-gateway=arp gateway=203.0.113.1
add dst-address=8.8.8.8 gateway=203.0.113.1 scope=10
add check-gateway=ping distance=2 gateway=8.8.8.8 target-scope=11
"""
    assert "ROUTE003" not in codes(code)


# --- ROUTE004 duplicate-route ----------------------------------------------------------


def test_duplicate_static_route():
    code = """\
/ip address
add address=10.0.12.1/30 interface=ether2
/ip route
add dst-address=192.168.20.0/24 gateway=10.0.12.2
add dst-address=192.168.20.0/24 gateway=10.0.12.2
"""
    d = only(code, "ROUTE004")
    assert d.message == (
        "the route to 192.168.20.0/24 via 10.0.12.2 at distance 1 duplicates the route to 192.168.20.0/24 (line 4)"
    )
    assert d.span.line == 5
    assert codes(code) == ["ROUTE004"]  # not ECMP: the same gateway twice


def test_gateway_order_does_not_matter():
    code = """\
/ip address
add address=10.0.12.1/29 interface=ether2
/ip route
add dst-address=192.168.20.0/24 gateway=10.0.12.2,10.0.12.3
add dst-address=192.168.20.0/24 gateway=10.0.12.3,10.0.12.2
"""
    assert "ROUTE004" in codes(code)


@pytest.mark.parametrize(
    "second",
    [
        "add dst-address=192.168.20.0/24 gateway=10.0.12.2 distance=2",
        "add dst-address=192.168.20.0/24 gateway=10.0.12.2 routing-table=other",
        "add dst-address=192.168.20.0/24 gateway=10.0.12.2 disabled=yes",
        "add dst-address=192.168.21.0/24 gateway=10.0.12.2",
    ],
)
def test_not_duplicates(second):
    code = f"""\
/ip address
add address=10.0.12.1/30 interface=ether2
/ip route
add dst-address=192.168.20.0/24 gateway=10.0.12.2
{second}
"""
    assert "ROUTE004" not in codes(code)


def test_static_route_repeating_the_pppoe_default_route():
    code = """\
/interface pppoe-client
add add-default-route=yes interface=ether1 name=pppoe-out user=a password=Xk29vq81Lmz4
/ip route
add gateway=pppoe-out
"""
    d = only(code, "ROUTE004")
    assert "duplicates the default route added by PPPoE client pppoe-out (line 2)" in d.message
    assert "ROUTE005" not in codes(code)


# --- ROUTE005 ecmp-route / ROUTE006 failover-routes ---------------------------------------


def test_ecmp_in_one_route():
    code = """\
/ip address
add address=203.0.113.2/30 interface=ether1
add address=198.51.100.2/30 interface=ether2
/ip route
add gateway=203.0.113.1,198.51.100.1
"""
    d = only(code, "ROUTE005")
    assert d.severity.label == "info"
    assert d.message == (
        "ECMP: the default route is shared between 203.0.113.1 via ether1 (line 5) and 198.51.100.1 via ether2 "
        "(line 5), both at distance 1"
    )


def test_pppoe_default_route_distance_turns_ecmp_into_failover():
    code = """\
/interface pppoe-client
add add-default-route=yes interface=ether1 name=pppoe-out user=a password=Xk29vq81Lmz4
add add-default-route=yes default-route-distance=2 interface=ether2 name=pppoe-out1 user=b password=Xk29vq81Lmz4
"""
    assert codes(code) == ["ROUTE006"]
    d = only(code, "ROUTE006")
    assert d.message == (
        "failover: the default route uses pppoe-out (line 2) at distance 1, then pppoe-out1 (line 3) at distance 2"
    )


def test_dhcp_and_pppoe_default_routes():
    code = """\
/interface pppoe-client
add add-default-route=yes interface=ether1 name=pppoe-out user=a password=Xk29vq81Lmz4
/ip dhcp-client
add interface=ether2
"""
    d = only(code, "ROUTE005")
    assert "pppoe-out (line 2) and the DHCP gateway on ether2 (line 4)" in d.message


def test_three_tiers_and_ecmp_in_a_tier():
    code = """\
/ip address
add address=203.0.113.2/30 interface=ether1
add address=198.51.100.2/30 interface=ether2
add address=192.0.2.2/30 interface=ether3
/ip route
add gateway=203.0.113.1 distance=1
add gateway=198.51.100.1 distance=1
add gateway=192.0.2.1 distance=5
"""
    assert sorted(codes(code)) == ["ROUTE005", "ROUTE006"]
    d = only(code, "ROUTE006")
    assert d.message == (
        "failover: the default route uses 203.0.113.1 via ether1 (line 6) and 198.51.100.1 via ether2 (line 7) at "
        "distance 1, then 192.0.2.1 via ether3 (line 8) at distance 5"
    )
    assert any("has no check-gateway" in n for n in d.notes)


def test_unresolvable_backup_is_not_a_failover():
    code = """\
/ip address
add address=203.0.113.2/30 interface=ether1
/ip route
add gateway=203.0.113.1
add gateway=198.51.100.1 distance=2
"""
    assert codes(code) == ["ROUTE001"]


def test_disabled_backup_is_not_a_failover():
    code = """\
/interface pppoe-client
add interface=ether1 name=pppoe-out user=a password=Xk29vq81Lmz4
add interface=ether2 name=pppoe-out1 user=b password=Xk29vq81Lmz4
/ip route
add gateway=pppoe-out
add gateway=pppoe-out1 distance=2 disabled=yes
"""
    assert codes(code) == []


def test_routes_in_different_tables_are_separate():
    code = """\
/interface pppoe-client
add interface=ether1 name=pppoe-out user=a password=Xk29vq81Lmz4
add interface=ether2 name=pppoe-out1 user=b password=Xk29vq81Lmz4
/ip route
add gateway=pppoe-out
add gateway=pppoe-out1 routing-table=isp2
/routing rule
add action=lookup src-address=192.168.2.0/24 table=isp2
"""
    assert codes(code) == []


def test_ipv6_ecmp():
    code = """\
/ipv6 address
add address=2001:db8:1::1/64 interface=ether1
/ipv6 route
add dst-address=2001:db8:70::/48 gateway=2001:db8:1::2
add dst-address=2001:db8:70::/48 gateway=2001:db8:1::3
"""
    d = only(code, "ROUTE005")
    assert "the route to 2001:db8:70::/48" in d.message


# --- ROUTE007 masquerade-without-route ---------------------------------------------------


def test_masquerade_out_of_an_interface_without_routes():
    code = """\
/ip address
add address=100.64.12.2/30 interface=ether1
/ip route
add gateway=100.64.12.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether2
"""
    d = only(code, "ROUTE007")
    assert d.message == "masquerade on out-interface ether2 never applies: no route leads out of ether2"
    assert d.span.line == 6 and d.severity.label == "warning"


def test_masquerade_on_pppoe_without_default_route():
    code = """\
/interface pppoe-client
add interface=ether1 name=pppoe-out user=a password=Xk29vq81Lmz4
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out
"""
    d = only(code, "ROUTE007")
    assert d.fix.startswith("set add-default-route=yes on PPPoE client pppoe-out")


@pytest.mark.parametrize(
    "extra",
    [
        "/ip route\nadd gateway=pppoe-out",
        "/ip route\nadd dst-address=1.1.1.1 gateway=pppoe-out scope=10\nadd gateway=1.1.1.1 target-scope=11",
        "/interface pppoe-client\nset [ find name=pppoe-out ] add-default-route=yes",
        "/ip address\nadd address=100.64.0.1/30 interface=pppoe-out",
    ],
)
def test_masquerade_on_pppoe_with_a_route(extra):
    code = f"""\
/interface pppoe-client
add interface=ether1 name=pppoe-out user=a password=Xk29vq81Lmz4
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out
{extra}
"""
    assert "ROUTE007" not in codes(code)


@pytest.mark.parametrize(
    "rule",
    [
        "add action=masquerade chain=srcnat out-interface=ether1",  # DHCP client below
        "add action=masquerade chain=srcnat out-interface-list=WAN",
        "add action=masquerade chain=srcnat out-interface=ether5 disabled=yes",
        "add action=masquerade chain=srcnat out-interface=ether6",  # bridge port
        "add action=src-nat chain=srcnat out-interface=ether5 to-addresses=100.64.0.1",
    ],
)
def test_masquerade_not_reported(rule):
    code = f"""\
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether6
/interface list
add name=WAN
/ip dhcp-client
add interface=ether1
/ip firewall nat
{rule}
"""
    assert "ROUTE007" not in codes(code)


def test_masquerade_on_a_disabled_pppoe_client():
    code = """\
/interface pppoe-client
add disabled=yes interface=ether1 name=pppoe-backup user=a password=Xk29vq81Lmz4
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-backup
"""
    assert "ROUTE007" not in codes(code)


# --- scale --------------------------------------------------------------------------------


def test_large_configuration_is_fast():
    import time

    lines = ["/ip address"]
    lines += [f"add address=10.{i // 250}.{i % 250}.1/24 interface=ether{i % 8 + 1}" for i in range(2000)]
    lines.append("/ip route")
    lines += [f"add dst-address=172.{16 + i // 256 % 16}.{i % 256}.0/24 gateway=10.0.{i % 250}.2" for i in range(4000)]
    lines += [f"add dst-address=100.{i // 256}.{i % 256}.0/24 gateway=172.16.{i % 256}.9 target-scope=30"
              for i in range(2000)]
    code = "\n".join(lines) + "\n"
    start = time.perf_counter()
    findings(code)
    assert time.perf_counter() - start < 10


def test_route_whose_gateway_a_script_rewrites_is_left_out():
    # A PPP profile's on-up script sets the gateway of the routes commented ISP01 at run time.
    code = """\
/ppp profile
add name=isp01 on-up="/ip route set [find comment=\\"ISP01\\"] gateway=\\$\\"remote-address\\""
/interface pppoe-client
add add-default-route=yes interface=ether1 name=pppoe-out1 profile=isp01 user=u1 password=Xk29vq81Lmz4
/ip route
add check-gateway=ping comment=ISP01 dst-address=8.8.8.8/32 gateway=10.100.10.1 scope=10
add dst-address=10.5.0.0/16 gateway=10.9.9.9
"""
    found = findings(code)
    assert [(d.code, d.span.line) for d in found] == [("ROUTE001", 7)]
