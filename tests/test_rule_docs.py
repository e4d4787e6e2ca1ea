"""Every rule has a page, and the page's examples do what it says."""

from __future__ import annotations

import pytest

from rosc.lint.engine import lint_bytes
from rosc.checks.rule_pages import load_page
from rosc.checks.registry import all_rules

DEVICE_RULES = [r for r in all_rules().values() if r.scope == "device"]


@pytest.mark.parametrize("rule", all_rules().values(), ids=lambda r: r.id)
def test_every_rule_has_a_page(rule):
    page = load_page(rule.id)
    assert page is not None, f"rules/{rule.id}.md is missing"
    assert page.title.startswith(f"{rule.id}: {rule.name}")
    assert "## Why it matters" in page.text and "## How to fix" in page.text
    assert page.bad and page.fixed, "the page needs a Bad and a Fixed example"


def _ids(code: str) -> list[str]:
    return sorted({d.code for d in lint_bytes(code.encode("utf-8"), "example.rsc").diagnostics})


@pytest.mark.parametrize("rule", DEVICE_RULES, ids=lambda r: r.id)
def test_bad_example_triggers_exactly_this_rule(rule):
    page = load_page(rule.id)
    for _title, lang, code in page.bad:
        if lang == "rsc":  # `text` blocks show bytes a page cannot hold (NUL, BOM)
            assert _ids(code) == [rule.id], code


@pytest.mark.parametrize("rule", DEVICE_RULES, ids=lambda r: r.id)
def test_fixed_example_is_clean(rule):
    page = load_page(rule.id)
    for _title, lang, code in page.fixed:
        if lang == "rsc":
            assert _ids(code) == [], code
