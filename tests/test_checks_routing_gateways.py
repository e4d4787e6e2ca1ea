"""ROUTE008-ROUTE010: what a gateway is (a disabled interface, an Ethernet-like
interface for far destinations, the router's own address), on whole device
configurations."""

from __future__ import annotations

from lint_helpers import diags, findings, only, pointed

# A small office router as /export writes it: a WAN port with a static address from the provider, a LAN
# bridge with DHCP, a second site reached over a WireGuard tunnel, an input filter.
OFFICE = """\
# 2025-03-02 09:12:44 by RouterOS 7.16.2
# software id = 7XQK-R2LM
#
/interface bridge
add name=bridge-lan
/interface ethernet
set [ find default-name=ether1 ] comment=WAN
/interface wireguard
add listen-port=13231 name=wg-site2
/interface list
add name=WAN
add name=LAN
/ip pool
add name=pool-lan ranges=192.168.40.100-192.168.40.199
/ip dhcp-server
add address-pool=pool-lan interface=bridge-lan name=dhcp-lan
/interface bridge port
add bridge=bridge-lan interface=ether2
add bridge=bridge-lan interface=ether3
/interface list member
add interface=ether1 list=WAN
add interface=bridge-lan list=LAN
/interface wireguard peers
add allowed-address=10.99.0.2/32,192.168.50.0/24 endpoint-address=203.0.113.77 endpoint-port=13231 \\
    interface=wg-site2 persistent-keepalive=25s public-key="yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
/ip address
add address=198.51.100.10/29 interface=ether1 network=198.51.100.8
add address=192.168.40.1/24 interface=bridge-lan network=192.168.40.0
add address=10.99.0.1/30 interface=wg-site2 network=10.99.0.0
/ip dhcp-server network
add address=192.168.40.0/24 dns-server=192.168.40.1 gateway=192.168.40.1
/ip dns
set allow-remote-requests=yes servers=9.9.9.9
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input dst-port=13231 protocol=udp
add action=drop chain=input in-interface-list=!LAN
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add dst-address=0.0.0.0/0 gateway=198.51.100.9
add dst-address=192.168.50.0/24 gateway=10.99.0.2
/system identity
set name=office-gw
"""


def routing(text: str) -> list[str]:
    return [d.code for d in diags(text) if d.code.startswith("ROUTE")]


def test_the_office_router_is_clean():
    assert [(d.code, d.message) for d in diags(OFFICE)] == []


# --- ROUTE008 gateway-interface-disabled ---------------------------------------------------

def test_gateway_through_a_disabled_tunnel():
    text = OFFICE.replace("add listen-port=13231 name=wg-site2", "add disabled=yes listen-port=13231 name=wg-site2")
    d = only(text, "ROUTE008")
    assert d.message == (
        "gateway 10.99.0.2 of the route to 192.168.50.0/24 is in 10.99.0.0/30 of wg-site2, but wg-site2 is "
        "disabled: there is no connected route to reach it"
    )
    assert pointed(text, d) == "10.99.0.2" and d.severity.label == "warning"
    assert "Connected Networks" in d.notes[0]
    assert routing(text) == ["ROUTE008"]  # not also an unresolvable gateway


def test_gateway_through_a_vlan_of_a_disabled_port():
    text = OFFICE.replace(
        "/interface wireguard\n", "/interface vlan\nadd interface=ether4 name=vlan-isp2 vlan-id=835\n/interface wireguard\n"
    ).replace(
        "set [ find default-name=ether1 ] comment=WAN\n",
        "set [ find default-name=ether1 ] comment=WAN\nset [ find default-name=ether4 ] disabled=yes\n",
    ).replace(
        "add address=10.99.0.1/30", "add address=100.64.12.2/30 interface=vlan-isp2\nadd address=10.99.0.1/30"
    ).replace("add dst-address=0.0.0.0/0 gateway=198.51.100.9\n",
              "add dst-address=0.0.0.0/0 gateway=198.51.100.9\nadd distance=2 gateway=100.64.12.1\n")
    d = only(text, "ROUTE008")
    assert "100.64.12.0/30 of vlan-isp2, but vlan-isp2 runs on ether4, which is disabled" in d.message


def test_interface_gateway_that_is_disabled():
    text = OFFICE.replace(
        "/interface wireguard\n",
        "/interface pppoe-client\nadd disabled=no interface=ether4 name=pppoe-backup user=office password=Wq8!mZ2v\n"
        "/interface wireguard\n",
    ).replace("add dst-address=0.0.0.0/0 gateway=198.51.100.9\n",
              "add dst-address=0.0.0.0/0 gateway=198.51.100.9\nadd distance=2 gateway=pppoe-backup\n")
    assert routing(text) == ["ROUTE006"]
    down = text + "/interface ethernet\nset [ find default-name=ether4 ] disabled=yes\n"
    d = only(down, "ROUTE008")
    assert d.message == "gateway pppoe-backup of the default route cannot be used: pppoe-backup runs on ether4, which is disabled"


def test_disabled_address_is_not_this_rule():
    text = OFFICE.replace("add address=10.99.0.1/30 interface=wg-site2", "add address=10.99.0.1/30 disabled=yes interface=wg-site2")
    assert routing(text) == ["ROUTE001"]


# --- ROUTE009 interface-gateway-not-point-to-point ------------------------------------------

def test_default_route_through_the_ethernet_port():
    text = OFFICE.replace("add dst-address=0.0.0.0/0 gateway=198.51.100.9", "add dst-address=0.0.0.0/0 gateway=ether1")
    d = only(text, "ROUTE009")
    assert d.message == (
        "gateway=ether1 on the default route: ether1 is an Ethernet port, not a point-to-point link, so RouterOS "
        "sends every packet to its destination address on that link and nothing beyond the link is reached"
    )
    assert pointed(text, d) == "ether1"
    assert "Routing Decision" in d.notes[0]
    assert d.fix == "use the next hop's address as gateway, an address in 198.51.100.8/29 (or gateway=ADDRESS%ether1)"


def test_dual_wan_on_dhcp_ports_with_interface_gateways():
    text = """\
/ip dhcp-client
add add-default-route=no interface=ether1
add add-default-route=no interface=ether2
/ip route
add check-gateway=ping comment="Primary WAN" distance=1 dst-address=0.0.0.0/0 gateway=ether1
add check-gateway=ping comment="Backup WAN" distance=2 dst-address=0.0.0.0/0 gateway=ether2
"""
    found = findings(text, "ROUTE009")
    assert [d.span.line for d in found] == [5, 6]
    assert "let it add the default route (add-default-route=yes)" in found[0].fix
    assert "ROUTE003" in [d.code for d in diags(text)]  # and check-gateway has nothing to probe


def test_route_to_a_network_on_the_link_is_fine():
    text = OFFICE.replace("add dst-address=192.168.50.0/24 gateway=10.99.0.2",
                          "add dst-address=192.168.40.128/25 gateway=bridge-lan")
    assert routing(text) == []


def test_route_to_another_subnet_through_a_bridge():
    text = OFFICE.replace("add dst-address=192.168.50.0/24 gateway=10.99.0.2",
                          "add dst-address=192.168.41.0/24 gateway=bridge-lan")
    d = only(text, "ROUTE009")
    assert "bridge-lan is a bridge" in d.message and "only reaches hosts of 192.168.41.0/24" in d.message


def test_point_to_point_interfaces_are_fine_as_gateways():
    text = OFFICE.replace("add dst-address=192.168.50.0/24 gateway=10.99.0.2",
                          "add dst-address=192.168.50.0/24 gateway=wg-site2")
    assert routing(text) == []


# --- ROUTE010 gateway-is-own-address --------------------------------------------------------

def test_gateway_is_the_routers_own_lan_address():
    text = OFFICE.replace("add dst-address=192.168.50.0/24 gateway=10.99.0.2",
                          "add dst-address=192.168.50.0/24 gateway=192.168.40.1")
    d = only(text, "ROUTE010")
    assert d.message == (
        "gateway 192.168.40.1 of the route to 192.168.50.0/24 is this router's own address on bridge-lan (line 28)"
    )
    assert d.severity.label == "error" and pointed(text, d) == "192.168.40.1"
    assert d.fix == "use the address of the next router on 192.168.40.0/24 as gateway"


def test_own_wan_address_as_default_gateway():
    text = OFFICE.replace("add dst-address=0.0.0.0/0 gateway=198.51.100.9", "add dst-address=0.0.0.0/0 gateway=198.51.100.10")
    assert "ROUTE010" in routing(text)
