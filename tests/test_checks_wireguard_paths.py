"""WG006-WG009: routes into the tunnel, tunnel MTU over the uplink, the
endpoint, peers without allowed-address, on whole device configurations."""

from __future__ import annotations

from lint_helpers import diags, findings, only, pointed

# Office 1 of the manual's site-to-site example, over a PPPoE uplink: its LAN 10.1.202.0/24, office 2's LAN
# 10.1.101.0/24 behind the tunnel.
SITE = """\
# 2025-02-03 16:10:00 by RouterOS 7.17
# software id = WG7Q-1AZ3
#
/interface bridge
add name=bridge-lan
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-isp use-peer-dns=yes user=office1 \\
    password="Ru8!kX3#pM6v"
/interface wireguard
add listen-port=13231 name=wg-office2
/interface list
add name=WAN
/interface bridge port
add bridge=bridge-lan interface=ether2
/interface list member
add interface=pppoe-isp list=WAN
/interface wireguard peers
add allowed-address=10.255.255.2/32,10.1.101.0/24 endpoint-address=198.51.100.80 endpoint-port=13231 \\
    interface=wg-office2 persistent-keepalive=25s public-key="yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
/ip address
add address=10.1.202.1/24 interface=bridge-lan
add address=10.255.255.1/30 interface=wg-office2
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input dst-port=13231 protocol=udp
add action=drop chain=input in-interface-list=WAN
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add dst-address=10.1.101.0/24 gateway=wg-office2
"""


def test_the_site_router_is_clean():
    assert [(d.code, d.message) for d in diags(SITE)] == []


def test_remote_lan_allowed_but_not_routed():
    text = SITE.replace("/ip route\nadd dst-address=10.1.101.0/24 gateway=wg-office2\n", "")
    d = only(text, "WG006")
    assert d.message == (
        "allowed-address 10.1.101.0/24 of the peer on wg-office2: no route sends 10.1.101.0/24 into wg-office2, so "
        "traffic for it never enters the tunnel"
    )
    assert pointed(text, d) == "10.1.101.0/24"
    assert d.fix == "add the route: `/ip route add dst-address=10.1.101.0/24 gateway=wg-office2`"


def test_route_through_the_tunnel_address_counts():
    text = SITE.replace("gateway=wg-office2\n", "gateway=10.255.255.2\n")
    assert findings(text, "WG006") == []


def test_tunnel_mtu_with_an_ipv6_endpoint_over_pppoe():
    text = SITE.replace("endpoint-address=198.51.100.80", "endpoint-address=2001:db8:80::1") + (
        "/ipv6 route\nadd gateway=pppoe-isp\n"
    )
    d = only(text, "WG007")
    assert d.message == (
        "WireGuard wg-office2 has MTU 1420 (the default): with the IPv6 endpoint 2001:db8:80::1 its packets need "
        "1500 bytes on pppoe-isp, which carries 1492 (PPPoE over a 1500-byte link)"
    )
    assert d.fix == "set mtu=1412 on wg-office2 (and the same on the other side)"
    assert findings(text.replace("name=wg-office2\n", "mtu=1412 name=wg-office2\n"), "WG007") == []


def test_ipv4_endpoint_over_pppoe_fits_the_default():
    assert findings(SITE, "WG007") == []
    big = SITE.replace("add listen-port=13231 name=wg-office2", "add listen-port=13231 mtu=1440 name=wg-office2")
    assert pointed(big, only(big, "WG007")) == "1440"


def test_endpoint_is_this_routers_address():
    text = SITE.replace("endpoint-address=198.51.100.80", "endpoint-address=10.1.202.1")
    d = only(text, "WG008")
    assert "is this router's own address on bridge-lan (line 21)" in d.message


def test_peer_with_no_allowed_address():
    text = SITE.replace("add allowed-address=10.255.255.2/32,10.1.101.0/24 endpoint-address", "add endpoint-address")
    assert "WG009" in [d.code for d in diags(text)]
