"""What must survive formatting: commands, their menus, values and comments.

``signature(script)`` reduces a syntax tree to plain tuples that ignore
layout (spacing, quoting that RouterOS does not need in the settings of
``add``/``set``, their argument order, line wrapping and in-string line
joins) and nothing else: a string is compared as it is spelled, escapes and
all, so ``"\\C0"`` and the byte it stands for differ.  The formatter writes
a file only when the signature of its output equals the signature of its
input.
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

_SORTED_VERBS = frozenset({"add", "set"})


def signature(script: Script) -> tuple:
    return _body(script.body)


def statement_signature(stmt) -> tuple:
    """The signature of one statement (a command or a comment)."""
    return _body([stmt])


def _body(body: list) -> tuple:
    out = []
    for stmt in body:
        if type(stmt) is Comment:
            out.append(("#", stmt.text.rstrip()))
        elif stmt.is_menu_change:
            continue  # context only; each command records its menu
        else:
            out.append(_command(stmt))
    return tuple(out)


def _command(cmd: Command) -> tuple:
    verb = cmd.verb.text if cmd.verb is not None else None
    unquote = verb in _SORTED_VERBS
    args = [_element(a, unquote) for a in cmd.args]
    # The menu matters to menu commands, not to script commands (`:put`,
    # the same in every menu) or blocks, whose relative commands inside
    # record their own.
    menu = None if verb is None or verb.startswith(":") else cmd.menu
    if unquote:
        positional = tuple(a for a, src in zip(args, cmd.args) if type(src) is not Arg)
        named = tuple(sorted((a for a, src in zip(args, cmd.args) if type(src) is Arg), key=lambda a: a[1]))
        return ("cmd", menu, verb, positional, named)
    return ("cmd", menu, verb, tuple(args))


def _element(node, unquote: bool = False) -> tuple:
    if type(node) is Arg:
        value = node.value
        if value is None:
            return ("arg", node.name, None)
        if unquote and type(value) is String:
            spelled = strings.spelling(value.raw)
            bare = strings.bare_spelling(spelled)
            return ("arg", node.name, ("w", bare) if bare is not None else ("s", spelled))
        return ("arg", node.name, _value(value))
    return _value(node)


def _value(node) -> tuple:
    kind = type(node)
    if kind is Word:
        return ("w", node.text)
    if kind is String:
        return ("s", strings.spelling(node.raw))
    if kind is Variable:
        return ("$", node.name, node.quoted)
    if kind is Concat:
        return ("cat", tuple(_value(p) for p in node.parts))
    if kind is Expression:
        return ("(", tuple(("op", i.op) if type(i) is Operator else _value(i) for i in node.items))
    if kind is Substitution:
        return ("[", node.paren, _body(node.body))
    if kind is Block:
        return ("{", _body(node.body))
    raise TypeError(kind.__name__)
