"""Formatting a whole document or a selection as ``rosc fmt`` would, as the
smallest text edits."""

from __future__ import annotations

import difflib

from lsprotocol import types as lsp

from rosc.lsp.document import parse_full
from rosc.lsp.positions import UTF16, LineIndex
from rosc.syntax.source import BOM, line_starts


def _split(text: str) -> list[str]:
    """Lines with their line ends, split where LineIndex (and the protocol)
    ends a line: at ``\n``, ``\r\n`` and a lone ``\r`` only."""
    starts = line_starts(text)
    lines = [text[a:b] for a, b in zip(starts, starts[1:])]
    if starts[-1] < len(text):
        lines.append(text[starts[-1]:])
    return lines


def _hunks(before: str, after: str) -> list[tuple[int, int, int, int]]:
    a, b = _split(before), _split(after)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:  # line for line: one edit per line
            out.extend((i, i + 1, j1 + k, j1 + k + 1) for k, i in enumerate(range(i1, i2)))
        else:
            out.append((i1, i2, j1, j2))
    return out


def _formatted(text: str, path: str) -> str | None:
    bom = text.startswith(BOM)
    from rosc.format.formatter import format_text

    result = format_text(text[1:] if bom else text, path)
    if result.output is None:
        return None
    return (BOM if bom else "") + result.output


def _edits(text: str, output: str, hunks) -> list[lsp.TextEdit]:
    a = _split(text)
    b = _split(output)
    offsets = [0]
    for line in a:
        offsets.append(offsets[-1] + len(line))
    index = LineIndex(text)
    return [
        lsp.TextEdit(range=index.range(offsets[i1], offsets[i2]), new_text="".join(b[j1:j2]))
        for i1, i2, j1, j2 in hunks
    ]


def format_document(text: str, path: str = "<buffer>", encoding: str = UTF16) -> list[lsp.TextEdit] | None:
    """The edits that turn ``text`` into ``rosc fmt``'s output (one per
    changed run of lines); None when rosc cannot format it safely."""
    output = _formatted(text, path)
    if output is None:
        return None
    if output == text:
        return []
    edits = _edits(text, output, _hunks(text, output))
    if str(encoding) != UTF16:
        index = LineIndex(text, encoding)
        plain = LineIndex(text)
        for e in edits:
            e.range = index.range(plain.offset(e.range.start), plain.offset(e.range.end))
    return edits


def format_range(text: str, rng: lsp.Range, path: str = "<buffer>", encoding: str = UTF16) -> list[lsp.TextEdit] | None:
    """Format only the commands the range touches.

    The whole file is formatted; the range is widened to whole top-level
    statements; the changed runs of lines (diff hunks) that touch it are
    kept when they lie inside it *and* applying only them keeps the file's
    meaning (same signature as ``rosc fmt`` checks).  Otherwise, when the
    formatter's output for those commands cannot be isolated (for example a
    menu header it adds changes the menu of later lines), returns None and
    nothing is changed.  [] when the range is already formatted."""
    output = _formatted(text, path)
    if output is None:
        return None
    if output == text:
        return []
    index = LineIndex(text, encoding)
    lo, hi = rng.start.line, rng.end.line
    if hi > lo and rng.end.character == 0:
        hi -= 1
    parsed, base = parse_full(text, path)
    plain = LineIndex(text)
    for stmt in parsed.script.body:
        first = plain.position(stmt.start + base).line
        last = plain.position(max(stmt.start, stmt.end - 1) + base).line
        if first <= hi and last >= lo:
            lo, hi = min(lo, first), max(hi, last)
    chosen = []
    for h in _hunks(text, output):
        i1, i2 = h[0], h[1]
        touches = (lo <= i1 <= hi) if i1 == i2 else (i1 <= hi and i2 > lo)
        if not touches:
            continue
        if i1 < lo or i2 > hi + 1:
            return None
        chosen.append(h)
    if not chosen:
        return []
    a = _split(text)
    b = _split(output)
    pieces, prev = [], 0
    for i1, i2, j1, j2 in chosen:
        pieces.extend(a[prev:i1])
        pieces.extend(b[j1:j2])
        prev = i2
    pieces.extend(a[prev:])
    candidate = "".join(pieces)
    from rosc.format.equivalence import signature

    again, _ = parse_full(candidate, path)
    if again.has_errors or signature(again.script) != signature(parsed.script):
        return None
    edits = _edits(text, output, chosen)
    if str(encoding) != UTF16:
        for e in edits:
            e.range = index.range(plain.offset(e.range.start), plain.offset(e.range.end))
    return edits
