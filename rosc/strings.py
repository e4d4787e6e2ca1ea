"""RouterOS quoted strings: decoding escapes and quoting values again."""

from __future__ import annotations

import re

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
_HEX = set("0123456789abcdefABCDEF")
_LINE_JOIN = re.compile(r"\\[ \t]*\r?\n[ \t]*")


def decode(raw: str, base: int = 0) -> tuple[str, list[int], bool, list[tuple[int, int, str]]]:
    """Decode the string literal ``raw`` (with its quotes) found at ``base``.

    Returns the value, the outer-file offset of each value character (plus
    one entry for the end), whether the string interpolates ``$``, and a list
    of problems as ``(start, end, message)``.
    """
    body_end = len(raw) - 1 if len(raw) >= 2 and raw.endswith('"') and not _ends_escaped(raw) else len(raw)
    out: list[str] = []
    offsets: list[int] = []
    problems: list[tuple[int, int, str]] = []
    interpolated = False
    i = 1
    pending_bytes: list[int] = []
    pending_offsets: list[int] = []

    def flush_bytes() -> None:
        if pending_bytes:
            text = bytes(pending_bytes).decode("utf-8", errors="surrogateescape")
            # Map each decoded char to the offset of the escape it began at.
            if len(text) == len(pending_bytes):
                out.append(text)
                offsets.extend(pending_offsets)
            else:
                pos = 0
                for char in text:
                    out.append(char)
                    offsets.append(pending_offsets[pos])
                    pos += len(char.encode("utf-8", errors="surrogateescape"))
            pending_bytes.clear()
            pending_offsets.clear()

    while i < body_end:
        char = raw[i]
        if char == "\\":
            join = _LINE_JOIN.match(raw, i)
            if join:
                i = join.end()
                continue
            nxt = raw[i + 1] if i + 1 < body_end else ""
            if nxt in _HEX and i + 2 < body_end and raw[i + 2] in _HEX:
                pending_bytes.append(int(raw[i + 1 : i + 3], 16))
                pending_offsets.append(base + i)
                i += 3
                continue
            flush_bytes()
            if nxt and nxt in SIMPLE_ESCAPES:
                out.append(SIMPLE_ESCAPES[nxt])
                offsets.append(base + i)
                i += 2
                continue
            if not nxt:
                problems.append((base + i, base + i + 1, "a backslash at the end of a string escapes nothing"))
                i += 1
                continue
            problems.append((base + i, base + i + 2, f"unknown escape `\\{nxt}` in a string; write `\\\\` for a backslash"))
            out.append(nxt)
            offsets.append(base + i)
            i += 2
            continue
        flush_bytes()
        if char == "$":
            interpolated = True
        out.append(char)
        offsets.append(base + i)
        i += 1
    flush_bytes()
    offsets.append(base + body_end)
    return "".join(out), offsets, interpolated, problems


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
    """Quote ``value`` with RouterOS escapes (a ``$`` is escaped, not interpolated)."""
    parts = ['"']
    for char in value:
        esc = _ENCODE.get(char)
        if esc is not None:
            parts.append(esc)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            parts.append(f"\\{ord(char):02X}")
        elif 0xDC80 <= ord(char) <= 0xDCFF:
            parts.append(f"\\{ord(char) - 0xDC00:02X}")
        else:
            parts.append(char)
    parts.append('"')
    return "".join(parts)
