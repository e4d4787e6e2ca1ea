"""The semantic model of one device: what its configuration defines.

The model is deliberately generic: every menu holds a list of ``Item``s,
each with its current parameter values (the ``Arg`` nodes that set them, so
every fact points back to its source).  ``rosc.model.builder`` applies
``add``, ``set``, ``remove``, ``enable`` and ``disable`` to build it;
``rosc.model.facts`` derives typed views (interfaces, addresses, routes...) that
the checks use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rosc.syntax.source import Source
from rosc.syntax.tree import Arg, Command, Script, String, Word, all_commands

TRUE_WORDS = frozenset({"yes", "true"})
FALSE_WORDS = frozenset({"no", "false"})


def literal(arg: Arg | None) -> str | None:
    """The literal text of an argument's value, or None when it is missing
    or computed by the script (a variable, an expression...)."""
    if arg is None:
        return None
    value = arg.value
    if value is None:
        return ""
    kind = type(value)
    if kind is Word:
        return value.text
    if kind is String and not value.interpolated:
        return value.value
    return None


@dataclass(slots=True, eq=False)
class Item:
    """One item of a menu (an address, a route, a bridge...)."""

    menu: str
    props: dict[str, Arg] = field(default_factory=dict)
    origin: Command | None = None  # the `add` (or first `set`) that made it
    commands: list[Command] = field(default_factory=list)
    implicit: bool = False  # exists without being added (ether1, singletons)
    removed: bool = False
    defaults: dict[str, str] = field(default_factory=dict)  # implicit values (default-name)

    def arg(self, name: str) -> Arg | None:
        return self.props.get(name)

    def get(self, name: str, default: str | None = None) -> str | None:
        arg = self.props.get(name)
        if arg is None:
            return self.defaults.get(name, default)
        value = literal(arg)
        return default if value is None else value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.get(name)
        if value is None:
            return default
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        return default

    @property
    def disabled(self) -> bool:
        return self.flag("disabled")

    @property
    def name(self) -> str | None:
        return self.get("name")

    def node(self, name: str | None = None):
        """The syntax node to point at: the argument ``name`` (its value if
        it has one) or the command that made the item."""
        if name is not None:
            arg = self.props.get(name)
            if arg is not None:
                return arg.value if arg.value is not None else arg
        return self.origin if self.origin is not None else (self.commands[0] if self.commands else None)


@dataclass(slots=True, eq=False)
class Device:
    """Everything one `.rsc` file configures."""

    path: str
    source: Source
    script: Script
    menus: dict[str, list[Item]] = field(default_factory=dict)
    unresolved: list[Command] = field(default_factory=list)  # set/remove rosc cannot place
    syntax_errors: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of what the parser could not read
    _commands: list[Command] | None = field(default=None, init=False, repr=False)

    def commands(self) -> list[Command]:
        """Every command of the file, nested ones included, in source order:
        the one walk of the tree that all the checks share (computed on
        first use; the tree of a device does not change)."""
        if self._commands is None:
            self._commands = all_commands(self.script.body)
        return self._commands

    def items(self, menu: str, include_disabled: bool = True) -> list[Item]:
        return [i for i in self.menus.get(menu, ()) if not i.removed and (include_disabled or not i.disabled)]

    def single(self, menu: str) -> Item | None:
        items = self.items(menu)
        return items[0] if items else None

    @property
    def identity(self) -> str | None:
        item = self.single("/system identity")
        return item.get("name") if item is not None else None
