"""Syntax tree → canonical RouterOS script (what ``rosc fmt`` writes).

The canonical form is the one ``/export`` uses: a menu header line for each
run of commands in the same menu, one command per line, ``add``/``set``
arguments in alphabetical order (positional ones first), values quoted only
where RouterOS needs quotes, and lines longer than 80 columns continued with
`` \\`` and a 4-space indent.  Commands are never reordered, comments are
kept, blank lines between statements are kept (runs of them become one).
"""

from __future__ import annotations

from rosc.syntax import strings
from rosc.syntax.tree import (
    Arg,
    Block,
    Command,
    Comment,
    Concat,
    Expression,
    Operator,
    Script,
    String,
    Substitution,
    Variable,
    Word,
)

WIDTH = 80
INDENT = "    "
SORTED_VERBS = frozenset({"add", "set"})


def emit(script: Script, text: str) -> str:
    """Return the canonical text of ``script`` (parsed from ``text``)."""
    out: list[str] = []
    current: tuple[str, ...] = ()
    prev_end = None
    for stmt in script.body:
        lines: list[str] = []
        if type(stmt) is Comment:
            lines.append(stmt.text.rstrip())
        elif stmt.is_menu_change:
            if stmt.menu != current:
                lines.append(_header(stmt.menu))
                current = stmt.menu
        elif _wants_menu(stmt) and stmt.menu != current:
            lines.append(_header(stmt.menu))
            current = stmt.menu
            lines.extend(_command_lines(stmt, text, relative=True, depth=0))
        else:
            relative = stmt.verb is not None and bool(stmt.menu) and stmt.menu == current
            lines.extend(_command_lines(stmt, text, relative=relative, depth=0))
        if lines:
            if prev_end is not None and out and text.count("\n", prev_end, stmt.start) >= 2:
                out.append("")
            out.extend(lines)
        prev_end = stmt.end
    return "\n".join(out) + "\n" if out else ""


def _header(menu: tuple[str, ...]) -> str:
    return "/" + " ".join(menu)


def _is_script_command(cmd: Command) -> bool:
    return cmd.verb is not None and cmd.verb.text.startswith(":")


def _wants_menu(cmd: Command) -> bool:
    """Whether ``cmd`` must run under a header for its menu: menu commands
    (those of the root menu are written inline, as ``/ping``), and any
    statement with a relative command inside (``[ find ]``)."""
    if cmd.verb is not None and not _is_script_command(cmd):
        return bool(cmd.menu)
    return any(_relative_inside(arg) for arg in cmd.args)


def _relative_inside(node) -> bool:
    kind = type(node)
    if kind is Arg:
        return node.value is not None and _relative_inside(node.value)
    if kind is Block or kind is Substitution:
        for stmt in node.body:
            if type(stmt) is Command:
                if not stmt.absolute and stmt.verb is not None and not _is_script_command(stmt):
                    return True
                if any(_relative_inside(a) for a in stmt.args):
                    return True
        return False
    if kind is Expression:
        return any(_relative_inside(i) for i in node.items)
    if kind is Concat:
        return any(_relative_inside(p) for p in node.parts)
    return False


def _ordered_args(cmd: Command) -> list:
    args = cmd.args
    if cmd.verb is None or cmd.verb.text not in SORTED_VERBS:
        return args
    seen_named = False
    for arg in args:
        if type(arg) is Arg:
            seen_named = True
        elif seen_named:
            return args  # positional after named: keep as written
    positional = [a for a in args if type(a) is not Arg]
    named = sorted((a for a in args if type(a) is Arg), key=lambda a: a.name)
    return positional + named


def _command_head(cmd: Command, relative: bool, top: bool = False) -> list[str]:
    head: list[str] = []
    if not relative:
        root_command = top and not cmd.menu and cmd.verb is not None and not _is_script_command(cmd)
        if cmd.absolute or root_command:
            head.append("/" + " ".join(cmd.path))  # root menu commands are written `/ping`
        elif cmd.path:
            head.append(" ".join(cmd.path))
    if cmd.verb is not None:
        if head and head[0] == "/":
            head[0] = "/" + cmd.verb.text
        else:
            head.append(cmd.verb.text)
    return head


def _unquotes(cmd: Command) -> bool:
    """Whether the values of ``cmd`` may lose quotes RouterOS does not need
    (settings of ``add``/``set``; never script values, where ``"5"`` and
    ``5`` differ, nor ``find where`` queries)."""
    return cmd.verb is not None and cmd.verb.text in SORTED_VERBS


def _command_lines(cmd: Command, text: str, relative: bool, depth: int) -> list[str]:
    """The lines of one command; ``relative`` drops its menu path."""
    menu_command = _unquotes(cmd)
    pieces = _command_head(cmd, relative, top=depth == 0)
    pieces.extend(_element(arg, text, menu_command, depth) for arg in _ordered_args(cmd))
    indent = INDENT * depth
    joined = " ".join(pieces)
    if "\n" in joined:
        return [indent + line if i == 0 else line for i, line in enumerate(joined.split("\n"))]
    return _wrap(pieces, indent)


def _wrap(pieces: list[str], indent: str) -> list[str]:
    line = indent + pieces[0] if pieces else indent
    if len(line) + sum(len(p) + 1 for p in pieces[1:]) <= WIDTH:
        return [" ".join([line, *pieces[1:]]) if pieces[1:] else line]
    lines: list[str] = []
    cont = indent + INDENT
    for piece in pieces[1:]:
        if len(line) + 1 + len(piece) + 2 <= WIDTH or line.strip() == "":
            line = line + " " + piece
            continue
        lines.append(line + " \\")
        if len(cont) + len(piece) + 2 > WIDTH and '="' in piece:
            chunks = _split_string_piece(piece, WIDTH - len(cont) - 1)
            for chunk in chunks[:-1]:
                lines.append(cont + chunk + "\\")
            line = cont + chunks[-1]
        else:
            line = cont + piece
    lines.append(line)
    return lines


def _split_string_piece(piece: str, width: int) -> list[str]:
    """Split ``key="long string"`` into chunks joined by RouterOS's
    in-string continuation (``\\`` at the line end, indent skipped on the
    next line).  Never splits an escape or before white space."""
    chunks: list[str] = []
    start = 0
    n = len(piece)
    while n - start > width:
        cut = start + width
        # step back out of an escape sequence and off white space
        while cut > start + 1:
            if piece[cut] in " \t":
                cut -= 1
                continue
            back = cut - 1
            run = 0
            while back >= start and piece[back] == "\\":
                run += 1
                back -= 1
            if run % 2 == 1:  # piece[cut] is escaped
                cut -= 1
                continue
            if cut - 2 >= start and piece[cut - 2] == "\\" and _is_hex_escape(piece, cut - 2):
                cut -= 2
                continue
            break
        if cut <= start + 1:
            break
        chunks.append(piece[start:cut])
        start = cut
    chunks.append(piece[start:])
    return chunks


def _is_hex_escape(piece: str, at: int) -> bool:
    hexdigits = "0123456789abcdefABCDEF"
    return at + 2 < len(piece) and piece[at + 1] in hexdigits and piece[at + 2] in hexdigits


def _element(node, text: str, menu_command: bool, depth: int) -> str:
    if type(node) is Arg:
        if node.value is None:
            return node.name + "="
        key = node.name if _plain_key(node.name) else strings.quote(node.name)
        return key + "=" + _value(node.value, text, menu_command, depth)
    return _value(node, text, False, depth)


def _plain_key(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c in "_.-" for c in name) and name.isascii()


def _value(node, text: str, unquote: bool, depth: int) -> str:
    kind = type(node)
    if kind is Word:
        return node.text
    if kind is String:
        if node.interpolated:
            return node.raw
        if unquote and not strings.needs_quotes(node.value):
            return node.value
        return strings.quote(node.value)
    if kind is Variable:
        return "$" + (strings.quote(node.name) if node.quoted else node.name)
    if kind is Concat:
        return "".join(_value(p, text, False, depth) for p in node.parts)
    if kind is Expression:
        parts: list[str] = []
        prev = None
        for item in node.items:
            if prev is not None and item.start > prev.end:
                parts.append(" ")
            parts.append(item.op if type(item) is Operator else _value(item, text, False, depth))
            prev = item
        return "(" + "".join(parts) + ")"
    if kind is Substitution:
        inner = _inline_body(node.body, text, depth)
        return "[ " + inner + " ]" if inner else "[]"
    if kind is Block:
        return _block(node, text, depth)
    raise TypeError(f"unexpected node {kind.__name__}")


def _is_array(block: Block) -> bool:
    for stmt in block.body:
        if type(stmt) is not Command or stmt.verb is not None or stmt.path or stmt.absolute:
            return False
        if len(stmt.args) != 1:
            return False
    return True


def _block(block: Block, text: str, depth: int) -> str:
    if not block.body:
        return "{}"
    if _is_array(block):
        return "{" + ";".join(_element(s.args[0], text, False, depth) for s in block.body) + "}"
    multiline = any(type(s) is Comment for s in block.body) or _spans_lines(block, text)
    if not multiline:
        inline = _inline_body(block.body, text, depth)
        if "\n" not in inline:
            return "{ " + inline + " }"
    return "{" + _multiline_body(block.body, text, depth) + "}"


def _spans_lines(block: Block, text: str) -> bool:
    """True when the block's statements were written on separate lines."""
    body = block.body
    for a, b in zip(body, body[1:]):
        between = text[a.end : b.start]
        if "\n" in between and ";" not in between:
            return True
    first, last = body[0], body[-1]
    return "\n" in text[block.start : first.start] or "\n" in text[last.end : block.end]


def _inline_body(body: list, text: str, depth: int) -> str:
    if any(type(s) is Comment for s in body):
        return _multiline_body(body, text, depth)
    return "; ".join(_inline_command(stmt, text, depth) for stmt in body)


def _inline_command(cmd: Command, text: str, depth: int) -> str:
    menu_command = _unquotes(cmd)
    pieces = _command_head(cmd, False)
    pieces.extend(_element(a, text, menu_command, depth) for a in _ordered_args(cmd))
    return " ".join(pieces)


def _multiline_body(body: list, text: str, depth: int) -> str:
    lines = [""]
    for stmt in body:
        if type(stmt) is Comment:
            lines.append(INDENT * (depth + 1) + stmt.text.rstrip())
        else:
            lines.extend(_command_lines(stmt, text, relative=False, depth=depth + 1))
    lines.append(INDENT * depth)
    return "\n".join(lines)
