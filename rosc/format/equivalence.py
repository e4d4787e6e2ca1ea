"""What must survive formatting: commands, their menus, values and comments.

``signature(script)`` reduces a syntax tree to plain tuples that ignore
layout (spacing, quoting that RouterOS does not need, argument order of
``add``/``set``, line wrapping).  The formatter writes a file only when the
signature of its output equals the signature of its input.
"""

from __future__ import annotations

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
    args = [_element(a) for a in cmd.args]
    verb = cmd.verb.text if cmd.verb is not None else None
    # The menu matters to menu commands and written paths, not to script
    # commands (`:put`), whose relative commands inside record their own.
    scripted = verb is None or verb.startswith(":")
    menu = None if scripted and not cmd.path and not cmd.absolute else cmd.menu
    if verb in _SORTED_VERBS:
        positional = tuple(a for a, src in zip(args, cmd.args) if type(src) is not Arg)
        named = tuple(sorted((a for a, src in zip(args, cmd.args) if type(src) is Arg), key=lambda a: a[1]))
        return ("cmd", menu, verb, positional, named)
    return ("cmd", menu, verb, tuple(args))


def _element(node) -> tuple:
    if type(node) is Arg:
        return ("arg", node.name, _value(node.value) if node.value is not None else None)
    return _value(node)


def _value(node) -> tuple:
    kind = type(node)
    if kind is Word:
        return ("v", node.text)
    if kind is String:
        return ("i", node.raw) if node.interpolated else ("v", node.value)
    if kind is Variable:
        return ("$", node.name)
    if kind is Concat:
        return ("cat", tuple(_value(p) for p in node.parts))
    if kind is Expression:
        return ("(", tuple(("op", i.op) if type(i) is Operator else _value(i) for i in node.items))
    if kind is Substitution:
        return ("[", _body(node.body))
    if kind is Block:
        return ("{", _body(node.body))
    raise TypeError(kind.__name__)
