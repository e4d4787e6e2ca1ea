"""Bytes or text → ``ParseResult``: decode, parse every statement
(``rosc.syntax.statements``), apply the current-menu context
(``rosc.syntax.menu_context``), and collect the diagnostics with locations."""

from __future__ import annotations

import gc

from rosc.diagnostics import Diagnostic, Severity
from rosc.syntax.menu_context import resolve
from rosc.syntax.problems import WARNING_CODES, to_diagnostic  # noqa: F401 (WARNING_CODES: for rosc.lsp)
from rosc.syntax.source import Source, decode
from rosc.syntax.statements import drive
from rosc.syntax.tree import Script


class ParseResult:
    __slots__ = ('source', 'script', 'diagnostics')
    __match_args__ = __slots__

    def __init__(self, source: Source, script: Script, diagnostics: list[Diagnostic] | None = None) -> None:
        self.source = source
        self.script = script
        self.diagnostics = [] if diagnostics is None else diagnostics

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(source={self.source!r}, script={self.script!r}, "
                f"diagnostics={self.diagnostics!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.source, self.script, self.diagnostics) == (other.source, other.script, other.diagnostics)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)

    @property
    def has_errors(self) -> bool:
        return any(d.severity >= Severity.ERROR for d in self.diagnostics)


def parse_text(text: str, path: str = "<stdin>") -> ParseResult:
    """Parse already-decoded text."""
    return _parse_source(Source(text, path), [])


def parse_bytes(data: bytes, path: str = "<stdin>") -> ParseResult:
    """Decode and parse the raw bytes of a file."""
    source, diagnostics = decode(data, path)
    return _parse_source(source, diagnostics)


def parse_fragment(text: str, context: tuple[str, ...] = ()) -> tuple[Script, list]:
    """Parse ``text`` as statements that run in the menu ``context``: the
    script and the problems as ``(code, start, end, message)`` tuples."""
    problems: list = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        body = drive(text, problems)
        script = Script(body, 0, len(text))
        resolve(script, text, problems, context)
    finally:
        if gc_was_enabled:
            gc.enable()
    return script, problems


def _parse_source(source: Source, diagnostics: list[Diagnostic]) -> ParseResult:
    raw_problems: list[tuple[str, int, int, str]] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the tree is acyclic: collecting during the build only costs time
    try:
        body = drive(source.text, raw_problems)
        script = Script(body, 0, len(source.text))
        resolve(script, source.text, raw_problems)
    finally:
        if gc_was_enabled:
            gc.enable()
    diagnostics.extend(to_diagnostic(p, source) for p in raw_problems)
    diagnostics.sort(key=Diagnostic.sort_key)
    return ParseResult(source, script, diagnostics)
