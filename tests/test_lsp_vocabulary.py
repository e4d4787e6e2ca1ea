"""The language server on RouterOS's whole command tree: completion and hover
of menus, commands and parameters, with the versions they exist in."""

from __future__ import annotations

from lsprotocol import types as lsp

from rosc.lsp.completion import completions
from rosc.lsp.document import analyze
from rosc.lsp.hover import hover
from rosc.lsp.positions import LineIndex


def at_end(text: str) -> lsp.Position:
    return LineIndex(text).position(len(text))


def complete(text: str) -> list[lsp.CompletionItem]:
    return completions(analyze(text, "t.rsc"), at_end(text))


def labels(items) -> set[str]:
    return {i.label for i in items}


def hover_text(text: str, needle: str, delta: int = 1) -> str:
    a = analyze(text, "t.rsc")
    offset = text.index(needle) + delta
    return hover(a, LineIndex(text).position(offset)).contents.value


def test_menus_and_parameters_of_the_whole_tree_complete():
    # menus and parameters the hand-written vocabulary never had
    assert {"forwarders", "adlist", "cache", "static"} <= labels(complete("/ip dns "))
    assert "flush" in labels(complete("/ip dns cache "))
    assert {"transport-addresses", "lsr-id", "vrf"} <= labels(complete("/mpls ldp add "))
    assert {"poe", "switch"} <= labels(complete("/interface ethernet "))  # hardware menus from the overlay


def test_completion_follows_abbreviations():
    assert {"bridge", "interface", "pvid"} <= labels(complete("/int bri port ad "))


def test_values_routeros_offers():
    assert {"arp", "none", "ping"} <= labels(complete("/ip route add check-gateway="))


def test_hover_shows_the_versions_a_parameter_exists_in():
    text = "/interface wireguard peers\nadd client-endpoint=vpn.example.com interface=wg0\n"
    value = hover_text(text, "client-endpoint")
    assert "**RouterOS:** 7.12-7.24" in value
    value = hover_text(text, "interface=")
    assert "**RouterOS:** 7.9-7.24" in value
    removed = "/ip route\nadd gateway=10.0.0.1 suppress-hw-offload=no\n"
    assert "**RouterOS:** 7.9-7.20" in hover_text(removed, "suppress-hw-offload")
    v6 = "/routing ospf instance\nset [ find default=yes ] redistribute-connected=as-type-1\n"
    assert "RouterOS 6 only" in hover_text(v6, "redistribute-connected")


def test_hover_says_when_the_target_version_lacks_it():
    text = "# 2023-06-01 10:00:00 by RouterOS 7.11.3\n/interface wireguard peers\nadd client-endpoint=x interface=wg0\n"
    value = hover_text(text, "client-endpoint")
    assert "appears in 7.12: not in RouterOS 7.11.3, which this file targets" in value
    menu = hover_text("# 2023-01-20 10:00:00 by RouterOS 7.7\n/interface wifi\n", "/interface wifi", 3)
    assert "**RouterOS:** 7.13-7.24" in menu and "not in RouterOS 7.7" in menu


def test_completion_marks_what_the_target_version_lacks():
    text = "# 2023-06-01 10:00:00 by RouterOS 7.11.3\n/interface wireguard peers\nadd "
    items = {i.label: i for i in complete(text)}
    assert items["client-endpoint"].tags == [lsp.CompletionItemTag.Deprecated]
    assert "appears in 7.12" in items["client-endpoint"].detail
    assert not items["allowed-address"].tags
