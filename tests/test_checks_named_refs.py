"""REF012-REF014: routing tables, tables without fib, and the other named
objects the vocabulary types as references, on whole configurations."""

from __future__ import annotations

from lint_helpers import diags, findings, only, pointed

# A v7 export of a dual-uplink router with policy routing, a wifi AP set up with named configurations, a
# queue tree and a scheduler that runs a script.
EXPORT = """\
# 2025-04-02 11:20:05 by RouterOS 7.18.2
# software id = MX3Q-7HTA
#
/interface bridge
add name=bridge-lan
/interface wifi security
add authentication-types=wpa2-psk,wpa3-psk name=sec-home passphrase="Lk9!vQ2#mZ7r"
/interface wifi configuration
add country=Germany mode=ap name=cfg-home security=sec-home ssid=home
/interface wifi
set [ find default-name=wifi1 ] configuration=cfg-home disabled=no
/routing table
add disabled=no fib name=isp2
/ip address
add address=192.168.10.1/24 interface=bridge-lan
add address=100.64.1.2/30 interface=ether1
add address=100.64.2.2/30 interface=ether2
/interface bridge port
add bridge=bridge-lan interface=ether3
add bridge=bridge-lan interface=wifi1
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface=ether1
add action=drop chain=input in-interface=ether2
/ip firewall mangle
add action=mark-routing chain=prerouting new-routing-mark=isp2 passthrough=no src-address=192.168.10.128/25
/ip route
add gateway=100.64.1.1
add gateway=100.64.2.1 routing-table=isp2
/queue tree
add max-limit=50M name=down parent=bridge-lan
add max-limit=20M name=down-guests parent=down
/system script
add name=backup-nightly source="/system backup save name=nightly"
/system scheduler
add interval=1d name=nightly on-event=backup-nightly start-time=03:00:00
"""


def ref(text: str) -> list[str]:
    return [d.code for d in diags(text) if d.code.startswith("REF")]


def test_the_export_resolves_every_name():
    assert [(d.code, d.message) for d in diags(EXPORT)] == []


# --- REF012 undefined-routing-table ---------------------------------------------------------

def test_route_into_a_table_that_was_never_added():
    text = EXPORT.replace("add gateway=100.64.2.1 routing-table=isp2", "add gateway=100.64.2.1 routing-table=isp-2")
    d = only(text, "REF012")
    assert d.message == "routing-table=isp-2 names a routing table that is not defined in this file (did you mean isp2?)"
    assert pointed(text, d) == "isp-2" and d.severity.label == "error"
    assert "Moving from ROSv6 to ROSv7" in d.notes[0]


def test_mark_and_rule_for_a_missing_table():
    text = EXPORT.replace("new-routing-mark=isp2", "new-routing-mark=ISP2") + (
        "/routing rule\nadd action=lookup-only-in-table src-address=192.168.10.0/25 table=vpn\n"
    )
    assert [pointed(text, d) for d in findings(text, "REF012")] == ["ISP2", "vpn"]


def test_gateway_looked_up_in_a_missing_table():
    text = EXPORT.replace("add gateway=100.64.2.1 routing-table=isp2", "add gateway=100.64.2.1@wan2 routing-table=isp2")
    d = only(text, "REF012")
    assert pointed(text, d) == "wan2"


def test_vrf_defines_its_table():
    text = EXPORT + "/ip vrf\nadd interfaces=ether4 name=mgmt\n/ip route\nadd gateway=10.9.0.1@mgmt routing-table=mgmt\n"
    assert findings(text, "REF012") == []


def test_routeros_6_tables_need_no_definition():
    v6 = EXPORT.replace("by RouterOS 7.18.2", "by RouterOS 6.49.6").replace(
        "add gateway=100.64.2.1 routing-table=isp2", "add gateway=100.64.2.1 routing-mark=other")
    assert findings(v6, "REF012") == []


def test_a_script_that_defines_no_table_relies_on_the_router():
    script = "/ip route\nadd gateway=100.64.2.1 routing-table=isp2\n"
    assert ref(script) == []


# --- REF013 routing-table-not-in-fib ---------------------------------------------------------

def test_table_added_without_fib():
    text = EXPORT.replace("add disabled=no fib name=isp2", "add disabled=no name=isp2")
    found = findings(text, "REF013")
    assert [d.message for d in found] == [
        "new-routing-mark=isp2: routing table isp2 (line 13) was added without fib, so packets are never forwarded "
        "with its routes"
    ]
    assert found[0].severity.label == "warning"


def test_table_for_a_routing_protocol_only_needs_no_fib():
    text = EXPORT.replace("add disabled=no fib name=isp2", "add disabled=no fib name=isp2\nadd name=bgp-in") + (
        "/routing bgp connection\nadd as=65001 name=up remote.address=100.64.1.1 routing-table=bgp-in\n"
    )
    assert findings(text, "REF013") == []


# --- REF014 undefined-named-object ---------------------------------------------------------

def test_wifi_configuration_with_a_typo():
    text = EXPORT.replace("configuration=cfg-home disabled=no", "configuration=cfg_home disabled=no")
    d = only(text, "REF014")
    assert d.message == (
        "configuration=cfg_home names a wifi configuration that is not defined in this file (did you mean cfg-home?)"
    )
    assert "/interface wifi configuration" in d.notes[0]


def test_wireless_security_profile_of_a_hand_written_script():
    script = """\
/interface wireless security-profiles
add authentication-types=wpa2-psk mode=dynamic-keys name=office wpa2-pre-shared-key="Rt7!pLm2#qX9"
/interface wireless
set [ find default-name=wlan1 ] mode=ap-bridge security-profile=ofice ssid=Office disabled=no
set [ find default-name=wlan2 ] mode=ap-bridge security-profile=default ssid=Guest disabled=no
"""
    d = only(script, "REF014")
    assert pointed(script, d) == "ofice"
    assert any("defines wireless security profiles itself (line 2)" in n for n in d.notes)


def test_queue_parent_is_a_queue_or_an_interface():
    text = EXPORT.replace("parent=down\n", "parent=dwon\n")
    d = only(text, "REF014")
    assert d.message.startswith("parent=dwon names a queue")
    assert findings(EXPORT.replace("parent=bridge-lan", "parent=global"), "REF014") == []


def test_scheduler_runs_a_script_by_name():
    text = EXPORT.replace("on-event=backup-nightly", "on-event=backup-nighly")
    d = only(text, "REF014")
    assert d.message == "on-event=backup-nighly names a script that is not defined in this file (did you mean backup-nightly?)"
    inline = EXPORT.replace("on-event=backup-nightly", 'on-event="/system backup save name=inline"')
    assert findings(inline, "REF014") == []


def test_builtin_user_groups_and_ipsec_defaults():
    text = EXPORT + (
        "/user\nadd group=full name=ops\nadd group=read name=audit\n"
        "/ip ipsec peer\nadd address=198.51.100.7/32 name=hq profile=default\n"
        "/ip ipsec identity\nadd peer=hq secret=\"M2q!vX8#pLr4\"\n"
    )
    assert ref(text) == []
    assert [pointed(text.replace("peer=hq secret", "peer=HQ secret"), d)
            for d in findings(text.replace("peer=hq secret", "peer=HQ secret"), "REF014")] == ["HQ"]


def test_certificates_are_never_exported():
    text = EXPORT + "/ip service\nset api-ssl certificate=router-cert\n"
    assert findings(text, "REF014") == []  # the export cannot list it
    made = text + "/certificate\nadd common-name=router name=router\n"
    d = only(made, "REF014")
    assert "certificate=router-cert names a certificate" in d.message
    assert any("never lists certificates" in n for n in d.notes)


def test_capsman_v6_configuration_names():
    v6 = """\
# 2023-02-11 16:40:00 by RouterOS 6.49.7
/caps-man security
add authentication-types=wpa2-psk name=sec1 passphrase="Q8#mLp2!vT5x"
/caps-man configuration
add mode=ap name=cfg1 security=sec2 ssid=corp
/caps-man provisioning
add action=create-dynamic-enabled master-configuration=cfg1
add action=create-dynamic-enabled master-configuration=cfg2
"""
    assert [pointed(v6, d) for d in findings(v6, "REF014")] == ["sec2", "cfg2"]
