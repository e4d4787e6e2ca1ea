"""DHCP001-DHCP006 on whole device configurations."""

from __future__ import annotations

from lint_helpers import diags, only, pointed

# A home/small-office router as /export writes it: DHCP client uplink, LAN bridge with a DHCP server that hands
# out the router as DNS, a printer with a static lease.
HOME = """\
# 2025-06-01 10:00:00 by RouterOS 7.19.1
# software id = 9VNB-2KXA
#
/interface bridge
add name=bridge-lan
/interface list
add name=WAN
add name=LAN
/ip pool
add name=pool-lan ranges=192.168.50.100-192.168.50.199
/ip dhcp-server
add address-pool=pool-lan interface=bridge-lan lease-time=8h name=dhcp-lan
/interface bridge port
add bridge=bridge-lan interface=ether2
add bridge=bridge-lan interface=ether3
/interface list member
add interface=ether1 list=WAN
add interface=bridge-lan list=LAN
/ip address
add address=192.168.50.1/24 interface=bridge-lan network=192.168.50.0
/ip dhcp-client
add interface=ether1
/ip dhcp-server lease
add address=192.168.50.20 comment=printer mac-address=00:1B:A9:4C:22:10 server=dhcp-lan
/ip dhcp-server network
add address=192.168.50.0/24 dns-server=192.168.50.1 gateway=192.168.50.1
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=WAN
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
"""


def dhcp_codes(text):
    return [d.code for d in diags(text) if d.code.startswith("DHCP")]


def test_the_home_router_is_clean():
    assert [(d.code, d.message) for d in diags(HOME)] == []


# --- DHCP001 dns-server-router-not-answering --------------------------------------------------

def test_router_handed_out_as_dns_without_remote_requests():
    text = HOME.replace("/ip dns\nset allow-remote-requests=yes\n", "/ip dns\nset servers=9.9.9.9\n")
    d = only(text, "DHCP001")
    assert d.message == (
        "DHCP network 192.168.50.0/24 hands out 192.168.50.1 (this router, on bridge-lan) as DNS server, but "
        "/ip dns has allow-remote-requests=no: the clients' DNS queries are refused"
    )
    assert pointed(text, d) == "192.168.50.1" and d.severity.label == "error"


def test_an_export_without_dns_settings_has_the_default():
    assert dhcp_codes(HOME.replace("/ip dns\nset allow-remote-requests=yes\n", "")) == ["DHCP001"]


def test_a_script_that_never_touches_dns_relies_on_the_router():
    script = HOME.replace("# 2025-06-01 10:00:00 by RouterOS 7.19.1\n", "").replace(
        "/ip dns\nset allow-remote-requests=yes\n", "")
    assert dhcp_codes(script) == []


def test_empty_dns_server_hands_out_the_routers_own_servers():
    text = HOME.replace("dns-server=192.168.50.1 ", "").replace("/ip dns\nset allow-remote-requests=yes\n", "")
    assert dhcp_codes(text) == []


# --- DHCP002 router-dns-without-upstream ----------------------------------------------------

def test_resolver_with_nothing_to_ask():
    text = HOME.replace("/ip dhcp-client\nadd interface=ether1\n", "/ip dhcp-client\nadd interface=ether1 use-peer-dns=no\n")
    d = only(text, "DHCP002")
    assert "the router has no DNS server to resolve through" in d.message
    fixed = text.replace("set allow-remote-requests=yes", "set allow-remote-requests=yes servers=1.1.1.1,9.9.9.9")
    assert dhcp_codes(fixed) == []


def test_pppoe_uplink_brings_its_servers_only_with_use_peer_dns():
    pppoe = HOME.replace(
        "/ip dhcp-client\nadd interface=ether1\n",
        "/interface pppoe-client\nadd add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=u1 "
        "password=\"Zk3!q8LmP2w#\"\n",
    ).replace("add interface=ether1 list=WAN", "add interface=pppoe-out1 list=WAN")
    assert dhcp_codes(pppoe) == ["DHCP002"]  # use-peer-dns defaults to no on PPPoE clients
    assert dhcp_codes(pppoe.replace("name=pppoe-out1 user=u1", "name=pppoe-out1 use-peer-dns=yes user=u1")) == []


# --- DHCP003 static-lease-outside-server-network ---------------------------------------------

def test_static_lease_from_the_old_subnet():
    text = HOME.replace("add address=192.168.50.20 comment=printer", "add address=192.168.88.20 comment=printer")
    d = only(text, "DHCP003")
    assert d.message == (
        "static lease 192.168.88.20 for 00:1B:A9:4C:22:10 is outside the network of server dhcp-lan (192.168.50.0/24)"
    )
    assert pointed(text, d) == "192.168.88.20"


def test_lease_for_all_servers_is_checked_against_every_network():
    text = HOME.replace("server=dhcp-lan", "server=all")
    assert dhcp_codes(text) == []
    assert dhcp_codes(text.replace("add address=192.168.50.20", "add address=10.9.9.9")) == ["DHCP003"]


# --- DHCP004 two-dhcp-servers-on-one-interface ------------------------------------------------

def test_second_server_for_a_second_subnet_on_the_same_bridge():
    text = HOME.replace(
        "add address-pool=pool-lan interface=bridge-lan lease-time=8h name=dhcp-lan\n",
        "add address-pool=pool-lan interface=bridge-lan lease-time=8h name=dhcp-lan\n"
        "add address-pool=pool-iot interface=bridge-lan name=dhcp-iot\n",
    ).replace("add name=pool-lan ranges=192.168.50.100-192.168.50.199\n",
              "add name=pool-lan ranges=192.168.50.100-192.168.50.199\nadd name=pool-iot ranges=192.168.51.100-192.168.51.199\n"
    ).replace("add address=192.168.50.1/24 interface=bridge-lan network=192.168.50.0\n",
              "add address=192.168.50.1/24 interface=bridge-lan network=192.168.50.0\n"
              "add address=192.168.51.1/24 interface=bridge-lan network=192.168.51.0\n"
    ).replace("add address=192.168.50.0/24 dns-server=192.168.50.1 gateway=192.168.50.1\n",
              "add address=192.168.50.0/24 dns-server=192.168.50.1 gateway=192.168.50.1\n"
              "add address=192.168.51.0/24 dns-server=192.168.51.1 gateway=192.168.51.1\n")
    d = only(text, "DHCP004")
    assert d.message == (
        "DHCP server dhcp-iot is on bridge-lan, like DHCP server dhcp-lan (line 13): RouterOS runs one server per "
        "interface"
    )


def test_relayed_servers_may_share_an_interface():
    text = HOME.replace(
        "add address-pool=pool-lan interface=bridge-lan lease-time=8h name=dhcp-lan\n",
        "add address-pool=pool-lan interface=bridge-lan lease-time=8h name=dhcp-lan\n"
        "add address-pool=pool-lan interface=bridge-lan name=dhcp-remote relay=10.20.0.1\n",
    )
    assert "DHCP004" not in dhcp_codes(text)


# --- DHCP005 static-only-server-without-leases ------------------------------------------------

def test_server_without_pool_and_without_leases():
    text = HOME.replace("add address-pool=pool-lan interface=bridge-lan", "add interface=bridge-lan").replace(
        "/ip dhcp-server lease\nadd address=192.168.50.20 comment=printer mac-address=00:1B:A9:4C:22:10 server=dhcp-lan\n", "")
    d = only(text, "DHCP005")
    assert "leases only static leases (address-pool=static-only), and none is defined" in d.message
    assert "DHCP005" not in dhcp_codes(HOME.replace("add address-pool=pool-lan interface=bridge-lan", "add interface=bridge-lan"))


# --- DHCP006 dhcp-server-on-uplink -------------------------------------------------------------

def test_dhcp_server_on_the_dhcp_client_port():
    text = HOME.replace("add address-pool=pool-lan interface=bridge-lan lease-time=8h name=dhcp-lan",
                        "add address-pool=pool-lan interface=bridge-lan lease-time=8h name=dhcp-lan\n"
                        "add address-pool=pool-lan interface=ether1 name=dhcp-wan")
    d = only(text, "DHCP006")
    assert d.message == "DHCP server dhcp-wan runs on ether1, where this router is itself a DHCP client (line 23)"


# --- DHCP007 dhcp-network-without-gateway ------------------------------------------------------

def test_dhcp_network_without_gateway():
    text = HOME.replace("add address=192.168.50.0/24 dns-server=192.168.50.1 gateway=192.168.50.1",
                        "add address=192.168.50.0/24 dns-server=192.168.50.1")
    d = only(text, "DHCP007")
    assert d.message == "DHCP network 192.168.50.0/24 hands out no gateway: its clients get an address and no default router"
    assert pointed(text, d) == "192.168.50.0/24"


def test_network_no_server_serves_is_not_judged():
    text = HOME + "/ip dhcp-server network\nadd address=10.99.0.0/24\n"
    assert "DHCP007" not in dhcp_codes(text)
