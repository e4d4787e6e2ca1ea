"""Reference checks (REF001-REF011): undefined names, duplicate names, bridge
ports in two bridges, IP configuration on a bridge port."""

from __future__ import annotations

import pytest

from conftest import ARTICLE
from rosc.diagnostics import Severity
from rosc.lint.engine import lint_bytes
from lint_helpers import diags, findings, only, pointed


# An /export header: the file is a whole configuration, so every name must be defined in it (the fragment
# policy, rules/REF001.md).
EXPORT = "# 2025-01-10 08:00:00 by RouterOS 7.16.2\n"


def ref_codes(text: str) -> list[str]:
    return sorted(d.code for d in diags(text) if d.code.startswith("REF"))


@pytest.mark.parametrize("path", sorted(ARTICLE.glob("*.rsc")), ids=lambda p: p.name)
def test_article_lab_is_clean(path):
    assert [d.code for d in lint_bytes(path.read_bytes(), path.name).diagnostics if d.code.startswith("REF")] == []


# --- REF001 undefined-interface ------------------------------------------------------


def test_undefined_vlan_parent():
    text = "/interface bridge\nadd name=lan-bridge\n/interface vlan\nadd interface=lan-brigde name=v10 vlan-id=10\n"
    d = only(text, "REF001")
    assert d.message == "interface=lan-brigde names an interface that is not defined in this file"
    assert pointed(text, d) == "lan-brigde"
    assert d.severity is Severity.ERROR


@pytest.mark.parametrize("name", ["ether1", "sfp-sfpplus1", "wlan1", "wifi2", "lte1", "lo", "sfp1", "combo1",
                                  "qsfp28-1-1", "all-ppp", "<pppoe-user1>"])
def test_builtin_and_dynamic_interfaces_exist(name):
    assert ref_codes(f"/ip firewall filter\nadd chain=forward in-interface={name} action=accept\n") == []


def test_negated_firewall_interface_points_past_the_bang():
    text = EXPORT + "/ip firewall filter\nadd action=drop chain=input in-interface=!wan\n"
    d = only(text, "REF001")
    assert pointed(text, d) == "wan"


def test_every_kind_of_interface_defines_a_name():
    text = (
        "/interface pppoe-client\nadd interface=ether1 name=pppoe-out user=u password=verylongpass\n"
        "/interface wireguard\nadd name=wg1\n/interface bonding\nadd name=bond1 slaves=ether2,ether3\n"
        "/interface eoip\nadd name=eoip1 remote-address=192.0.2.1 tunnel-id=1\n"
        "/interface veth\nadd address=172.17.0.2/24 gateway=172.17.0.1 name=veth1\n"
        "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=pppoe-out\n"
        "/ip address\nadd address=10.0.0.1/30 interface=wg1\nadd address=10.0.1.1/30 interface=bond1\n"
        "add address=10.0.2.1/30 interface=eoip1\nadd address=172.17.0.1/24 interface=veth1\n"
    )
    assert ref_codes(text) == []


def test_bonding_slaves_are_checked_one_by_one():
    text = "/interface bonding\nadd name=bond1 slaves=ether2,eth3\n"
    d = only(text, "REF001")
    assert pointed(text, d) == "eth3"


def test_route_gateway_interface():
    text = EXPORT + (
        "/ip route\nadd dst-address=10.1.0.0/16 gateway=pppoe-out2\n"
        "add dst-address=10.2.0.0/16 gateway=10.0.0.9%ether9\nadd dst-address=10.3.0.0/16 gateway=10.0.0.9%wan\n"
        "/ip address\nadd address=10.0.0.1/24 interface=ether9\n"
    )
    found = findings(text, "REF001")
    assert [pointed(text, d) for d in found] == ["pppoe-out2", "wan"]


def test_route_gateway_with_routing_table_is_an_address():
    text = "/ip address\nadd address=10.0.0.1/24 interface=ether2\n/ip route\nadd gateway=10.0.0.9@main\n"
    assert ref_codes(text) == []


def test_renamed_port_old_name_is_gone():
    text = (
        "/interface ethernet\nset [ find default-name=ether1 ] name=wan\n"
        "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n"
    )
    d = only(text, "REF001")
    assert "the port ether1 was renamed to wan on line 2" in d.message


def test_reference_before_the_rename_is_fine():
    text = (
        "/interface bridge port\nadd bridge=br interface=ether2\n/interface bridge\nadd name=br\n"
        "/interface ethernet\nset [ find default-name=ether2 ] name=lan2\n"
    )
    assert ref_codes(text) == []


def test_interface_set_rename_by_find_counts_as_definition():
    text = "/interface\nset [ find default-name=ether1 ] name=wan\n/ip dhcp-client\nadd interface=wan\n"
    assert ref_codes(text) == []


def test_names_defined_in_script_blocks_are_not_reported():
    text = (
        ':if ([:len [/interface find name=ether9]] > 0) do={ /interface bridge add name=br9 }\n'
        "/interface vlan\nadd interface=br9 name=v2 vlan-id=2\n"
    )
    assert ref_codes(text) == []


def test_computed_names_silence_the_kind():
    text = ':local n "lan"\n/interface bridge\nadd name=$n\n/interface vlan\nadd interface=lan name=v1 vlan-id=1\n'
    assert ref_codes(text) == []


def test_rename_with_set_find():
    text = "/interface bridge\nadd name=br1\nset [ find name=br1 ] name=br2\n/interface vlan\n" \
           "add interface=br2 name=v1 vlan-id=1\nadd interface=br1 name=v3 vlan-id=3\n"
    d = only(text, "REF001")
    assert pointed(text, d) == "br1"


def test_disabled_items_are_still_checked():
    text = "/interface vlan\nadd disabled=yes interface=nothere name=v1 vlan-id=1\n"
    assert ref_codes(text) == ["REF001"]


def test_bridge_port_interface_may_be_an_interface_list():
    text = (
        "/interface bridge\nadd name=br\n/interface list\nadd name=ACCESS\n"
        "/interface bridge port\nadd bridge=br interface=ACCESS\nadd bridge=br interface=NOPE\n"
    )
    d = only(text, "REF001")
    assert d.message == "interface=NOPE names neither an interface nor an interface list defined in this file"


# --- REF002 undefined-bridge ---------------------------------------------------------


def test_bridge_port_on_a_port():
    text = "/interface bridge\nadd name=lan\n/interface bridge port\nadd bridge=ether2 interface=ether3\n"
    d = only(text, "REF002")
    assert d.message == "bridge=ether2 must name a bridge, but ether2 is a built-in port"


def test_bridge_port_on_a_vlan_and_on_nothing():
    text = EXPORT + (
        "/interface vlan\nadd interface=ether1 name=v10 vlan-id=10\n"
        "/interface bridge port\nadd bridge=v10 interface=ether3\nadd bridge=br interface=ether4\n"
    )
    messages = [d.message for d in findings(text, "REF002")]
    assert messages == [
        "bridge=v10 must name a bridge, but v10 is a vlan interface",
        "bridge=br names a bridge that is not defined in this file",
    ]
    assert findings(text, "REF001") == []


def test_ppp_profile_bridge():
    text = EXPORT + "/ppp profile\nadd bridge=lan name=p1\n"
    assert ref_codes(text) == ["REF002"]


# --- REF003 undefined-pool -------------------------------------------------------------


def test_undefined_dhcp_pool():
    text = EXPORT + "/ip dhcp-server\nadd address-pool=dhcp-pool interface=ether2 name=d1\n"
    d = only(text, "REF003")
    assert pointed(text, d) == "dhcp-pool"


def test_static_only_is_not_a_pool():
    assert ref_codes("/ip dhcp-server\nadd address-pool=static-only interface=ether2 name=d1\n") == []


def test_ppp_remote_address_pool_or_address():
    text = EXPORT + "/ppp profile\nadd local-address=10.0.0.1 name=p remote-address=10.0.0.2\n" \
           "add local-address=10.0.0.1 name=q remote-address=vpn-pool\n"
    d = only(text, "REF003")
    assert d.message == "remote-address=vpn-pool names an IP pool that is not defined in this file"


def test_next_pool():
    text = "/ip pool\nadd name=a next-pool=b ranges=10.0.0.2-10.0.0.9\nadd name=c next-pool=none ranges=10.0.1.2\n"
    assert ref_codes(text) == ["REF003"]


# --- REF004 / REF005 / REF006 / REF007 -----------------------------------------------


def test_undefined_ppp_profile_and_builtins():
    text = EXPORT + (
        "/ppp secret\nadd name=a password=verylongpass1 profile=vpn\n"
        "add name=b password=verylongpass2 profile=default-encryption\n"
        "/interface pppoe-server server\nadd default-profile=default interface=ether2 service-name=s\n"
    )
    d = only(text, "REF004")
    assert pointed(text, d) == "vpn"


@pytest.mark.parametrize("name", ["all", "none", "dynamic", "static"])
def test_builtin_interface_lists(name):
    assert ref_codes(f"/ip firewall filter\nadd action=drop chain=input in-interface-list=!{name}\n") == []


def test_undefined_interface_list_in_settings():
    text = EXPORT + "/ip neighbor discovery-settings\nset discover-interface-list=LAN\n/tool mac-server\n" \
           "set allowed-interface-list=LAN\n/tool mac-server mac-winbox\nset allowed-interface-list=all\n"
    assert ref_codes(text) == ["REF005", "REF005"]


def test_interface_list_include():
    text = "/interface list\nadd name=LAN\nadd include=LAN,GUEST name=INSIDE\n"
    d = only(text, "REF005")
    assert pointed(text, d) == "GUEST"


def test_lease_server():
    text = EXPORT + "/ip dhcp-server lease\nadd address=10.0.0.5 mac-address=00:11:22:33:44:55 server=d2\n" \
           "add address=10.0.0.6 mac-address=00:11:22:33:44:56 server=all\n"
    assert ref_codes(text) == ["REF006"]


def test_wireguard_peer_interface():
    key = 'public-key="G+TUhlssysEJMu3SP9JvEuMwhO6oCMb/lXatjsQPXtU="'
    text = (
        "/interface wireguard\nadd listen-port=13231 name=wg1\n/interface wireguard peers\n"
        f"add allowed-address=10.0.0.2/32 interface=wg1 {key}\n"
        f"add allowed-address=10.0.0.3/32 interface=ether1 {key}\n"
        f"add allowed-address=10.0.0.4/32 interface=wg2 {key}\n"
    )
    messages = [d.message for d in findings(text, "REF007")]
    assert messages == [
        "interface=ether1 must name a WireGuard interface, but ether1 is a built-in port",
        "interface=wg2 names a WireGuard interface that is not defined in this file",
    ]


# --- REF008 empty-address-list -------------------------------------------------------


def test_unfilled_list_is_info():
    text = "/ip firewall filter\nadd action=drop chain=input src-address-list=blocked\n"
    d = only(text, "REF008")
    assert d.severity is Severity.INFO


def test_lists_filled_by_rules_dhcp_dns_and_scripts():
    text = (
        "/ip firewall filter\nadd action=add-src-to-address-list address-list=scanners chain=input\n"
        "add action=drop chain=input src-address-list=scanners\n"
        "add action=drop chain=forward dst-address-list=dhcp-clients\n"
        "add action=drop chain=forward dst-address-list=resolved\n"
        "add action=drop chain=forward src-address-list=fetched\n"
        "/ip dhcp-server\nadd address-lists=dhcp-clients interface=ether2 name=d\n"
        "/ip dns static\nadd address-list=resolved name=x.example type=FWD forward-to=1.1.1.1\n"
        "/system script\nadd name=s source=\"/ip firewall address-list add list=fetched address=192.0.2.1\"\n"
    )
    assert findings(text, "REF008") == []


def test_ipv4_and_ipv6_lists_are_separate():
    text = "/ipv6 firewall address-list\nadd address=2001:db8::/32 list=bad\n" \
           "/ip firewall filter\nadd action=drop chain=input src-address-list=bad\n"
    assert ref_codes(text) == ["REF008"]


def test_computed_list_silences():
    text = ':local l "x"\n/ip firewall address-list\nadd address=192.0.2.1 list=$l\n' \
           "/ip firewall filter\nadd action=drop chain=input src-address-list=y\n"
    assert findings(text, "REF008") == []


# --- REF009 duplicate-name -------------------------------------------------------------


def test_two_bridges_same_name():
    text = "/interface bridge\nadd name=lan\nadd name=lan\n"
    d = only(text, "REF009")
    assert d.message == "bridge name lan is already used by the bridge on line 2"
    assert d.span.line == 3


def test_renamed_port_clashes_with_vlan():
    text = "/interface ethernet\nset [ find default-name=ether1 ] name=wan\n/interface vlan\n" \
           "add interface=ether2 name=wan vlan-id=7\n"
    d = only(text, "REF009")
    assert d.message == "the vlan interface wan has the same name as the ethernet port on line 2"


def test_duplicate_pools_and_profiles():
    text = "/ip pool\nadd name=p ranges=10.0.0.2-10.0.0.9\nadd name=p ranges=10.0.1.2-10.0.1.9\n" \
           "/ppp profile\nadd name=vpn\nadd name=vpn\nadd name=default\n"
    messages = [d.message for d in findings(text, "REF009")]
    assert messages == [
        "pool name p is already used by the pool on line 2",
        "profile name vpn is already used by the profile on line 5",
        "/ppp profile already has a built-in entry called default",
    ]


def test_set_is_not_a_duplicate():
    text = "/interface bridge\nadd name=lan\nset lan comment=x\nset [ find name=lan ] mtu=1500\n" \
           "/interface ethernet\nset [ find default-name=ether1 ] comment=a\nset ether1 mtu=1500\n"
    assert ref_codes(text) == []


# --- REF010 duplicate-bridge-port ------------------------------------------------------


def test_port_in_two_bridges():
    text = "/interface bridge\nadd name=a\nadd name=b\n/interface bridge port\n" \
           "add bridge=a interface=ether2\nadd bridge=b interface=ether2\nadd bridge=a interface=ether2\n"
    messages = [d.message for d in findings(text, "REF010")]
    assert messages == [
        "ether2 is already a port of a (line 5); it cannot also be a port of b",
        "ether2 is already a port of a (line 5)",
    ]


def test_disabled_port_entry_is_not_counted():
    text = "/interface bridge\nadd name=a\nadd name=b\n/interface bridge port\n" \
           "add bridge=a interface=ether2\nadd bridge=b disabled=yes interface=ether2\n"
    assert ref_codes(text) == []


def test_port_moved_with_set_find():
    text = "/interface bridge\nadd name=a\nadd name=b\n/interface bridge port\n" \
           "add bridge=a interface=ether2\nadd bridge=b interface=ether3\n" \
           "set [ find interface=ether3 ] interface=ether2\n"
    assert ref_codes(text) == ["REF010"]


# --- REF011 ip-on-bridge-port ----------------------------------------------------------


BRIDGE = "/interface bridge\nadd name=br\n/interface bridge port\nadd bridge=br interface=ether2\n"


def test_address_on_port():
    text = BRIDGE + "/ip address\nadd address=192.168.88.1/24 interface=ether2\n"
    d = only(text, "REF011")
    assert d.message == "the IP address 192.168.88.1/24 is on ether2, which is a port of bridge br"
    assert d.severity is Severity.WARNING
    assert d.fix == "set interface=br here"


def test_ipv6_dhcp_server_and_client_on_port():
    text = BRIDGE + "/ipv6 address\nadd address=2001:db8::1/64 interface=ether2\n" \
                    "/ip dhcp-server\nadd interface=ether2 name=d1\n/ip dhcp-client\nadd interface=ether2\n"
    messages = [d.message for d in findings(text, "REF011")]
    assert messages == [
        "the IPv6 address 2001:db8::1/64 is on ether2, which is a port of bridge br",
        "the DHCP server d1 is on ether2, which is a port of bridge br",
        "the DHCP client is on ether2, which is a port of bridge br",
    ]


def test_disabled_port_or_address_is_fine():
    text = "/interface bridge\nadd name=br\n/interface bridge port\nadd bridge=br disabled=yes interface=ether2\n" \
           "add bridge=br interface=ether3\n/ip address\nadd address=10.0.0.1/24 interface=ether2\n" \
           "add address=10.0.1.1/24 disabled=yes interface=ether3\n"
    assert ref_codes(text) == []


def test_many_references_stay_fast():
    import time

    lines = ["/interface bridge", "add name=br"] + ["/interface vlan"]
    lines += [f"add interface=br name=v{i} vlan-id={i % 4000 + 1}" for i in range(3000)]
    lines += ["/ip firewall filter"] + [f"add action=accept chain=forward in-interface=v{i}" for i in range(3000)]
    text = "\n".join(lines) + "\n"
    start = time.perf_counter()
    assert ref_codes(text) == []
    assert time.perf_counter() - start < 10


# --- the fragment policy -------------------------------------------------------------

FIREWALL_SNIPPET = """\
# Basic input protection, paste into a router that has the default configuration
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input in-interface=bridge1-local protocol=icmp
add action=drop chain=input in-interface-list=!LAN
add action=drop chain=forward in-interface=ether1-WAN connection-nat-state=!dstnat connection-state=new
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
"""


def test_a_snippet_that_defines_nothing_relies_on_the_router():
    assert ref_codes(FIREWALL_SNIPPET) == []


def test_the_same_lines_in_an_export_must_be_complete():
    found = findings(EXPORT + FIREWALL_SNIPPET, "REF001") + findings(EXPORT + FIREWALL_SNIPPET, "REF005")
    assert sorted(pointed(EXPORT + FIREWALL_SNIPPET, d) for d in found) == ["LAN", "WAN", "bridge1-local", "ether1-WAN"]


VLAN_SCRIPT = """\
# VLANs for the office: run once on the core switch
/interface bridge
add name=br-core vlan-filtering=no
/interface vlan
add interface=br-core name=vlan10-staff vlan-id=10
add interface=br-cor name=vlan20-voice vlan-id=20
/interface list
add name=MGMT
/interface list member
add interface=vlan10-staff list=MGMT
add interface=vlan20-voice list=LAN
add interface=vlan20-voice list=VOICE
/ip address
add address=10.10.10.1/24 interface=vlan10-staff
add address=10.10.20.1/24 interface=vlan20-voice
"""


def test_a_script_with_definitions_of_its_own_is_checked_for_that_kind():
    d = only(VLAN_SCRIPT, "REF001")
    assert d.message == "interface=br-cor names an interface that is not defined in this file"
    assert any("no export header" in n and "defines interfaces itself (line 3)" in n for n in d.notes)


def test_a_script_may_use_the_default_configurations_lists():
    # LAN comes from the default configuration; VOICE is neither defined here nor a defconf list.
    found = findings(VLAN_SCRIPT, "REF005")
    assert [pointed(VLAN_SCRIPT, d) for d in found] == ["VOICE"]
    assert any("defines interface lists itself (line 8)" in n for n in found[0].notes)


def test_renamed_port_is_reported_in_a_snippet_too():
    text = "/interface ethernet\nset [ find default-name=ether1 ] name=wan\n/ip firewall filter\n" \
           "add action=drop chain=input in-interface=ether1\n"
    assert ref_codes(text) == ["REF001"]


def test_romon_port_takes_an_interface_list():
    # RoMON: "Interface name or interface-list used for RoMON".
    text = EXPORT + "/interface list\nadd name=Internet\n/tool romon port\nadd forbid=yes interface=Internet\n"
    assert ref_codes(text) == []


def test_a_script_may_use_the_names_routeros_gives_unnamed_interfaces():
    # a how-to script for an existing router: it adds a tunnel, and puts an
    # address on the router's bridge1, which it does not create
    script = (
        "/interface 6to4\nadd name=6to4-tunnel1 local-address=192.0.2.1 remote-address=192.88.99.1\n"
        "/ipv6 address\nadd address=2002:c000:201::1/48 interface=6to4-tunnel1 advertise=no\n"
        "add address=2002:c000:201:1::1/64 interface=bridge1\n"
    )
    assert [d.code for d in lint_bytes(script.encode(), "t.rsc").diagnostics if d.code == "REF001"] == []
    # but a script that creates its own bridge under another name and then
    # uses bridge1 has a leftover
    own = "/interface bridge\nadd name=lan\n/ip address\nadd address=192.168.88.1/24 interface=bridge1\n"
    assert [d.code for d in lint_bytes(own.encode(), "t.rsc").diagnostics if d.code == "REF001"] == ["REF001"]
    # and an export must define it
    export = "# 2025-01-10 08:00:00 by RouterOS 7.16\n" + script
    assert [d.code for d in lint_bytes(export.encode(), "t.rsc").diagnostics if d.code == "REF001"] == ["REF001"]
