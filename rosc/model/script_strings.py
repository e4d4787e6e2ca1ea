"""Variables and code inside quoted strings, located in the file.

A quoted string runs code where it holds an unescaped ``$``: ``"$name"``
reads a variable, ``"$[ ... ]"`` runs a command and ``"$( ... )"`` computes
an expression (Scripting, "Concatenation Operators").  ``\\$`` is a plain
dollar sign.  The code inside is written with the string's escapes
(``"$[:pick \\"abc\\" 1]"``), so it is read from the decoded value.

Offsets: the parser gives every node its offset in the file, but the
``raw`` text of a string inside an embedded script (``source="..."``) is in
that script's own decoded text.  A ``TextMap`` maps positions of such a
text to file offsets, so a variable found inside any string gets its exact
place in the file.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from rosc.syntax import strings
from rosc.syntax.tree import Arg, Command, Script, String, walk

_NAME = re.compile(r"[A-Za-z0-9_]+")


class TextMap:
    """Positions of a text (the file, or a script decoded from a string) →
    file offsets.  ``positions`` is None for the file itself; ``escaped``
    marks the characters that were written as an escape (``\\$``) in the
    string the text was decoded from."""

    __slots__ = ("positions", "escaped")

    def __init__(self, positions: list[int] | None = None, escaped: bytes | None = None):
        self.positions = positions
        self.escaped = escaped

    def file(self, index: int) -> int:
        positions = self.positions
        if positions is None:
            return index
        if not positions:
            return 0
        return positions[min(max(index, 0), len(positions) - 1)]

    def index_of(self, offset: int) -> int:
        """The position in this text of the character at file ``offset``."""
        positions = self.positions
        if positions is None:
            return offset
        return bisect_left(positions, offset)

    def of_string(self, string: String) -> "TextMap":
        """The map of ``string``'s decoded value (its characters, in order)."""
        base = self.index_of(string.start)
        raw = string.raw
        _value, offsets = decoded(raw)
        escaped = bytes(1 if raw[i : i + 1] == "\\" else 0 for i in offsets)
        return TextMap([self.file(base + raw_index) for raw_index in offsets], escaped)

    def written_unescaped(self, offset: int) -> bool:
        """Whether the character at file ``offset`` of this decoded text was
        written as itself, not as an escape, in the string it comes from."""
        positions = self.positions
        if positions is None or self.escaped is None:
            return False
        k = bisect_left(positions, offset)
        return k < len(self.escaped) and positions[k] == offset and not self.escaped[k]

    def raw_file(self, string: String, raw_index: int) -> int:
        """The file offset of ``string.raw[raw_index]``."""
        return self.file(self.index_of(string.start) + raw_index)


FILE_MAP = TextMap()


def decoded(raw: str) -> tuple[str, list[int]]:
    """The value of the string literal ``raw`` and, for each of its
    characters (and one more for the end), its index in ``raw``: where the
    character, or the escape that wrote it, starts."""
    value, offsets, _interp, _problems = strings.decode(raw, 0)
    if isinstance(offsets, list):
        return value, offsets
    start_of = offsets.start_of  # a map of segments rather than a list
    return value, [start_of(k) for k in range(len(value) + 1)]


@dataclass(slots=True)
class StringVariable:
    """``$name`` inside a string; offsets in the file (``start`` at ``$``)."""

    name: str
    start: int
    end: int


@dataclass(slots=True)
class StringCode:
    """``$[...]`` or ``$(...)`` inside a string: its statements, with file
    offsets, and the map of the text they were read from."""

    body: list
    start: int
    end: int
    text_map: TextMap


def interpolations(string: String, text_map: TextMap) -> list:
    """The ``StringVariable`` and ``StringCode`` pieces of ``string``; None
    for a ``$[...]`` or ``$(...)`` that cannot be read."""
    raw = string.raw
    value, offsets = decoded(raw)
    out: list = []
    i = value.find("$")
    while i != -1:
        if raw[offsets[i]] != "$":  # an escaped `\$`
            i = value.find("$", i + 1)
            continue
        after = i + 1
        m = _NAME.match(value, after)
        if m is not None:
            start = text_map.raw_file(string, offsets[i])
            end = text_map.raw_file(string, offsets[m.end() - 1]) + 1
            out.append(StringVariable(m.group(), start, end))
            i = value.find("$", m.end())
            continue
        if after < len(value) and value[after] in "[(":
            close = _matching(value, after)
            if close is None:
                out.append(None)  # unreadable: the caller must not trust what it sees
                break
            piece_map = TextMap([text_map.raw_file(string, offsets[k]) for k in range(after, close + 1)])
            body = _parse_piece(value[after : close + 1], piece_map)
            out.append(StringCode(body, piece_map.file(0), piece_map.file(close - after) + 1, piece_map) if body is not None else None)
            i = value.find("$", close + 1)
            continue
        i = value.find("$", after)
    return out


_PAIRS = {"[": "]", "(": ")", "{": "}"}


def _matching(text: str, at: int) -> int | None:
    """The index of the bracket closing the one at ``at`` (strings skipped)."""
    stack = [_PAIRS[text[at]]]
    i = at + 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c in _PAIRS:
            stack.append(_PAIRS[c])
        elif c in ")]}":
            if c != stack[-1]:
                return None
            stack.pop()
            if not stack:
                return i
        i += 1
    return None


def _parse_piece(piece: str, piece_map: TextMap) -> list | None:
    from rosc.syntax.menu_context import resolve
    from rosc.syntax.statements import parse_statements

    problems: list = []
    body = parse_statements(piece, problems)
    if problems or not body:
        return None
    script = Script(body, 0, len(piece))
    resolve(script, piece, problems)
    remap(script, piece_map)
    return body


def remap(script: Script, text_map: TextMap) -> None:
    """Move every node of ``script`` from offsets in its own text to file
    offsets (as the parser does for embedded scripts)."""
    for node in walk(script):
        if type(node) is Script:
            continue
        node.start = text_map.file(node.start)
        end = node.end
        node.end = text_map.file(end - 1) + 1 if end > 0 else text_map.file(0)
        kind = type(node)
        if kind is Command:
            node.path_end = text_map.file(node.path_end)
        elif kind is Arg:
            node.key_end = text_map.file(node.key_end)
