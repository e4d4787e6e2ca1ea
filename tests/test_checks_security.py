"""Security checks: weak passwords, services and DNS open to the WAN,
masquerade without a forward filter."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import ARTICLE
from rosc.cli.main import main
from rosc.lint.engine import lint_bytes


def findings(text: str, code: str):
    return [d for d in lint_bytes(text.encode(), "t.rsc").diagnostics if d.code == code]


def sec_codes(text: str) -> list[str]:
    return sorted(d.code for d in lint_bytes(text.encode(), "t.rsc").diagnostics if d.code.startswith("SEC"))


WAN = "/ip dhcp-client\nadd interface=ether1\n"
LAN = (
    "/interface bridge\nadd name=lan\n/interface bridge port\nadd bridge=lan interface=ether2\n"
    "/ip address\nadd address=192.168.10.1/24 interface=lan\n"
)
INPUT_FILTER = (
    "/ip firewall filter\nadd action=accept chain=input connection-state=established,related\n"
    "add action=drop chain=input in-interface=ether1\n"
)
DEFCONF = """/interface bridge add name=bridge
/interface list add name=WAN comment=defconf
/interface list add name=LAN comment=defconf
/interface bridge port add bridge=bridge interface=ether2
/interface list member add list=LAN interface=bridge comment=defconf
/interface list member add list=WAN interface=ether1 comment=defconf
/ip address add address=192.168.88.1/24 interface=bridge
/ip dhcp-client add interface=ether1 comment=defconf
/ip dns set allow-remote-requests=yes
/ip firewall filter
add chain=input action=accept connection-state=established,related,untracked
add chain=input action=drop connection-state=invalid
add chain=input action=accept protocol=icmp
add chain=input action=accept dst-address=127.0.0.1
add chain=input action=drop in-interface-list=!LAN
add chain=forward action=accept ipsec-policy=in,ipsec
add chain=forward action=accept ipsec-policy=out,ipsec
add chain=forward action=fasttrack-connection connection-state=established,related
add chain=forward action=accept connection-state=established,related,untracked
add chain=forward action=drop connection-state=invalid
add chain=forward action=drop connection-state=new connection-nat-state=!dstnat in-interface-list=WAN
/ip firewall nat add chain=srcnat action=masquerade out-interface-list=WAN ipsec-policy=out,none
"""


# --- the article lab ----------------------------------------------------------


def test_article_lab_findings():
    seen: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(ARTICLE.glob("*.rsc")):
        for d in lint_bytes(path.read_bytes(), path.name).diagnostics:
            if d.code.startswith("SEC"):
                seen.setdefault(path.stem, []).append((d.code, d.severity.label))
    assert seen["isp1"] == [("SEC001", "warning")] * 2
    assert seen["isp2"] == [("SEC001", "warning")] * 2
    for name in ("core", "mtr1", "mtr2", "mtr2-failover", "mtr2-recursive", "mtr3"):
        assert ("SEC002", "warning") in seen[name], name
    for name in ("mtr1", "mtr2", "mtr2-failover", "mtr2-recursive", "mtr3"):
        assert ("SEC004", "info") in seen[name], name
    assert "SEC004" not in {c for c, _ in seen["core"]}  # public addresses only: nothing to hide
    assert not any(sev == "error" for items in seen.values() for _, sev in items)


def test_article_lab_exits_zero_and_security_can_be_switched_off(monkeypatch):
    monkeypatch.chdir(ARTICLE.parent.parent)
    result = CliRunner().invoke(main, ["lint", "samples/article/"])
    assert "SEC002" in result.output
    result = CliRunner().invoke(main, ["lint", "--ignore", "security", "samples/article/"])
    assert "SEC0" not in result.output


def test_article_messages():
    [d, _] = findings((ARTICLE / "isp1.rsc").read_text(), "SEC001")
    assert d.message == "the password of PPP secret isp1user1 equals its name"
    [d] = findings((ARTICLE / "mtr2.rsc").read_text(), "SEC002")
    assert d.message == (
        "the router's services telnet, ftp, www, ssh, api, winbox, api-ssl are reachable from WAN interfaces "
        "pppoe-out, pppoe-out1: there is no input firewall"
    )
    assert "in-interface-list=WAN" in d.fix


# --- SEC001: weak passwords ----------------------------------------------------


@pytest.mark.parametrize(
    "line, problem",
    [
        ("add name=alice password=alice service=pppoe", "equals its name"),
        ("add name=Alice password=ALICE service=pppoe", "equals its name"),
        ("add name=alice password=s3cr3t service=pppoe", "is shorter than 8 characters"),
        ('add name=alice password="" service=pppoe', "is empty"),
    ],
)
def test_weak_ppp_secret(line, problem):
    [d] = findings(f"/ppp secret\n{line}\n", "SEC001")
    assert d.message.lower() == f"the password of ppp secret alice {problem}"
    assert "s3cr3t" not in d.message


def test_password_never_printed():
    text = "/user\nadd group=full name=ops password=Pw1\n"
    [d] = findings(text, "SEC001")
    assert d.message == "the password of user ops is shorter than 8 characters"
    assert "Pw1" not in d.message + " ".join(d.notes) + (d.fix or "")
    assert text[d.span.offset : d.span.end] == "Pw1"  # points at the password value


def test_strong_or_missing_passwords_are_fine():
    text = (
        '/ppp secret\nadd name=alice password="k8#Lw2!pQz" service=pppoe\n'
        "add name=bob service=pppoe\n"  # export without show-sensitive: no password to judge
        "/user\nadd group=full name=ops\n"
    )
    assert sec_codes(text) == []


def test_disabled_secret_is_skipped():
    assert sec_codes("/ppp secret\nadd disabled=yes name=alice password=alice\n") == []


def test_password_changed_by_set_find():
    text = "/ppp secret\nadd name=alice password=alice\nset [ find name=alice ] password=\"k8#Lw2!pQz-long\"\n"
    assert sec_codes(text) == []
    text = "/ppp secret\nadd name=alice password=\"k8#Lw2!pQz-long\"\nset [ find name=alice ] password=alice\n"
    [d] = findings(text, "SEC001")
    assert d.span.line == 3


@pytest.mark.parametrize(
    "selector", ["admin", "[ find name=admin ]", '[ find name="admin" ]', "[ find where name=admin ]", "numbers=admin"]
)
def test_builtin_admin_password(selector):
    [d] = findings(f"/user\nset {selector} password=admin\n", "SEC001")
    assert d.message == "the password of user admin equals its name"


def test_computed_password_is_skipped():
    assert sec_codes(':local p "x"\n/user set admin password=$p\n/ppp secret add name=a password=$p\n') == []


# --- SEC002: services open to the WAN -----------------------------------------


def test_services_open_without_any_filter():
    [d] = findings(WAN, "SEC002")
    assert "WAN interface ether1: there is no input firewall" in d.message
    assert "in-interface=ether1" in d.fix
    assert d.span.line == 2


def test_no_wan_interface_no_finding():
    assert sec_codes("/ip address\nadd address=192.168.1.1/24 interface=ether2\n") == []
    assert sec_codes("/ip dhcp-client\nadd disabled=yes interface=ether1\n") == []


def test_default_configuration_is_protected():
    assert sec_codes(DEFCONF) == []


def test_input_drop_on_wan_protects():
    assert sec_codes(WAN + INPUT_FILTER) == []


def test_drop_all_at_the_end_protects():
    text = WAN + "/ip firewall filter\nadd action=accept chain=input in-interface=ether2\nadd action=drop chain=input\n"
    assert sec_codes(text) == []


def test_drop_on_another_interface_does_not_protect():
    text = WAN + "/ip firewall filter\nadd action=drop chain=input in-interface=ether2\n"
    [d] = findings(text, "SEC002")
    assert "no rule in chain=input drops new connections to them" in d.message


def test_drop_on_ethernet_under_pppoe_does_not_protect():
    text = (
        "/interface pppoe-client\nadd add-default-route=yes interface=ether1 name=pppoe-out user=u\n"
        "/ip firewall filter\nadd action=drop chain=input in-interface=ether1\n"
    )
    [d] = findings(text, "SEC002")
    assert "WAN interface pppoe-out" in d.message


def test_accept_before_drop_exposes_one_service():
    text = (
        WAN + "/ip firewall filter\nadd action=accept chain=input dst-port=8291 protocol=tcp\n"
        "add action=drop chain=input in-interface=ether1\n"
    )
    [d] = findings(text, "SEC002")
    assert d.message.startswith("the router's service winbox is reachable from WAN interface ether1")


def test_only_invalid_dropped_is_not_a_filter():
    text = WAN + "/ip firewall filter\nadd action=drop chain=input connection-state=invalid\n"
    assert len(findings(text, "SEC002")) == 1


def test_blocklist_drop_is_not_a_filter():
    text = WAN + "/ip firewall filter\nadd action=drop chain=input src-address-list=blacklist\n"
    assert len(findings(text, "SEC002")) == 1


def test_allow_list_drop_protects():
    text = WAN + "/ip firewall filter\nadd action=drop chain=input src-address-list=!trusted\n"
    assert sec_codes(text) == []


def test_undecidable_matcher_stays_quiet():
    text = WAN + "/ip firewall filter\nadd action=drop chain=input in-interface=ether1 limit=10,5:packet\n"
    assert sec_codes(text) == []


def test_drop_via_jump_chain():
    text = (
        WAN + "/ip firewall filter\nadd action=jump chain=input in-interface=ether1 jump-target=wan-in\n"
        "add action=accept chain=wan-in protocol=icmp\nadd action=drop chain=wan-in\n"
    )
    assert sec_codes(text) == []


def test_jump_chain_that_returns_falls_through():
    text = (
        WAN + "/ip firewall filter\nadd action=jump chain=input jump-target=checks\n"
        "add action=return chain=checks\nadd action=drop chain=checks\n"
    )
    assert len(findings(text, "SEC002")) == 1


def test_raw_prerouting_drop_protects():
    text = WAN + "/ip firewall raw\nadd action=drop chain=prerouting in-interface=ether1\n"
    assert sec_codes(text) == []


def test_disabled_drop_rule_does_not_protect():
    text = WAN + "/ip firewall filter\nadd action=drop chain=input disabled=yes in-interface=ether1\n"
    assert len(findings(text, "SEC002")) == 1


def test_rule_disabled_later_by_set_find():
    text = WAN + INPUT_FILTER + "/ip firewall filter\nset [ find in-interface=ether1 ] disabled=yes\n"
    assert len(findings(text, "SEC002")) == 1


def test_wan_list_member():
    text = (
        "/interface list\nadd name=WAN\n/interface list member\nadd interface=sfp1 list=WAN\n"
        "/ip address\nadd address=203.0.113.2/30 interface=sfp1\n"
    )
    [d] = findings(text, "SEC002")
    assert "WAN interface sfp1" in d.message and "in-interface-list=WAN" in d.fix
    text += "/ip firewall filter\nadd action=drop chain=input in-interface-list=WAN\n"
    assert sec_codes(text) == []


def test_services_disabled():
    assert sec_codes(WAN + "/ip service\ndisable telnet,ftp,www,ssh,api,winbox,api-ssl\n") == []


def test_address_restriction_does_not_filter_packets():
    # help.mikrotik.com, Services: with `address` set "packets are not dropped at the network level, but
    # access to the service is denied"; blocking untrusted networks is the firewall's job.
    text = WAN + (
        "/ip service\ndisable telnet,ftp,www,api,api-ssl\nset ssh address=192.168.88.0/24\n"
        "set [ find name=winbox ] address=192.168.88.0/24,10.0.0.0/8\n"
    )
    [d] = findings(text, "SEC002")
    assert "services ssh, winbox are reachable" in d.message
    assert any(
        n.startswith("ssh (address=192.168.88.0/24), winbox (address=192.168.88.0/24,10.0.0.0/8): address= does "
                     "not drop packets at the network level") and "Services" in n
        for n in d.notes
    )
    text += "/ip firewall filter\nadd action=drop chain=input in-interface=ether1\n"
    assert sec_codes(text) == []


def test_some_services_left_open():
    text = WAN + "/ip service\nset telnet disabled=yes\nset ftp disabled=yes\n" + (
        "set www disabled=yes\nset api disabled=yes\n"
    )
    [d] = findings(text, "SEC002")
    assert "services ssh, winbox, api-ssl are reachable" in d.message


def test_service_enabled_by_file_counts():
    text = WAN + "/ip service\ndisable telnet,ftp,www,ssh,api,winbox,api-ssl\nenable www-ssl\n"
    [d] = findings(text, "SEC002")
    assert "service www-ssl is reachable" in d.message


def test_service_port_moved_behind_a_port_filter():
    text = (
        WAN + "/ip service\ndisable telnet,ftp,www,api,api-ssl,winbox\nset ssh port=2222\n"
        "/ip firewall filter\nadd action=drop chain=input dst-port=22 in-interface=ether1 protocol=tcp\n"
    )
    [d] = findings(text, "SEC002")
    assert "service ssh is reachable" in d.message
    text = text.replace("dst-port=22 ", "dst-port=22,2222 ")
    assert sec_codes(text) == []


def test_service_selection_rosc_cannot_decide_stays_quiet():
    text = WAN + '/ip service\nset [ find name~"w" ] disabled=yes\n'
    # which services `name~"w"` disables is not decided: none is reported
    assert findings(text, "SEC002") == []


def test_place_before_makes_order_unknown():
    text = WAN + "/ip firewall filter\nadd action=drop chain=input in-interface=ether2 place-before=0\n"
    assert findings(text, "SEC002") == []


def test_filter_inside_if_is_not_applied():
    text = WAN + ":if (true) do={ /ip firewall filter add action=drop chain=input in-interface=ether1 }\n"
    assert len(findings(text, "SEC002")) == 1


# --- SEC003: open DNS resolver ----------------------------------------------------


def test_open_resolver():
    text = WAN + "/ip dns\nset allow-remote-requests=yes\n"
    [d] = findings(text, "SEC003")
    assert d.message == (
        "the router answers DNS queries and nothing drops them from WAN interface ether1: it is an open resolver"
    )
    assert text[d.span.offset : d.span.end] == "yes"


def test_resolver_behind_input_filter():
    assert sec_codes(WAN + "/ip dns\nset allow-remote-requests=yes\n" + INPUT_FILTER) == []


def test_resolver_with_only_tcp_dropped():
    text = WAN + "/ip dns\nset allow-remote-requests=yes\n/ip firewall filter\n" + (
        "add action=drop chain=input in-interface=ether1 protocol=tcp\n"
    )
    assert sec_codes(text) == ["SEC003"]


def test_resolver_with_port_53_dropped():
    text = WAN + "/ip dns\nset allow-remote-requests=yes\n/ip firewall filter\n" + (
        "add action=drop chain=input dst-port=53 in-interface=ether1 protocol=udp\n"
        "add action=drop chain=input dst-port=53 in-interface=ether1 protocol=tcp\n"
    )
    assert findings(text, "SEC003") == []


def test_no_remote_requests_or_no_wan():
    assert findings(WAN + "/ip dns\nset allow-remote-requests=no servers=1.1.1.1\n", "SEC003") == []
    assert findings(WAN + "/ip dns\nset servers=1.1.1.1\n", "SEC003") == []
    assert findings("/ip dns\nset allow-remote-requests=yes\n", "SEC003") == []


# --- SEC004: masquerade without forward filter -------------------------------------


NAT = "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n"


def test_masquerade_hides_private_lan():
    [d] = findings(LAN + WAN + INPUT_FILTER + NAT, "SEC004")
    assert d.message.startswith("masquerade hides 192.168.10.0/24 on lan behind ether1")
    assert d.severity.label == "info"


def test_any_forward_rule_silences_it():
    forward = "/ip firewall filter\nadd action=drop chain=forward connection-state=invalid\n"
    text = LAN + WAN + INPUT_FILTER + NAT + forward
    assert findings(text, "SEC004") == []


def test_public_lan_or_no_masquerade():
    text = "/ip address\nadd address=203.0.113.1/29 interface=ether2\n" + WAN + INPUT_FILTER + NAT
    assert findings(text, "SEC004") == []
    assert findings(LAN + WAN + INPUT_FILTER, "SEC004") == []


def test_disabled_masquerade_is_skipped():
    text = LAN + WAN + INPUT_FILTER + NAT.replace("add action", "add disabled=yes action")
    assert findings(text, "SEC004") == []


def test_tunnel_addresses_are_not_a_lan():
    text = (
        "/interface wireguard\nadd listen-port=13231 name=wg1\n/ip address\nadd address=10.0.0.1/30 interface=wg1\n"
        + WAN + INPUT_FILTER + NAT
    )
    assert findings(text, "SEC004") == []


def test_security_area_can_be_ignored_by_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.rsc").write_text(LAN + WAN + NAT + "/ppp secret\nadd name=a password=a\n")
    (tmp_path / "rosc.toml").write_text('ignore = ["security"]\n')
    result = CliRunner().invoke(main, ["lint", "r.rsc"])
    assert "SEC0" not in result.output and result.exit_code == 0


def test_jump_loop_stays_quiet():
    text = (
        WAN + "/ip firewall filter\nadd action=jump chain=input jump-target=a\n"
        "add action=jump chain=a jump-target=b\nadd action=jump chain=b jump-target=a\n"
    )
    assert findings(text, "SEC002") == []


def test_many_jumps_are_walked_once():
    import time

    rules = "".join(f"add action=jump chain=input jump-target=c{i % 50}\n" for i in range(5000))
    rules += "".join(f"add action=log chain=c{i} protocol=udp\n" for i in range(50) for _ in range(100))
    text = WAN + "/ip firewall filter\n" + rules
    start = time.perf_counter()
    assert len(findings(text, "SEC002")) == 1
    assert time.perf_counter() - start < 10
