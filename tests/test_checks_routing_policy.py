"""ROUTE011-ROUTE013: routing intent (a static default beside a client's,
a backup at the primary's distance, routing tables used on one side only), on
whole device configurations."""

from __future__ import annotations

from lint_helpers import diags, findings, only, pointed

# A branch router with two uplinks: fibre with a static address (ether1) and a PPPoE backup over DSL (ether2);
# the LAN on a bridge; the guest network sent out of the DSL line by policy routing.
DUAL_WAN = """\
# 2025-05-14 18:03:10 by RouterOS 7.18.2
# software id = Q2WE-88RT
#
/interface bridge
add name=bridge-lan
/interface vlan
add interface=bridge-lan name=vlan-guest vlan-id=30
/interface pppoe-client
add add-default-route=yes default-route-distance=2 disabled=no interface=ether2 name=pppoe-dsl \\
    user=branch7@dsl.example password=Tq4!rW9zLm2e
/interface list
add name=WAN
add name=LAN
/routing table
add fib name=via-dsl
/ip pool
add name=pool-lan ranges=192.168.70.100-192.168.70.200
add name=pool-guest ranges=192.168.71.100-192.168.71.200
/ip dhcp-server
add address-pool=pool-lan interface=bridge-lan name=dhcp-lan
add address-pool=pool-guest interface=vlan-guest name=dhcp-guest
/interface bridge port
add bridge=bridge-lan interface=ether3
add bridge=bridge-lan interface=ether4
/interface list member
add interface=ether1 list=WAN
add interface=pppoe-dsl list=WAN
add interface=bridge-lan list=LAN
add interface=vlan-guest list=LAN
/ip address
add address=203.0.113.34/29 interface=ether1 network=203.0.113.32
add address=192.168.70.1/24 interface=bridge-lan network=192.168.70.0
add address=192.168.71.1/24 interface=vlan-guest network=192.168.71.0
/ip dhcp-server network
add address=192.168.70.0/24 dns-server=192.168.70.1 gateway=192.168.70.1
add address=192.168.71.0/24 dns-server=192.168.71.1 gateway=192.168.71.1
/ip dns
set allow-remote-requests=yes servers=1.1.1.1,9.9.9.9
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=WAN
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall mangle
add action=mark-routing chain=prerouting in-interface=vlan-guest new-routing-mark=via-dsl passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add check-gateway=ping comment="fibre primary" distance=1 dst-address=0.0.0.0/0 gateway=203.0.113.33
add dst-address=0.0.0.0/0 gateway=pppoe-dsl routing-table=via-dsl
/system identity
set name=branch7
"""


def route_codes(text: str) -> list[str]:
    return [d.code for d in diags(text) if d.code.startswith("ROUTE")]


def test_the_branch_router_is_only_described():
    assert [d.code for d in diags(DUAL_WAN)] == ["ROUTE006"]  # fibre first, DSL at distance 2


# --- ROUTE011 static-default-beside-dynamic-default ------------------------------------------

def test_pppoe_backup_left_at_the_default_distance():
    text = DUAL_WAN.replace("add add-default-route=yes default-route-distance=2 disabled=no",
                            "add add-default-route=yes disabled=no")
    d = only(text, "ROUTE011")
    assert d.message == (
        "the default route via 203.0.113.33 has distance 1, the same as the default route added by PPPoE client "
        "pppoe-dsl (line 9)"
    )
    assert pointed(text, d) == "1" and d.severity.label == "warning"
    assert "Route Selection" in d.notes[0]
    assert route_codes(text) == ["ROUTE011"]  # not also reported as ECMP


def test_defconf_dhcp_client_left_on_the_static_uplink():
    text = DUAL_WAN + "/ip dhcp-client\nadd comment=defconf interface=ether1\n"
    d = only(text, "ROUTE011")
    assert "the DHCP client on ether1" in d.message


def test_same_gateway_twice_is_the_duplicate_rule():
    text = DUAL_WAN.replace("add add-default-route=yes default-route-distance=2 disabled=no",
                            "add add-default-route=yes disabled=no").replace(
        "add check-gateway=ping comment=\"fibre primary\" distance=1 dst-address=0.0.0.0/0 gateway=203.0.113.33",
        "add dst-address=0.0.0.0/0 gateway=pppoe-dsl")
    assert "ROUTE011" not in route_codes(text) and "ROUTE004" in route_codes(text)


# --- ROUTE012 backup-at-equal-distance ---------------------------------------------------------

def test_route_commented_backup_at_distance_1():
    text = DUAL_WAN.replace(
        "add dst-address=0.0.0.0/0 gateway=pppoe-dsl routing-table=via-dsl\n",
        "add dst-address=0.0.0.0/0 gateway=pppoe-dsl routing-table=via-dsl\n"
        "add comment=\"backup via DSL\" distance=1 dst-address=0.0.0.0/0 gateway=pppoe-dsl\n",
    ).replace("add-default-route=yes default-route-distance=2", "add-default-route=no")
    d = only(text, "ROUTE012")
    assert d.message == (
        "the default route ('backup via DSL') says 'backup' but has distance 1, the same as the default route "
        "(line 49): it is used at the same time, not as a backup"
    )
    assert d.fix == "set distance=2 on the default route" and pointed(text, d) == "1"
    assert route_codes(text) == ["ROUTE012"]


def test_backup_pppoe_client_at_the_primarys_distance():
    text = DUAL_WAN.replace("name=pppoe-dsl", "name=pppoe-backup").replace("gateway=pppoe-dsl", "gateway=pppoe-backup") \
        .replace("interface=pppoe-dsl", "interface=pppoe-backup").replace("default-route-distance=2", "default-route-distance=1")
    d = only(text, "ROUTE012")
    assert d.message.startswith("the default route added by PPPoE client pppoe-backup says 'backup' but has distance 1")
    assert d.fix == "set default-route-distance=2 on the client"
    assert "ROUTE011" not in route_codes(text)


def test_spanish_comment():
    text = DUAL_WAN.replace("default-route-distance=2", "default-route-distance=1").replace(
        "add add-default-route=yes", "add add-default-route=yes comment=\"WAN respaldo\"")
    assert "ROUTE012" in route_codes(text)


def test_backup_word_inside_another_word_is_not_a_backup():
    text = DUAL_WAN.replace("default-route-distance=2", "default-route-distance=1").replace(
        "add add-default-route=yes", "add add-default-route=yes comment=\"backupserver link\"")
    assert "ROUTE012" not in route_codes(text) and "ROUTE011" in route_codes(text)


# --- ROUTE013 routing-table-one-side ---------------------------------------------------------------

def test_mark_for_a_table_with_a_typo():
    text = DUAL_WAN.replace("new-routing-mark=via-dsl", "new-routing-mark=via_dsl")
    found = findings(text, "ROUTE013")
    assert [d.message for d in found] == [
        "new-routing-mark=via_dsl: no route of this file is in routing table via_dsl",
        "routing table via-dsl holds 1 route, but no mangle rule marks traffic for it and no routing rule looks it "
        "up: it is never used",
    ]
    assert pointed(text, found[0]) == "via_dsl" and pointed(text, found[1]) == "via-dsl"


def test_routing_rule_instead_of_mangle():
    text = DUAL_WAN.replace(
        "add action=mark-routing chain=prerouting in-interface=vlan-guest new-routing-mark=via-dsl passthrough=no\n",
        "add action=accept chain=prerouting in-interface=vlan-guest\n",
    )
    assert [d.code for d in findings(text, "ROUTE013")] == ["ROUTE013"]
    text += "/routing rule\nadd action=lookup src-address=192.168.71.0/24 table=via-dsl\n"
    assert findings(text, "ROUTE013") == []


def test_table_filled_by_ospf_counts_as_holding_routes():
    text = DUAL_WAN.replace("add dst-address=0.0.0.0/0 gateway=pppoe-dsl routing-table=via-dsl\n", "") + (
        "/routing ospf instance\nadd name=core routing-table=via-dsl router-id=192.168.70.1\n"
    )
    assert findings(text, "ROUTE013") == []


def test_marks_set_by_a_script_are_not_guessed():
    text = DUAL_WAN.replace(
        "add action=mark-routing chain=prerouting in-interface=vlan-guest new-routing-mark=via-dsl passthrough=no\n",
        "",
    ) + '/system script\nadd name=steer source="/ip firewall mangle add action=mark-routing chain=prerouting ' \
        'new-routing-mark=via-dsl"\n'
    assert findings(text, "ROUTE013") == []


def test_routes_with_a_computed_gateway_still_fill_their_table():
    text = ':global dslgw 100.64.0.1\n' + DUAL_WAN.replace(
        "add dst-address=0.0.0.0/0 gateway=pppoe-dsl routing-table=via-dsl",
        "add dst-address=0.0.0.0/0 gateway=$dslgw routing-table=via-dsl",
    )
    assert findings(text, "ROUTE013") == []
