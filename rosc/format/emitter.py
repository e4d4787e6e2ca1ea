"""Syntax tree → canonical RouterOS script (what ``rosc fmt`` writes).

The canonical form is the one ``/export`` uses: a menu header line for each
run of commands in the same menu, one command per line, ``add``/``set``
arguments in alphabetical order (positional ones first), values quoted only
where RouterOS needs quotes, and lines longer than 80 columns continued with
`` \\`` and a 4-space indent (``rosc.format.layout``).  Commands are never
reordered, comments are kept, blank lines between statements are kept (runs
of them become one).  Every value is written as it was spelled: a string
keeps its escapes (``"\\C0"`` stays ``"\\C0"``), only the quotes RouterOS
does not need are dropped and in-string line joins are redone.

``layout`` also says where each statement went in the output, so that the
formatter's safety check can re-read only the statements whose text
changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rosc.format.layout import ATOM, BLOCK, INDENT, JOIN, SPACE, STRING, WIDTH, fill, fill_pieces
from rosc.syntax import strings
from rosc.syntax.menu_context import is_root_command
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

__all__ = ["INDENT", "WIDTH", "Layout", "emit", "layout"]

SORTED_VERBS = frozenset({"add", "set"})


@dataclass(slots=True)
class Layout:
    """The canonical text of a script, and where its parts are in it.

    ``parts``: for each statement that produced text (commands and
    comments), ``(statement, start, end, menu)``: its text is
    ``text[start:end]`` and it runs in ``menu`` there.  ``headers``: the
    menu header lines written, as ``(start, end, menu)``.
    """

    text: str
    parts: list = field(default_factory=list)
    headers: list = field(default_factory=list)


def emit(script: Script, text: str) -> str:
    """Return the canonical text of ``script`` (parsed from ``text``)."""
    return layout(script, text).text


def layout(script: Script, text: str) -> Layout:
    """The canonical text of ``script`` with where each statement went."""
    out: list[str] = []
    size = 0  # length of the text in ``out`` so far, with its line ends
    parts: list = []
    headers: list = []
    current: tuple[str, ...] = ()
    written_in: tuple[str, ...] = ()  # the menu the input runs each statement in
    prev_end = None
    count = text.count
    for stmt in script.body:
        blank = prev_end is not None and out and count("\n", prev_end, stmt.start) >= 2
        prev_end = stmt.end
        source_menu = written_in
        if type(stmt) is Command and stmt.verb is None and not stmt.args:
            written_in = stmt.menu
        if type(stmt) is Comment:
            if blank:
                out.append("")
                size += 1
            line = stmt.text.rstrip()
            out.append(line)
            parts.append((stmt, size, size + len(line), current))
            size += len(line) + 1
            continue
        header = None
        relative = False
        menu_change = stmt.verb is None and not stmt.args and (stmt.absolute or bool(stmt.path))
        if menu_change:
            if stmt.menu == current:
                continue
            header = stmt.menu
        elif _as_written(stmt):
            # a path, then words that would read differently on their own
            # (`/ip address :put`, `ip address /x`): in the menu it was in
            if not stmt.absolute and current != source_menu:
                header = source_menu
        elif _wants_menu(stmt):
            relative = True
            if stmt.menu != current:
                header = stmt.menu
        elif _is_root_relative(stmt):
            relative = True  # written as it was, where the current menu is the root
            if current:
                header = ()
        else:
            relative = stmt.verb is not None and bool(stmt.menu) and stmt.menu == current
        if blank:
            out.append("")
            size += 1
        if header is not None:
            line = _header(header)
            out.append(line)
            headers.append((size, size + len(line), header))
            size += len(line) + 1
            current = header
        if menu_change:
            continue
        lines = _command_lines(stmt, text, relative=relative, depth=0)
        start = size
        for line in lines:
            size += len(line) + 1
        out.extend(lines)
        parts.append((stmt, start, size - 1, current))
    body = "\n".join(out) + "\n" if out else ""
    return Layout(body, parts, headers)


def _header(menu: tuple[str, ...]) -> str:
    return "/" + " ".join(menu)


def _as_written(cmd: Command) -> bool:
    """A path with no command, then a word: the path stays with it, or the
    word would read as the command (or a path) once the path is gone."""
    return cmd.verb is None and bool(cmd.path) and bool(cmd.args) and type(cmd.args[0]) is Word


def _is_script_command(cmd: Command) -> bool:
    return cmd.verb is not None and cmd.verb.text.startswith(":")


def _is_root_relative(cmd: Command) -> bool:
    """A command of the root menu written without `/` that rosc does not
    know: written as it was, so it is read the same way again."""
    return (
        not cmd.menu
        and not cmd.absolute
        and not cmd.path
        and cmd.verb is not None
        and not _is_script_command(cmd)
        and not is_root_command(cmd.verb.text)
    )


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
    named = [a for a in args if type(a) is Arg]
    for a, b in zip(named, named[1:]):
        if a.name > b.name:
            named.sort(key=_name)
            break
    return positional + named


def _name(arg: Arg) -> str:
    return arg.name


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
    indent = INDENT * depth
    simple = _simple_pieces(cmd, text, relative, depth == 0)
    if simple is not None:
        return fill_pieces(simple[0], simple[1], indent)
    return fill(_command_tokens(cmd, text, relative, depth, 0, top=depth == 0), indent)


def _simple_pieces(cmd: Command, text: str, relative: bool, top: bool):
    """The pieces of a command made only of words, strings, plain variables
    and ``key=`` such values (most of an export), for ``fill_pieces``; None
    for any other command."""
    pieces = _command_head(cmd, relative, top=top)
    append = pieces.append
    splits: dict[int, tuple[int, bool]] = {}
    unquote = _unquotes(cmd)
    spelling = strings.spelling
    for arg in _ordered_args(cmd):
        kind = type(arg)
        if kind is Arg:
            value = arg.value
            vkind = type(value)
            if vkind is Word:
                piece = text[arg.start : arg.end]  # `key=value` as written
                if "\n" in piece:
                    return None
                append(piece)
                continue
            if value is None:
                append(text[arg.start : arg.key_end] + "=")
                continue
            if vkind is not String:
                return None
            key = text[arg.start : arg.key_end]
            if "\n" in key:
                return None
            raw = value.raw
            spelled = spelling(raw) if "\n" in raw else raw
            if unquote:
                bare = strings.bare_spelling(spelled)
                if bare is not None:
                    append(key + "=" + bare)
                    continue
            splits[len(pieces)] = (len(key) + 1, value.interpolated)
            append(key + "=" + spelled)
        elif kind is Word:
            append(arg.text)
        elif kind is String:
            append(spelling(arg.raw))
        elif kind is Variable and not arg.quoted:
            append("$" + arg.name)
        else:
            return None
    return pieces, splits


def _command_tokens(cmd: Command, text: str, relative: bool, depth: int, level: int, top: bool = False) -> list:
    tokens: list = []
    head = _command_head(cmd, relative, top=top)
    for i, word in enumerate(head):
        if i:
            tokens.append((SPACE, level))
        tokens.append((ATOM, word))
    unquote = _unquotes(cmd)
    for arg in _ordered_args(cmd):
        if tokens:
            tokens.append((SPACE, level))
        _element(arg, text, unquote, depth, level, tokens)
    return tokens


def _element(node, text: str, unquote: bool, depth: int, level: int, out: list) -> None:
    if type(node) is Arg:
        key = node.name if node.key_end - node.start == len(node.name) else strings.spelling(text[node.start : node.key_end])
        if node.value is None:
            out.append((ATOM, key + "="))
            return
        out.append((ATOM, key + "="))
        value = node.value
        if type(value) is String:
            spelled = strings.spelling(value.raw)
            bare = strings.bare_spelling(spelled) if unquote else None
            out.append((ATOM, bare) if bare is not None else (STRING, spelled, value.interpolated))
            return
        _value(value, text, depth, level, out)
        return
    _value(node, text, depth, level, out)


def _value(node, text: str, depth: int, level: int, out: list) -> None:
    kind = type(node)
    if kind is Word:
        out.append((ATOM, node.text))
    elif kind is String:
        out.append((ATOM, strings.spelling(node.raw)))
    elif kind is Variable:
        out.append((ATOM, "$" + strings.spelling(text[node.start + 1 : node.end]) if node.quoted else "$" + node.name))
    elif kind is Concat:
        for part in node.parts:
            _value(part, text, depth, level, out)
    elif kind is Expression:
        out.append((ATOM, "("))
        prev = None
        for item in node.items:
            if prev is not None and item.start > prev.end:
                out.append((SPACE, level + 1))
            if type(item) is Operator:
                out.append((ATOM, item.op))
            else:
                _value(item, text, depth, level + 1, out)
            prev = item
        out.append((ATOM, ")"))
    elif kind is Substitution:
        _substitution(node, text, depth, level, out)
    elif kind is Block:
        _block(node, text, depth, level, out)
    else:
        raise TypeError(f"unexpected node {kind.__name__}")


def _substitution(node: Substitution, text: str, depth: int, level: int, out: list) -> None:
    opener, closer = ("(", ")") if node.paren else ("[ ", " ]")
    if not node.body:
        out.append((ATOM, "()" if node.paren else "[]"))
        return
    if any(type(s) is Comment for s in node.body):
        out.append((BLOCK, opener.strip(), _multiline_body(node.body, text, depth), INDENT * depth + closer.strip()))
        return
    out.append((ATOM, opener))
    _inline_body(node.body, text, depth, level + 1, out)
    out.append((ATOM, closer))


def _is_array(block: Block) -> bool:
    for stmt in block.body:
        if type(stmt) is not Command or stmt.verb is not None or stmt.path or stmt.absolute:
            return False
        if len(stmt.args) != 1:
            return False
    return True


def _block(block: Block, text: str, depth: int, level: int, out: list) -> None:
    if not block.body:
        out.append((ATOM, "{}"))
        return
    if _is_array(block):
        if _elements_on_lines(block, text):  # one element a line, as written
            lines = []
            inner = INDENT * (depth + 1)
            for i, stmt in enumerate(block.body):
                tokens: list = []
                _element(stmt.args[0], text, False, depth + 1, 0, tokens)
                if i < len(block.body) - 1:
                    tokens.append((ATOM, ";"))
                lines.extend(fill(tokens, inner))
            out.append((BLOCK, "{", lines, INDENT * depth + "}"))
            return
        out.append((ATOM, "{"))
        for i, stmt in enumerate(block.body):
            if i:
                out.append((ATOM, ";"))
                out.append((JOIN, level + 1))
            _element(stmt.args[0], text, False, depth, level + 1, out)
        out.append((ATOM, "}"))
        return
    if any(type(s) is Comment for s in block.body) or _spans_lines(block, text):
        out.append((BLOCK, "{", _multiline_body(block.body, text, depth), INDENT * depth + "}"))
        return
    out.append((ATOM, "{ "))
    _inline_body(block.body, text, depth, level + 1, out)
    out.append((ATOM, " }"))


def _spans_lines(block: Block, text: str) -> bool:
    """True when the block's statements were written on separate lines (a
    line continued with `\\` is one line)."""
    body = block.body
    for a, b in zip(body, body[1:]):
        if _line_break(text, a.end, b.start) and ";" not in text[a.end : b.start]:
            return True
    first, last = body[0], body[-1]
    return _line_break(text, block.start, first.start) or _line_break(text, last.end, block.end)


def _elements_on_lines(block: Block, text: str) -> bool:
    """True when the elements of an array were written on lines of their
    own (not only continued: a long array continued with `\\` is one line)."""
    body = block.body
    return any(_line_break(text, a.end, b.start) for a, b in zip(body, body[1:]))


def _line_break(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (between tokens) ends a line other than
    by a line continuation."""
    at = text.find("\n", start, end)
    while at != -1:
        before = text[start:at].rstrip(" \t\r")
        if not before.endswith("\\"):
            return True
        at = text.find("\n", at + 1, end)
    return False


def _inline_body(body: list, text: str, depth: int, level: int, out: list) -> None:
    for i, stmt in enumerate(body):
        if i:
            out.append((ATOM, ";"))
            out.append((SPACE, level))
        out.extend(_command_tokens(stmt, text, False, depth, level))


def _multiline_body(body: list, text: str, depth: int) -> list[str]:
    lines: list[str] = []
    for stmt in body:
        if type(stmt) is Comment:
            lines.append(INDENT * (depth + 1) + stmt.text.rstrip())
        else:
            lines.extend(_command_lines(stmt, text, relative=False, depth=depth + 1))
    return lines
