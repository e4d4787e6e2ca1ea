"""Syntax tree → ``Device``: apply the configuration commands in order.

Only top-level commands configure the device; commands inside script blocks
(``:if``, ``:foreach``...) run conditionally and are not applied.  Item
selectors are applied where they can be decided from the file: ``[ find
k=v ... ]`` with literal values, an item's name (``set ether1 ...``) and
numeric ids (``set 0 ...``) counted over the items the file itself shows.

Selectors are answered from per-menu indexes (``rosc.model.item_index``),
so a change script of many ``set [ find ... ]`` commands costs each command
what it selects, not the whole menu; ``build_device(..., indexed=False)``
answers them by scanning the menu instead (the tests check that both agree).
"""

from __future__ import annotations

import re

from rosc.diagnostics import Severity
from rosc.model.device import Device, Item, literal
from rosc.model.item_index import MenuIndex
from rosc.syntax.parser import ParseResult
from rosc.syntax.tree import Arg, Command, Substitution, Word

# Menus whose items exist before any `add`: ports are found by default-name.
PHYSICAL_MENUS = {
    "/interface ethernet": re.compile(r"(ether|sfp|sfp-sfpplus|sfp28-|qsfp28-|qsfpplus|combo)\d"),
    "/interface wireless": re.compile(r"wlan\d"),
    "/interface wifi": re.compile(r"wifi\d"),
    "/interface lte": re.compile(r"lte\d"),
}
ADDING = frozenset({"add"})
SETTING = frozenset({"set", "edit"})
REMOVING = frozenset({"remove"})
TOGGLING = {"enable": "no", "disable": "yes"}


def build_device(result: ParseResult, indexed: bool = True) -> Device:
    device = Device(result.source.path, result.source, result.script)
    device.syntax_errors = [(d.span.offset, d.span.end) for d in result.diagnostics if d.severity >= Severity.ERROR]
    build = _Build(device, indexed)
    paths: dict[tuple[str, ...], str] = {}  # Command.menu -> its path, joined once per menu
    for stmt in result.script.body:
        if type(stmt) is not Command or stmt.verb is None:
            continue
        verb = stmt.verb.text
        if verb.startswith(":"):
            continue
        menu = paths.get(stmt.menu)
        if menu is None:
            menu = paths[stmt.menu] = stmt.menu_path
        if verb in ADDING:
            build.menu(menu).add(Item(menu, {a.name: a for a in stmt.args if type(a) is Arg}, stmt, [stmt]))
        elif verb in SETTING:
            build.set(menu, stmt)
        elif verb in REMOVING:
            index = build.menu(menu)
            for item in build.select(menu, stmt, create=False) or ():
                index.remove(item)
        elif verb in TOGGLING:
            index = build.menu(menu)
            for item in build.select(menu, stmt, create=False) or ():
                item.commands.append(stmt)
                index.toggle(item, TOGGLING[verb])
    return device


def _named(cmd: Command) -> dict[str, Arg]:
    return {a.name: a for a in cmd.args if type(a) is Arg}


class _Build:
    """The device being built and an index of each of its menus."""

    __slots__ = ("device", "indexed", "menus")

    def __init__(self, device: Device, indexed: bool):
        self.device = device
        self.indexed = indexed
        self.menus: dict[str, MenuIndex] = {}

    def menu(self, menu: str) -> MenuIndex:
        index = self.menus.get(menu)
        if index is None:
            index = self.menus[menu] = MenuIndex(self.device.menus.setdefault(menu, []))
        return index

    def set(self, menu: str, cmd: Command) -> None:
        selected = self.select(menu, cmd, create=True)
        if selected is None:
            self.device.unresolved.append(cmd)
            return
        index = self.menu(menu)
        named = _named(cmd)
        for item in selected:
            index.set_props(item, named)
            item.commands.append(cmd)
            if item.origin is None:
                item.origin = cmd

    def select(self, menu: str, cmd: Command, create: bool) -> list[Item] | None:
        """The items a command selects, or None when that cannot be decided."""
        index = self.menu(menu)
        positional = [a for a in cmd.args if type(a) is not Arg]
        numbers = cmd.get("numbers")
        if not positional and numbers is None:
            if cmd.verb.text in SETTING:  # a menu with one item: /system identity, /ip dns
                first = index.first_live()
                if first is not None:
                    return [first]
                if create:
                    item = Item(menu, {}, None, [], implicit=True)
                    index.add(item)
                    return [item]
            return None
        selector = positional[0] if positional else numbers.value
        if type(selector) is Substitution:
            return self.find(menu, index, selector, create)
        if type(selector) is Word:
            chosen: list[Item] = []
            for part in selector.text.split(","):
                found = self.by_name_or_number(menu, index, part, create)
                if found is None:
                    return None
                chosen.append(found)
            return chosen
        return None

    def find(self, menu: str, index: MenuIndex, sub: Substitution, create: bool) -> list[Item] | None:
        if len(sub.body) != 1 or type(sub.body[0]) is not Command:
            return None
        find = sub.body[0]
        if find.verb is None or find.verb.text != "find" or find.menu_path != menu:
            return None
        wanted: dict[str, str] = {}
        for arg in find.args:
            if type(arg) is Word and arg.text == "where":
                continue
            if type(arg) is not Arg:
                return None  # `find where a or b`, `!dynamic`...: not decidable here
            value = literal(arg)
            if value is None:
                return None
            wanted[arg.name] = value
        if not wanted:
            return list(index.live())
        matches = index.find(wanted, _matches) if self.indexed else None
        if matches is None:
            matches = [i for i in index.live() if all(_matches(i, k, v) for k, v in wanted.items())]
        if not matches and create and set(wanted) <= {"default-name", "name"}:
            name = wanted.get("default-name") or wanted.get("name")
            pattern = PHYSICAL_MENUS.get(menu)
            if pattern is not None and pattern.match(name):
                return [_implicit_port(index, menu, name)]
            if "default" in wanted:
                return None
        return matches

    def by_name_or_number(self, menu: str, index: MenuIndex, text: str, create: bool) -> Item | None:
        if text.isdigit():
            live = index.live()
            number = int(text)
            return live[number] if number < len(live) else None
        if self.indexed:
            found = index.by_name(text)
        else:
            found = next(
                (i for i in index.live() if i.get("name") == text or i.defaults.get("name") == text), None
            )
        if found is not None:
            return found
        pattern = PHYSICAL_MENUS.get(menu)
        if create and pattern is not None and pattern.match(text):
            return _implicit_port(index, menu, text)
        return None


def _matches(item: Item, key: str, value: str) -> bool:
    if key == "default-name":
        return item.defaults.get("default-name") == value
    if key == "default" and value in ("yes", "true"):
        return item.implicit
    got = item.get(key)
    if got is None and key == "name":
        got = item.defaults.get("name")
    return got == value


def _implicit_port(index: MenuIndex, menu: str, name: str) -> Item:
    item = Item(menu, {}, None, [], implicit=True, defaults={"default-name": name, "name": name})
    index.add(item)
    return item
