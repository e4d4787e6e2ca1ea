"""Segments, PPPoE sessions, DHCP leases, WireGuard pairs, and X25519."""

from __future__ import annotations

import base64
import ipaddress
from pathlib import Path

import pytest

from conftest import ARTICLE
from rosc.lab.loader import load_lab
from rosc.lab.wireguard_keys import public_key, x25519

IP = ipaddress.ip_address


def _lab(tmp_path: Path, toml: str, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "lab.toml").write_text(toml, encoding="utf-8")
    lab, diagnostics = load_lab(tmp_path)
    assert diagnostics == []
    return lab


# --- X25519 (RFC 7748) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scalar, u, out",
    [
        (
            "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
            "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
            "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
        ),
        (
            "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
            "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
            "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
        ),
    ],
)
def test_x25519_rfc7748_vectors(scalar, u, out):
    assert x25519(bytes.fromhex(scalar), bytes.fromhex(u)).hex() == out


def test_x25519_rfc7748_iterated():
    k = u = (9).to_bytes(32, "little")
    k, u = x25519(k, u), k
    assert k.hex() == "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"
    for _ in range(999):
        k, u = x25519(k, u), k
    assert k.hex() == "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"


def test_x25519_diffie_hellman_rfc7748_section_6_1():
    alice = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
    bob = bytes.fromhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
    nine = (9).to_bytes(32, "little")
    alice_pub, bob_pub = x25519(alice, nine), x25519(bob, nine)
    assert alice_pub.hex() == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
    assert bob_pub.hex() == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
    shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
    assert x25519(alice, bob_pub).hex() == shared == x25519(bob, alice_pub).hex()
    # the same, as WireGuard writes keys
    assert public_key(base64.b64encode(alice).decode()) == base64.b64encode(alice_pub).decode()


def test_public_key_of_bad_keys_is_none():
    assert public_key(None) is None
    assert public_key("not base64!") is None
    assert public_key(base64.b64encode(b"short").decode()) is None


# --- segments ---------------------------------------------------------------------------------------


def test_article_segments_join_cables_through_bridges():
    lab, _ = load_lab(ARTICLE)
    topo = lab.network().topology
    isp1_bridge = topo.segment_of("isp1", "pppoe-bridge")
    assert topo.segment_of("isp1", "ether2") is isp1_bridge  # a bridge port is on its bridge's segment
    assert topo.segment_of("mtr1", "ether1") is isp1_bridge
    assert topo.segment_of("mtr2", "ether1") is isp1_bridge
    assert topo.segment_of("mtr2", "ether2") is topo.segment_of("mtr3", "ether1")
    assert topo.segment_of("mtr2", "ether2") is not isp1_bridge
    core_link = topo.segment_of("core", "ether2")
    assert core_link is topo.segment_of("isp1", "ether1") and sorted(core_link.devices()) == ["core", "isp1"]
    assert [u.network for u in topo.segment_of("core", "ether1").uplinks] == ["internet"]
    # an uncabled LAN port is a segment of its own
    assert topo.segment_of("mtr1", "lan-bridge").devices() == ["mtr1"]
    # tunnels and PPP interfaces have no segment
    assert topo.segment_of("mtr1", "wireguard1") is None
    assert topo.segment_of("mtr1", "pppoe-out") is None


def test_a_down_port_takes_its_cable_down():
    lab, _ = load_lab(ARTICLE)
    topo = lab.network(down={("core", "ether2")}).topology
    assert not topo.port_up("core", "ether2")
    assert not topo.port_up("isp1", "ether1")  # the other end loses its link
    assert topo.segment_of("isp1", "ether1") is None
    assert topo.port_up("isp1", "ether2")


def test_vlans_share_a_segment_only_with_the_same_id(tmp_path):
    r = "/interface vlan\nadd interface=ether1 name=v{id} vlan-id={id}\n/ip address\nadd address=10.{id}.0.{n}/24 interface=v{id}\n"
    lab = _lab(
        tmp_path,
        '[devices]\na = "a.rsc"\nb = "b.rsc"\n[cables]\n"a:ether1" = "b:ether1"\n',
        {"a.rsc": r.format(id=10, n=1) + r.format(id=20, n=1).replace("/interface vlan\n", "/interface vlan\n"),
         "b.rsc": r.format(id=10, n=2) + r.format(id=30, n=2)},
    )
    topo = lab.network().topology
    assert topo.segment_of("a", "v10") is topo.segment_of("b", "v10")
    assert topo.segment_of("a", "v20") is not topo.segment_of("b", "v30")
    assert topo.segment_of("a", "v10") is not topo.segment_of("a", "ether1")


# --- PPPoE ---------------------------------------------------------------------------------------------


def test_article_pppoe_sessions():
    lab, _ = load_lab(ARTICLE)
    s = lab.network().sessions
    assert s.pppoe_failures == []
    sessions = {(x.client.device, x.client.name): x for x in s.pppoe}
    assert {k: v.server.device for k, v in sessions.items()} == {
        ("mtr1", "pppoe-out"): "isp1",
        ("mtr3", "pppoe-out"): "isp2",
        ("mtr2", "pppoe-out"): "isp1",
        ("mtr2", "pppoe-out1"): "isp2",
    }
    mtr3 = sessions[("mtr3", "pppoe-out")]
    assert mtr3.local == IP("122.0.0.1") and mtr3.pool == "pppoe-pool" and mtr3.profile_name == "pppoe-server"
    # the address mtr1's WireGuard peer expects goes to mtr3
    assert mtr3.remote == IP("122.0.0.253")
    assert mtr3.server_interface == "<pppoe-isp2user1>"
    others = {v.remote for k, v in sessions.items() if k != ("mtr3", "pppoe-out")}
    assert IP("122.0.0.253") not in others and None not in others


def test_fixed_address_in_secret_beats_the_pool_and_client_without_service_name(tmp_path):
    isp = (
        "/ip pool\nadd name=p ranges=100.64.0.10-100.64.0.20\n"
        "/ppp profile\nadd local-address=100.64.0.1 name=prof remote-address=p\n"
        "/interface pppoe-server server\nadd default-profile=prof disabled=no interface=ether2 service-name=inet\n"
        "/ppp secret\nadd name=u password=pw remote-address=100.64.0.5 profile=prof\n"
    )
    cpe = "/interface pppoe-client\nadd disabled=no interface=ether1 name=p1 password=pw user=u\n"
    lab = _lab(tmp_path, '[devices]\nisp = "isp.rsc"\ncpe = "cpe.rsc"\n[cables]\n"cpe:ether1" = "isp:ether2"\n',
               {"isp.rsc": isp, "cpe.rsc": cpe})
    (session,) = lab.network().sessions.pppoe
    assert session.remote == IP("100.64.0.5") and session.fixed and session.local == IP("100.64.0.1")


@pytest.mark.parametrize(
    "secret, client, reason",
    [
        ("add name=u password=pw service=pptp", "user=u password=pw", "service-not-allowed"),
        ("add disabled=yes name=u password=pw", "user=u password=pw", "secret-disabled"),
        ("add name=u password=pw", "user=v password=pw", "unknown-user"),
        ("add name=u password=pw", "user=u password=px", "wrong-password"),
    ],
)
def test_pppoe_failures(tmp_path, secret, client, reason):
    isp = f"/interface pppoe-server server\nadd disabled=no interface=ether2\n/ppp secret\n{secret}\n"
    cpe = f"/interface pppoe-client\nadd disabled=no interface=ether1 name=p1 {client}\n"
    lab = _lab(tmp_path, '[devices]\nisp = "isp.rsc"\ncpe = "cpe.rsc"\n[cables]\n"cpe:ether1" = "isp:ether2"\n',
               {"isp.rsc": isp, "cpe.rsc": cpe})
    s = lab.network().sessions
    assert s.pppoe == [] and [f.reason for f in s.pppoe_failures] == [reason]


_CABLE = '[devices]\nisp = "isp.rsc"\ncpe = "cpe.rsc"\n[cables]\n"cpe:ether1" = "isp:ether2"\n'


@pytest.mark.parametrize(
    "server_name, client_name, connects",
    [
        ("service-name=inet", "", True),  # a PADI without service name: any server answers
        ("service-name=inet", "service-name=inet", True),
        ("service-name=inet", "service-name=other", False),
        ("", "service-name=inet", False),  # PPPoE: the server accepts matching names or none, not any name
        ("", "", True),
    ],
)
def test_service_name_rules_as_the_pppoe_page_states_them(tmp_path, server_name, client_name, connects):
    # "Server will accept clients that send a PADI message with service-names that match this setting or if
    # the service-name field in the PADI message is not set." (help.mikrotik.com: PPPoE)
    isp = f"/interface pppoe-server server\nadd disabled=no interface=ether2 {server_name}\n/ppp secret\nadd name=u password=pw\n"
    cpe = f"/interface pppoe-client\nadd disabled=no interface=ether1 name=p1 password=pw user=u {client_name}\n"
    s = _lab(tmp_path, _CABLE, {"isp.rsc": isp, "cpe.rsc": cpe}).network().sessions
    assert bool(s.pppoe) is connects
    if not connects:
        assert [f.reason for f in s.pppoe_failures] == ["service-name"]


@pytest.mark.parametrize(
    "authentication, allow, connects",
    [
        ("", "", True),
        ("authentication=mschap2", "", True),
        ("authentication=mschap2,chap", "allow=chap", True),
        ("authentication=mschap2", "allow=pap", False),
    ],
)
def test_server_authentication_against_the_client_allow(tmp_path, authentication, allow, connects):
    isp = f"/interface pppoe-server server\nadd disabled=no interface=ether2 {authentication}\n/ppp secret\nadd name=u password=pw\n"
    cpe = f"/interface pppoe-client\nadd disabled=no interface=ether1 name=p1 password=pw user=u {allow}\n"
    s = _lab(tmp_path, _CABLE, {"isp.rsc": isp, "cpe.rsc": cpe}).network().sessions
    assert bool(s.pppoe) is connects
    if not connects:
        assert [f.reason for f in s.pppoe_failures] == ["no-common-auth"]


def test_secret_profile_merged_with_the_servers_default_profile(tmp_path):
    # PPP AAA: the configuration is composed of the secret, its profile and the default profile of the service,
    # in that priority, except that a single address wins over a pool wherever it is.
    isp = (
        "/ip pool\nadd name=p ranges=100.64.0.10-100.64.0.20\n"
        "/ppp profile\nadd local-address=100.64.0.1 name=base remote-address=p\n"
        "add name=speed rate-limit=10M/10M\nadd name=fixed remote-address=100.64.0.99\n"
        "/interface pppoe-server server\nadd default-profile=base disabled=no interface=ether2\n"
        "/ppp secret\nadd name=u password=pw profile=speed\nadd name=v password=pw profile=fixed\n"
    )
    cpe = "/interface pppoe-client\nadd disabled=no interface=ether1 name=p1 password=pw user={}\n"
    s = _lab(tmp_path, _CABLE, {"isp.rsc": isp, "cpe.rsc": cpe.format("u")}).network().sessions
    (session,) = s.pppoe
    # profile speed sets no addresses: they come from the server's default profile base
    assert session.profile_name == "speed" and session.local == IP("100.64.0.1") and session.pool == "p"
    s = _lab(tmp_path, _CABLE, {"isp.rsc": isp, "cpe.rsc": cpe.format("v")}).network().sessions
    (session,) = s.pppoe
    assert session.remote == IP("100.64.0.99") and session.fixed  # an address in the profile beats base's pool
    assert session.local == IP("100.64.0.1")


def test_secret_service_restriction(tmp_path):
    isp = "/interface pppoe-server server\nadd disabled=no interface=ether2\n/ppp secret\nadd name=u password=pw service=l2tp\n"
    cpe = "/interface pppoe-client\nadd disabled=no interface=ether1 name=p1 password=pw user=u\n"
    s = _lab(tmp_path, _CABLE, {"isp.rsc": isp, "cpe.rsc": cpe}).network().sessions
    assert [f.reason for f in s.pppoe_failures] == ["service-not-allowed"]


def test_pool_hands_out_from_the_top_and_runs_out(tmp_path):
    isp = (
        "/interface bridge\nadd name=br\n/interface bridge port\nadd bridge=br interface=ether2\nadd bridge=br interface=ether3\n"
        "/ip pool\nadd name=p ranges=100.64.0.10-100.64.0.11 next-pool=q\nadd name=q ranges=100.64.1.1\n"
        "/ppp profile\nadd local-address=100.64.0.1 name=prof remote-address=p\n"
        "/interface pppoe-server server\nadd default-profile=prof disabled=no interface=br\n"
        "/ppp secret\nadd name=u password=pw\n"
    )
    cpe = "/interface pppoe-client\nadd disabled=no interface=ether1 name=p1 password=pw user=u\n"
    toml = ('[devices]\nisp = "isp.rsc"\na = "cpe.rsc"\nb = "cpe.rsc"\nc = "cpe.rsc"\nd = "cpe.rsc"\n[cables]\n'
            '"a:ether1" = "isp:ether2"\n"b:ether1" = "isp:ether3"\n')
    lab = _lab(tmp_path, toml, {"isp.rsc": isp, "cpe.rsc": cpe})
    s = lab.network().sessions
    assert [x.remote for x in s.pppoe] == [IP("100.64.0.11"), IP("100.64.0.10")]
    assert [f.reason for f in s.pppoe_failures] == ["no-server", "no-server"]  # c and d have no cable


# --- DHCP ------------------------------------------------------------------------------------------------


def test_dhcp_lease_from_a_lab_server_and_from_an_uplink(tmp_path):
    gw = (
        "/ip address\nadd address=192.168.50.1/24 interface=ether1\n"
        "/ip pool\nadd name=lan ranges=192.168.50.100-192.168.50.200\n"
        "/ip dhcp-server\nadd address-pool=lan interface=ether1 name=lan\n"
        "/ip dhcp-server network\nadd address=192.168.50.0/24 gateway=192.168.50.1\n"
        "/ip dhcp-client\nadd interface=ether2\n"
    )
    ap = "/ip dhcp-client\nadd interface=ether1\n"
    lab = _lab(tmp_path, '[devices]\ngw = "gw.rsc"\nap = "ap.rsc"\n[cables]\n"ap:ether1" = "gw:ether1"\n'
               '[uplinks]\n"gw:ether2" = "isp"\n', {"gw.rsc": gw, "ap.rsc": ap})
    s = lab.network().sessions
    leases = {x.device: x for x in s.dhcp}
    assert leases["ap"].address == IP("192.168.50.200") and leases["ap"].gateway == IP("192.168.50.1")
    assert leases["gw"].uplink.network == "isp" and leases["gw"].address is None
    assert s.dhcp_failures == []


# --- WireGuard ------------------------------------------------------------------------------------------


def test_article_wireguard_pair():
    lab, _ = load_lab(ARTICLE)
    (tunnel,) = lab.network().sessions.tunnels
    assert {tunnel.a.device, tunnel.b.device} == {"mtr1", "mtr3"}
    assert tunnel.how == "endpoint"
    assert tunnel.a_peer is not None and tunnel.b_peer is not None


def test_wireguard_pairs_by_keys_first(tmp_path):
    a_priv = "SDo6JbVzkExUMydt3QfqUmllzJvAvLx/LVa58bb88kA="
    b_priv = "oMasVtiXcLiS7CpWC4gCNQuLNQi61oTjwh1CGYNjGEQ="
    side = (
        '/interface wireguard\nadd listen-port=13231 name=wg1 private-key="{priv}"\n'
        '/interface wireguard peers\nadd allowed-address=172.16.9.9/32 interface=wg1 public-key="{peer}"\n'
        "/ip address\nadd address={addr} interface=wg1\n"
    )
    lab = _lab(tmp_path, '[devices]\na = "a.rsc"\nb = "b.rsc"\n', {
        "a.rsc": side.format(priv=a_priv, peer=public_key(b_priv), addr="10.1.0.1/30"),
        "b.rsc": side.format(priv=b_priv, peer=public_key(a_priv), addr="10.2.0.1/30"),
    })
    (tunnel,) = lab.network().sessions.tunnels
    assert tunnel.how == "keys"
    assert tunnel.a.public_key == public_key(a_priv)
