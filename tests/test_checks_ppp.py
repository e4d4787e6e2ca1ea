"""PPP001-PPP003 on whole device configurations (the sessions between devices
are the lab's: tests/test_lab_sessions.py)."""

from __future__ import annotations

from lint_helpers import diags, findings, only, pointed

# A small VPN concentrator: road warriors over L2TP/IPsec and SSTP, two branch offices with fixed addresses.
VPN = """\
# 2025-03-11 07:45:00 by RouterOS 7.18
# software id = 2HD8-WQ3N
#
/ip pool
add name=pool-vpn ranges=10.77.0.100-10.77.0.199
/ppp profile
add local-address=10.77.0.1 name=vpn remote-address=pool-vpn use-encryption=required
/interface l2tp-server server
set default-profile=vpn enabled=yes use-ipsec=required ipsec-secret="Jw4!nB7#qLz2"
/interface sstp-server server
set default-profile=vpn enabled=yes
/ip address
add address=203.0.113.20/29 interface=ether1
add address=192.168.1.1/24 interface=ether2
/ip route
add gateway=203.0.113.17
/ppp secret
add name=anna password="Vm8#kT2!pQ5w" profile=vpn service=l2tp
add name=bert password="Lq3!zN8#wR6t" profile=vpn service=sstp
add local-address=10.77.0.1 name=branch-a password="Xc5#hP9!mK2d" profile=vpn remote-address=10.77.0.11 service=l2tp
add local-address=10.77.0.1 name=branch-b password="Gt7!wQ3#nV8s" profile=vpn remote-address=10.77.0.12 service=l2tp
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input dst-port=500,1701,4500 protocol=udp
add action=accept chain=input dst-port=443 protocol=tcp
add action=accept chain=input protocol=ipsec-esp
add action=drop chain=input in-interface=ether1
"""


def test_the_vpn_concentrator_is_clean():
    assert [(d.code, d.message) for d in diags(VPN)] == []


def test_secret_for_a_server_that_is_not_running():
    text = VPN.replace("add name=bert password=\"Lq3!zN8#wR6t\" profile=vpn service=sstp",
                       "add name=bert password=\"Lq3!zN8#wR6t\" profile=vpn service=pptp")
    d = only(text, "PPP001")
    assert d.message == (
        "PPP secret bert is limited to service=pptp, but this router runs no pptp server (it runs l2tp, sstp): "
        "nobody can log in with it"
    )
    assert pointed(text, d) == "pptp"


def test_a_server_disabled_in_the_export():
    text = VPN.replace("set default-profile=vpn enabled=yes\n", "set default-profile=vpn enabled=no\n")
    assert [d.code for d in diags(text)] == ["PPP001"]


def test_a_script_relies_on_the_servers_it_does_not_set():
    script = ("/interface l2tp-server server\nset enabled=yes\n"
              "/ppp secret\nadd name=x password=\"Ab3!cd4#Ef5g\" service=sstp\n")
    assert findings(script, "PPP001") == []


def test_two_branches_with_the_same_fixed_address():
    text = VPN.replace("remote-address=10.77.0.12", "remote-address=10.77.0.11")
    d = only(text, "PPP002")
    assert d.message == (
        "PPP secret branch-b gets remote-address 10.77.0.11 (from the secret), like secret branch-a (line 20, from "
        "the secret): both sessions cannot be up at once"
    )
    assert pointed(text, d) == "10.77.0.11"


def test_a_fixed_address_in_a_shared_profile():
    text = VPN.replace("add local-address=10.77.0.1 name=vpn remote-address=pool-vpn",
                       "add local-address=10.77.0.1 name=vpn remote-address=10.77.0.50")
    found = findings(text, "PPP002")
    assert [d.message.split(" (from")[0] for d in found][:1] == ["PPP secret bert gets remote-address 10.77.0.50"]
    assert any("a single address always wins over a pool" in n for n in found[0].notes)


def test_remote_address_is_the_routers_lan_address():
    text = VPN.replace("remote-address=10.77.0.12", "remote-address=192.168.1.1")
    d = only(text, "PPP003")
    assert d.message == (
        "PPP secret branch-b hands out 192.168.1.1 as remote-address, but it is this router's own address on ether2 "
        "(line 14)"
    )


def test_remote_address_equal_to_local_address():
    text = VPN.replace("remote-address=10.77.0.12", "remote-address=10.77.0.1")
    d = only(text, "PPP003")
    assert "same address 10.77.0.1 as local-address and remote-address" in d.message
