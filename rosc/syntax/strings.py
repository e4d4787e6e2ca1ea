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
        value, _offsets, interpolated, problems = decode(raw, base)
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
