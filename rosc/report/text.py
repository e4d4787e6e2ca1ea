"""Diagnostics → text a person reads, like a compiler's error messages.

    samples/article/mtr1.rsc:32:75: warning[SYN009]: line continuation ...
      |
   32 |     endpoint-port=13231 persistent-keepalive=25s interface=wireguard1 \\
      |                                                                       ^^

Nothing here is markup: paths, messages and excerpts are user text (a file
named ``[old].rsc``, an interface named ``:x:``), so styles are given as
``Text`` spans.  An excerpt is cut from the line around the column without
copying the whole line, so many findings on one 1 MB line cost what their
excerpts cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rosc.diagnostics import Diagnostic, Severity, Span
from rosc.syntax.source import Source

if TYPE_CHECKING:
    from rich.text import Text

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}
MAX_EXCERPT = 200


def render_lines(diagnostic: Diagnostic, source: Source | None) -> list[list[tuple[str, str | None]]]:
    """One diagnostic with its source excerpt: lines of ``(text, style)``
    segments (a style is a rich style name, or None)."""
    d = diagnostic
    sev = d.severity
    lines = [[
        (f"{_shown(d.path)}:{d.span.line}:{d.span.column}:", "bold"),
        (" ", None),
        (f"{sev.label}[{_shown(d.code)}]", _STYLE[sev]),
        (f": {_shown(d.message)}", None),
    ]]
    if source is not None:
        lines.extend(excerpt_lines(source, d.span, _STYLE[sev]))
    for note in d.notes:
        lines.append([("  = note:", "bold"), (f" {_shown(note)}", None)])
    if d.fix:
        lines.append([("  = help:", "bold"), (f" {_shown(d.fix)}", None)])
    return lines


def render_text(diagnostic: Diagnostic, source: Source | None) -> Text:
    """One diagnostic with its source excerpt, as styled text."""
    from rich.text import Text

    return Text("\n").join(_rich(line) for line in render_lines(diagnostic, source))


def _rich(line: list[tuple[str, str | None]]) -> Text:
    from rich.text import Text

    return Text.assemble(*((text, style) if style else text for text, style in line))


def excerpt(source: Source, span: Span, style: str = "bold red") -> list[Text]:
    """The line of ``span`` with carets under it (three lines of styled
    text), or nothing when the line is not in ``source``."""
    return [_rich(line) for line in excerpt_lines(source, span, style)]


def excerpt_lines(source: Source, span: Span, style: str = "bold red") -> list[list[tuple[str, str | None]]]:
    """``excerpt`` as lines of ``(text, style)`` segments."""
    bounds = _line_bounds(source, span.line)
    if bounds is None:
        return []
    start, end = bounds
    length = end - start
    col = max(0, min(span.column - 1, length))
    if span.end_line == span.line:
        width = max(1, span.end_column - span.column)
    else:
        width = max(1, length - col)
    shown, col = _clip(source.text, start, end, col, width)
    gutter = str(span.line)
    pad = " " * len(gutter)
    room = len(shown) - col if len(shown) > col else 1
    caret = " " * _display_width(shown[:col]) + "^" * max(1, min(width, room))
    return [
        [(f"{pad} |", "blue")],
        [(f"{gutter} |", "blue"), (" ", None), (_printable(shown), None)],
        [(f"{pad} |", "blue"), (" ", None), (caret, style)],
    ]


def _line_bounds(source: Source, line: int) -> tuple[int, int] | None:
    """Offsets of the first character of 1-based ``line`` and of its line end."""
    starts = source.line_starts
    if line < 1 or line > len(starts):
        return None
    start = starts[line - 1]
    end = starts[line] if line < len(starts) else len(source.text)
    text = source.text
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    return start, end


def _clip(text: str, start: int, end: int, col: int, width: int) -> tuple[str, int]:
    """The line ``text[start:end]``, or a window of it around the column
    when it is long (1 MB on one line happens); only the window is copied."""
    if end - start <= MAX_EXCERPT:
        return text[start:end], col
    begin = max(0, col - MAX_EXCERPT // 2)
    stop = min(end - start, begin + MAX_EXCERPT)
    prefix = "..." if begin else ""
    suffix = "..." if stop < end - start else ""
    return prefix + text[start + begin : start + stop] + suffix, col - begin + len(prefix)


def _printable(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char == "\t":
            out.append("    ")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029, 0x85):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _shown(text: str) -> str:
    """A path or message as a terminal can show it (tabs and newlines kept
    out: one diagnostic, one head line)."""
    if text.isprintable():
        return text
    return _printable(text)


def _display_width(text: str) -> int:
    return len(_printable(text))


def print_diagnostics(console, diagnostics: list[Diagnostic], sources: dict[str, Source]) -> None:
    """Print to a rich console, or to anything whose ``print`` takes the
    lines of ``render_lines`` as a list of segments (``rosc.cli.output.PlainOut``)."""
    if getattr(console, "takes_segments", False):
        for d in diagnostics:
            for line in render_lines(d, sources.get(d.path)):
                console.print(line)
        return
    for d in diagnostics:
        console.print(render_text(d, sources.get(d.path)), highlight=False, soft_wrap=True)
