"""The generated table of rule metadata (``rosc/checks/rule_index.py``)
against the rules ``discover`` finds by importing every check module, and
what reading it spares: ``rosc rules``, ``rosc rule`` and ``--select`` of a
few rules import no check they do not run."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from rosc.checks.registry import Rule, all_rules, device_rules, index_text, rule_index
from rosc.lint.config import Config

INDEX = Path(__file__).resolve().parent.parent / "rosc" / "checks" / "rule_index.py"


def test_the_index_is_what_discovery_finds():
    assert INDEX.read_text(encoding="utf-8") == index_text(), (
        "rosc/checks/rule_index.py is stale: run `python -m rosc.checks.registry` and commit it")


def test_every_field_but_the_check_matches():
    found, indexed = all_rules(), rule_index()
    assert list(found) == list(indexed)
    names = [f.name for f in fields(Rule) if f.name != "check"]
    for rule_id, rule in found.items():
        assert [getattr(rule, n) for n in names] == [getattr(indexed[rule_id], n) for n in names], rule_id
        assert indexed[rule_id].check is None


def test_a_stale_index_is_noticed(monkeypatch):
    import rosc.checks.registry as registry

    monkeypatch.setattr(registry, "_index_modules", lambda: {"ADDR001": "rosc.checks.names"})
    try:
        device_rules(lambda r: r.id == "ADDR001")
    except LookupError as exc:
        assert "stale" in str(exc)
    else:
        raise AssertionError("a rule missing from its indexed module went unnoticed")


def test_selected_rules_are_the_discovered_ones():
    assert device_rules(Config().enabled) == device_rules()
    config = Config(select=["ADDR003", "FW"], ignore=["FW002"])
    chosen = device_rules(config.enabled)
    expected = {i: r for i, r in device_rules().items() if r.check is None or config.enabled(r)}
    assert chosen == expected
    assert all(chosen[i] is r for i, r in expected.items())


def _checks_imported(code: str) -> list[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith('rosc.checks.'))))\n"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


ALWAYS = {"rosc.checks.registry", "rosc.checks.rule_index", "rosc.checks.context"}


def test_listing_and_showing_rules_imports_no_check():
    for argv in (["rules"], ["rule", "ADDR003"], ["rules", "--area", "firewall"]):
        code = (f"import sys; sys.argv = ['rosc', *{argv!r}]\nfrom rosc.cli.main import main\n"
                "try:\n    main()\nexcept SystemExit:\n    pass")
        imported = set(_checks_imported(code)) - ALWAYS - {"rosc.checks.rule_pages"}
        assert imported == set(), argv


def test_a_lint_of_a_few_rules_imports_only_their_modules(tmp_path):
    file = tmp_path / "a.rsc"
    file.write_text("/ip address\nadd address=10.0.0.1/24 interface=ether1\nadd address=10.0.0.1/24 interface=ether2\n")
    code = (f"import sys; sys.argv = ['rosc', 'lint', '--select', 'ADDR003', {str(file)!r}]\n"
            "from rosc.cli.main import main\ntry:\n    main()\nexcept SystemExit:\n    pass")
    imported = set(_checks_imported(code)) - ALWAYS
    assert "rosc.checks.addressing" in imported
    assert not {"rosc.checks.firewall", "rosc.checks.wireguard", "rosc.checks.security", "rosc.checks.scripts"} & imported
