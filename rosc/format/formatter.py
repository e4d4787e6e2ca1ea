"""``rosc fmt``: canonical text for a file, when it is safe (writing it is
``rosc.format.safe_write``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rosc.diagnostics import Diagnostic, Severity
from rosc.format.emitter import emit
from rosc.format.equivalence import signature
from rosc.syntax.parser import parse_bytes, parse_text
from rosc.syntax.source import Source


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
    return _format(parse_text(text, path))


def format_bytes(data: bytes, path: str = "<stdin>") -> FormatResult:
    return _format(parse_bytes(data, path))


def _format(result) -> FormatResult:
    text = result.source.text
    diagnostics = list(result.diagnostics)
    if result.has_errors:
        return FormatResult(result.source, None, diagnostics)
    output = emit(result.script, text)
    again = parse_text(output, result.source.path)
    if again.has_errors or signature(again.script) != signature(result.script):
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
    return FormatResult(result.source, output, diagnostics)
