"""Pool checks (POOL001-POOL008): pool ranges, DHCP servers and their
networks, PPP profiles."""

from __future__ import annotations

import time

import pytest

from conftest import ARTICLE
from rosc.diagnostics import Severity
from rosc.lint.engine import lint_bytes
from lint_helpers import diags, findings, only, pointed


def pool_codes(text: str) -> list[str]:
    return sorted(d.code for d in diags(text) if d.code.startswith("POOL"))


def lan(pool: str = "192.168.88.10-192.168.88.254", network: str = "192.168.88.0/24",
        gateway: str = "192.168.88.1", address: str = "192.168.88.1/24", iface: str = "ether2") -> str:
    return (
        f"/ip address\nadd address={address} interface={iface}\n/ip pool\nadd name=lan-pool ranges={pool}\n"
        f"/ip dhcp-server\nadd address-pool=lan-pool interface={iface} name=lan-dhcp\n"
        f"/ip dhcp-server network\nadd address={network} gateway={gateway}\n"
    )


@pytest.mark.parametrize("path", sorted(ARTICLE.glob("*.rsc")), ids=lambda p: p.name)
def test_article_lab_is_clean(path):
    assert [d.code for d in lint_bytes(path.read_bytes(), path.name).diagnostics if d.code.startswith("POOL")] == []


def test_correct_lan_is_clean():
    assert pool_codes(lan()) == []


def test_article_mtr1_lan_and_isp1_profile_pass():
    mtr1 = (ARTICLE / "mtr1.rsc").read_text()
    isp1 = (ARTICLE / "isp1.rsc").read_text()
    assert "ranges=192.168.1.200-192.168.1.254" in mtr1 and "local-address=121.0.0.1" in isp1
    assert pool_codes(mtr1) == [] and pool_codes(isp1) == []


# --- POOL001 reversed-pool-range ---------------------------------------------------------


def test_reversed_range():
    text = "/ip pool\nadd name=p ranges=10.0.0.2-10.0.0.100,10.0.1.200-10.0.1.10\n"
    d = only(text, "POOL001")
    assert pointed(text, d) == "10.0.1.200-10.0.1.10"
    assert d.fix == "write it as 10.0.1.10-10.0.1.200"
    assert d.severity is Severity.ERROR


def test_single_address_and_prefix_ranges():
    assert pool_codes("/ip pool\nadd name=p ranges=10.0.0.5,10.0.1.0/28\n") == []


# --- POOL002 overlapping-pools ------------------------------------------------------------


def test_overlapping_pools():
    text = "/ip pool\nadd name=a ranges=10.0.0.10-10.0.0.200\nadd name=b ranges=10.0.0.150-10.0.0.250\n"
    d = only(text, "POOL002")
    assert d.message == "pool b (10.0.0.150-10.0.0.250) overlaps pool a (10.0.0.10-10.0.0.200) on line 2: " \
                        "10.0.0.150-10.0.0.200 are in both"
    assert d.span.line == 3


def test_overlap_within_one_pool_and_nested():
    text = "/ip pool\nadd name=a ranges=10.0.0.0/24,10.0.0.100-10.0.0.110\nadd name=b ranges=10.0.1.5\n"
    assert only(text, "POOL002").message.startswith("range 10.0.0.100-10.0.0.110 of pool a overlaps its range")


def test_adjacent_pools_do_not_overlap():
    text = "/ip pool\nadd name=a ranges=10.0.0.10-10.0.0.149 next-pool=b\nadd name=b ranges=10.0.0.150-10.0.0.250\n"
    assert pool_codes(text) == []


def test_far_overlap_found_by_the_sweep():
    # a long range early on overlaps a range that sorts after many short ones
    lines = ["/ip pool", "add name=big ranges=10.0.0.0-10.0.255.255"]
    lines += [f"add name=p{i} ranges=10.1.{i}.1-10.1.{i}.9" for i in range(100)]
    lines += ["add name=late ranges=10.0.200.1-10.0.200.9"]
    text = "\n".join(lines) + "\n"
    d = only(text, "POOL002")
    assert "pool late" in d.message


# --- POOL003 dhcp-pool-outside-subnet -----------------------------------------------------


def test_pool_outside_interface_subnet():
    d = only(lan(pool="192.168.10.100-192.168.10.200", network="192.168.10.0/24", gateway="192.168.10.1"), "POOL003")
    assert d.message == ("pool lan-pool (192.168.10.100-192.168.10.200) of DHCP server lan-dhcp lies outside every "
                         "subnet of ether2 (192.168.88.0/24)")


def test_pool_extends_beyond_subnet():
    text = lan(address="192.168.88.1/25", network="192.168.88.0/24")
    assert "extends beyond 192.168.88.0/25" in only(text, "POOL003").message


def test_ranges_outside_are_reported_once_per_server():
    text = lan(pool="192.168.10.100-192.168.10.200,192.168.88.100-192.168.88.200,10.0.0.0/24",
               network="192.168.0.0/16")
    d = only(text, "POOL003")
    assert d.message == ("pool lan-pool (192.168.10.100-192.168.10.200, 10.0.0.0/24) of DHCP server lan-dhcp lies "
                         "outside every subnet of ether2 (192.168.88.0/24)")
    assert pointed(text, d) == "lan-pool"


def test_address_with_separate_netmask_is_a_subnet():
    text = lan(address="192.168.88.1 netmask=255.255.255.0")
    assert pool_codes(text) == []


def test_server_interface_without_address():
    text = "/ip pool\nadd name=p ranges=10.0.0.10-10.0.0.20\n/ip dhcp-server\nadd address-pool=p interface=ether3 name=d\n" \
           "/ip dhcp-server network\nadd address=10.0.0.0/24 gateway=10.0.0.1\n"
    assert "ether3, which has no IPv4 address" in only(text, "POOL003").message


def test_pool_on_bridge_subnet():
    text = (
        "/interface bridge\nadd name=br\n/interface bridge port\nadd bridge=br interface=ether2\n"
        "/ip address\nadd address=192.168.1.1/24 interface=br\n/ip pool\nadd name=p ranges=192.168.1.100-192.168.1.200\n"
        "/ip dhcp-server\nadd address-pool=p interface=br name=d\n"
        "/ip dhcp-server network\nadd address=192.168.1.0/24 gateway=192.168.1.1\n"
    )
    assert pool_codes(text) == []


def test_relay_disabled_and_dhcp_client_interfaces_are_skipped():
    text = (
        "/ip pool\nadd name=p ranges=10.5.0.10-10.5.0.20\n/ip dhcp-server\n"
        "add address-pool=p interface=ether2 name=relayed relay=10.5.0.1\n"
        "add address-pool=p disabled=yes interface=ether3 name=off\n"
        "add address-pool=p interface=ether4 name=dyn\n/ip dhcp-client\nadd interface=ether4\n"
        "/ip address\nadd address=192.168.1.1/24 interface=ether2\n"
        "/ip dhcp-server network\nadd address=10.5.0.0/24 gateway=10.5.0.1\n"
    )
    assert findings(text, "POOL003") == []


def test_server_changed_with_set_find():
    text = lan() + "/ip dhcp-server\nset [ find name=lan-dhcp ] interface=ether3\n" \
                   "/ip address\nadd address=10.0.0.1/24 interface=ether3\n"
    assert pool_codes(text) == ["POOL003"]


# --- POOL004 / POOL005 --------------------------------------------------------------------


def test_pool_includes_router_address():
    text = lan(pool="192.168.88.1-192.168.88.254")
    d = only(text, "POOL004")
    assert d.message == ("pool lan-pool (192.168.88.1-192.168.88.254) includes 192.168.88.1, this router's own "
                         "address on ether2 (line 2)")


def test_pool_includes_dhcp_gateway():
    text = lan(gateway="192.168.88.200")
    found = findings(text, "POOL004")
    assert [d.message.split(", the")[0] for d in found] == ["pool lan-pool (192.168.88.10-192.168.88.254) includes 192.168.88.200"]
    assert findings(text, "POOL007")  # and it is not the router's address either


def test_pool_includes_network_and_broadcast():
    text = lan(pool="192.168.88.0/24")
    assert pool_codes(text) == ["POOL004", "POOL005", "POOL005"]


def test_relayed_network_counts_for_network_and_broadcast():
    text = "/ip pool\nadd name=p ranges=10.5.0.0-10.5.0.20\n/ip dhcp-server network\nadd address=10.5.0.0/24 gateway=10.5.0.1\n"
    assert "network address of 10.5.0.0/24 (the DHCP network on line 4)" in only(text, "POOL005").message


def test_point_to_point_subnets_are_not_checked_for_broadcast():
    text = "/ip address\nadd address=10.0.0.1/31 interface=ether1\n/ip pool\nadd name=p ranges=10.0.0.0-10.0.0.0\n"
    assert pool_codes(text) == []


def test_disabled_address_not_counted():
    text = "/ip address\nadd address=10.0.0.1/24 disabled=yes interface=ether1\n/ip pool\nadd name=p ranges=10.0.0.1-10.0.0.9\n"
    assert pool_codes(text) == []


# --- POOL006 dhcp-network-misses-pool -------------------------------------------------------


def test_network_covers_part_of_pool():
    text = lan(network="192.168.88.0/25")
    d = only(text, "POOL006")
    assert d.message.startswith("DHCP network 192.168.88.0/25 covers only part of pool lan-pool")
    assert pointed(text, d) == "192.168.88.0/25"
    assert pool_codes(text) == ["POOL006"]


def test_no_network_at_all():
    text = lan().replace("/ip dhcp-server network\nadd address=192.168.88.0/24 gateway=192.168.88.1\n", "")
    d = only(text, "POOL006")
    assert d.message.startswith("no /ip dhcp-server network covers pool lan-pool")
    assert pointed(text, d) == "lan-pool"


def test_disabled_network_does_not_cover():
    text = lan().replace("gateway=192.168.88.1\n", "gateway=192.168.88.1 disabled=yes\n")
    assert pool_codes(text) == ["POOL006"]


def test_wider_network_covers():
    assert pool_codes(lan(network="192.168.0.0/16", address="192.168.88.1/16")) == []


# --- POOL007 dhcp-gateway-not-router ------------------------------------------------------


def test_gateway_outside_network():
    text = lan(gateway="192.168.8.1")
    d = only(text, "POOL007")
    assert d.message == "gateway 192.168.8.1 is outside the DHCP network 192.168.88.0/24: clients there cannot reach it"


def test_gateway_another_host():
    d = only(lan(pool="192.168.88.10-192.168.88.200", gateway="192.168.88.254"), "POOL007")
    assert d.message == "gateway 192.168.88.254 of DHCP network 192.168.88.0/24 is not this router's address there " \
                        "(192.168.88.1 on ether2)"
    assert d.severity is Severity.WARNING


def test_vrrp_gateway_is_the_router():
    text = lan(pool="192.168.88.10-192.168.88.200", gateway="192.168.88.254") + \
        "/interface vrrp\nadd interface=ether2 name=vrrp1\n/ip address\nadd address=192.168.88.254/32 interface=vrrp1\n"
    assert pool_codes(text) == []


def test_relayed_network_gateway_is_not_ours():
    text = "/ip dhcp-server network\nadd address=10.5.0.0/24 gateway=10.5.0.1\n"
    assert pool_codes(text) == []


# --- POOL008 ppp-local-address-in-pool -----------------------------------------------------


def test_local_address_in_remote_pool():
    text = "/ip pool\nadd name=pp ranges=10.10.0.1-10.10.0.254\n/ppp profile\n" \
           "add local-address=10.10.0.1 name=pr remote-address=pp\n"
    d = only(text, "POOL008")
    assert pointed(text, d) == "10.10.0.1"
    assert "inside its remote-address pool pp (10.10.0.1-10.10.0.254) on line 2" in d.message


def test_local_address_equals_remote_address():
    text = "/ppp profile\nadd local-address=10.20.0.1 name=w remote-address=10.20.0.1\n"
    assert "the same as its local-address" in only(text, "POOL008").message


def test_secret_overrides_profile():
    text = (
        "/ip pool\nadd name=pp ranges=10.10.0.2-10.10.0.254\n/ppp profile\n"
        "add local-address=10.10.0.1 name=pr remote-address=pp\n/ppp secret\n"
        "add local-address=10.10.0.5 name=u password=verylongpass1 profile=pr service=pppoe\n"
        "add name=v password=verylongpass2 profile=pr service=pppoe\n"
    )
    d = only(text, "POOL008")
    assert "PPP secret u" in d.message


def test_secret_with_the_default_profile():
    text = (
        "/ip pool\nadd name=pp ranges=10.10.0.2-10.10.0.254\n"
        "/ppp profile\nadd local-address=10.10.0.1 name=default remote-address=pp\n"
        "/ppp secret\nadd name=u password=verylongpass1 remote-address=10.10.0.1 service=pppoe\n"
    )
    # secret u: remote-address equals the default profile's local-address
    assert "POOL008" in pool_codes(text)


def test_local_pool_name_is_fine():
    text = "/ip pool\nadd name=pp ranges=10.10.0.1-10.10.0.254\n/ppp profile\nadd local-address=pp name=pr remote-address=pp\n"
    assert pool_codes(text) == []


# --- scale ----------------------------------------------------------------------------------


def test_many_lans_stay_linear():
    lines = ["/ip address"] + [f"add address=10.{i // 256}.{i % 256}.1/24 interface=vlan{i}" for i in range(5000)]
    lines += ["/ip pool"] + [f"add name=p{i} ranges=10.{i // 256}.{i % 256}.10-10.{i // 256}.{i % 256}.200"
                             for i in range(5000)]
    lines += ["/ip dhcp-server"] + [f"add name=d{i} address-pool=p{i} interface=vlan{i}" for i in range(5000)]
    lines += ["/ip dhcp-server network"] + [f"add address=10.{i // 256}.{i % 256}.0/24 gateway=10.{i // 256}.{i % 256}.1"
                                            for i in range(5000)]
    text = "\n".join(lines) + "\n"
    start = time.perf_counter()
    assert pool_codes(text) == []
    assert time.perf_counter() - start < 20
