"""VOC004-VOC006: names the target RouterOS version does not have, and
abbreviated names; the target version and where it comes from."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from rosc.cli.main import main
from rosc.format.formatter import format_text
from rosc.lint.config import Config, ConfigError, load_config
from rosc.lint.engine import lint_bytes
from rosc.syntax.parser import parse_text
from rosc.vocabulary.versions import parse_version


def lint(text: str, target: str | None = None, select=("VOC",)):
    config = Config(select=list(select))
    if target is not None:
        config.target_version, config.target_origin = parse_version(target), "--target-version"
    return lint_bytes(text.encode(), "t.rsc", config)


def codes(text: str, target: str | None = None) -> list[tuple[int, str]]:
    return [(d.span.line, d.code) for d in lint(text, target).diagnostics]


# A hAP ax lite's export as RouterOS 7.7 would not take it: /interface wifi
# came with 7.13 (before it the menu was the wifiwave2 package's).
WIFI_ON_77 = """\
# 2023-01-20 10:00:00 by RouterOS 7.7
# software id = ABCD-1234
#
/interface bridge
add admin-mac=48:A9:8A:00:00:01 auto-mac=no comment=defconf name=bridge
/interface wifi
set [ find default-name=wifi1 ] channel.band=2ghz-ax configuration.mode=ap configuration.ssid=Home \\
    disabled=no security.authentication-types=wpa2-psk,wpa3-psk
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=wifi1
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge
"""


def test_wifi_menu_on_7_7_is_reported_once_at_the_menu():
    result = lint(WIFI_ON_77)
    (d,) = [d for d in result.diagnostics if d.code == "VOC004"]
    assert d.span.line == 6 and d.span.column == 1
    assert d.message == "menu `/interface wifi` appears in 7.13; this file targets RouterOS 7.7 (the export header)"
    assert any("no command tree for 7.7: it is checked as 7.9" in n for n in d.notes)
    assert any("1 more line" in n for n in d.notes)  # the set under the menu line, not a second finding
    assert result.run.target.version == parse_version("7.7")


def test_same_export_on_7_13_and_without_version_is_clean():
    assert not [c for c in codes(WIFI_ON_77.replace("RouterOS 7.7", "RouterOS 7.13.5")) if c[1] == "VOC004"]
    no_header = "\n".join(WIFI_ON_77.splitlines()[3:]) + "\n"
    assert not codes(no_header)  # no version: every version rosc knows is accepted


def test_wifiwave2_is_the_name_up_to_7_12():
    old = WIFI_ON_77.replace("/interface wifi\n", "/interface wifiwave2\n")
    assert not [c for c in codes(old) if c[1] == "VOC004"]
    (d,) = [d for d in lint(old, "7.16").diagnostics if d.code == "VOC004"]
    assert "was renamed `/interface wifi` in 7.13" in d.message and d.fix == "write `/interface wifi`"


# WireGuard peers with the client-* fields RouterOS 7.12 added (for the
# peer's own configuration, e.g. as a QR code).
WG_PEER = """\
# 2023-10-02 09:00:00 by RouterOS {version}
/interface wireguard
add listen-port=13231 mtu=1420 name=wg0
/interface wireguard peers
add allowed-address=10.9.0.2/32 client-address=10.9.0.2/32 client-dns=10.9.0.1 \\
    client-endpoint=vpn.example.com interface=wg0 public-key="uK1b1mYKx1+jMQ4PZ5ycuBSHXt1YPxd6I0WV0uH1jEY="
"""


def test_parameter_added_in_7_12():
    found = [d for d in lint(WG_PEER.format(version="7.11.3")).diagnostics if d.code == "VOC004"]
    assert [d.message.split(";")[0] for d in found] == [
        "parameter `client-address` of `/interface wireguard peers` appears in 7.12",
        "parameter `client-dns` of `/interface wireguard peers` appears in 7.12",
        "parameter `client-endpoint` of `/interface wireguard peers` appears in 7.12",
    ]
    assert all(d.span.line in (5, 6) for d in found)
    assert not [d for d in lint(WG_PEER.format(version="7.12.2")).diagnostics if d.code == "VOC004"]


def test_parameter_removed():
    # /tool e-mail `address=` became `server=` in 7.12
    text = "# jan/01/2024 by RouterOS 7.14.3\n/tool e-mail\nset address=192.0.2.25 from=router@example.com port=587\n"
    (d,) = [d for d in lint(text).diagnostics if d.code == "VOC004"]
    assert d.message.startswith("parameter `address` of `/tool e-mail` was removed in 7.12 (last in 7.11)")
    assert not [d for d in lint(text.replace("address=", "server=")).diagnostics if d.code == "VOC004"]


# A RouterOS 6 export: the v6 names pass, RouterOS 7-only menus do not.
V6_EXPORT = """\
# jan/02/1970 00:09:31 by RouterOS 6.49.10
# software id = ABCD-1234
/routing ospf instance
set [ find default=yes ] redistribute-connected=as-type-1 router-id=10.0.0.1
/routing ospf network
add area=backbone network=10.0.0.0/24
/ip route
add distance=1 gateway=10.0.0.1 routing-mark=to_isp1
/ip route rule
add action=lookup-only-in-table routing-mark=to_isp1 table=to_isp1
/mpls ldp
set enabled=yes lsr-id=10.255.255.1 transport-address=10.255.255.1
"""


def test_v6_export_with_v6_names_is_clean():
    assert not [c for c in codes(V6_EXPORT) if c[1] in ("VOC001", "VOC002", "VOC004")]


def test_v6_export_with_v7_menus():
    text = V6_EXPORT + "/interface wireguard\nadd listen-port=13231 name=wg0\n/interface wifi\nset [ find ] disabled=no\n"
    found = [d.message.split(";")[0] for d in lint(text).diagnostics if d.code == "VOC004"]
    assert found == ["menu `/interface wireguard` exists in RouterOS 7 only", "menu `/interface wifi` exists in RouterOS 7 only"]


def test_v6_names_in_a_v7_file():
    found = {}
    for d in lint(V6_EXPORT, "7.16").diagnostics:
        if d.code == "VOC004":
            found.setdefault(d.span.line, d)
    assert found[5].message.startswith("menu `/routing ospf network` is the RouterOS 6 name of `/routing ospf interface-template`")
    assert found[5].fix == "write `/routing ospf interface-template`"
    assert found[8].message.startswith("`routing-mark=` is the RouterOS 6 name of `routing-table=` in `/ip route`")
    assert found[8].fix == "write `routing-table=`"
    assert found[9].message.startswith("menu `/ip route rule` is the RouterOS 6 name of `/routing rule`")
    assert found[12].message.startswith("parameter `enabled` of `/mpls ldp` exists in RouterOS 6 only")
    assert [d.span.column for d in lint(V6_EXPORT, "7.16").diagnostics if d.span.line == 12] == [5, 37]
    assert "redistribute-connected" in found[4].message  # the v6 form of OSPF redistribution


def test_menu_dropped_in_7_and_back_in_7_20():
    text = "/routing bgp instance\nset default as=65001 router-id=10.0.0.1\n"
    assert not [c for c in codes(text, "6.48") if c[1] == "VOC004"]  # RouterOS 6 had it
    (d,) = [d for d in lint(text, "7.16").diagnostics if d.code == "VOC004"]
    assert d.message.startswith("menu `/routing bgp instance` appears in 7.20")
    assert not [c for c in codes(text, "7.20") if c[1] == "VOC004"]


def test_hardware_menus_and_parameters_are_known():
    text = (
        "/interface ethernet\nset [ find default-name=ether2 ] poe-out=forced-on poe-priority=5\n"
        "/interface ethernet poe\nset ether2 power-cycle-ping-enabled=yes power-cycle-ping-address=192.168.88.20\n"
        "/interface ethernet switch vlan\nadd ports=ether2,ether3,switch1-cpu switch=switch1 vlan-id=30\n"
        "/system routerboard settings\nset auto-upgrade=yes\n/lcd\nset enabled=no\n"
    )
    assert not codes(text, "7.16") and not codes(text)


# ------------------------------------------------------------------ abbreviations


BRIDGE = "/interface bridge\nadd name=bridge1\n"


def test_abbreviated_menu_command_and_parameter():
    text = BRIDGE + "/int bri port\nad bridge=bridge1 interf=ether2\n"
    result = lint(text)
    by_line = {(d.span.line, d.span.column): d for d in result.diagnostics}
    assert [d.code for d in result.diagnostics] == ["VOC005", "VOC005", "VOC005"]
    assert by_line[(3, 2)].message == "`/int bri` is abbreviated: RouterOS reads `/interface bridge port`"
    assert by_line[(3, 2)].fix == "write `/interface bridge port`"
    assert by_line[(4, 1)].message == "`ad` is abbreviated: RouterOS reads `/interface bridge port add`"
    assert by_line[(4, 19)].message == "`interf=` is an abbreviation: RouterOS reads `interface=` of `/interface bridge port`"
    # `inter` would fit interface and internal-path-cost: RouterOS refuses it
    (d,) = lint(BRIDGE + "/interface bridge port\nadd bridge=bridge1 inter=ether2\n").diagnostics
    assert d.code == "VOC006" and "`interface=` or `internal-path-cost=`" in d.message
    # the model sees the full names: the port is filed under /interface bridge port
    (port,) = result.device.items("/interface bridge port")
    assert port.get("bridge") == "bridge1"


def test_fmt_writes_abbreviated_menus_and_commands_in_full():
    out = format_text(BRIDGE + "/int bri port\nad bridge=bridge1 interface=ether2\n").output
    assert "/interface bridge port\nadd bridge=bridge1 interface=ether2\n" in out


def test_the_following_words_decide():
    # s fits safe-mode, serialize, set, snmp, special-login and system; only
    # system has a submenu starting with sch
    text = '/s sch\na i=10s n=check on-e="/log info x"\n'
    result = lint(text)
    assert [d.code for d in result.diagnostics] == ["VOC005"] * 5
    assert "RouterOS reads `name=` of `/system scheduler`" in result.diagnostics[3].message
    (item,) = result.device.items("/system scheduler")  # the command is read in the right menu
    assert item.get("n") == "check"


def test_ambiguous_abbreviation_is_an_error():
    (d,) = [d for d in lint("/ip d\nset allow-remote-requests=no\n").diagnostics]
    assert d.code == "VOC006" and d.severity.label == "error"
    assert d.message == ("`d` is ambiguous here: it could be `dhcp-client`, `dhcp-relay`, `dhcp-server` or `dns`; "
                         "RouterOS rejects the command")
    assert (d.span.line, d.span.column, d.span.end_column) == (1, 5, 6)


def test_ambiguity_depends_on_the_version():
    text = ":foreach i in=[/int wir find] do={ /int wir enable $i }\n"
    assert [c[1] for c in codes(text)] == ["VOC005", "VOC005"]  # wireless, before wireguard existed
    assert [c[1] for c in codes(text, "6.49")] == ["VOC005", "VOC005"]
    found = [d for d in lint(text, "7.16").diagnostics]
    assert [d.code for d in found] == ["VOC006", "VOC006"]  # the `/int` abbreviation is not reported on its own
    assert "ambiguous in RouterOS 7.16" in found[0].message and "`wireguard` or `wireless`" in found[0].message


def test_ambiguous_parameter():
    (d,) = lint("/ip route\nadd dst-address=10.0.0.0/8 gateway=10.1.1.1 d=5\n").diagnostics
    assert d.code == "VOC006" and "`d=` is ambiguous in `/ip route`" in d.message
    assert "`distance=`" in d.message and "`dst-address=`" in d.message


def test_exact_names_win_over_longer_ones():
    assert not codes("/system script\nadd name=x source=\":put 1\"\n/ip dns\nset servers=1.1.1.1\n")


def test_numbers_and_arrays_are_not_names():
    r = parse_text(":local a {1;2;3}\n/port set 0 name=serial0\n/interface 6to4\nadd name=t1 remote-address=192.0.2.1\n")
    assert not r.diagnostics
    port, six = r.script.body[1], r.script.body[3]
    assert port.menu == ("port",) and port.verb.text == "set"
    assert six.menu == ("interface", "6to4") and six.verb.text == "add"


def test_commands_are_told_from_menus_by_the_tree():
    r = parse_text("/ip dns cache flush\n/user expire-password admin\n/system script run backup\n")
    assert [(c.menu, c.verb.text) for c in r.script.body] == [
        (("ip", "dns", "cache"), "flush"), (("user",), "expire-password"), (("system", "script"), "run")]
    assert not codes("/ip dns cache flush\n/user expire-password admin\n/system script run backup\n")


# ------------------------------------------------------------------ target version


def test_target_version_from_the_settings(tmp_path):
    (tmp_path / "rosc.toml").write_text('target-version = "7.16"\n')
    config = load_config(tmp_path / "rosc.toml")
    assert config.target_version == parse_version("7.16") and "rosc.toml" in config.target_origin
    result = lint_bytes(WIFI_ON_77.encode(), "t.rsc", config)  # the settings win over the header
    assert result.run.target.version.minor == 16
    assert not [d for d in result.diagnostics if d.code == "VOC004"]


@pytest.mark.parametrize("value, message", [
    ("7.16", None), ('"8.1"', "knows RouterOS 6 and 7"), ('"seven"', "not a RouterOS version"), ("7.16", None),
])
def test_bad_target_version_in_the_settings(tmp_path, value, message):
    (tmp_path / "rosc.toml").write_text(f"target-version = {value}\n")
    if value == "7.16":  # a TOML number: 7.10 would read as 7.1
        with pytest.raises(ConfigError, match="must be a string"):
            load_config(tmp_path / "rosc.toml")
        return
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path / "rosc.toml")


def test_target_version_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wifi.rsc").write_text(WIFI_ON_77)
    header = CliRunner().invoke(main, ["lint", "wifi.rsc"])
    assert "VOC004" in header.output and "the export header" in header.output
    newer = CliRunner().invoke(main, ["lint", "--target-version", "7.14", "wifi.rsc"])
    assert "VOC004" not in newer.output
    v6 = CliRunner().invoke(main, ["lint", "--target-version", "6.49.10", "--format", "json", "wifi.rsc"])
    assert "exists in RouterOS 7 only" in v6.output and "--target-version" in v6.output
    bad = CliRunner().invoke(main, ["lint", "--target-version", "7.x", "wifi.rsc"])
    assert bad.exit_code == 2 and "not a RouterOS version" in bad.output
    for command in ("build", "lsp"):
        assert "--target-version" in CliRunner().invoke(main, [command, "--help"]).output


def test_versions_parse():
    assert parse_version("7.14.3") > parse_version("7.9") and parse_version("v7.16").minor == 16
    assert parse_version("7.15beta4").minor_release == "7.15"
    assert parse_version("6.49.10").major == 6
