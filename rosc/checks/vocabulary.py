"""Checks against the RouterOS vocabulary: unknown menus and parameters,
values of the wrong type."""

from __future__ import annotations

from rosc.diagnostics import Severity
from rosc.model.device import literal
from rosc.checks.registry import rule
from rosc.syntax.tree import Arg
from rosc.vocabulary.tree import load
from rosc.model.list_values import TextSpan as _Span

# Address-shaped values are checked by ADDR001 (invalid-address), with
# messages about octets and prefixes; VOC003 leaves them to it.
_ADDRESS_TYPES = ("ip", "ipv4", "ipv6", "ipv4-prefix", "ipv6-prefix", "ip-prefix", "ipv4-range", "ipv6-range", "ip-range")
_SETTERS = frozenset({"add", "set"})


def _menu_commands(ctx):
    for cmd in ctx.device.script.commands():
        if cmd.verb is None or cmd.verb.text.startswith(":"):
            continue
        yield cmd


@rule("VOC001", "unknown-menu", area="vocabulary", severity=Severity.WARNING,
      summary="A menu RouterOS does not have")
def unknown_menu(ctx):
    vocab = load()
    seen: set[str] = set()
    for cmd in ctx.device.script.commands():
        if not cmd.menu or not (cmd.absolute or cmd.path) or vocab.menu(cmd.menu) is not None:
            continue
        path = cmd.menu_path
        if path in seen:
            continue
        seen.add(path)
        hint = vocab.suggest_menu(path)
        node = cmd.verb if cmd.verb is not None and not cmd.path else cmd
        start, end = cmd.start, cmd.path_end
        yield ctx.finding(
            _Span(start, end) if end > start else node,
            f"unknown menu `{path}`" + (f"; did you mean `{hint}`?" if hint else ""),
            notes=["rosc knows RouterOS 6 and 7 menus; a menu it does not know is often a typo, "
                   "or a package the router does not have"],
            fix=f"use `{hint}`" if hint else None,
        )




def _params(ctx):
    """(command, menu, argument, parameter or None) for add/set arguments."""
    vocab = load()
    for cmd in _menu_commands(ctx):
        if cmd.verb.text not in _SETTERS:
            continue
        menu = vocab.menu(cmd.menu)
        if menu is None:
            continue
        for arg in cmd.args:
            if type(arg) is Arg:
                yield cmd, menu, arg, menu.param(arg.name)


@rule("VOC002", "unknown-parameter", area="vocabulary", severity=Severity.WARNING,
      summary="A parameter the menu does not have")
def unknown_parameter(ctx):
    for cmd, menu, arg, param in _params(ctx):
        if param is not None or arg.name.startswith(".") or "." in arg.name:
            continue  # v7 dotted sub-parameters (remote.address=) are not in the vocabulary
        hint = menu.suggest_param(arg.name)
        yield ctx.finding(
            _Span(arg.start, arg.key_end),
            f"`{menu.path}` has no parameter `{arg.name}`" + (f"; did you mean `{hint}`?" if hint else ""),
            fix=f"write `{hint}=`" if hint else None,
        )


@rule("VOC003", "invalid-value", area="vocabulary", severity=Severity.ERROR,
      summary="A value of the wrong type for its parameter")
def invalid_value(ctx):
    for cmd, menu, arg, param in _params(ctx):
        if param is None or arg.value is None:
            continue
        base = param.type_text.split("|")[0].strip()
        if base in _ADDRESS_TYPES or base.startswith("list<ip") or param.ref_kind is not None:
            continue
        value = literal(arg)
        if value is None or value == "":
            continue
        problem = param.check(value)
        if problem:
            yield ctx.finding(arg.value, f"`{arg.name}=`: {problem}", notes=[f"`{arg.name}` takes {param.type_text}"])
