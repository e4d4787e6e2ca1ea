"""The lab rules on the article lab and on broken copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ARTICLE
from rosc.lint.config import Config
from rosc.diagnostics import Severity
from rosc.lab.runner import check_lab


def article_variant(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    """A copy of the article lab with (file, old, new) replacements."""
    folder = tmp_path / "lab"
    shutil.copytree(ARTICLE, folder, ignore=shutil.ignore_patterns("build"))
    for file, old, new in edits:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def findings(folder: Path, prefix: str = "LAB", config: Config | None = None):
    return [d for d in check_lab(folder, config) if d.code.startswith(prefix)]


def codes(folder: Path, prefix: str = "LAB") -> set[str]:
    return {d.code for d in findings(folder, prefix)}


def test_article_lab_has_no_errors_and_one_lab_warning():
    everything = check_lab(ARTICLE)
    assert not [d for d in everything if d.severity >= Severity.ERROR]
    lab = [d for d in everything if d.code.startswith("LAB")]
    assert [(Path(d.path).name, d.span.line, d.code) for d in lab] == [("mtr1.rsc", 31, "LAB023")]
    assert "122.0.0.253" in lab[0].message and "isp2" in lab[0].message and "pool pppoe-pool" in lab[0].message


def test_asymmetric_allowed_address(tmp_path):
    folder = article_variant(
        tmp_path, ("mtr3.rsc", "allowed-address=10.0.0.1/32,192.168.1.0/24", "allowed-address=10.0.0.1/32")
    )
    (d,) = findings(folder, "LAB020")
    assert Path(d.path).name == "mtr3.rsc" and d.severity == Severity.ERROR
    assert "192.168.1.0/24" in d.message and "mtr1" in d.message


def test_peer_copied_from_the_other_side(tmp_path):
    folder = article_variant(
        tmp_path, ("mtr1.rsc", "allowed-address=10.0.0.2/32,192.168.3.0/24", "allowed-address=10.0.0.1/32,192.168.1.0/24")
    )
    found = findings(folder)
    by_code = {}
    for d in found:
        by_code.setdefault(d.code, []).append(d.message)
    assert len(by_code["LAB020"]) == 2  # mtr3's tunnel address and mtr3's LAN are missing
    assert any("10.0.0.2" in m for m in by_code["LAB020"])
    assert len(by_code["LAB021"]) == 2  # mtr1's own tunnel address and LAN are there


def test_wrong_pppoe_password_is_caught_and_never_printed(tmp_path):
    folder = article_variant(
        tmp_path,
        ("isp1.rsc", "add name=isp1user1 password=isp1user1", "add name=isp1user1 password=Zq9-server-side"),
        ("mtr1.rsc", "user=isp1user1 password=isp1user1", "user=isp1user1 password=Xk4-client-side"),
    )
    found = findings(folder)
    (d,) = [x for x in found if x.code == "LAB012"]
    assert Path(d.path).name == "mtr1.rsc" and "does not match the secret isp1user1 on isp1" in d.message
    for x in check_lab(folder):
        text = " ".join([x.message, *x.notes, x.fix or ""])
        assert "Zq9-server-side" not in text and "Xk4-client-side" not in text
    # with no session, mtr1's WireGuard handshake has no way out
    assert "LAB026" in {x.code for x in found}


def test_unknown_pppoe_user_suggests_a_close_name(tmp_path):
    folder = article_variant(tmp_path, ("mtr1.rsc", "user=isp1user1", "user=isp1usr1"))
    (d,) = findings(folder, "LAB012")
    assert "no PPP secret on isp1" in d.message and "did you mean isp1user1" in d.message


def test_service_name_typo(tmp_path):
    folder = article_variant(tmp_path, ("mtr3.rsc", "service-name=pppoe-service", "service-name=pppoe-servce"))
    (d,) = findings(folder, "LAB011")
    assert "pppoe-servce" in d.message and "isp2 offers 'pppoe-service'" in d.message
    assert d.fix.startswith("set service-name=pppoe-service")


def test_target_scope_too_low(tmp_path):
    folder = article_variant(
        tmp_path, ("mtr2-recursive.rsc", "gateway=1.1.1.1 target-scope=11", "gateway=1.1.1.1 target-scope=9")
    )
    (d,) = findings(folder, "ROUTE001")
    assert Path(d.path).name == "mtr2-recursive.rsc" and "1.1.1.1" in d.message


def test_host_route_with_default_scope(tmp_path):
    folder = article_variant(tmp_path, ("mtr2-recursive.rsc", "gateway=pppoe-out1 scope=10", "gateway=pppoe-out1"))
    (d,) = findings(folder, "ROUTE001")
    assert "8.8.8.8" in d.message and "scope 30" in d.message


def test_cable_into_the_wrong_port(tmp_path):
    folder = article_variant(tmp_path, ("lab.toml", '"isp1:ether2" = "mtr1:ether1"', '"isp1:ether2" = "mtr1:ether2"'))
    found = {d.code: d for d in findings(folder)}
    assert "ether1 has no cable" in found["LAB010"].message
    assert found["LAB002"].path.endswith("lab.toml")
    assert "configured for ether1" in found["LAB002"].message


def test_unrouted_customer_pool(tmp_path):
    folder = article_variant(tmp_path, ("core.rsc", "add dst-address=122.0.0.0/24 gateway=123.1.1.6\n", ""))
    found = {d.code: d for d in findings(folder)}
    pool = found["LAB032"]
    assert Path(pool.path).name == "isp2.rsc" and "core does not route 122.0.0.2-122.0.0.254" in pool.message
    assert "dst-address=122.0.0.0/24 gateway=123.1.1.6" in pool.fix
    assert "masquerades" in " ".join(pool.notes)
    # and the tunnel that crosses core towards mtr3's address breaks
    assert "reaches the internet, not mtr3" in found["LAB026"].message


def test_endpoint_not_an_address_of_the_other_side(tmp_path):
    folder = article_variant(tmp_path, ("mtr1.rsc", "endpoint-address=122.0.0.253", "endpoint-address=123.1.1.6"))
    (d,) = findings(folder, "LAB022")  # paired through mtr3's tunnel address in allowed-address
    assert "123.1.1.6" in d.message and "not an address mtr3 can have" in d.message
    assert "isp2's pool pppoe-pool (122.0.0.2-122.0.0.254)" in d.message
    (down,) = findings(folder, "LAB026")
    assert "reaches isp2, not mtr3" in down.message


def test_endpoint_port_mismatch(tmp_path):
    folder = article_variant(tmp_path, ("mtr1.rsc", "endpoint-port=13231", "endpoint-port=51820"))
    (d,) = findings(folder, "LAB022")
    assert "51820" in d.message and "13231" in d.message


def test_fixed_address_for_the_responder_silences_the_dynamic_endpoint_warning(tmp_path):
    folder = article_variant(
        tmp_path,
        ("isp2.rsc", "add name=isp2user1 password=isp2user1 profile=pppoe-server service=pppoe",
         "add name=isp2user1 password=isp2user1 profile=pppoe-server remote-address=122.0.0.253 service=pppoe"),
    )
    assert codes(folder) == set()


def test_tunnel_subnet_mismatch(tmp_path):
    folder = article_variant(
        tmp_path,
        ("mtr3.rsc", "add address=10.0.0.2/30 interface=wireguard1 network=10.0.0.0",
         "add address=10.0.1.2/30 interface=wireguard1 network=10.0.1.0"),
        ("mtr1.rsc", "allowed-address=10.0.0.2/32,", "allowed-address=10.0.1.2/32,"),
    )
    (d,) = findings(folder, "LAB024")
    assert Path(d.path).name == "mtr3.rsc" and "10.0.1.2/30" in d.message and "10.0.0.1/30" in d.message


def test_duplicate_address_and_subnet_mismatch_on_a_cable(tmp_path):
    folder = article_variant(tmp_path, ("isp1.rsc", "add address=123.1.1.2/30", "add address=123.1.1.1/30"))
    (d,) = findings(folder, "LAB030")
    assert "123.1.1.1" in d.message and "core" in d.message
    folder2 = article_variant(tmp_path / "b", ("isp2.rsc", "add address=123.1.1.6/30", "add address=123.1.2.6/30"))
    (d2,) = findings(folder2, "LAB031")
    assert "isp2:ether1" in d2.message and "core:ether3" in d2.message


def test_shared_secret_and_small_pool(tmp_path):
    folder = article_variant(
        tmp_path,
        ("mtr2.rsc", "user=isp1user2 password=isp1user2", "user=isp1user1 password=isp1user1"),
        ("isp1.rsc", "ranges=121.0.0.2-121.0.0.254", "ranges=121.0.0.2"),
    )
    found = {d.code: d for d in findings(folder)}
    assert "logs in as isp1user1, like mtr1's pppoe-out" in found["LAB013"].message
    assert "has 1 address, but 2 clients" in found["LAB014"].message


def test_pppoe_server_disabled_means_no_server(tmp_path):
    folder = article_variant(tmp_path, ("isp2.rsc", "default-profile=pppoe-server disabled=no", "default-profile=pppoe-server disabled=yes"))
    found = findings(folder, "LAB010")
    assert {Path(d.path).name for d in found} == {"mtr3.rsc", "mtr2.rsc", "mtr2-failover.rsc", "mtr2-recursive.rsc"}


def test_findings_of_every_variant_are_reported(tmp_path):
    folder = article_variant(tmp_path, ("mtr2-failover.rsc", "user=isp2user2 password=isp2user2", "user=isp2user2 password=nope"))
    (d,) = findings(folder, "LAB012")
    assert Path(d.path).name == "mtr2-failover.rsc"


def test_inline_suppression_and_config_apply_to_lab_rules(tmp_path):
    folder = article_variant(
        tmp_path,
        ("mtr1.rsc", "/interface wireguard peers\nadd allowed-address",
         "/interface wireguard peers\n# rosc: ignore[LAB023]\nadd allowed-address"),
    )
    assert codes(folder) == set()
    assert codes(ARTICLE) == {"LAB023"}
    assert [d for d in check_lab(ARTICLE, Config(ignore=["LAB023"])) if d.code.startswith("LAB")] == []
    only = check_lab(ARTICLE, Config(select=["lab"]))
    assert {d.code for d in only} == {"LAB023"}
    raised = check_lab(ARTICLE, Config(select=["LAB023"], severity={"LAB023": Severity.ERROR}))
    assert [d.severity for d in raised] == [Severity.ERROR]


def test_dhcp_client_without_server(tmp_path):
    folder = article_variant(tmp_path, ("lab.toml", '[uplinks]\n"core:ether1" = "internet"', ""))
    (d,) = findings(folder, "LAB015")
    assert Path(d.path).name == "core.rsc" and "ether1 has no cable" in d.message


@pytest.mark.parametrize("rule_id", ["LAB001", "LAB010", "LAB020", "LAB026", "LAB032"])
def test_lab_rules_have_pages_and_metadata(rule_id):
    from rosc.lab.runner import lab_rules
    from rosc.checks.rule_pages import load_page

    rule = {r.id: r for r in lab_rules()}[rule_id]
    assert rule.area == "lab" and rule.scope == "lab"
    assert load_page(rule_id).title.startswith(rule_id)


def test_no_common_authentication_method(tmp_path):
    folder = article_variant(
        tmp_path,
        ("isp1.rsc", "interface=pppoe-bridge service-name=pppoe-service", "authentication=mschap2 interface=pppoe-bridge service-name=pppoe-service"),
        ("mtr1.rsc", "add add-default-route=yes disabled=no interface=ether1", "add add-default-route=yes allow=pap disabled=no interface=ether1"),
    )
    found = findings(folder, "LAB012")
    assert [Path(d.path).name for d in found] == ["mtr1.rsc"]
    assert "allows pap, which no PPPoE server it reaches accepts (isp1: authentication=mschap2)" in found[0].message
