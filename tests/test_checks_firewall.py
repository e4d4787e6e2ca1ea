"""The firewall order checks (FW001–FW005) on full configurations: the
default configuration (silent), the default configuration with one
realistic edit, an ISP edge router and a road-warrior WireGuard server."""

from __future__ import annotations

from pathlib import Path

import pytest

from rosc.lint.engine import lint_bytes

CONFIGS = Path(__file__).parent / "firewall_configs"
DEFCONF = (CONFIGS / "defconf.rsc").read_text()
ISP_EDGE = (CONFIGS / "isp_edge.rsc").read_text()
ROAD_WARRIOR = (CONFIGS / "road_warrior.rsc").read_text()
FW = ("FW001", "FW002", "FW003", "FW004", "FW005")


def findings(text: str) -> list[tuple[str, int, str]]:
    result = lint_bytes(text.encode(), "t.rsc")
    return [(d.code, d.span.line, d.message) for d in result.diagnostics if d.code in FW]


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def insert_after(text: str, fragment: str, new: str) -> str:
    lines = text.splitlines(keepends=True)
    at = line_of(text, fragment)
    return "".join(lines[:at] + [new + "\n"] + lines[at:])


def replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize("text", [DEFCONF, ISP_EDGE, ROAD_WARRIOR], ids=["defconf", "isp-edge", "road-warrior"])
def test_silent_on_the_good_configurations(text):
    assert findings(text) == []


def test_defconf_vpn_accept_appended_after_the_drop():
    # The usual edit: `/ip firewall filter add ...` appends the WireGuard accept at the end of input.
    text = DEFCONF + "/ip firewall filter\nadd action=accept chain=input in-interface-list=WAN protocol=udp dst-port=51820\n"
    drop = line_of(text, "drop all not coming from LAN")
    assert [(c, line) for c, line, _ in findings(text)] == [("FW001", len(text.splitlines()))]
    message = findings(text)[0][2]
    assert f"line {drop} (drop)" in message and "never runs" in message


def test_defconf_fasttrack_moved_below_the_accept():
    text = replace(DEFCONF, 'add action=fasttrack-connection chain=forward comment="defconf: fasttrack" '
                   "connection-state=established,related hw-offload=yes\n", "")
    text = insert_after(text, "defconf: accept established,related, untracked",
                        "add action=fasttrack-connection chain=forward connection-state=established,related")
    assert [(c, line) for c, line, _ in findings(text)] == [
        ("FW001", line_of(text, "action=fasttrack-connection"))]


def test_defconf_wan_drop_at_the_top_of_forward():
    text = insert_after(DEFCONF, "drop all not coming from LAN",
                        'add action=drop chain=forward in-interface-list=WAN comment="no inbound"')
    found = findings(text)
    # The defconf drop of WAN traffic not dst-natted is now covered by the new drop too.
    assert [(c, line) for c, line, _ in found] == [("FW004", line_of(text, "no inbound")),
                                                   ("FW001", line_of(text, "drop all from WAN not DSTNATed"))]
    assert "arriving on ether1" in found[0][2] and "LAN's connections" in found[0][2]


def test_defconf_input_drop_without_the_lan_exception_locks_out():
    text = replace(DEFCONF, "add action=drop chain=input comment=\"defconf: drop all not coming from LAN\" "
                   "in-interface-list=!LAN", "add action=drop chain=input comment=\"drop all\"")
    found = findings(text)
    at = line_of(text, 'comment="drop all"')
    assert [(c, line) for c, line, _ in found] == [("FW005", at), ("FW005", at)]
    assert "WebFig (tcp 80), SSH (tcp 22), WinBox (tcp 8291)" in found[0][2]
    assert "DNS (udp 53)" in found[1][2] and "bridge (192.168.88.0/24)" in found[1][2]


def test_defconf_services_on_other_ports_and_disabled():
    text = replace(DEFCONF, "add action=drop chain=input comment=\"defconf: drop all not coming from LAN\" "
                   "in-interface-list=!LAN", "add action=accept chain=input in-interface-list=LAN protocol=tcp "
                   "dst-port=2222,8291\nadd action=drop chain=input")
    text += "/ip service\nset ssh port=2200\nset www disabled=yes\n/ip dns\nset allow-remote-requests=no\n"
    found = findings(text)
    assert len(found) == 1 and "SSH (tcp 2200)" in found[0][2] and "WinBox" not in found[0][2]
    assert findings(text + "/ip service\nset ssh port=2222\n") == []


def test_isp_edge_duplicate_and_rule_after_the_final_drop():
    text = insert_after(ISP_EDGE, "BGP from transit",
                        'add action=accept chain=input protocol=tcp dst-port=179 src-address=198.51.100.1 comment="BGP"')
    text = insert_after(text, "dst-address=203.0.113.0/24",
                        "add action=drop chain=forward\nadd action=accept chain=forward protocol=gre")
    found = [(c, line) for c, line, _ in findings(text)]
    assert found == [("FW002", line_of(text, 'comment="BGP"')), ("FW003", line_of(text, "protocol=gre"))]


def test_isp_edge_management_only_from_the_noc_port_is_not_a_lockout():
    # ether1 (MGMT, in the NOC list) keeps SSH and WinBox: the customers' LAN not reaching them is the point.
    assert findings(ISP_EDGE) == []
    cut = replace(ISP_EDGE, 'add action=accept chain=input src-address-list=noc comment="NOC"\n', "")
    cut = replace(cut, 'add action=accept chain=input in-interface=ether1 protocol=tcp dst-port=22 comment="SSH from mgmt port"\n', "")
    assert [c for c, _, _ in findings(cut)] == ["FW005"]


def test_road_warrior_restricted_to_the_tunnel_loses_lan_dns():
    text = replace(ROAD_WARRIOR, "add action=drop chain=input in-interface-list=!LAN",
                   "add action=drop chain=input in-interface=!wg-rw")
    found = findings(text)
    assert [(c, line) for c, line, _ in found] == [("FW005", line_of(text, "in-interface=!wg-rw"))]
    assert "DNS (udp 53)" in found[0][2] and "bridge-lan" in found[0][2]  # management still works over wg-rw


def test_road_warrior_input_drop_before_established():
    text = replace(ROAD_WARRIOR, "add action=accept chain=input connection-state=established,related,untracked\n",
                   "")
    text = insert_after(text, "add action=drop chain=input in-interface-list=!LAN",
                        "add action=accept chain=input connection-state=established,related")
    found = findings(text)
    assert [c for c, _, _ in found] == ["FW004"]
    assert "router's own connections" in found[0][2]


def test_jump_rules_are_never_shadowed_or_shadowing():
    text = DEFCONF + (
        "/ip firewall filter\n"
        "add action=jump chain=forward jump-target=icmp protocol=icmp place-before=0\n"
    )
    assert findings(text) == []  # place-before: the order is not the file's, nothing is claimed
    text = replace(DEFCONF, 'add action=accept chain=forward comment="defconf: accept in ipsec policy"',
                   "add action=jump chain=forward jump-target=icmp protocol=icmp\n"
                   'add action=accept chain=forward comment="defconf: accept in ipsec policy"')
    text += ("/ip firewall filter\nadd action=accept chain=icmp icmp-options=8:0 protocol=icmp\n"
             "add action=drop chain=icmp protocol=icmp\n")
    assert findings(text) == []


def test_a_limit_or_unknown_matcher_never_makes_a_rule_dead():
    text = DEFCONF + ("/ip firewall filter\n"
                      "add action=accept chain=input protocol=tcp dst-port=22 limit=5/1m,5:packet place-before=4\n")
    assert findings(text) == []
    text = replace(DEFCONF, 'add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid',
                   'add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid\n'
                   "add action=drop chain=input protocol=tcp dst-port=22 src-address-list=ssh_blacklist\n"
                   "add action=add-src-to-address-list address-list=ssh_blacklist address-list-timeout=1d chain=input "
                   "protocol=tcp dst-port=22 connection-state=new src-address-list=ssh_stage1\n"
                   "add action=drop chain=input protocol=tcp dst-port=22 src-address-list=ssh_blacklist")
    assert findings(text) == []  # the list changed between the two drops: not a duplicate
