"""Diagnostics → text a person reads, like a compiler's error messages.

    samples/article/mtr1.rsc:32:75: warning[SYN009]: line continuation ...
      |
   32 |     endpoint-port=13231 persistent-keepalive=25s interface=wireguard1 \\
      |                                                                       ^^
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from rosc.diagnostics import Diagnostic, Severity
from rosc.syntax.source import Source

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}
MAX_EXCERPT = 200


def render_text(diagnostic: Diagnostic, source: Source | None) -> Text:
    """One diagnostic with its source excerpt, as styled text."""
    d = diagnostic
    sev = d.severity
    head = (
        f"[bold]{escape(d.path)}:{d.span.line}:{d.span.column}:[/] "
        f"[{_STYLE[sev]}]{sev.label}[{escape(d.code)}][/]: {escape(d.message)}"
    )
    lines = [head]
    if source is not None:
        text = source.line_text(d.span.line)
        if text or d.span.line <= len(source.line_starts):
            gutter = str(d.span.line)
            pad = " " * len(gutter)
            start_col = d.span.column - 1
            if d.span.end_line == d.span.line:
                width = max(1, d.span.end_column - d.span.column)
            else:
                width = max(1, len(text) - start_col)
            shown, start_col = _clip(text, start_col, width)
            lines.append(f"[blue]{pad} |[/]")
            lines.append(Text.assemble((f"{gutter} |", "blue"), " ", _printable(shown)))
            caret = " " * _display_width(shown[:start_col]) + "^" * max(1, min(width, len(shown) - start_col if len(shown) > start_col else 1))
            lines.append(f"[blue]{pad} |[/] [{_STYLE[sev]}]{caret}[/]")
    for note in d.notes:
        lines.append(f"  [bold]= note:[/] {escape(note)}")
    if d.fix:
        lines.append(f"  [bold]= help:[/] {escape(d.fix)}")
    return Text("\n").join(line if isinstance(line, Text) else Text.from_markup(line) for line in lines)


def _clip(text: str, col: int, width: int) -> tuple[str, int]:
    """Keep very long lines (1 MB on one line happens) around the column."""
    if len(text) <= MAX_EXCERPT:
        return text, col
    begin = max(0, col - MAX_EXCERPT // 2)
    end = min(len(text), begin + MAX_EXCERPT)
    prefix = "..." if begin else ""
    suffix = "..." if end < len(text) else ""
    return prefix + text[begin:end] + suffix, col - begin + len(prefix)


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
        else:
            out.append(char)
    return "".join(out)


def _display_width(text: str) -> int:
    return len(_printable(text))


def print_diagnostics(console: Console, diagnostics: list[Diagnostic], sources: dict[str, Source]) -> None:
    for d in diagnostics:
        console.print(render_text(d, sources.get(d.path)), highlight=False, soft_wrap=True)
