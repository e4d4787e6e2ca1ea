"""Diagnostics: what every pass of rosc reports, with a location."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


@dataclass(slots=True, frozen=True)
class Span:
    """A location in a source file: 1-based line/column, 0-based offsets."""

    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end: int

    def as_dict(self) -> dict[str, int]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "offset": self.offset,
            "end": self.end,
        }


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: use info, warning or error") from None


@dataclass(slots=True)
class Diagnostic:
    """One finding: a rule id, a severity, a message and where it is."""

    code: str
    severity: Severity
    message: str
    path: str
    span: Span
    notes: list[str] = field(default_factory=list)
    fix: str | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.span.offset, self.code)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity.label,
            "message": self.message,
            "path": self.path,
            "span": self.span.as_dict(),
            "notes": list(self.notes),
            "fix": self.fix,
        }
