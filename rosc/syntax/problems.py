"""What the lexer and the parser report, before it becomes a ``Diagnostic``.

A problem is a tuple ``(code, start, end, message)`` (offsets into the text
that was parsed), so code that only needs those four unpacks it as before.
``Problem`` adds notes, and the offsets that the message and notes refer to:
``{@0}``, ``{@1}``... in the text stand for the line and column of
``refs[0]``, ``refs[1]``..., filled in when the problem is turned into a
diagnostic (after the offsets of an embedded script are mapped back into
its file, so the line numbers are the file's).
"""

from __future__ import annotations

from rosc.diagnostics import Diagnostic, Severity

# Problems that are warnings; everything else the parser reports is an error.
WARNING_CODES = frozenset({"SYN005", "SYN007", "SYN008", "SYN009"})


class Problem(tuple):
    """``(code, start, end, message)`` with ``notes``, ``refs``, ``fix`` and
    ``eof`` (an unclosed bracket found at the end of the text)."""

    def __new__(cls, code: str, start: int, end: int, message: str, notes=(), refs=(), fix: str | None = None, eof: bool = False):
        self = tuple.__new__(cls, (code, start, end, message))
        self.notes = list(notes)
        self.refs = list(refs)
        self.fix = fix
        self.eof = eof
        self.more = 0  # brackets left open beyond the ones reported (``eof``)
        return self

    def moved(self, start: int, end: int, message: str, refs) -> "Problem":
        return Problem(self[0], start, end, message, self.notes, refs, self.fix, self.eof)


def shifted(problem: tuple, delta: int, prefix: str = "") -> tuple:
    """``problem`` with every offset moved by ``delta`` (and ``prefix`` before
    its message)."""
    code, start, end, message = problem[:4]
    if type(problem) is Problem:
        return problem.moved(start + delta, end + delta, prefix + message, [r + delta for r in problem.refs])
    return (code, start + delta, end + delta, prefix + message)


def mapped(problem: tuple, position, prefix: str = "") -> tuple:
    """``problem`` with its offsets passed through ``position(offset, is_end)``."""
    code, start, end, message = problem[:4]
    new_start = position(start, False)
    new_end = max(new_start, position(end, True))
    if type(problem) is Problem:
        return problem.moved(new_start, new_end, prefix + message, [position(r, False) for r in problem.refs])
    return (code, new_start, new_end, prefix + message)


def to_diagnostic(problem: tuple, source) -> Diagnostic:
    """The diagnostic for ``problem`` in ``source`` (a ``Source``)."""
    code, start, end, message = problem[:4]
    severity = Severity.WARNING if code in WARNING_CODES else Severity.ERROR
    notes: list[str] = []
    fix = None
    if type(problem) is Problem:
        notes = list(problem.notes)
        fix = problem.fix
        if problem.refs:
            places = []
            for offset in problem.refs:
                line, col = source.line_col(offset)
                places.append(f"{line}:{col}")
            message = _fill(message, places)
            notes = [_fill(n, places) for n in notes]
            fix = _fill(fix, places) if fix else fix
    return Diagnostic(code, severity, message, source.path, source.span(start, end), notes, fix)


def _fill(text: str, places: list[str]) -> str:
    for i, place in enumerate(places):
        text = text.replace("{@" + str(i) + "}", place)
    return text
