"""The lab rules' pages: each Bad example set, built as a lab in a temporary
folder, triggers exactly its rule among the lab rules; each Fixed set none."""

from __future__ import annotations

import pytest

from rosc.lab.runner import check_lab, lab_rules
from rosc.checks.rule_pages import load_page

LAB_RULES = lab_rules()


def _build(folder, blocks) -> None:
    names = [title for title, _lang, _code in blocks]
    assert "lab.toml" in names, "a lab example needs a ```toml title=lab.toml block"
    for title, _lang, code in blocks:
        assert title, "every block of a lab example needs title=FILE"
        (folder / title).write_text(code, encoding="utf-8")


def _lab_codes(folder) -> list[str]:
    return sorted({d.code for d in check_lab(folder) if d.code.startswith("LAB")})


def test_lab_rules_are_registered():
    assert LAB_RULES, "rosc.lab.checks registers no rule"
    for rule in LAB_RULES:
        assert rule.area == "lab" and rule.scope == "lab"


@pytest.mark.parametrize("rule", LAB_RULES, ids=lambda r: r.id)
def test_page_shape(rule):
    page = load_page(rule.id)
    assert page is not None, f"rules/{rule.id}.md is missing"
    assert page.title.startswith(f"{rule.id}: {rule.name}")
    assert "## Why it matters" in page.text and "## How to fix" in page.text
    assert page.bad and page.fixed


@pytest.mark.parametrize("rule", LAB_RULES, ids=lambda r: r.id)
def test_bad_example_triggers_exactly_this_lab_rule(rule, tmp_path):
    _build(tmp_path, load_page(rule.id).bad)
    assert _lab_codes(tmp_path) == [rule.id]


@pytest.mark.parametrize("rule", LAB_RULES, ids=lambda r: r.id)
def test_fixed_example_has_no_lab_finding(rule, tmp_path):
    _build(tmp_path, load_page(rule.id).fixed)
    assert _lab_codes(tmp_path) == []
