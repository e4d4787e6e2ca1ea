"""Inline suppressions: a comment line right above a command,

    # rosc: ignore[SEC001, ADDR004]      (or `# rosc: ignore` for every rule)
    /ppp secret add name=test password=test

and, anywhere in a file, ``# rosc: ignore-file[SEC001]``.
"""

from __future__ import annotations

import re

from rosc.diagnostics import Diagnostic
from rosc.syntax.parser import ParseResult
from rosc.syntax.tree import Command, Comment

_IGNORE = re.compile(r"#\s*rosc:\s*ignore(-file)?(?:\[([^\]]*)\])?", re.IGNORECASE)


def apply_suppressions(parsed: ParseResult, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    file_wide: set[str] = set()
    ranges: list[tuple[int, int, set[str] | None]] = []
    for stmt in parsed.script.body:
        if type(stmt) is Comment:
            m = _IGNORE.search(stmt.text)
            if m and m.group(1):
                file_wide |= _ids(m.group(2)) or {"*"}
            continue
        if type(stmt) is Command:
            for comment in stmt.comments:
                m = _IGNORE.search(comment.text)
                if m and not m.group(1):
                    ranges.append((stmt.start, stmt.end, _ids(m.group(2))))
    if not file_wide and not ranges:
        return diagnostics
    kept = []
    for d in diagnostics:
        if "*" in file_wide or d.code in file_wide:
            continue
        offset = d.span.offset
        if any(start <= offset <= end and (ids is None or d.code in ids) for start, end, ids in ranges):
            continue
        kept.append(d)
    return kept


def _ids(text: str | None) -> set[str] | None:
    if text is None:
        return None
    return {part.strip().upper() for part in text.split(",") if part.strip()}
