"""The firewall checks of interfaces, NAT, chains and marks (FW020–FW033) on
full configurations: the default configuration, a home edge router on PPPoE
with a guest VLAN, a port forward, hairpin NAT and queues, and the
road-warrior WireGuard server of the FW001–FW005 tests; each silent as
written, each broken by one realistic edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from rosc.lint.engine import lint_bytes

HERE = Path(__file__).parent
DEFCONF = (HERE / "firewall_b_configs" / "defconf.rsc").read_text()
PPPOE_EDGE = (HERE / "firewall_b_configs" / "pppoe_edge.rsc").read_text()
ROAD_WARRIOR = (HERE / "firewall_configs" / "road_warrior.rsc").read_text()
FW = tuple(f"FW0{n}" for n in range(20, 34))


def findings(text: str) -> list[tuple[str, int, str]]:
    result = lint_bytes(text.encode(), "t.rsc")
    return [(d.code, d.span.line, " ".join([d.message, *d.notes])) for d in result.diagnostics if d.code in FW]


def codes(text: str) -> list[tuple[str, int]]:
    return [(code, line) for code, line, _ in findings(text)]


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def drop_line(text: str, fragment: str) -> str:
    lines = text.splitlines(keepends=True)
    del lines[line_of(text, fragment) - 1]
    return "".join(lines)


@pytest.mark.parametrize("text", [DEFCONF, PPPOE_EDGE, ROAD_WARRIOR], ids=["defconf", "pppoe-edge", "road-warrior"])
def test_silent_on_the_good_configurations(text):
    assert findings(text) == []


# --- FW020, FW021: the PPPoE uplink -------------------------------------------------------------------------


def test_pppoe_edge_forward_drop_written_for_the_port():
    text = replace(PPPOE_EDGE, "connection-state=new in-interface-list=WAN", "connection-state=new in-interface=ether1")
    assert codes(text) == [("FW020", line_of(text, "in-interface=ether1"))]
    assert "on pppoe-out1" in findings(text)[0][2]


def test_defconf_switched_to_pppoe_without_adding_it_to_wan():
    # The usual edit: the ISP moves to PPPoE; the client is added over ether1, the DHCP client removed.
    text = replace(DEFCONF, "/ip dhcp-client\nadd comment=defconf interface=ether1\n", "")
    text = replace(text, "/interface list member\n", "/interface pppoe-client\nadd add-default-route=yes disabled=no "
                   "interface=ether1 name=pppoe-out1 user=customer42\n/interface list member\n")
    [(drop_code, drop_line_, drop_message), (code, line, message)] = findings(text)
    assert (code, line) == ("FW021", line_of(text, "defconf: masquerade"))
    assert "pppoe-out1" in message and "192.168.88.0/24 (bridge)" in message
    # the defconf WAN drop in forward does not hold pppoe-out1 either
    assert (drop_code, drop_line_) == ("FW033", line_of(text, "drop all from WAN not DSTNATed"))
    assert "pppoe-out1 runs over ether1 but is not ether1" in drop_message
    fixed = replace(text, "add comment=defconf interface=ether1 list=WAN\n",
                    "add comment=defconf interface=ether1 list=WAN\nadd interface=pppoe-out1 list=WAN\n")
    assert findings(fixed) == []


def test_pppoe_edge_uplink_left_out_of_wan():
    text = drop_line(PPPOE_EDGE, "add interface=pppoe-out1 list=WAN")
    assert codes(text) == [("FW033", line_of(text, "connection-state=new in-interface-list=WAN")),
                           ("FW021", line_of(text, "add action=masquerade chain=srcnat out-interface-list=WAN"))]


def test_no_fw021_while_two_default_routes_tie():
    text = drop_line(PPPOE_EDGE, "add interface=pppoe-out1 list=WAN")
    text = replace(text, "/ip dns\n", "/ip dhcp-client\nadd interface=ether5\n/ip dns\n")
    assert [c for c, _ in codes(text)] == []


# --- FW022–FW025: NAT --------------------------------------------------------------------------------------


def test_defconf_masquerade_limited_to_an_old_lan_prefix():
    text = replace(DEFCONF, "ipsec-policy=out,none out-interface-list=WAN",
                   "ipsec-policy=out,none out-interface-list=WAN src-address=192.168.1.0/24")
    [(code, line, message)] = findings(text)
    assert (code, line) == ("FW022", line_of(text, "src-address=192.168.1.0/24"))
    assert "The router's LAN networks: 192.168.88.0/24 (bridge)." in message


def test_masquerade_of_a_routed_network_is_not_reported():
    text = replace(DEFCONF, "ipsec-policy=out,none out-interface-list=WAN",
                   "ipsec-policy=out,none out-interface-list=WAN src-address=10.50.0.0/16")
    text += "/ip route\nadd dst-address=10.50.0.0/16 gateway=192.168.88.2\n"
    assert findings(text) == []


def test_road_warrior_port_forward_to_a_mistyped_address():
    nas = ("/ip address\nadd address=198.51.100.10/29 interface=ether1\n/ip firewall nat\n"
           "add action=dst-nat chain=dstnat dst-address=198.51.100.10 dst-port=443 protocol=tcp "
           "to-addresses=192.168.5.20 comment=NAS\n")
    text = replace(ROAD_WARRIOR, "/ip dhcp-client\nadd interface=ether1\n",
                   "/ip route\nadd gateway=198.51.100.9\n") + nas
    found = codes(text)
    assert ("FW023", line_of(text, "to-addresses=192.168.5.20")) in found
    # the road-warrior forward chain ends in `drop`: the forward itself is dropped too
    assert ("FW024", line_of(text, "to-addresses=192.168.5.20")) in found


def test_road_warrior_port_forward_dropped_by_the_final_forward_drop():
    text = ROAD_WARRIOR + ("/ip firewall nat\nadd action=dst-nat chain=dstnat dst-port=8443 in-interface-list=WAN "
                           "protocol=tcp to-addresses=192.168.50.20 to-ports=443\n")
    [(code, line, message)] = findings(text)
    assert (code, line) == ("FW024", line_of(text, "to-addresses=192.168.50.20"))
    drop = max(n for n, l in enumerate(text.splitlines(), 1) if l == "add action=drop chain=forward")
    assert f"line {drop} (drop)" in message
    accepted = replace(text, "add action=drop chain=forward\n",
                       "add action=accept chain=forward connection-nat-state=dstnat\nadd action=drop chain=forward\n")
    assert findings(accepted) == []


def test_defconf_port_forward_passes_the_dstnat_exception():
    text = DEFCONF + ("/ip firewall nat\nadd action=dst-nat chain=dstnat dst-port=8443 in-interface-list=WAN "
                      "protocol=tcp to-addresses=192.168.88.20 to-ports=443\n")
    assert findings(text) == []
    broken = replace(text, "connection-nat-state=!dstnat connection-state=new in-interface-list=WAN",
                     "connection-state=new in-interface-list=WAN")
    assert [c for c, _ in codes(broken)] == ["FW024"]


def test_pppoe_edge_hairpin_rule_removed():
    text = drop_line(PPPOE_EDGE, "hairpin to the NAS")
    [(code, line, message)] = findings(text)
    assert (code, line) == ("FW025", line_of(text, "NAS from the LAN"))
    assert "192.168.10.20" in message


def test_dst_nat_only_from_the_wan_needs_no_hairpin():
    text = drop_line(drop_line(PPPOE_EDGE, "hairpin to the NAS"), "NAS from the LAN")
    assert findings(text) == []


# --- FW026–FW028: chains -----------------------------------------------------------------------------------


def test_pppoe_edge_jump_target_misspelt():
    text = replace(PPPOE_EDGE, "jump-target=guest ", "jump-target=guests ")
    assert codes(text) == [("FW026", line_of(text, "jump-target=guests")),
                           ("FW027", line_of(text, "chain=guest out-interface=bridge-lan"))]


def test_pppoe_edge_jump_disabled_leaves_the_chain_unused():
    text = replace(PPPOE_EDGE, "add action=jump chain=forward", "add action=jump chain=forward disabled=yes")
    [(code, line, message)] = findings(text)
    assert (code, line) == ("FW027", line_of(text, "chain=guest out-interface=bridge-lan"))
    assert "has 2 rules" in message


def test_return_written_in_forward_instead_of_the_guest_chain():
    text = replace(PPPOE_EDGE, "add action=return chain=guest", "add action=return chain=forward")
    assert codes(text) == [("FW028", line_of(text, "action=return chain=forward"))]


def test_script_fragment_with_a_custom_chain_only():
    # a script applied to a router with rules of its own: the jump may be there
    text = "/ip firewall filter\nadd action=drop chain=ssh-guard src-address-list=blocked\n"
    assert findings(text) == []


# --- FW029–FW032: marks, FastTrack ----------------------------------------------------------------------------

POLICY = ("/ip address\nadd address=10.20.0.2/24 interface=ether5\n/routing table\nadd fib name=via-isp2\n"
          "/ip route\nadd gateway=10.20.0.1 routing-table=via-isp2\n/ip firewall mangle\n"
          "add action=mark-routing chain={chain} new-routing-mark=via-isp2 passthrough=no src-address=192.168.88.50\n")


def test_defconf_policy_routing_in_forward_and_fasttrack():
    text = DEFCONF + POLICY.format(chain="forward")
    assert codes(text) == [("FW029", line_of(text, "action=mark-routing chain=forward"))]
    moved = DEFCONF + POLICY.format(chain="prerouting")
    [(code, line, message)] = findings(moved)
    assert (code, line) == ("FW030", line_of(moved, "defconf: fasttrack"))
    assert "via-isp2" in message
    excluded = replace(moved, 'comment="defconf: fasttrack" connection-state',
                       'comment="defconf: fasttrack" connection-mark=no-mark connection-state')
    assert findings(excluded) == []


def test_mark_routing_in_a_chain_entered_from_forward():
    text = DEFCONF + POLICY.format(chain="pbr").replace(
        "/ip firewall mangle\n", "/ip firewall mangle\nadd action=jump chain=forward jump-target=pbr\n")
    assert [c for c, _ in codes(text)] == ["FW029"]


def test_defconf_with_a_simple_queue():
    text = DEFCONF + "/queue simple\nadd max-limit=10M/10M name=kids target=192.168.88.128/25\n"
    assert codes(text) == [("FW031", line_of(text, "defconf: fasttrack"))]


def test_pppoe_edge_fasttrack_added_above_the_accept():
    text = replace(PPPOE_EDGE, "add action=accept chain=forward connection-state=established,related,untracked",
                   "add action=fasttrack-connection chain=forward connection-state=established,related\n"
                   "add action=accept chain=forward connection-state=established,related,untracked")
    assert codes(text) == [("FW031", line_of(text, "fasttrack-connection"))]


def test_pppoe_edge_queue_for_a_misspelt_mark():
    text = replace(PPPOE_EDGE, "packet-mark=guest-down parent", "packet-mark=guest-dn parent")
    [(code, line, message)] = findings(text)
    assert (code, line) == ("FW032", line_of(text, "packet-mark=guest-dn"))
    assert "Marks of this kind the file sets: guest-down, guest-up." in message


def test_marks_from_a_scripted_mangle_rule_are_unknown():
    text = replace(PPPOE_EDGE, "packet-mark=guest-down parent", "packet-mark=guest-dn parent")
    text += '/system scheduler\nadd name=m on-event="/ip firewall mangle add chain=forward action=mark-packet ' \
            'new-packet-mark=guest-dn" start-time=startup\n'
    assert findings(text) == []


def test_bad_input_is_no_traceback():
    text = PPPOE_EDGE + '/ip firewall filter\nadd action=jump chain=forward jump-target=$x\nadd chain=\n' \
        "add action=dst-nat chain=dstnat to-addresses=300.1.1.1\n/ip firewall nat\nadd action=dst-nat chain=dstnat " \
        "to-addresses=10.0.0.1-10.0.0.0 dst-port=abc\n"
    findings(text)


def test_chain_a_ppp_profile_filters_through_is_jumped_to_by_routeros():
    text = PPPOE_EDGE + ("/ppp profile\nadd name=vpn-users incoming-filter=vpn-in\n/ip firewall filter\n"
                         "add action=drop chain=vpn-in dst-address=192.168.30.0/24\n")
    assert findings(text) == []
    unlisted = replace(text, "incoming-filter=vpn-in", "local-address=10.9.0.1")
    assert [c for c, _ in codes(unlisted)] == ["FW027"]
