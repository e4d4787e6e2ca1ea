"""IP6001-IP6003 on whole device configurations."""

from __future__ import annotations

from lint_helpers import diags, only, pointed

# A home router with native IPv6: a DHCPv6 client that gets a /56 delegated, the LAN's /64 from it, SLAAC.
HOME6 = """\
# 2025-07-07 19:30:00 by RouterOS 7.19.3
# software id = HX2M-7QPA
#
/interface bridge
add name=bridge-lan
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge-lan interface=ether2
add bridge=bridge-lan interface=ether3
/interface list member
add interface=ether1 list=WAN
add interface=bridge-lan list=LAN
/ip address
add address=192.168.60.1/24 interface=bridge-lan
/ip dhcp-client
add interface=ether1
/ipv6 address
add address=::1 from-pool=isp-pd interface=bridge-lan
/ipv6 dhcp-client
add add-default-route=no interface=ether1 pool-name=isp-pd pool-prefix-length=64 request=address,prefix
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=WAN
/ipv6 firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input protocol=icmpv6
add action=accept chain=input dst-port=546 protocol=udp src-address=fe80::/10
add action=drop chain=input in-interface-list=WAN
/ipv6 route
add gateway=fe80::1%ether1
"""


def v6_codes(text):
    return [d.code for d in diags(text) if d.code.startswith("IP6")]


def test_the_home_router_is_clean():
    assert [(d.code, d.message) for d in diags(HOME6)] == []


# --- IP6001 lan-prefix-not-advertised ----------------------------------------------------------

STATIC_LAN = HOME6.replace("add address=::1 from-pool=isp-pd interface=bridge-lan",
                           "add address=2001:db8:60::1/64 interface=bridge-lan")


def test_lan_address_with_advertise_no():
    text = STATIC_LAN.replace("add address=2001:db8:60::1/64 interface=bridge-lan",
                              "add address=2001:db8:60::1/64 advertise=no interface=bridge-lan")
    d = only(text, "IP6001")
    assert d.message == (
        "the LAN address 2001:db8:60::1/64 on bridge-lan has advertise=no: hosts there never learn the prefix "
        "2001:db8:60::/64 and get no IPv6 address from it"
    )
    assert pointed(text, d) == "no"


def test_stateful_dhcpv6_hands_out_addresses_instead():
    text = STATIC_LAN.replace("add address=2001:db8:60::1/64 interface=bridge-lan",
                              "add address=2001:db8:60::1/64 advertise=no interface=bridge-lan") + (
        "/ipv6 pool\nadd name=lan6 prefix=2001:db8:60::/64 prefix-length=128\n"
        "/ipv6 dhcp-server\nadd address-pool=lan6 interface=bridge-lan name=lan6\n")
    assert v6_codes(text) == []


def test_router_advertisements_disabled():
    text = STATIC_LAN + "/ipv6 nd\nset [ find default=yes ] disabled=yes\n"
    d = only(text, "IP6001")
    assert d.message.startswith("router advertisements are off on bridge-lan: hosts there never learn the prefix")
    assert v6_codes(text + "add interface=bridge-lan\n") == []


def test_router_advertisements_moved_to_the_uplink():
    text = STATIC_LAN + "/ipv6 nd\nset [ find default=yes ] interface=ether1 ra-lifetime=none\n"
    assert v6_codes(text) == ["IP6001"]


def test_wan_and_point_to_point_links_need_no_advertisement():
    text = STATIC_LAN + "/ipv6 address\nadd address=2001:db8:ff::2/64 advertise=no interface=ether1\n"
    assert v6_codes(text) == []


# --- IP6002 from-pool-never-filled -------------------------------------------------------------

def test_from_pool_with_a_typo():
    text = HOME6.replace("from-pool=isp-pd", "from-pool=isp_pd")
    d = only(text, "IP6002")
    assert d.message == (
        "from-pool=isp_pd: no /ipv6 pool and no DHCPv6 client (pool-name=isp_pd) provides this pool, so the address "
        "is never added"
    )


def test_dhcpv6_client_that_asks_for_no_prefix():
    text = HOME6.replace("request=address,prefix", "request=address")
    d = only(text, "IP6002")
    assert "fills pool isp-pd only when it requests a prefix, and it has request=address" in d.message


def test_a_script_without_pools_relies_on_the_router():
    script = "/ipv6 address\nadd address=::1 from-pool=isp-pd interface=bridge-lan\n"
    assert v6_codes(script) == []


# --- IP6003 link-local-gateway-without-interface --------------------------------------------------

def test_link_local_gateway_needs_its_interface():
    text = HOME6.replace("add gateway=fe80::1%ether1", "add gateway=fe80::1")
    d = only(text, "IP6003")
    assert pointed(text, d) == "fe80::1"
    assert "fe80::1:1%to-ISP" in d.notes[0]
