"""Routing across the lab: what the article argues about mtr2, tables, traces."""

from __future__ import annotations

import ipaddress
from fractions import Fraction

import pytest

from conftest import ARTICLE
from rosc.lab.loader import load_lab
from rosc.lab.describe import flags, gateway_text, immediate_text, route_status

IP = ipaddress.ip_address
CUT = {("core", "ether2")}  # the isp1 - core cable


@pytest.fixture(scope="module")
def lab():
    lab, diagnostics = load_lab(ARTICLE)
    assert diagnostics == []
    return lab


def trace(lab, variant, dst, down=frozenset(), device="mtr2", **kw):
    network = lab.network({"mtr2": variant}, set(down))
    return network.simulation.trace(device, IP(dst), **kw)


def devices(path):
    return [h.device for h in path.hops]


# --- the article's argument -------------------------------------------------------------------


@pytest.mark.parametrize("dst", ["8.8.8.8", "9.9.9.9"])
def test_ecmp_shares_traffic_between_both_isps(lab, dst):
    paths = trace(lab, "ecmp", dst)
    assert [devices(p) for p in paths] == [["mtr2", "isp1", "core"], ["mtr2", "isp2", "core"]]
    assert all(p.outcome == "internet" for p in paths)
    assert [p.share for p in paths] == [Fraction(1, 2), Fraction(1, 2)]


@pytest.mark.parametrize("dst", ["8.8.8.8", "9.9.9.9"])
def test_ecmp_loses_the_flows_through_isp1_when_its_uplink_is_cut(lab, dst):
    paths = trace(lab, "ecmp", dst, CUT)
    by_isp = {p.hops[1].device: p for p in paths}
    assert by_isp["isp1"].outcome == "dropped" and by_isp["isp1"].end_device == "isp1"
    assert f"isp1 has no route to {dst}" in by_isp["isp1"].reason
    assert by_isp["isp2"].outcome == "internet"
    assert by_isp["isp1"].share == by_isp["isp2"].share == Fraction(1, 2)


@pytest.mark.parametrize("dst", ["8.8.8.8", "9.9.9.9"])
def test_failover_uses_isp1(lab, dst):
    (path,) = trace(lab, "failover", dst)
    assert devices(path) == ["mtr2", "isp1", "core"] and path.outcome == "internet"


@pytest.mark.parametrize("dst", ["8.8.8.8", "9.9.9.9"])
def test_failover_keeps_sending_into_the_dead_isp(lab, dst):
    network = lab.network({"mtr2": "failover"}, set(CUT))
    (path,) = network.simulation.trace("mtr2", IP(dst))
    assert devices(path) == ["mtr2", "isp1"] and path.outcome == "dropped"
    # the PPPoE session to isp1 stays up: nothing makes the distance-1 route inactive
    assert any(s.client.device == "mtr2" and s.server.device == "isp1" for s in network.sessions.pppoe)
    route = path.hops[0].route
    assert route.active and route.fact.gateways == ["pppoe-out"] and route.fact.distance == 1


def test_recursive_uses_isp1_through_1_1_1_1(lab):
    (path,) = trace(lab, "recursive", "9.9.9.9")
    assert devices(path) == ["mtr2", "isp1", "core"] and path.outcome == "internet"
    first = path.hops[0]
    assert first.route.fact.gateways == ["1.1.1.1"] and first.out_interface == "pppoe-out"


def test_recursive_fails_over_to_isp2_when_isp1_loses_its_uplink(lab):
    network = lab.network({"mtr2": "recursive"}, set(CUT))
    sim = network.simulation
    (path,) = sim.trace("mtr2", IP("9.9.9.9"))
    assert devices(path) == ["mtr2", "isp2", "core"] and path.outcome == "internet"
    assert path.hops[0].route.fact.gateways == ["8.8.8.8"]
    primary = next(r for r in sim.tables["mtr2"].routes if r.fact.gateways == ["1.1.1.1"])
    assert not primary.active
    assert "check-gateway=ping to 1.1.1.1 fails: isp1 has no route to 1.1.1.1" in route_status(primary)
    assert any("1.1.1.1" in note and "check-gateway" in note for note in sim.explain("mtr2", IP("9.9.9.9")))


@pytest.mark.parametrize("down", [frozenset(), CUT])
def test_recursive_sends_8_8_8_8_itself_through_isp2(lab, down):
    # the host route that probes 8.8.8.8 is more specific than any default route
    (path,) = trace(lab, "recursive", "8.8.8.8", down)
    assert devices(path) == ["mtr2", "isp2", "core"] and path.outcome == "internet"
    assert str(path.hops[0].route.dst) == "8.8.8.8/32"


def test_wireguard_tunnel_follows_the_lab(lab):
    assert lab.network().simulation.tunnel_up(lab.network().sessions.tunnels[0]) == (True, "")
    network = lab.network(down=set(CUT))
    up, why = network.simulation.tunnel_up(network.sessions.tunnels[0])
    assert not up and "isp1 has no route to 122.0.0.253" in why


def test_lan_to_lan_through_the_tunnel(lab):
    network = lab.network()
    (path,) = network.simulation.trace("mtr1", IP("192.168.3.10"), IP("192.168.1.10"), in_interface="lan-bridge")
    assert devices(path) == ["mtr1", "mtr3"] and path.outcome == "lan"
    assert "WireGuard to mtr3" in path.hops[0].notes
    # from a source mtr3's peer does not allow, WireGuard drops it on arrival
    (bad,) = network.simulation.trace("mtr1", IP("192.168.3.10"), IP("192.168.7.10"), in_interface="lan-bridge")
    assert bad.outcome == "dropped" and "source 192.168.7.10" in bad.reason


def test_masquerade_and_replies(lab):
    sim = lab.network().simulation
    ok, why, paths = sim.round_trip("mtr1", IP("122.0.0.253"))
    assert ok, why
    (path,) = paths
    assert [n[0] for n in path.nat] == ["isp1"]  # mtr1 sends from its own PPPoE address, isp1 masquerades
    assert path.end_device == "mtr3"


# --- routing tables -----------------------------------------------------------------------------------


def test_mtr2_tables(lab):
    table = lab.network({"mtr2": "ecmp"}).simulation.tables["mtr2"]
    defaults = [r for r in table.routes if r.dst.prefixlen == 0]
    assert [flags(r) for r in defaults] == ["DAv+", "DAv+"]
    assert sorted(gateway_text(r) for r in defaults) == ["pppoe-out", "pppoe-out1"]
    connected = {str(r.dst): flags(r) for r in table.routes if r.origin == "connected"}
    assert connected == {"121.0.0.1/32": "DAc", "122.0.0.1/32": "DAc", "192.168.2.0/24": "DAc"}
    rec = lab.network({"mtr2": "recursive"}).simulation.tables["mtr2"]
    by_gw = {gateway_text(r): r for r in rec.routes}
    assert flags(by_gw["1.1.1.1"]) == "As" and immediate_text(by_gw["1.1.1.1"]) == "pppoe-out"
    assert flags(by_gw["8.8.8.8"]) == "Is"
    assert route_status(by_gw["8.8.8.8"]) == "a route with a smaller distance is active"


def test_core_table_has_the_dhcp_default_route(lab):
    table = lab.network().simulation.tables["core"]
    dhcp = next(r for r in table.routes if r.origin == "dhcp")
    assert flags(dhcp) == "DAd" and immediate_text(dhcp) == "ether1"
    back = next(r for r in table.routes if str(r.dst) == "121.0.0.0/24")
    assert immediate_text(back) == "123.1.1.2%ether2"


def test_isp_tables_hold_the_sessions(lab):
    table = lab.network().simulation.tables["isp1"]
    sessions = sorted(str(r.dst) for r in table.routes if r.fact.interface and r.fact.interface.startswith("<pppoe-"))
    assert sessions == ["121.0.0.253/32", "121.0.0.254/32"]


def test_routing_loop_is_reported(tmp_path):
    files = {
        "a.rsc": "/ip address\nadd address=10.0.0.1/30 interface=ether1\n/ip route\nadd dst-address=192.0.2.0/24 gateway=10.0.0.2\n",
        "b.rsc": "/ip address\nadd address=10.0.0.2/30 interface=ether1\n/ip route\nadd dst-address=192.0.2.0/24 gateway=10.0.0.1\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "lab.toml").write_text('[devices]\na = "a.rsc"\nb = "b.rsc"\n[cables]\n"a:ether1" = "b:ether1"\n')
    lab2, _ = load_lab(tmp_path)
    (path,) = lab2.network().simulation.trace("a", IP("192.0.2.1"))
    assert path.outcome == "loop" and devices(path)[:3] == ["a", "b", "a"]


def test_check_gateway_ping_to_a_gateway_that_does_not_answer(tmp_path):
    a = (
        "/ip address\nadd address=10.0.0.1/30 interface=ether1\nadd address=10.0.1.1/30 interface=ether2\n"
        "/ip route\nadd check-gateway=ping gateway=10.0.0.2\nadd distance=2 gateway=10.0.1.2\n"
    )
    b = "/ip address\nadd address=10.0.1.2/30 interface=ether1\n"
    (tmp_path / "a.rsc").write_text(a)
    (tmp_path / "b.rsc").write_text(b)
    (tmp_path / "lab.toml").write_text(
        '[devices]\na = "a.rsc"\nb = "b.rsc"\n[cables]\n"a:ether2" = "b:ether1"\n"a:ether1" = "b:ether2"\n'
    )
    lab2, _ = load_lab(tmp_path)
    sim = lab2.network().simulation
    (path,) = sim.trace("a", IP("203.0.113.9"))
    assert path.hops[0].route.fact.gateways == ["10.0.1.2"]  # the backup, since 10.0.0.2 is nobody
    primary = next(r for r in sim.tables["a"].routes if r.fact.gateways == ["10.0.0.2"])
    assert "check-gateway=ping to 10.0.0.2 fails: no device on the segment of a's ether1" in route_status(primary)


def test_check_gateway_ping_into_an_unmodelled_lan_is_assumed_to_answer(tmp_path):
    (tmp_path / "a.rsc").write_text("/ip address\nadd address=10.0.0.1/30 interface=ether1\n/ip route\nadd check-gateway=ping gateway=10.0.0.2\n")
    (tmp_path / "lab.toml").write_text('[devices]\na = "a.rsc"\n')
    lab2, _ = load_lab(tmp_path)
    sim = lab2.network().simulation
    (route,) = [r for r in sim.tables["a"].routes if r.origin == "static"]
    assert route.active and not route.failed


def _two_routers(tmp_path, a_route: str):
    """a (ether1 to b, ether2 to the uplink) and b, which has a LAN 192.168.7.0/24 behind it."""
    files = {
        "a.rsc": "/ip address\nadd address=10.0.0.1/30 interface=ether1\n/ip dhcp-client\n"
                 "add interface=ether2 add-default-route=no\n/ip route\n" + a_route,
        "b.rsc": "/ip address\nadd address=10.0.0.2/30 interface=ether1\nadd address=192.168.7.1/24 interface=ether2\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "lab.toml").write_text(
        '[devices]\na = "a.rsc"\nb = "b.rsc"\n[cables]\n"a:ether1" = "b:ether1"\n[uplinks]\n"a:ether2" = "internet"\n'
    )
    lab2, _ = load_lab(tmp_path)
    return lab2.network().simulation


def test_ethernet_interface_gateway_does_not_reach_beyond_the_link(tmp_path):
    # Routing Decision: a non point-to-point interface gateway cannot forward to destinations several hops away.
    sim = _two_routers(tmp_path, "add gateway=ether2\nadd dst-address=192.168.7.0/24 gateway=ether1\n")
    (path,) = sim.trace("a", IP("8.8.8.8"))
    assert path.outcome == "dropped" and devices(path) == ["a"]
    assert "as if 8.8.8.8 were on that link (gateway=ether2 is not point-to-point)" in path.reason
    assert any("not point-to-point: ARP for 8.8.8.8" in n for n in path.hops[0].notes)
    (lan,) = sim.trace("a", IP("192.168.7.20"))
    assert lan.outcome == "dropped" and "no device on it has 192.168.7.20 (b there)" in lan.reason
    # b's own address on the link answers ARP, so that one still arrives
    (direct,) = sim.trace("a", IP("10.0.0.2"))
    assert direct.outcome == "delivered" and direct.end_device == "b"


def test_an_address_gateway_still_forwards_beyond_the_link(tmp_path):
    sim = _two_routers(tmp_path, "add dst-address=192.168.7.0/24 gateway=10.0.0.2\n")
    (lan,) = sim.trace("a", IP("192.168.7.20"))
    assert lan.outcome == "lan" and devices(lan) == ["a", "b"]
