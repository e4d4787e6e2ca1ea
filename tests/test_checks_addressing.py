"""Addressing checks (ADDR001-ADDR005): malformed addresses, network=
mismatches, duplicate addresses, overlapping subnets, network or broadcast
addresses on interfaces."""

from __future__ import annotations

import time

import pytest

from conftest import ARTICLE
from rosc.diagnostics import Severity
from rosc.lint.engine import lint_bytes
from lint_helpers import diags, findings, only, pointed


def addr_codes(text: str) -> list[str]:
    return sorted(d.code for d in diags(text) if d.code.startswith("ADDR"))


@pytest.mark.parametrize("path", sorted(ARTICLE.glob("*.rsc")), ids=lambda p: p.name)
def test_article_lab_is_clean(path):
    assert [d.code for d in lint_bytes(path.read_bytes(), path.name).diagnostics if d.code.startswith("ADDR")] == []


# --- ADDR001 invalid-address -----------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        ("300.1.1.1/24", "address=300.1.1.1/24: 300.1.1.1 is not an IPv4 address (300 is above 255)"),
        ("10.0.0.1/33", "address=10.0.0.1/33: prefix length /33 is above /32"),
        ("10.0.1/24", "address=10.0.1/24: 10.0.1 is not an IPv4 address (it needs four numbers separated by dots)"),
        ("10.0.0.1/255.255.0.255",
         "address=10.0.0.1/255.255.0.255: 255.255.0.255 is not a netmask (its one bits are not contiguous)"),
        ("10.0.0.1/x", "address=10.0.0.1/x: /x is not a prefix length"),
        ("lan", "address=lan: lan is not an IPv4 address"),
    ],
)
def test_bad_interface_address(value, message):
    text = f"/ip address\nadd address={value} interface=ether2\n"
    d = only(text, "ADDR001")
    assert d.message == message
    assert d.severity is Severity.ERROR


@pytest.mark.parametrize("value", ["10.0.0.1/24", "10.0.0.1", "10.0.0.1/255.255.255.0", "010.0.0.1/8"])
def test_good_interface_address(value):
    assert addr_codes(f"/ip address\nadd address={value} interface=ether2\n") == []


def test_firewall_range_and_negation():
    text = "/ip firewall filter\nadd action=drop chain=input src-address=!10.0.0.50-10.0.0.10\n" \
           "add action=drop chain=input src-address=10.0.0.10-10.0.0.50 dst-address=!10.0.0.0/8\n"
    d = only(text, "ADDR001")
    assert d.message == "src-address=!10.0.0.50-10.0.0.10: the range starts above its end (10.0.0.50 > 10.0.0.10)"


def test_list_elements_are_pointed_at():
    text = "/ip dhcp-server network\nadd address=192.168.1.0/24 dns-server=1.1.1.1,8.8.8.888 gateway=192.168.1.1\n"
    d = only(text, "ADDR001")
    assert pointed(text, d) == "8.8.8.888"


def test_gateway_names_and_interface_suffixes():
    text = (
        "/ip address\nadd address=10.0.0.1/24 interface=ether1\n/ip route\n"
        "add dst-address=10.1.0.0/16 gateway=ether1\nadd dst-address=10.2.0.0/16 gateway=10.0.0.2%ether1\n"
        "add dst-address=10.3.0.0/16 gateway=10.0.0.2@main\nadd dst-address=10.4.0.0/16 gateway=10.0.0.256\n"
    )
    d = only(text, "ADDR001")
    assert pointed(text, d) == "10.0.0.256"


def test_pool_ranges_malformed_is_addr_but_reversed_is_pool():
    text = "/ip pool\nadd name=p ranges=10.0.0.300-10.0.0.400,10.0.1.9-10.0.1.2\n"
    assert addr_codes(text) == ["ADDR001"]
    assert [d.code for d in diags(text)] == ["ADDR001", "POOL001"]


def test_names_where_names_are_allowed():
    text = (
        "/ip firewall address-list\nadd address=example.com list=x\nadd address=1.2.3.400 list=x\n"
        "/ppp profile\nadd local-address=10.0.0.1 name=p remote-address=10.0.0.300\n"
        "/ip pool\nadd name=vpn ranges=10.0.1.2-10.0.1.9\n/ppp profile\nadd local-address=10.0.1.1 name=q remote-address=vpn\n"
    )
    found = findings(text, "ADDR001")
    assert [pointed(text, d) for d in found] == ["1.2.3.400", "10.0.0.300"]


def test_ipv6():
    text = (
        "/ipv6 address\nadd address=2001:db8::1/64 interface=ether1\nadd address=2001:db8:zz::1/64 interface=ether2\n"
        "add address=2001:db8:1::1/129 interface=ether3\n/ipv6 route\nadd dst-address=::/0 gateway=fe80::1%ether1\n"
        "/ipv6 firewall filter\nadd action=accept chain=input src-address=fe80::/10\n"
        "/ipv6 firewall address-list\nadd address=::ffff:0.0.0.0/96 list=bad\n"
    )
    assert [d.message for d in findings(text, "ADDR001")] == [
        "address=2001:db8:zz::1/64: 2001:db8:zz::1 is not an IPv6 address",
        "address=2001:db8:1::1/129: prefix length /129 is above /128",
    ]


def test_wireguard_dns_and_services():
    text = (
        '/interface wireguard\nadd name=wg\n/interface wireguard peers\nadd allowed-address=10.0.0.0/8,1.2.3/24 '
        'endpoint-address=vpn.example.com endpoint-port=13231 interface=wg '
        'public-key="G+TUhlssysEJMu3SP9JvEuMwhO6oCMb/lXatjsQPXtU="\n'
        "/ip dns\nset servers=1.1.1.1,2606:4700:4700::1111,1.0.0.1000\n"
        "/ip service\nset ssh address=192.168.88.0/24,10.0.0.0/40\n"
    )
    found = findings(text, "ADDR001")
    assert [pointed(text, d) for d in found] == ["1.2.3/24", "1.0.0.1000", "10.0.0.0/40"]


def test_set_find_value_is_checked():
    text = "/ip address\nadd address=10.0.0.1/24 interface=ether2\nset [ find interface=ether2 ] address=10.0.0.1/64\n"
    assert addr_codes(text) == ["ADDR001"]


# --- ADDR002 network-mismatch ----------------------------------------------------------


def test_network_mismatch():
    text = "/ip address\nadd address=192.168.1.1/24 interface=ether2 network=192.168.2.0\n"
    d = only(text, "ADDR002")
    assert pointed(text, d) == "192.168.2.0"
    assert d.fix.startswith("set network=192.168.1.0")


def test_point_to_point_network_is_fine():
    text = "/ip address\nadd address=10.0.0.1/32 interface=ether2 network=10.0.0.2\n" \
           "add address=192.168.1.1/24 interface=ether3 network=192.168.1.0\n"
    assert addr_codes(text) == []


# --- ADDR003 duplicate-address ----------------------------------------------------------


def test_duplicate_on_two_interfaces():
    text = "/ip address\nadd address=10.0.0.1/24 interface=ether2\nadd address=10.0.0.1/24 interface=ether3\n"
    d = only(text, "ADDR003")
    assert d.message == "address 10.0.0.1 is already on ether2 (line 2)"
    assert d.span.line == 3
    assert findings(text, "ADDR004") == []  # the duplicate is enough


def test_duplicate_on_one_interface():
    text = "/ip address\nadd address=10.0.0.1/24 interface=ether2\nadd address=10.0.0.1/16 interface=ether2\n"
    assert only(text, "ADDR003").message == "address 10.0.0.1 is also on ether2 (line 2)"


def test_duplicate_disabled_or_in_another_vrf():
    text = (
        "/ip vrf\nadd interfaces=ether5 name=customer\n/ip address\nadd address=10.0.0.1/24 interface=ether2\n"
        "add address=10.0.0.1/24 disabled=yes interface=ether3\nadd address=10.0.0.1/24 interface=ether5\n"
    )
    assert addr_codes(text) == []


def test_unnumbered_point_to_point_links():
    text = "/ip address\nadd address=10.9.9.1/32 interface=ether5 network=10.9.9.2\n" \
           "add address=10.9.9.1/32 interface=ether6 network=10.9.9.3\n"
    assert addr_codes(text) == []


def test_duplicate_made_by_set():
    text = "/ip address\nadd address=10.0.0.1/24 interface=ether2\nadd address=10.0.1.1/24 interface=ether3\n" \
           "set [ find interface=ether3 ] address=10.0.0.1/24\n"
    assert addr_codes(text) == ["ADDR003"]


def test_ipv6_duplicates_link_local_and_from_pool():
    text = (
        "/ipv6 address\nadd address=2001:db8::1/64 interface=ether2\nadd address=2001:db8::1/64 interface=ether3\n"
        "add address=fe80::1/64 interface=ether2\nadd address=fe80::1/64 interface=ether3\n"
        "add address=::1/64 from-pool=pd interface=ether4\nadd address=::1/64 from-pool=pd interface=ether5\n"
    )
    assert addr_codes(text) == ["ADDR003"]


# --- ADDR004 overlapping-subnets ---------------------------------------------------------


def test_same_subnet_two_interfaces():
    text = "/ip address\nadd address=192.168.1.1/24 interface=ether2\nadd address=192.168.1.2/24 interface=ether3\n"
    d = only(text, "ADDR004")
    assert d.message == "192.168.1.2/24 on ether3 is in the same subnet 192.168.1.0/24 as 192.168.1.1/24 on ether2 (line 2)"
    assert d.severity is Severity.WARNING


def test_nested_subnets_report_the_later_line():
    text = "/ip address\nadd address=172.16.5.1/24 interface=ether8\nadd address=172.16.0.1/16 interface=ether7\n"
    d = only(text, "ADDR004")
    assert d.span.line == 3
    assert "contains 172.16.5.0/24" in d.message


def test_not_overlapping():
    text = (
        "/ip address\nadd address=192.168.1.1/24 interface=ether2\nadd address=192.168.2.1/24 interface=ether3\n"
        "add address=192.168.1.5/24 interface=ether2\nadd address=10.255.255.1/32 interface=lo\n"
        "add address=10.255.255.2/32 interface=ether4\nadd address=10.0.0.1/8 interface=ether5\n"
        "add address=10.1.1.1/32 interface=ether6\n"
    )
    assert addr_codes(text) == []


def test_overlap_exceptions_bridge_port_vrrp_vrf():
    text = (
        "/interface bridge\nadd name=br\n/interface bridge port\nadd bridge=br interface=ether2\n"
        "/interface vrrp\nadd interface=ether3 name=vrrp1\n/ip vrf\nadd interfaces=ether5 name=v\n"
        "/ip address\nadd address=10.0.0.1/24 interface=br\nadd address=10.0.0.2/24 interface=ether2\n"
        "add address=10.0.1.1/24 interface=ether3\nadd address=10.0.1.254/24 interface=vrrp1\n"
        "add address=10.0.2.1/24 interface=ether4\nadd address=10.0.2.2/24 interface=ether5\n"
    )
    assert addr_codes(text) == []


def test_ipv6_overlap():
    text = "/ipv6 address\nadd address=2001:db8:1::1/48 interface=ether6\nadd address=2001:db8:1:5::1/64 interface=ether7\n"
    assert addr_codes(text) == ["ADDR004"]


def test_many_subnets_are_swept_not_compared_pairwise():
    lines = ["/ip address"]
    for i in range(20000):
        lines.append(f"add address=10.{i // 256}.{i % 256}.1/24 interface=vlan{i}")
    lines.append("add address=10.3.3.9/24 interface=other")
    text = "\n".join(lines) + "\n"
    start = time.perf_counter()
    found = [d for d in lint_bytes(text.encode(), "t.rsc").diagnostics if d.code == "ADDR004"]
    assert len(found) == 1
    # A hang guard (pairwise comparison of 20,000 subnets takes many minutes), not a measurement: under a
    # loaded 2-core machine the sweep took up to 23 s against 20.
    assert time.perf_counter() - start < 90


def test_many_addresses_in_one_subnet_on_one_interface():
    lines = ["/ip address"] + [f"add address=10.0.{i // 250}.{i % 250 + 1}/16 interface=ether2" for i in range(5000)]
    lines.append("add address=10.0.99.99/24 interface=ether3")
    text = "\n".join(lines) + "\n"
    assert addr_codes(text) == ["ADDR004"]


# --- ADDR005 network-or-broadcast-address ------------------------------------------------


def test_network_address_on_interface():
    text = "/ip address\nadd address=192.168.88.0/24 interface=ether2\n"
    d = only(text, "ADDR005")
    assert d.fix == "use a host address of 192.168.88.0/24, for example 192.168.88.1/24"


def test_broadcast_address_on_interface():
    text = "/ip address\nadd address=10.0.0.255/24 interface=ether2\n"
    assert "broadcast address" in only(text, "ADDR005").message


@pytest.mark.parametrize("value", ["10.0.0.0/31", "10.0.0.1/31", "10.0.0.0/32", "10.0.0.3/30", "10.0.0.0/8"][:4])
def test_small_prefixes_are_not_reported(value):
    expected = ["ADDR005"] if value == "10.0.0.3/30" else []
    assert addr_codes(f"/ip address\nadd address={value} interface=ether2\n") == expected


def test_address_with_separate_netmask():
    text = "/ip address\nadd address=192.168.0.1 interface=ether2 netmask=255.255.255.0\n" \
           "add address=192.168.0.2 interface=ether3 netmask=255.255.255.0\n" \
           "add address=10.0.0.0 interface=ether4 netmask=255.0.0.0\n"
    assert [d.message for d in diags(text) if d.code.startswith("ADDR")] == [
        "192.168.0.2/24 on ether3 is in the same subnet 192.168.0.0/24 as 192.168.0.1/24 on ether2 (line 2)",
        "10.0.0.0/255.0.0.0: 10.0.0.0 is the network address of 10.0.0.0/8, not a host address",
    ]
