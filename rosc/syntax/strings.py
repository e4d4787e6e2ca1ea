"""RouterOS quoted strings: decoding escapes and quoting values again."""

from __future__ import annotations

import re
from bisect import bisect_right

# Escapes RouterOS understands inside "...": the character after the backslash
# and what it stands for.
SIMPLE_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "$": "$",
    "?": "?",
    "_": " ",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}
_LINE_JOIN = re.compile(r"\\[ \t]*\r?\n[ \t]*")


class OffsetMap:
    """Where each character of a decoded string came from in the file, kept
    as segments: a run of plain characters maps one to one, the character of
    an escape (or the one character of a run of ``\\XX`` bytes) maps to
    where its escape starts.  Memory grows with the escapes, not the length."""

    __slots__ = ("values", "sources", "widths", "length", "end")

    def __init__(self, length: int, end: int):
        self.values: list[int] = []  # value offset where a segment starts
        self.sources: list[int] = []  # file offset where it starts
        self.widths: list[int] = []  # 0: plain run; else the escape's width in the file
        self.length = length  # length of the value
        self.end = end  # file offset of the end of the value (the closing quote)

    def add(self, value: int, source: int, width: int) -> None:
        self.values.append(value)
        self.sources.append(source)
        self.widths.append(width)

    def start_of(self, index: int) -> int:
        """File offset of value character ``index`` (the end for ``length``)."""
        if index >= self.length or not self.values:
            return self.end
        i = bisect_right(self.values, index) - 1
        if i < 0:
            return self.end
        width = self.widths[i]
        return self.sources[i] + (index - self.values[i]) if width == 0 else self.sources[i]

    def end_of(self, index: int) -> int:
        """File offset just after value character ``index - 1``: the end of
        a span that ends before value character ``index``."""
        if index <= 0:
            return self.start_of(0)
        last = min(index, self.length) - 1
        i = bisect_right(self.values, last) - 1
        if i < 0:
            return self.end
        width = self.widths[i]
        return self.sources[i] + (last - self.values[i]) + 1 if width == 0 else self.sources[i] + width


def decode(raw: str, base: int = 0, offsets: bool = True) -> tuple[str, OffsetMap | None, bool, list[tuple[int, int, str]]]:
    """Decode the string literal ``raw`` (with its quotes) found at ``base``.

    Returns the value, an ``OffsetMap`` from value characters to file
    offsets (None when ``offsets`` is false), whether the string
    interpolates ``$``, and a list of problems as ``(start, end, message)``.
    """
    body_end = len(raw) - 1 if len(raw) >= 2 and raw.endswith('"') and not _ends_escaped(raw) else len(raw)
    out: list[str] = []
    problems: list[tuple[int, int, str]] = []
    mapping = OffsetMap(0, 0)
    segment = mapping.add if offsets else _ignore
    interpolated = False
    length = 0
    i = 1
    pending: list[int] = []  # bytes of a run of \XX escapes
    pending_at = 0

    def flush() -> int:
        text = bytes(pending).decode("utf-8", errors="surrogateescape")
        if not offsets:
            pass
        elif len(text) == len(pending):  # one character a byte: one segment each
            for k in range(len(text)):
                segment(length + k, pending_at + 3 * k, 3)
        else:  # multi-byte characters: map each to its first escape
            k = 0
            for n, char in enumerate(text):
                segment(length + n, pending_at + 3 * k, 3 * len(char.encode("utf-8", errors="surrogateescape")))
                k += len(char.encode("utf-8", errors="surrogateescape"))
        out.append(text)
        pending.clear()
        return len(text)

    for m in _ESCAPE_ANY.finditer(raw, 1, body_end):
        at = m.start()
        if at > i:  # the plain run before this escape
            if pending:
                length += flush()
            run = raw[i:at]
            if not interpolated and "$" in run:
                interpolated = True
            segment(length, base + i, 0)
            out.append(run)
            length += len(run)
        i = m.end()
        hexpair = m.group(2)
        if hexpair is not None:
            if not pending:
                pending_at = base + at
            pending.append(int(hexpair, 16))
            continue
        if pending:
            length += flush()
        if m.group(1) is not None:  # in-string line join
            continue
        char = m.group(3)
        if char is None:
            problems.append((base + at, base + at + 1, "a backslash at the end of a string escapes nothing"))
            continue
        sub = SIMPLE_ESCAPES.get(char)
        if sub is None:
            problems.append((base + at, base + at + 2, f"unknown escape `\\{char}` in a string; write `\\\\` for a backslash"))
            sub = char
        segment(length, base + at, 2)
        out.append(sub)
        length += 1
    if pending:
        length += flush()
    if i < body_end:
        run = raw[i:body_end]
        if not interpolated and "$" in run:
            interpolated = True
        segment(length, base + i, 0)
        out.append(run)
        length += len(run)
    mapping.length = length
    mapping.end = base + body_end
    return "".join(out), mapping if offsets else None, interpolated, problems


def _ignore(value: int, source: int, width: int) -> None:
    pass


# An escape: an in-string line join (group 1), two hex digits (group 2), any
# other character (group 3), or a backslash at the very end.
_ESCAPE_ANY = re.compile(r"\\(?:([ \t]*\r?\n[ \t]*)|([0-9A-Fa-f]{2})|(.)|\Z)", re.DOTALL)


_ESCAPE = re.compile(r"\\(?:[ \t]*(\r?\n)[ \t]*|([0-9A-Fa-f]{2})|(.)|\Z)", re.DOTALL)


def decode_value(raw: str, base: int = 0) -> tuple[str, bool, list[tuple[int, int, str]]]:
    """Decode the string literal ``raw`` (with quotes): the value, whether it
    interpolates ``$``, and problems as ``(start, end, message)``.  Faster
    than ``decode`` as it keeps no offset map."""
    body = raw[1:-1] if len(raw) >= 2 and raw.endswith('"') and not _ends_escaped(raw) else raw[1:]
    if "\\" not in body:
        return body, "$" in body, []
    if _OTHER_ESCAPE.search(body) is None:  # only \" and \$: plain replaces
        unescaped_dollar = body.replace("\\$", "")
        return body.replace('\\"', '"').replace("\\$", "$"), "$" in unescaped_dollar, []
    if _ESCAPE_HEX.search(body):
        value, _offsets, interpolated, problems = decode(raw, base, offsets=False)
        return value, interpolated, problems
    problems: list[tuple[int, int, str]] = []

    def replace(m: re.Match) -> str:
        if m.group(1) is not None:
            return ""
        char = m.group(3)
        if char is None:
            problems.append((base + 1 + m.start(), base + 2 + m.start(), "a backslash at the end of a string escapes nothing"))
            return ""
        sub = SIMPLE_ESCAPES.get(char)
        if sub is None:
            problems.append((base + 1 + m.start(), base + 1 + m.end(), f"unknown escape `\\{char}` in a string; write `\\\\` for a backslash"))
            return char
        return sub

    interpolated = "$" in _ESCAPE.sub("", body)
    return _ESCAPE.sub(replace, body), interpolated, problems


_OTHER_ESCAPE = re.compile(r'\\[^"$]')
_ESCAPE_HEX = re.compile(r"(?<!\\)(?:\\\\)*\\[0-9A-Fa-f]{2}")


def _ends_escaped(raw: str) -> bool:
    """True when the final quote of ``raw`` is itself escaped (``"abc\\"``)."""
    count = 0
    i = len(raw) - 2
    while i >= 1 and raw[i] == "\\":
        count += 1
        i -= 1
    return count % 2 == 1


_BARE_SAFE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:/,@%+*-]*\Z")
_ENCODE = {
    '"': '\\"',
    "\\": "\\\\",
    "$": "\\$",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}


def needs_quotes(value: str) -> bool:
    """Whether RouterOS needs ``value`` quoted to read it back as one value."""
    return _BARE_SAFE.match(value) is None


def quote(value: str) -> str:
    """Quote ``value`` with RouterOS escapes (a ``$`` is escaped, not
    interpolated).  Bytes that were not UTF-8 (kept as surrogate escapes)
    stay as they are, so they are written back unchanged."""
    parts = ['"']
    for char in value:
        esc = _ENCODE.get(char)
        if esc is not None:
            parts.append(esc)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            parts.append(f"\\{ord(char):02X}")
        else:
            parts.append(char)
    parts.append('"')
    return "".join(parts)


def spelling(raw: str) -> str:
    """The string literal ``raw`` as written, with its quotes and escapes,
    minus its in-string line joins (a ``\\`` at a line end and the indent
    after it): how ``fmt`` writes it, and what its safety check compares."""
    if "\n" not in raw:
        return raw
    return _ESCAPE_ANY.sub(_drop_join, raw)


def _drop_join(m: re.Match) -> str:
    return "" if m.group(1) is not None else m.group(0)


def bare_spelling(spelled: str) -> str | None:
    """The text of the literal ``spelled`` (from ``spelling``) when RouterOS
    reads it the same without quotes (no escapes, nothing to interpolate,
    only characters a bare word may hold), else None."""
    body = spelled[1:-1]
    if "\\" in body or _BARE_SAFE.match(body) is None:
        return None
    return body
