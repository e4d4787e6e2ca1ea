"""Re-parsing after an edit: ``Document`` remembers which part of the text
changed since the last parse and re-parses only the top-level statements
around it (``reparse``); everything else of the syntax tree is kept, with its
offsets shifted.  When that cannot be done exactly (an edit that changes the
current menu of later lines, an unclosed bracket, a byte order mark...) it
parses the whole text again.  What the checks make of the new tree is
``rosc.lint.incremental``'s matter."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from rosc.diagnostics import Diagnostic
from rosc.lint.incremental import Region
from rosc.syntax.parser import ParseResult
from rosc.syntax.source import BOM, Source, line_starts_after_edit
from rosc.syntax.tree import (
    Arg,
    Block,
    Command,
    Comment,
    Concat,
    Expression,
    Script,
    String,
    Substitution,
)

_GLOBAL_BREAKERS = frozenset({"SYN003", "SYN011", "SYN006", "SYN007", "SYN005", "SYN020"})


def _shift(nodes, delta: int) -> None:
    """Move every node below ``nodes`` by ``delta`` characters."""
    stack = list(nodes)
    pop, extend, push = stack.pop, stack.extend, stack.append
    while stack:
        node = pop()
        node.start += delta
        node.end += delta
        kind = type(node)
        if kind is Command:
            node.path_end += delta
            if node.verb is not None:
                push(node.verb)
            extend(node.args)
            extend(node.abbreviations)  # their spans move too (VOC005/VOC006 point at them)
        elif kind is Arg:
            node.key_end += delta
            if node.value is not None:
                push(node.value)
        elif kind is Block or kind is Substitution or kind is Script:
            extend(node.body)
        elif kind is Expression:
            extend(node.items)
        elif kind is Concat:
            extend(node.parts)
        elif kind is String and node.script is not None:
            push(node.script)


def _track(body, current: tuple[str, ...]) -> tuple[str, ...]:
    """The current menu after ``body`` runs, starting in ``current``."""
    for stmt in body:
        if type(stmt) is Command and stmt.verb is None and not stmt.args:
            current = stmt.menu
    return current


_CONTINUED = re.compile(r"[ \t\f\v]*(?:\\[ \t]*(?:\r?\n|\r))?")


def _separator_after(text: str, end: int) -> int:
    """Where the statement ending at ``end`` is ended: the offset of the line
    end or ``;`` after it (past spaces and line continuations)."""
    pos = end
    while True:
        m = _CONTINUED.match(text, pos)
        if m.end() == pos:
            return pos
        pos = m.end()


def reparse(old: ParseResult, text: str, start: int, old_end: int, new_end: int) -> ParseResult | None:
    """``reparse_region`` without the region."""
    found = reparse_region(old, text, start, old_end, new_end)
    return found[0] if found is not None else None


def reparse_region(old: ParseResult, text: str, start: int, old_end: int, new_end: int) -> tuple[ParseResult, Region] | None:
    """``old`` re-parsed after ``old.source.text[start:old_end]`` became
    ``text[start:new_end]``, re-reading only the top-level statements
    around the change.  Returns None when that would not give exactly what
    a full parse gives (then parse the whole text).  Reuses (and shifts)
    the nodes of ``old``: ``old`` must not be used afterwards.  The region
    says which top-level statements were replaced by which (for
    ``rosc.lint.incremental.relint``)."""
    try:
        from rosc.syntax.menu_context import resolve_statements
        from rosc.syntax.problems import shifted, to_diagnostic
        from rosc.syntax.statements import parse_statements
    except ImportError:  # pragma: no cover - internal API changed
        return None
    if any(d.code in _GLOBAL_BREAKERS for d in old.diagnostics) or text.startswith(BOM):
        return None
    body = old.script.body
    delta = (new_end - old_end)
    old_len = len(old.source.text)
    if len(text) != old_len + delta:
        return None
    # Statements wholly before the change (end < start) are kept as they are;
    # those starting after it (start > old_end) are kept and shifted.
    ends = [s.end for s in body]
    i = bisect_left(ends, start)
    old_text = old.source.text
    while i > 0 and (type(body[i - 1]) is Comment or _separator_after(old_text, body[i - 1].end) >= start):
        i -= 1  # comments belong to the command after them; text typed after a
        # statement but before its line end continues that statement
    j = bisect_right([s.start for s in body], old_end, lo=i)
    guarded = j < len(body)
    if guarded:
        j += 1  # end the region with a whole command, so no comment run is split
        while j < len(body) and type(body[j - 1]) is Comment:
            j += 1
    r0 = body[i - 1].end if i > 0 else 0
    r1_old = body[j].start if j < len(body) else old_len
    if r1_old < old_end or r0 > start:
        return None
    if any(d.span.offset < r0 < d.span.end or d.span.offset < r1_old < d.span.end for d in old.diagnostics):
        return None  # a finding across the region's edge
    if any(d.code == "SYN002" and d.span.offset < r1_old for d in old.diagnostics):
        return None  # an unterminated string's message names where the quotes run on to, later in the file
    r1 = r1_old + delta
    region = text[r0:r1]
    old_region = old_text[r0:r1_old]
    if (region.count("\n") + region.count("\r") != old_region.count("\n") + old_region.count("\r")
            and any(d.span.offset >= r1_old for d in old.diagnostics)):
        return None  # the lines move: a finding after the region may name a line ("runs on to 24:19")
    if "\0" in region:
        return None
    if j < len(body):
        tail = region.rstrip(" \t\f\v")
        if tail.endswith("\n") or tail.endswith("\r"):
            if tail.rstrip("\r\n").rstrip(" \t\f\v").endswith("\\"):
                return None
        elif not tail.endswith(";"):
            return None
    problems: list = []
    stmts = parse_statements(region, problems)
    if any(p[0] in _GLOBAL_BREAKERS or p[0] == "SYN002" for p in problems):
        return None  # a bracket or quote left open here pairs with text after the region
    if r0:
        _shift(stmts, r0)
        problems = [shifted(p, r0) for p in problems]
    if guarded and (not stmts or stmts[-1].end != body[j - 1].end + delta):
        return None  # the region's last command, after the edit, was not read as it was: a parse error ran
        # on to the region's end (an unclosed bracket...), where a full parse runs on to the end of the file
    context = _track(body[:i], ())
    resolve_statements(stmts, text, problems, context)
    if _track(stmts, context) != _track(body[i:j], context):
        return None  # the edit changes the menu later lines run in
    rest = body[j:]
    if delta:
        _shift(rest, delta)
    new_body = body[:i] + stmts + rest
    source = Source(text, old.source.path, line_starts_after_edit(old.source.line_starts, text, r0, r1_old, delta))
    diagnostics: list[Diagnostic] = []
    for d in old.diagnostics:
        if d.span.offset < r0 and d.span.end <= r0:
            diagnostics.append(d)
        elif d.span.offset >= r1_old:
            diagnostics.append(
                Diagnostic(d.code, d.severity, d.message, d.path, source.span(d.span.offset + delta, d.span.end + delta), d.notes, d.fix)
            )
    diagnostics.extend(to_diagnostic(p, source) for p in problems)
    diagnostics.sort(key=Diagnostic.sort_key)
    region = Region(i, body[i:j], stmts, r0, r1_old, delta)
    return ParseResult(source, Script(new_body, 0, len(text)), diagnostics), region
