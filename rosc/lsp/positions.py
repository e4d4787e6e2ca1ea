"""Positions: rosc works with 0-based character offsets (``Span.offset``); the
protocol with 0-based lines and columns counted in the client's position
encoding (UTF-16 code units unless the client negotiated UTF-8 or UTF-32).
``LineIndex`` converts between the two, exactly as the LSP specification
says:

* a line ends at ``\\n``, ``\\r\\n`` or ``\\r``, and nowhere else: a form
  feed, a vertical tab, U+2028 or U+0085 are characters of their line
  (``str.splitlines`` would split there, and an editor does not);
* a character past the end of a line means the end of that line (before
  its line end); a line past the last one means the end of the document;
* a column inside a character (half a UTF-16 surrogate pair, a byte inside
  a UTF-8 sequence) means the start of that character.

An edit is applied at the offsets these rules give, never at positions
adjusted beforehand."""

from __future__ import annotations

from bisect import bisect_right

from lsprotocol import types as lsp

from rosc.syntax.source import line_starts

UTF16, UTF8, UTF32 = "utf-16", "utf-8", "utf-32"


def _line_starts(text: str) -> list[int]:
    return line_starts(text)


def _units(text: str, encoding: str) -> int:
    """Length of ``text`` in code units of ``encoding``."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return sum(_u8(c) for c in text)
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _u8(char: str) -> int:
    code = ord(char)
    if code < 0x80:
        return 1
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept as a surrogate escape
        return 1
    if code < 0x800:
        return 2
    return 3 if code < 0x10000 else 4


def _u16(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


class LineIndex:
    """Offsets ↔ protocol positions for one text."""

    def __init__(self, text: str, encoding: str = UTF16, starts: list[int] | None = None):
        self.text = text
        self.encoding = str(encoding)
        self.starts = starts if starts is not None else _line_starts(text)

    def position(self, offset: int) -> lsp.Position:
        text = self.text
        offset = max(0, min(offset, len(text)))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return lsp.Position(line=line, character=_units(text[start:offset], self.encoding))

    def range(self, start: int, end: int) -> lsp.Range:
        return lsp.Range(start=self.position(start), end=self.position(end))

    def line_bounds(self, line: int) -> tuple[int, int]:
        """Offsets of the first character of ``line`` and of its line end."""
        starts = self.starts
        if line >= len(starts):
            return len(self.text), len(self.text)
        start = starts[line]
        end = starts[line + 1] if line + 1 < len(starts) else len(self.text)
        text = self.text
        if end > start and text[end - 1] == "\n":
            end -= 1
        if end > start and text[end - 1] == "\r":
            end -= 1
        return start, end

    def offset(self, position: lsp.Position) -> int:
        if position.line < 0:
            return 0
        if position.line >= len(self.starts):
            return len(self.text)
        start, end = self.line_bounds(position.line)
        want = max(0, position.character)
        segment = self.text[start:end]
        if self.encoding == UTF32 or segment.isascii():
            return start + min(want, len(segment))
        size = _u8 if self.encoding == UTF8 else _u16
        units = 0
        for i, char in enumerate(segment):
            units += size(char)
            if units > want:  # ``want`` is this character's start, or inside it
                return start + i
        return end
