"""WireGuard checks: allowed-address overlaps, routes no peer allows,
incomplete endpoints, malformed keys."""

from __future__ import annotations

import pytest

from rosc.lint.engine import lint_bytes

from conftest import ARTICLE

K1 = "G+TUhlssysEJMu3SP9JvEuMwhO6oCMb/lXatjsQPXtU="
K2 = "C352j4AN/nOl5nSIcnkgkma6JntDfLFOohj1UUxWDr0="
K3 = "A1SEf0xNIojZ6VlR/MACI3AM8hLNak5wYNSDqBPeZIY="

WG = "/interface wireguard\nadd listen-port=13231 name=wg1\n/ip address\nadd address=10.0.0.1/24 interface=wg1\n"


def findings(text: str, code: str):
    return [d for d in lint_bytes(text.encode(), "t.rsc").diagnostics if d.code == code]


def wg_codes(text: str) -> list[str]:
    """The findings of WG001-WG005 (this file's rules; WG006-WG009 are tests/test_checks_wireguard_paths.py:
    these snippets have no routes into their tunnels)."""
    return sorted(d.code for d in lint_bytes(text.encode(), "t.rsc").diagnostics if d.code in _RULES)


_RULES = ("WG001", "WG002", "WG003", "WG004", "WG005")


def peer(allowed: str, key: str = K1, extra: str = "", iface: str = "wg1") -> str:
    return f'/interface wireguard peers\nadd allowed-address={allowed} interface={iface} public-key="{key}" {extra}\n'


# --- the article lab ----------------------------------------------------------


@pytest.mark.parametrize("name", ["mtr1.rsc", "mtr3.rsc"])
def test_article_wireguard_sites_are_clean(name):
    diags = lint_bytes((ARTICLE / name).read_bytes(), name).diagnostics
    assert [d for d in diags if d.code.startswith("WG")] == []


# --- WG001 / WG002: overlapping allowed-address -----------------------------


def test_same_prefix_on_two_peers():
    text = WG + peer("10.0.0.2/32,192.168.3.0/24") + peer("10.0.0.3/32,192.168.3.0/24", K2)
    [d] = findings(text, "WG001")
    assert "192.168.3.0/24 is already allowed for peer G+TUhlss... (line 6) on wg1" in d.message
    assert d.span.line == 8
    # the finding points at the element, not the whole list
    assert text.splitlines()[7][d.span.column - 1 : d.span.end_column - 1] == "192.168.3.0/24"
    assert findings(text, "WG002") == []


def test_same_prefix_written_with_host_bits():
    text = WG + peer("192.168.3.0/24") + peer("192.168.3.77/24", K2)
    assert len(findings(text, "WG001")) == 1


def test_nested_prefix_on_another_peer():
    text = WG + peer("0.0.0.0/0") + peer("10.0.0.2/32", K2)
    [d] = findings(text, "WG002")
    assert "10.0.0.2/32 lies inside 0.0.0.0/0" in d.message
    assert findings(text, "WG001") == []


def test_nested_prefix_found_past_same_peer_entries():
    # The innermost containing prefix belongs to the same peer; an outer one does not.
    text = WG + peer("10.0.0.0/8", K1) + peer("10.1.0.0/16,10.1.2.0/24", K2)
    msgs = [d.message for d in findings(text, "WG002")]
    assert len(msgs) == 2 and all("inside 10.0.0.0/8" in m for m in msgs)


def test_same_prefix_twice_on_one_peer_is_not_an_overlap():
    text = WG + peer("10.0.0.2/32,10.0.0.2/32,192.168.0.0/16,192.168.1.0/24")
    assert wg_codes(text) == []


def test_overlap_on_different_interfaces_is_fine():
    text = (
        WG
        + "/interface wireguard\nadd listen-port=13232 name=wg2\n"
        + peer("192.168.3.0/24")
        + peer("192.168.3.0/24", K2, iface="wg2")
    )
    assert wg_codes(text) == []


def test_disabled_peer_does_not_overlap():
    text = WG + peer("192.168.3.0/24") + peer("192.168.3.0/24", K2, "disabled=yes")
    assert wg_codes(text) == []


def test_disabled_later_by_set_find():
    text = (
        WG + peer("192.168.3.0/24") + peer("192.168.3.0/24", K2)
        + f'/interface wireguard peers set [ find public-key="{K2}" ] disabled=yes\n'
    )
    assert wg_codes(text) == []


def test_ipv6_overlap():
    text = WG + peer("fd00::/64") + peer("fd00::/64,fd00:0:0:1::/64,fd00:0:1::/64", K2) + peer("fd00::/48", K3)
    assert len(findings(text, "WG001")) == 1  # fd00::/64 on K1 and K2
    messages = sorted(d.message.split(",")[0] for d in findings(text, "WG002"))
    # fd00::/64 (first seen on K1) and fd00:0:0:1::/64 lie inside fd00::/48; fd00:0:1::/64 does not
    assert messages == ["fd00:0:0:1::/64 lies inside fd00::/48", "fd00::/64 lies inside fd00::/48"]


def test_ipv4_and_ipv6_do_not_mix():
    text = WG + peer("0.0.0.0/0") + peer("::/0", K2)
    assert wg_codes(text) == []


def test_computed_allowed_address_is_skipped():
    text = ":global lan 192.168.3.0/24\n" + WG + peer("$lan") + peer("192.168.3.0/24", K2)
    assert wg_codes(text) == []


def test_overlap_sweep_is_fast():
    import time

    peers = "".join(
        f'add allowed-address=10.{i // 250}.{i % 250}.0/24 interface=wg1 public-key="{K1}"\n' for i in range(20000)
    )
    wide = f'add allowed-address=10.0.0.0/8 interface=wg1 public-key="{K2}"\n'
    text = WG + "/interface wireguard peers\n" + peers + wide
    start = time.perf_counter()
    assert len(findings(text, "WG002")) == 20000
    assert time.perf_counter() - start < 20


# --- WG003: routes into WireGuard that no peer allows -------------------------


def test_route_by_interface_not_allowed():
    text = WG + peer("10.0.0.2/32,192.168.3.0/24") + "/ip route\nadd dst-address=192.168.5.0/24 gateway=wg1\n"
    [d] = findings(text, "WG003")
    assert d.message == (
        "the route to 192.168.5.0/24 goes into wg1, but no peer of wg1 allows 192.168.5.0/24 in "
        "allowed-address: packets are dropped"
    )
    assert d.span.line == 8


def test_route_by_gateway_address_in_wireguard_subnet():
    text = WG + peer("10.0.0.2/32") + "/ip route\nadd dst-address=192.168.5.0/24 gateway=10.0.0.2\n"
    [d] = findings(text, "WG003")
    assert "goes into wg1 (gateway 10.0.0.2)" in d.message


def test_route_with_gateway_percent_interface():
    text = WG + peer("10.0.0.2/32") + "/ip route\nadd dst-address=192.168.5.0/24 gateway=10.0.0.2%wg1\n"
    assert len(findings(text, "WG003")) == 1


def test_allowed_route_is_fine():
    text = WG + peer("10.0.0.2/32,192.168.0.0/16") + "/ip route\nadd dst-address=192.168.5.0/24 gateway=wg1\n"
    assert wg_codes(text) == []


def test_route_covered_by_two_peers_together():
    text = (
        WG + peer("192.168.4.0/24") + peer("192.168.5.0/24", K2)
        + "/ip route\nadd dst-address=192.168.4.0/23 gateway=wg1\n"
    )
    assert wg_codes(text) == []


def test_default_route_partly_allowed():
    text = WG + peer("10.0.0.2/32,192.168.3.0/24") + "/ip route\nadd gateway=wg1\n"
    [d] = findings(text, "WG003")
    assert "allow only part of it (10.0.0.2/32, 192.168.3.0/24)" in d.message
    assert "the route to 0.0.0.0/0" in d.message


def test_default_route_with_full_tunnel_peer():
    text = WG + peer("0.0.0.0/0") + "/ip route\nadd dst-address=0.0.0.0/0 gateway=wg1 routing-table=vpn\n"
    assert wg_codes(text) == []


def test_only_a_disabled_peer_allows_it():
    text = WG + peer("192.168.5.0/24", extra="disabled=yes") + "/ip route\nadd dst-address=192.168.5.0/24 gateway=wg1\n"
    [d] = findings(text, "WG003")
    assert "only a disabled peer" in d.message


def test_interface_without_peers():
    text = WG + "/ip route\nadd dst-address=192.168.5.0/24 gateway=wg1\n"
    [d] = findings(text, "WG003")
    assert "wg1 has no peers" in d.message


def test_disabled_route_and_disabled_interface_are_skipped():
    text = WG + peer("10.0.0.2/32") + "/ip route\nadd disabled=yes dst-address=192.168.5.0/24 gateway=wg1\n"
    assert wg_codes(text) == []
    text = WG + "/interface wireguard set wg1 disabled=yes\n" + peer("10.0.0.2/32") + (
        "/ip route\nadd dst-address=192.168.5.0/24 gateway=wg1\n"
    )
    assert wg_codes(text) == []


def test_route_elsewhere_is_not_checked():
    text = WG + peer("10.0.0.2/32") + "/ip route\nadd dst-address=192.168.5.0/24 gateway=ether2\n"
    assert wg_codes(text) == []


def test_unresolved_peer_edit_makes_route_check_quiet():
    text = (
        WG + peer("10.0.0.2/32") + "/interface wireguard peers set 7 allowed-address=0.0.0.0/0\n"
        + "/ip route\nadd dst-address=192.168.5.0/24 gateway=wg1\n"
    )
    assert findings(text, "WG003") == []


def test_ipv6_route_into_wireguard():
    text = WG + peer("fd00::2/128") + "/ipv6 route\nadd dst-address=fd01::/64 gateway=wg1\n"
    # /ipv6 route is not modelled by Facts.routes (IPv4 only): stays quiet
    assert findings(text, "WG003") == []


def test_peer_allowed_later_by_set():
    text = (
        WG + peer("10.0.0.2/32") + f'/interface wireguard peers set [ find public-key="{K1}" ] '
        "allowed-address=10.0.0.2/32,192.168.5.0/24\n/ip route\nadd dst-address=192.168.5.0/24 gateway=wg1\n"
    )
    assert wg_codes(text) == []


# --- WG004: incomplete endpoint ---------------------------------------------------


def test_endpoint_address_without_port():
    text = WG + peer("10.0.0.2/32", extra="endpoint-address=122.0.0.253")
    [d] = findings(text, "WG004")
    assert "has endpoint-address 122.0.0.253 but no endpoint-port" in d.message


def test_endpoint_host_name_without_port():
    text = WG + peer("10.0.0.2/32", extra="endpoint-address=vpn.example.com")
    assert len(findings(text, "WG004")) == 1


def test_endpoint_port_without_address():
    text = WG + peer("10.0.0.2/32", extra="endpoint-port=13231")
    [d] = findings(text, "WG004")
    assert "has endpoint-port 13231 but no endpoint-address" in d.message


def test_endpoint_complete_or_absent_is_fine():
    assert wg_codes(WG + peer("10.0.0.2/32", extra="endpoint-address=1.2.3.4 endpoint-port=51820")) == []
    assert wg_codes(WG + peer("10.0.0.2/32", extra="persistent-keepalive=25s")) == []


def test_endpoint_port_added_by_set():
    text = (
        WG + peer("10.0.0.2/32", extra="endpoint-address=1.2.3.4")
        + f'/interface wireguard peers set [ find public-key="{K1}" ] endpoint-port=13231\n'
    )
    assert wg_codes(text) == []


def test_endpoint_on_disabled_peer_is_skipped():
    assert wg_codes(WG + peer("10.0.0.2/32", extra="endpoint-address=1.2.3.4 disabled=yes")) == []


def test_endpoint_from_variable_is_skipped():
    text = ":global ep 1.2.3.4\n" + WG + peer("10.0.0.2/32", extra="endpoint-address=$ep endpoint-port=13231")
    assert wg_codes(text) == []


# --- WG005: keys -----------------------------------------------------------------


@pytest.mark.parametrize(
    "key, words",
    [
        ("G+TUhlssysEJMu3SP9JvEuMwhO6oCMb/lXatj", "is 37 characters long, not 44"),
        ("G+TUhlssysEJMu3SP9JvEuMwhO6oCMb/lXatjsQPXtU", "is 43 characters long, not 44"),
        ("G+TUhlssysEJMu3SP9JvEuMwhO6oCMb/lXatjsQPXtU==", "is 45 characters long, not 44"),
        ("G+TUhlssysEJMu3SP9JvEuMwhO6oCMb/lXatjsQPX-U=", "is not base64"),
        ("G+TUhlssysEJMu3SP9JvEuMwhO6oCMb/lXatjsQPXtUA", "is not base64"),
        ("G+TUhlssysEJMu3SP9JvEuMwhO6oCMb/lXatjsQPXtV=", "does not encode exactly 32 bytes"),
        ("", "is 0 characters long"),
    ],
)
def test_bad_public_key(key, words):
    [d] = findings(WG + peer("10.0.0.2/32", key=key), "WG005")
    assert words in d.message and "public-key" in d.message


def test_private_and_preshared_keys_are_never_printed():
    secret = "xSecretValueThatIsTooShort"
    text = (
        f'/interface wireguard\nadd listen-port=13231 name=wg1 private-key="{secret}"\n'
        + peer("10.0.0.2/32", extra=f'preshared-key="{secret}"')
    )
    found = findings(text, "WG005")
    assert {("private-key" in d.message, "preshared-key" in d.message) for d in found} == {(True, False), (False, True)}
    for d in found:
        assert secret not in d.message and all(secret not in n for n in d.notes) and secret not in (d.fix or "")


def test_auto_and_empty_keys_are_fine():
    text = WG + peer("10.0.0.2/32", extra='preshared-key=auto private-key=auto')
    assert wg_codes(text) == []
    text = WG + peer("10.0.0.2/32", extra='preshared-key=""')
    assert wg_codes(text) == []


def test_valid_keys_are_fine():
    text = f'/interface wireguard\nadd listen-port=13231 name=wg1 private-key="{K3}"\n' + peer(
        "10.0.0.2/32", extra=f'preshared-key="{K2}"'
    )
    assert wg_codes(text) == []


def test_bad_key_set_later_points_at_the_set():
    text = WG + peer("10.0.0.2/32") + f'/interface wireguard peers set [ find public-key="{K1}" ] public-key="abc"\n'
    [d] = findings(text, "WG005")
    assert d.span.line == 7
