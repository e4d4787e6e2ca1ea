"""Diagnostics: what every pass of rosc reports, with a location."""

from __future__ import annotations

from enum import IntEnum

_set = object.__setattr__  # how a frozen instance's __init__ sets its fields


class Span:
    """A location in a source file: 1-based line/column, 0-based offsets."""

    __slots__ = ('line', 'column', 'end_line', 'end_column', 'offset', 'end')
    __match_args__ = __slots__

    def __init__(self, line: int, column: int, end_line: int, end_column: int, offset: int, end: int) -> None:
        _set(self, 'line', line)
        _set(self, 'column', column)
        _set(self, 'end_line', end_line)
        _set(self, 'end_column', end_column)
        _set(self, 'offset', offset)
        _set(self, 'end', end)

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(line={self.line!r}, column={self.column!r}, "
                f"end_line={self.end_line!r}, end_column={self.end_column!r}, offset={self.offset!r}, "
                f"end={self.end!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.line, self.column, self.end_line, self.end_column, self.offset, self.end,
            ) == (
                other.line, other.column, other.end_line, other.end_column, other.offset, other.end,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.line, self.column, self.end_line, self.end_column, self.offset, self.end))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

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


class Diagnostic:
    """One finding: a rule id, a severity, a message and where it is."""

    __slots__ = ('code', 'severity', 'message', 'path', 'span', 'notes', 'fix')
    __match_args__ = __slots__

    def __init__(
        self,
        code: str,
        severity: Severity,
        message: str,
        path: str,
        span: Span,
        notes: list[str] | None = None,
        fix: str | None = None,
    ) -> None:
        self.code = code
        self.severity = severity
        self.message = message
        self.path = path
        self.span = span
        self.notes = [] if notes is None else notes
        self.fix = fix

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(code={self.code!r}, severity={self.severity!r}, "
                f"message={self.message!r}, path={self.path!r}, span={self.span!r}, notes={self.notes!r}, "
                f"fix={self.fix!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.code, self.severity, self.message, self.path, self.span, self.notes, self.fix,
            ) == (
                other.code, other.severity, other.message, other.path, other.span, other.notes, other.fix,
            )
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)

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
