"""Small helpers the check tests share: lint a snippet, pick findings."""

from __future__ import annotations

from rosc.lint.engine import lint_bytes


def diags(text: str):
    return lint_bytes(text.encode(), "t.rsc").diagnostics


def findings(text: str, code: str):
    return [d for d in diags(text) if d.code == code]


def only(text: str, code: str):
    found = findings(text, code)
    assert len(found) == 1, [(d.code, d.message) for d in diags(text)]
    return found[0]


def pointed(text: str, d) -> str:
    """The source text a finding's span covers (on its first line)."""
    line = text.splitlines()[d.span.line - 1]
    return line[d.span.column - 1 : d.span.end_column - 1]
