"""IF001-IF007: bridges and VLANs, PPPoE server placement, PPPoE MTU, on whole
device configurations."""

from __future__ import annotations

from lint_helpers import diags, findings, only, pointed

# A router-on-a-stick for a small office, as the Bridge VLAN Table page builds it: a trunk to the switch
# (ether2), two access ports, VLAN interfaces on the bridge for routing, management on VLAN 99.
OFFICE_VLANS = """\
# 2025-02-20 14:02:11 by RouterOS 7.17.2
# software id = PL8E-3JDK
#
/interface bridge
add name=br-lan vlan-filtering=yes
/interface vlan
add interface=br-lan name=vlan10-staff vlan-id=10
add interface=br-lan name=vlan20-guest vlan-id=20
add interface=br-lan name=vlan99-mgmt vlan-id=99
/interface list
add name=WAN
add name=LAN
/ip pool
add name=pool-staff ranges=10.0.10.100-10.0.10.200
add name=pool-guest ranges=10.0.20.100-10.0.20.200
/ip dhcp-server
add address-pool=pool-staff interface=vlan10-staff name=dhcp-staff
add address-pool=pool-guest interface=vlan20-guest name=dhcp-guest
/interface bridge port
add bridge=br-lan frame-types=admit-only-vlan-tagged interface=ether2
add bridge=br-lan interface=ether3 pvid=10
add bridge=br-lan interface=ether4 pvid=20
/interface bridge vlan
add bridge=br-lan tagged=br-lan,ether2 untagged=ether3 vlan-ids=10
add bridge=br-lan tagged=br-lan,ether2 untagged=ether4 vlan-ids=20
add bridge=br-lan tagged=br-lan,ether2 vlan-ids=99
/interface list member
add interface=ether1 list=WAN
add interface=vlan10-staff list=LAN
add interface=vlan20-guest list=LAN
add interface=vlan99-mgmt list=LAN
/ip address
add address=10.0.10.1/24 interface=vlan10-staff
add address=10.0.20.1/24 interface=vlan20-guest
add address=10.0.99.1/24 interface=vlan99-mgmt
/ip dhcp-client
add interface=ether1
/ip dhcp-server network
add address=10.0.10.0/24 dns-server=10.0.10.1 gateway=10.0.10.1
add address=10.0.20.0/24 dns-server=10.0.20.1 gateway=10.0.20.1
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=!LAN
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
"""


def if_codes(text):
    return [d.code for d in diags(text) if d.code.startswith("IF")]


def test_the_office_router_is_clean():
    assert [(d.code, d.message) for d in diags(OFFICE_VLANS)] == []


# --- IF001 vlan-on-bridge-port --------------------------------------------------------------

def test_vlan_interface_on_the_trunk_port_instead_of_the_bridge():
    text = OFFICE_VLANS.replace("add interface=br-lan name=vlan99-mgmt vlan-id=99",
                                "add interface=ether2 name=vlan99-mgmt vlan-id=99")
    d = only(text, "IF001")
    assert d.message == (
        "VLAN interface vlan99-mgmt is on ether2, which is a port of bridge br-lan: it never receives any traffic"
    )
    assert pointed(text, d) == "ether2" and d.severity.label == "error"
    assert "VLAN interface on a slave interface" in d.notes[0]


# --- IF002 vlan-interface-not-tagged-on-bridge --------------------------------------------

def test_management_vlan_without_the_bridge_in_tagged():
    text = OFFICE_VLANS.replace("add bridge=br-lan tagged=br-lan,ether2 vlan-ids=99",
                                "add bridge=br-lan tagged=ether2 vlan-ids=99")
    d = only(text, "IF002")
    assert d.message == (
        "VLAN interface vlan99-mgmt (vlan-id=99) is on bridge br-lan, which has vlan-filtering=yes, but the entry "
        "for VLAN 99 (line 26) does not list br-lan in tagged: the router receives nothing on it"
    )
    assert pointed(text, d) == "br-lan"


def test_vlan_interface_with_no_entry_at_all():
    text = OFFICE_VLANS.replace("add bridge=br-lan tagged=br-lan,ether2 vlan-ids=99\n", "")
    d = only(text, "IF002")
    assert "no entry of /interface bridge vlan carries VLAN 99" in d.message


def test_vlan_ranges_and_lists_are_understood():
    text = OFFICE_VLANS.replace(
        "add bridge=br-lan tagged=br-lan,ether2 vlan-ids=99", "add bridge=br-lan tagged=br-lan,ether2 vlan-ids=90-99"
    )
    assert if_codes(text) == []


def test_without_filtering_the_table_is_not_consulted():
    text = OFFICE_VLANS.replace("add name=br-lan vlan-filtering=yes", "add name=br-lan").replace(
        "add bridge=br-lan tagged=br-lan,ether2 vlan-ids=99", "add bridge=br-lan tagged=ether2 vlan-ids=99")
    assert if_codes(text) == ["IF003"]


# --- IF003 vlan-settings-without-filtering ------------------------------------------------

def test_vlan_table_never_switched_on():
    text = OFFICE_VLANS.replace("add name=br-lan vlan-filtering=yes", "add name=br-lan")
    d = only(text, "IF003")
    assert d.message == (
        "bridge br-lan has 3 /interface bridge vlan entries and 2 ports with a pvid, but vlan-filtering is off: "
        "none of it has any effect"
    )
    assert "PVID has no effect until VLAN filtering is enabled" in d.notes[0]
    switched = text + "/interface bridge\nset br-lan vlan-filtering=yes\n"
    assert if_codes(switched) == []


# --- IF004 access-port-alone-in-its-vlan --------------------------------------------------

def test_access_port_with_a_pvid_nothing_else_carries():
    text = OFFICE_VLANS.replace("add bridge=br-lan interface=ether4 pvid=20",
                                "add bridge=br-lan interface=ether4 pvid=20\nadd bridge=br-lan interface=ether5 pvid=30")
    d = only(text, "IF004")
    assert d.message == (
        "ether5 is an access port of VLAN 30 on bridge br-lan, but no other port, trunk or VLAN interface of the "
        "bridge carries VLAN 30: hosts on ether5 reach nothing"
    )
    assert pointed(text, d) == "30"


def test_two_access_ports_of_one_vlan_are_a_segment():
    text = OFFICE_VLANS.replace(
        "add bridge=br-lan interface=ether4 pvid=20",
        "add bridge=br-lan interface=ether4 pvid=20\nadd bridge=br-lan interface=ether5 pvid=30\n"
        "add bridge=br-lan interface=ether6 pvid=30")
    assert if_codes(text) == []


# --- IF005 / IF006: where a PPPoE server runs ----------------------------------------------

ACCESS_CONCENTRATOR = """\
# 2025-01-15 09:30:00 by RouterOS 7.16.2
/interface bridge
add name=br-customers
/interface bridge port
add bridge=br-customers interface=ether2
add bridge=br-customers interface=ether3
/ip pool
add name=pool-pppoe ranges=100.72.0.2-100.72.3.254
/ppp profile
add local-address=100.72.0.1 name=customers remote-address=pool-pppoe
/interface pppoe-server server
add default-profile=customers disabled=no interface=br-customers one-session-per-host=yes service-name=internet
/ppp secret
add name=cust1001 password="Hq7!mX2v#Lp9" profile=customers service=pppoe
/ip address
add address=198.51.100.2/30 interface=ether1
/ip route
add gateway=198.51.100.1
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface=ether1
"""


def test_the_access_concentrator_is_clean():
    assert [(d.code, d.message) for d in diags(ACCESS_CONCENTRATOR)] == []


def test_pppoe_server_on_a_bridge_port():
    text = ACCESS_CONCENTRATOR.replace("disabled=no interface=br-customers", "disabled=no interface=ether2")
    d = only(text, "IF005")
    assert d.message == (
        "the PPPoE server runs on ether2, which is a port of bridge br-customers: it never sees the clients' "
        "discovery packets"
    )
    assert d.fix == "run the server on the bridge: `interface=br-customers`"


def test_pppoe_server_interface_with_an_address():
    text = ACCESS_CONCENTRATOR + "/ip address\nadd address=192.168.77.1/24 interface=br-customers\n"
    d = only(text, "IF006")
    assert d.message == (
        "the PPPoE server on br-customers shares the interface with the address 192.168.77.1/24 (line 23)"
    )
    assert "PPPoE" in d.notes[0] and d.severity.label == "warning"


# --- IF007 pppoe-mtu-too-large ---------------------------------------------------------------

def test_pppoe_client_mtu_of_the_ethernet_link():
    text = """\
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 max-mru=1500 max-mtu=1500 name=pppoe-isp user=home42 \\
    password="Zp4!kQ8#mW2r"
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface=pppoe-isp
"""
    found = findings(text, "IF007")
    assert [pointed(text, d) for d in found] == ["1500", "1500"]
    assert found[0].message.startswith("max-mru=1500 on the PPPoE client pppoe-isp is larger than ether1 can carry")
    assert "1492" in found[0].notes[0]
    baby_jumbo = text.replace("/interface pppoe-client", "/interface ethernet\nset [ find default-name=ether1 ] mtu=1508\n/interface pppoe-client")
    assert findings(baby_jumbo, "IF007") == []


# --- IF008 mtu-above-l2mtu ---------------------------------------------------------------------

def test_jumbo_vlan_on_a_port_with_the_default_l2mtu():
    text = OFFICE_VLANS.replace("/interface vlan\n",
                                "/interface ethernet\nset [ find default-name=ether6 ] l2mtu=1598\n/interface vlan\n"
                                "add interface=ether6 mtu=9000 name=vlan30-storage vlan-id=30\n", 1)
    d = only(text, "IF008")
    assert d.message == (
        "mtu=9000 on vlan30-storage is larger than the l2mtu=1598 of ether6 minus the 4-byte VLAN tag allows (1594): "
        "RouterOS refuses it"
    )
    assert findings(text.replace("l2mtu=1598", "l2mtu=9018"), "IF008") == []


def test_mtu_above_the_interfaces_own_l2mtu():
    text = OFFICE_VLANS.replace("/interface vlan\n",
                                "/interface ethernet\nset [ find default-name=ether7 ] l2mtu=1600 mtu=9000\n/interface vlan\n", 1)
    assert pointed(text, only(text, "IF008")) == "9000"
