"""Filling a command into lines of at most ``WIDTH`` columns.

A command is rendered (``rosc.format.emitter``) as a list of tokens: text
that is never broken, places where a line may be broken, strings that may
be split inside their quotes, and blocks written over several lines.  A
break is written as `` \\`` at the line end and the next line indented one
step more; it is only ever put where the text has a space anyway (between
the arguments of a command, at any depth: RouterOS joins the lines before it
reads them) or after a ``;`` between the elements of an array, never inside
a value, so the result reads back as the same tokens.  A string is split
the way ``/export`` does (``\\`` at the line end, inside the quotes), never
inside an escape, before white space (the join skips it), or inside a
``$name``, ``$[...]`` or ``$(...)`` it interpolates.

The outermost places are broken first: a bracketed group moves to the next
line whole when it fits there; one that fits on no line starts where it is
and is broken inside.
"""

from __future__ import annotations

WIDTH = 80
INDENT = "    "

# Token kinds.  A token is a tuple whose first item is its kind:
ATOM = 0  # (ATOM, text): never broken (it may hold line ends: a string written so)
SPACE = 1  # (SPACE, level): a space, or a line break at nesting level ``level``
JOIN = 2  # (JOIN, level): nothing, or a line break (after `;` in an array)
STRING = 3  # (STRING, text, interpolated): a string literal that may be split
BLOCK = 4  # (BLOCK, opener, lines, closer): a block written over several lines

ANY = 1 << 30  # a level deeper than any: where `_run` stops at every place


def fill(tokens: list, indent: str) -> list[str]:
    """The lines of ``tokens`` starting at ``indent`` (the first token is the
    command word; no break comes before it)."""
    if not any(t[0] == BLOCK for t in tokens):
        flat = _flat(tokens)
        if "\n" not in flat and len(indent) + len(flat) <= WIDTH:
            return [indent + flat]
    cont = indent + INDENT
    lines: list[str] = []
    line: list[str] = [indent]
    col = len(indent)
    base = col  # the column where this line's text starts
    n = len(tokens)
    for i in range(n):
        tok = tokens[i]
        kind = tok[0]
        if kind == SPACE or kind == JOIN:
            sep = 1 if kind == SPACE else 0
            width = _run(tokens, i + 1, tok[1])
            if (
                col + sep + width + 2 > WIDTH
                and col > base
                # a group that fits nowhere starts here when its first piece does
                and (len(cont) + width + 2 <= WIDTH or col + sep + _run(tokens, i + 1, ANY) + 2 > WIDTH)
                and not _starts_comment(tokens, i + 1)
            ):
                lines.append("".join(line) + (" \\" if sep else "\\"))
                line = [cont]
                col = base = len(cont)
            elif sep:
                line.append(" ")
                col += 1
            continue
        if kind == BLOCK:
            _, opener, inner, closer = tok
            line.append(opener)
            lines.append("".join(line))
            lines.extend(inner)
            line = [closer]
            col = base = len(closer)
            continue
        text = tok[1]
        if "\n" in text:  # a string written over lines: its line ends are its own
            first, *middle, last = text.split("\n")
            line.append(first)
            lines.append("".join(line))
            lines.extend(middle)
            line = [last]
            col = len(last)
            base = 0
            continue
        if kind == STRING and col + len(text) + (2 if i + 1 < n else 0) > WIDTH:
            chunks = _split(text, tok[2], WIDTH - col - 1, WIDTH - len(cont) - 1)
            for chunk in chunks[:-1]:
                line.append(chunk + "\\")
                lines.append("".join(line))
                line = [cont]
                col = base = len(cont)
            text = chunks[-1]
        line.append(text)
        col += len(text)
    lines.append("".join(line))
    return lines


def fill_pieces(pieces: list[str], splits: dict, indent: str) -> list[str]:
    """``fill`` for a command of plain pieces (words, ``key=value``): what
    ``fill`` gives for them, faster.  ``splits`` maps the index of a piece
    ``key="string"`` that may be split to ``(len("key="), interpolated)``."""
    line = indent + " ".join(pieces)
    if len(line) <= WIDTH and "\n" not in line:
        return [line]
    if "\n" in line or 0 in splits:
        tokens: list = []
        for k in range(len(pieces)):
            if k:
                tokens.append((SPACE, 0))
            split = splits.get(k)
            if split is None:
                tokens.append((ATOM, pieces[k]))
            else:
                tokens.append((ATOM, pieces[k][: split[0]]))
                tokens.append((STRING, pieces[k][split[0] :], split[1]))
        return fill(tokens, indent)
    cont = indent + INDENT
    lines: list[str] = []
    line = indent + pieces[0]
    col = len(line)
    base = len(indent)
    last = len(pieces) - 1
    for k in range(1, last + 1):
        piece = pieces[k]
        if col + 3 + len(piece) > WIDTH and col > base and piece[0] != "#":
            lines.append(line + " \\")
            line = cont
            col = base = len(cont)
        else:
            line += " "
            col += 1
        split = splits.get(k)
        if split is not None:
            key = split[0]
            value = piece[key:]
            if col + key + len(value) + (2 if k < last else 0) > WIDTH:
                line += piece[:key]
                col += key
                chunks = _split(value, split[1], WIDTH - col - 1, WIDTH - len(cont) - 1)
                for chunk in chunks[:-1]:
                    lines.append(line + chunk + "\\")
                    line = cont
                    col = base = len(cont)
                piece = chunks[-1]
        line += piece
        col += len(piece)
    lines.append(line)
    return lines


def _starts_comment(tokens: list, j: int) -> bool:
    """Whether the text after a break would begin with `#`: on a line of its
    own after a continuation that reads as a comment line (SYN013)."""
    return j < len(tokens) and tokens[j][0] in (ATOM, STRING) and tokens[j][1].startswith("#")


def _flat(tokens: list) -> str:
    out = []
    for tok in tokens:
        kind = tok[0]
        if kind == ATOM or kind == STRING:
            out.append(tok[1])
        elif kind == SPACE:
            out.append(" ")
    return "".join(out)


def _run(tokens: list, j: int, level: int) -> int:
    """The width from ``tokens[j]`` to the next place a line may break at
    ``level`` or further out (any place for ``ANY``), a block, or a line end in
    the text."""
    width = 0
    for k in range(j, len(tokens)):
        tok = tokens[k]
        kind = tok[0]
        if kind == ATOM or kind == STRING:
            text = tok[1]
            cut = text.find("\n")
            if cut != -1:
                return width + cut
            width += len(text)
        elif kind == SPACE or kind == JOIN:
            if tok[1] <= level:
                return width
            width += 1 if kind == SPACE else 0
        else:
            return width + len(tok[1])
    return width


def _split(text: str, interpolated: bool, first: int, rest: int) -> list[str]:
    """``text`` (a string literal) cut into chunks: the first at most
    ``first`` characters, the others at most ``rest``; each chunk but the
    last is followed by an in-string line join."""
    safe = _cut_points(text, interpolated)
    chunks: list[str] = []
    start = 0
    limit = first
    n = len(text)
    while n - start > limit:
        cut = start + limit
        while cut > start and not safe[cut]:
            cut -= 1
        if cut <= start:
            break  # no place to cut within the width: leave the rest long
        chunks.append(text[start:cut])
        start = cut
        limit = rest
    chunks.append(text[start:])
    return chunks


def _cut_points(text: str, interpolated: bool) -> bytearray:
    """``safe[k]`` is 1 where ``text`` (a literal with its quotes) may be
    split before ``text[k]``."""
    n = len(text)
    safe = bytearray(b"\x01") * (n + 1)
    safe[0] = safe[1] = 0  # not before or right after the opening quote
    safe[n] = safe[n - 1] = 0  # not at or right before the closing quote
    i = 1
    while i < n - 1:
        char = text[i]
        if char == " " or char == "\t":
            safe[i] = 0  # the join would skip it
            i += 1
        elif char == "\\":
            width = 3 if i + 2 < n - 1 and _is_hex(text[i + 1]) and _is_hex(text[i + 2]) else 2
            for k in range(i + 1, min(i + width, n)):
                safe[k] = 0
            i += width
        elif char == "$" and interpolated:
            end = _interpolation_end(text, i)
            for k in range(i + 1, min(end, n)):
                safe[k] = 0
            i = max(end, i + 1)
        else:
            i += 1
    return safe


def _is_hex(char: str) -> bool:
    return char in "0123456789abcdefABCDEF"


def _interpolation_end(text: str, i: int) -> int:
    """Where the interpolation starting with ``$`` at ``i`` ends."""
    n = len(text) - 1  # the closing quote
    j = i + 1
    if j >= n:
        return j
    char = text[j]
    if char == "[" or char == "(":
        depth = 0
        while j < n:
            c = text[j]
            if c == "\\":
                j += 2
                continue
            if c in "[(":
                depth += 1
            elif c in "])":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return n
    if char == '"':
        j += 1
        while j < n and text[j] != '"':
            j += 2 if text[j] == "\\" else 1
        return min(j + 1, n)
    while j < n and (text[j].isalnum() or text[j] == "_"):
        j += 1
    return j
