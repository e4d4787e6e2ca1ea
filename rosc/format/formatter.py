"""``rosc fmt``: canonical text for a file, when it is safe (writing it is
``rosc.format.safe_write``).

The safety check: the output must read back as the same commands, values
and comments (``rosc.format.equivalence``).  It re-reads only what changed:
a statement whose text and menu are what they were in the input reads back
the same, and so does one whose text differs only in the spaces and line
continuations between its tokens.  Only the other statements (their values
written differently, their arguments in another order, or run in another
menu) are parsed again, together, in the menu they run in, and compared
one by one; every menu header is checked to read as that menu, and every
other line of the output must be blank.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field

from rosc.diagnostics import Diagnostic, Severity
from rosc.format.emitter import INDENT, Layout, layout
from rosc.format.equivalence import statement_signature
from rosc.syntax.parser import parse_bytes, parse_fragment, parse_text
from rosc.syntax.problems import WARNING_CODES
from rosc.syntax.source import Source
from rosc.syntax.tree import Command, Comment


@dataclass(slots=True)
class FormatResult:
    source: Source  # the input, for excerpts of the diagnostics
    output: str | None  # None when the file cannot be formatted safely
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def original(self) -> str:
        return self.source.text

    @property
    def changed(self) -> bool:
        return self.output is not None and self.output != self.original


def format_text(text: str, path: str = "<stdin>") -> FormatResult:
    return _without_gc(lambda: _format(parse_text(text, path)))


def format_bytes(data: bytes, path: str = "<stdin>") -> FormatResult:
    return _without_gc(lambda: _format(parse_bytes(data, path)))


def _without_gc(run):
    """Nothing fmt makes is cyclic: the garbage collector would only walk
    the syntax tree (millions of objects for a big export) to find nothing."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return run()
    finally:
        if gc_was_enabled:
            gc.enable()


def _format(result) -> FormatResult:
    diagnostics = list(result.diagnostics)
    if result.has_errors:
        return FormatResult(result.source, None, diagnostics)
    laid = layout(result.script, result.source.text)
    safe = same_meaning(result, laid)
    if not safe:
        diagnostics.append(
            Diagnostic(
                "FMT001",
                Severity.ERROR,
                "rosc could not format this file without changing its meaning, so it left it as it is; "
                "please report this as a rosc bug with the file attached",
                result.source.path,
                result.source.span(0, 0),
            )
        )
        return FormatResult(result.source, None, diagnostics)
    return FormatResult(result.source, laid.text, diagnostics)


def same_meaning(result, laid: Layout) -> bool:
    """Whether ``laid`` (the layout of ``result``'s script) reads back as
    the same script; see the module docstring."""
    text = result.source.text
    output = laid.text
    # Every line of the output is a header, a statement, or blank.
    spans = sorted([(s, e) for _, s, e, _ in laid.parts] + [(s, e) for s, e, _ in laid.headers])
    at = 0
    for start, end in spans:
        if start < at or output[at:start].strip("\n"):
            return False
        at = end
    if output[at:].strip("\n"):
        return False
    # Each header reads as its menu; the menu each statement runs in is the
    # last header's.
    headers = sorted(laid.headers)
    for menu in {h[2] for h in headers}:
        if not _header_reads_as(menu):
            return False
    source_menu = _source_menus(result.script.body)
    changed: dict[tuple, list] = {}
    h = 0
    current: tuple[str, ...] = ()
    for stmt, start, end, menu in laid.parts:
        while h < len(headers) and headers[h][0] < start:
            current = headers[h][2]
            h += 1
        if menu != current:
            return False
        piece = output[start:end]
        if type(stmt) is Command and menu == source_menu.get(id(stmt)):
            written = text[stmt.start : stmt.end]
            if piece == written:
                continue  # the same text in the same menu reads the same
            rejoined = _rejoined(piece)
            if (rejoined is not None and rejoined == _rejoined(written)) or _squeeze(piece) == _squeeze(written):
                if not _COMMENT_AFTER_JOIN.search(piece):
                    continue  # only the space between its tokens changed
        if type(stmt) is Comment and piece == stmt.text:
            continue
        changed.setdefault(menu, []).append((stmt, piece))
    for menu, items in changed.items():
        again, problems = parse_fragment("\n".join(piece for _, piece in items), menu)
        if any(p[0] not in WARNING_CODES for p in problems) or len(again.body) != len(items):
            return False
        for (stmt, _), new in zip(items, again.body):
            if statement_signature(new) != statement_signature(stmt):
                return False
    return True


# A quoted string (kept as it is) or a run of spaces and line continuations
# between tokens (outside strings; squeezed to one space).  Two statements
# whose texts differ only there read as the same tokens: RouterOS skips that
# space, and where there was none in one there is none in the other, so no
# values are glued or split differently.
_STRING = re.compile(r'("[^"\\]*+(?:\\.[^"\\]*+)*+")', re.DOTALL)
_GAP = re.compile(r"(?:[ \t]*\\\r?\n[ \t]*|[ \t]+)+")
# ...except a line that a continuation makes start with `#` (SYN013).
_COMMENT_AFTER_JOIN = re.compile(r"\\\r?\n[ \t]*#")


_BREAK = " \\\n" + INDENT  # how fmt continues a line of a top-level command
_BREAK_THEN_SPACE = re.compile(re.escape(_BREAK) + "[ \t]")


def _rejoined(piece: str) -> str | None:
    """``piece`` with each line break written as fmt and ``/export`` write
    them (`` \\``, a line end and a 4-space indent) turned back into the
    space it stands for: a quick ``_squeeze`` for the usual case.  In a
    string such a break is a line join after a space, which reads as that
    space alike, unless the next line starts with more white space (the
    join would skip it): None then."""
    if _BREAK not in piece:
        return piece
    if _BREAK_THEN_SPACE.search(piece):
        return None
    return piece.replace(_BREAK, " ")


def _squeeze(text: str) -> str:
    if '"' not in text:
        return _GAP.sub(" ", text)
    parts = _STRING.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = _GAP.sub(" ", parts[i])
    return "".join(parts)


def _source_menus(body: list) -> dict[int, tuple[str, ...]]:
    """The menu each top-level statement of the input runs in."""
    menus: dict[int, tuple[str, ...]] = {}
    current: tuple[str, ...] = ()
    for stmt in body:
        menus[id(stmt)] = current
        if type(stmt) is Command and stmt.verb is None and not stmt.args:
            current = stmt.menu
    return menus


def _header_reads_as(menu: tuple[str, ...]) -> bool:
    line = "/" + " ".join(menu)
    script, problems = parse_fragment(line)
    body = script.body
    return not problems and len(body) == 1 and type(body[0]) is Command and body[0].is_menu_change and body[0].menu == menu
