"""Source text: decoding bytes safely and mapping offsets to lines and columns."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from rosc.diagnostics import Diagnostic, Severity, Span

BOM = "\ufeff"
_LINE_END = re.compile(r"\r\n?|\n")
# `# 2024-01-01 12:00:00 by RouterOS 7.16` (the first lines of an /export).
EXPORT_HEADER = re.compile(r"^#[^\r\n]*\bby RouterOS (\d+)\.(\d+)", re.MULTILINE)


def line_starts(text: str) -> list[int]:
    r"""Offsets where lines start.  A line ends at ``\n``, ``\r\n`` or a lone
    ``\r`` (as for RouterOS and the Language Server Protocol), and at
    nothing else: a form feed, vertical tab or U+2028 is a character of its
    line."""
    starts = [0]
    if "\r" not in text:
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        return starts
    starts.extend(m.end() for m in _LINE_END.finditer(text))
    return starts


def export_version_of(text: str) -> tuple[int, int] | None:
    """See ``Source.export_version``."""
    found = EXPORT_HEADER.search(text[:2048])
    return (int(found.group(1)), int(found.group(2))) if found else None


def line_starts_after_edit(old: list[int], text: str, r0: int, r1_old: int, delta: int) -> list[int]:
    """``line_starts(text)`` for ``text`` made from the text of ``old`` by
    replacing ``[r0, r1_old)`` (``delta`` characters longer after): the
    starts before the edit are kept, those after it moved, and only those
    inside it found again.  (Whether ``p`` starts a line depends on the
    characters at ``p - 1`` and ``p`` only.)"""
    r1 = r1_old + delta
    head = old[: bisect_left(old, r0)] or [0]  # (0 starts the first line; the others after it are > 0)
    fresh = [m.end() for m in _LINE_END.finditer(text, max(0, r0 - 1), min(len(text), r1 + 1)) if r0 <= m.end() <= r1]
    tail = old[bisect_right(old, r1_old) :]
    if delta:
        tail = [p + delta for p in tail]
    return head + fresh + tail


class Source:
    """The decoded text of one file, with an index of line starts."""

    __slots__ = ('text', 'path', 'line_starts')
    __match_args__ = __slots__

    def __init__(self, text: str, path: str = "<stdin>", line_starts: list[int] | None = None) -> None:
        self.text = text
        self.path = path
        self.line_starts = [] if line_starts is None else line_starts
        self.__post_init__()

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(text={self.text!r}, path={self.path!r}, line_starts={self.line_starts!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.text, self.path, self.line_starts) == (other.text, other.path, other.line_starts)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)

    def __post_init__(self) -> None:
        if not self.line_starts:
            self.line_starts = line_starts(self.text)

    def export_version(self) -> tuple[int, int] | None:
        """(major, minor) from an /export header in the first 2 KiB
        (``by RouterOS 6.49.6``), or None when the file has none."""
        return export_version_of(self.text)

    @property
    def token_text(self) -> str:
        """The text, for reading only inside the spans of syntax-tree
        leaves (a word's, a string's, a variable's): what is read there is
        the token itself, never the space between tokens
        (``rosc.lint.reads.TOKENS``)."""
        return self.text

    def probe(self, fn):
        """``fn(self)``: a value computed from the raw text that does not
        depend on offsets (line numbers, counts, flags), so
        ``rosc.lint.incremental`` can compute it again on an edited text and
        compare (``rosc.lint.reads``: a probe is recorded as ``fn``)."""
        return fn(self)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``; columns count characters."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.line_col(start)
        end_line, end_col = self.line_col(end)
        return Span(line, col, end_line, end_col, start, end)

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its line end."""
        if line < 1 or line > len(self.line_starts):
            return ""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        text = self.text[start:end]
        if text.endswith("\n"):
            text = text[:-1]
        return text[:-1] if text.endswith("\r") else text


def decode(data: bytes, path: str = "<stdin>") -> tuple[Source, list[Diagnostic]]:
    """Decode raw bytes as RouterOS script text.

    UTF-8 is expected; bytes that are not valid UTF-8 are kept as surrogate
    escapes (so writing the text back with ``encode_text`` reproduces them
    exactly) and reported once per line.  A UTF-8 byte order mark is dropped
    and reported, NUL bytes are reported (RouterOS stops reading at them).
    A file in UTF-16 or UTF-32 (a byte order mark, or the NUL bytes of such
    text in their places) is reported once (SYN020) and its text decoded, so
    the other findings point at the lines the user sees in an editor.
    """
    diagnostics: list[Diagnostic] = []
    wide = wide_encoding(data)
    if wide is not None:
        codec, label = wide
        text = data.decode(codec)
        if text.startswith(BOM):
            text = text[1:]
        source = Source(text, path)
        diagnostics.append(
            Diagnostic(
                "SYN020", Severity.ERROR,
                f"the file is {label} text, not UTF-8: every character is stored with "
                f"{'a NUL byte' if codec.startswith('utf-16') else 'NUL bytes'}, which RouterOS does not accept "
                "in a script; rosc checked the text as decoded",
                path, source.span(0, 0),
                ['Windows tools write UTF-16 when they say "Unicode" (Notepad\'s "Unicode", '
                 "Windows PowerShell 5's `>` and Out-File)."] if codec.startswith("utf-16") else [],
                f"save it as UTF-8 (iconv -f {codec.upper()} -t UTF-8), then import it",
            )
        )
        if "\0" not in text:
            return source, diagnostics
        had_bom = False
    else:
        text = data.decode("utf-8", errors="surrogateescape")
        had_bom = text.startswith(BOM)
    if had_bom:
        text = text[1:]
    source = Source(text, path)
    if had_bom:
        diagnostics.append(
            Diagnostic("SYN007", Severity.WARNING, "file starts with a UTF-8 byte order mark; RouterOS does not expect one", path, source.span(0, 0))
        )
    if text.isascii() and "\0" not in text:
        return source, diagnostics
    seen_lines: set[int] = set()
    for index, char in enumerate(text):
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            line, _ = source.line_col(index)
            if line not in seen_lines:
                seen_lines.add(line)
                diagnostics.append(
                    Diagnostic(
                        "SYN005",
                        Severity.WARNING,
                        f"byte 0x{code - 0xDC00:02X} is not valid UTF-8; rosc keeps it as it is "
                        "(was the file saved in another encoding, such as Windows-1251?)",
                        path,
                        source.span(index, index + 1),
                    )
                )
        elif code == 0:
            diagnostics.append(
                Diagnostic("SYN006", Severity.ERROR, "NUL byte (0x00) in the file: it is not script text, and RouterOS does not accept it", path, source.span(index, index + 1))
            )
    return source, diagnostics


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "utf-16", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "utf-16", "UTF-16 (big-endian)"),
)
_SAMPLE = 4096


def wide_encoding(data: bytes) -> tuple[str, str] | None:
    """(codec, name) when ``data`` is UTF-16 or UTF-32 text: by its byte
    order mark, or, without one, by NUL bytes in the places such text has
    them (ASCII text in UTF-16LE is "x\\0y\\0..."); None otherwise, and for
    anything that does not decode cleanly in that encoding."""
    if len(data) < 2:
        return None
    found = None
    for bom, codec, label in _WIDE_BOMS:
        if data.startswith(bom):
            found = (codec, label)
            break
    if found is None:
        sample = data[:_SAMPLE]
        if b"\0" not in sample or len(sample) < 4:
            return None
        for size, codec, names in ((4, "utf-32", ("le", "be")), (2, "utf-16", ("le", "be"))):
            usable = len(sample) - len(sample) % size
            if usable < size * 2:
                continue
            units = usable // size
            zeros = [sum(1 for i in range(k, usable, size) if sample[i] == 0) for k in range(size)]
            low, high = (0, size - 1)
            others = [k for k in range(size) if k not in (low, high)]
            if all(zeros[k] == units for k in others):
                if zeros[high] >= 0.9 * units and zeros[low] <= 0.1 * units:
                    found = (f"{codec}-{names[0]}", f"{codec.upper()} (little-endian)")
                elif zeros[low] >= 0.9 * units and zeros[high] <= 0.1 * units:
                    found = (f"{codec}-{names[1]}", f"{codec.upper()} (big-endian)")
            if found is not None:
                break
    if found is None:
        return None
    try:
        data.decode(found[0])
    except UnicodeDecodeError:
        return None
    return found


def encode_text(text: str) -> bytes:
    """Encode text back to bytes, restoring any undecodable original bytes."""
    return text.encode("utf-8", errors="surrogateescape")
