"""Where keys are written in a TOML document.

``tomllib`` reports no positions for keys, so :class:`Locator` finds them
in the text itself; lab.toml (``rosc.lab.manifest``) and the configuration
(``rosc.lint.config``) use it to point their messages at a line and column.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(slots=True, frozen=True)
class Located:
    """Where a key (and its value) is written in lab.toml."""

    key_start: int
    key_end: int
    value_start: int
    value_end: int


def _strip_comment(line: str) -> str:
    out = []
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                out.append(line[i : i + 2])
                i += 2
                continue
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#":
            break
        out.append(c)
        i += 1
    return "".join(out)


def _unquote(quoted: str) -> str:
    """The text of a quoted TOML key (escapes of a basic string applied)."""
    if quoted.startswith("'") or "\\" not in quoted:
        return quoted[1:-1]
    try:
        return tomllib.loads(f"k = {quoted}")["k"]
    except tomllib.TOMLDecodeError:
        return quoted[1:-1]


def _read_key(text: str, pos: int) -> tuple[list[tuple[str, int, int]], int]:
    """Dotted key at ``pos``: [(part, start, end)], position after it."""
    parts = []
    n = len(text)
    while True:
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos < n and text[pos] in "\"'":
            q = text[pos]
            end = pos + 1
            while end < n and text[end] != q:
                end += 2 if q == '"' and text[end] == "\\" else 1
            if end >= n:
                return parts, pos
            parts.append((_unquote(text[pos : end + 1]), pos, end + 1))
            pos = end + 1
        else:
            m = _BARE_KEY.match(text, pos)
            if not m:
                return parts, pos
            parts.append((m.group(0), m.start(), m.end()))
            pos = m.end()
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos < n and text[pos] == ".":
            pos += 1
            continue
        return parts, pos


class Locator:
    """Offsets of the keys of a TOML document, by their full dotted path."""

    def __init__(self, text: str):
        self.text = text
        self.keys: dict[tuple[str, ...], Located] = {}
        self.tables: dict[tuple[str, ...], Located] = {}
        table: tuple[str, ...] = ()
        offset = 0
        for raw in text.splitlines(keepends=True):
            line = _strip_comment(raw.rstrip("\r\n"))
            stripped = line.lstrip()
            indent = len(line) - len(stripped)
            if stripped.startswith("["):
                inner = 2 if stripped.startswith("[[") else 1
                parts, _ = _read_key(line, indent + inner)
                table = tuple(p for p, _, _ in parts)
                end = offset + len(line.rstrip())
                self.tables.setdefault(table, Located(offset + indent, end, offset + indent, end))
            elif stripped:
                parts, pos = _read_key(line, indent)
                if parts and pos < len(line) and line[pos] == "=":
                    value_start = pos + 1
                    while value_start < len(line) and line[value_start] in " \t":
                        value_start += 1
                    value_end = len(line.rstrip())
                    path = table + tuple(p for p, _, _ in parts)
                    self.keys.setdefault(
                        path,
                        Located(offset + parts[0][1], offset + parts[-1][2], offset + value_start, offset + value_end),
                    )
                    if value_start < len(line) and line[value_start] == "{":
                        self._inline(path, line, value_start + 1, offset)
            offset += len(raw)

    def _inline(self, path: tuple[str, ...], line: str, pos: int, offset: int) -> None:
        """Keys of an inline table ``{ a = "x", b = "y" }`` on one line."""
        n = len(line)
        while pos < n:
            parts, after = _read_key(line, pos)
            if not parts or after >= n or line[after] != "=":
                return
            vstart = after + 1
            while vstart < n and line[vstart] in " \t":
                vstart += 1
            if vstart < n and line[vstart] in "\"'":
                vend = line.find(line[vstart], vstart + 1)
                vend = n if vend < 0 else vend + 1
            else:
                vend = vstart
                while vend < n and line[vend] not in ",}":
                    vend += 1
            key = path + tuple(p for p, _, _ in parts)
            self.keys.setdefault(key, Located(offset + parts[0][1], offset + parts[-1][2], offset + vstart, offset + vend))
            pos = vend
            while pos < n and line[pos] in " \t,":
                pos += 1
            if pos < n and line[pos] == "}":
                return

    def key(self, *path: str) -> Located | None:
        return self.keys.get(tuple(path)) or self.tables.get(tuple(path))


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)")


def toml_error(exc: Exception, text: str) -> tuple[int, str]:
    """The offset ``tomllib``'s error points at, and its message without
    the position."""
    message = str(exc)
    m = _TOML_AT.search(message)
    if m is None:
        return 0, message
    if m.group(1) is None:
        return len(text), message[: m.start()].strip()
    line, col = int(m.group(1)), int(m.group(2))
    offset = 0
    for _ in range(line - 1):
        nl = text.find("\n", offset)
        if nl < 0:
            return len(text), message[: m.start()].strip()
        offset = nl + 1
    return min(len(text), offset + col - 1), message[: m.start()].strip()
