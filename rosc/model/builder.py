"""Syntax tree → ``Device``: apply the configuration commands in order.

Only top-level commands configure the device; commands inside script blocks
(``:if``, ``:foreach``...) run conditionally and are not applied.  Item
selectors are applied where they can be decided from the file: ``[ find
k=v ... ]`` with literal values, an item's name (``set ether1 ...``) and
numeric ids (``set 0 ...``) counted over the items the file itself shows.
"""

from __future__ import annotations

import re

from rosc.diagnostics import Severity
from rosc.model.device import Device, Item, literal
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


def build_device(result: ParseResult) -> Device:
    device = Device(result.source.path, result.source, result.script)
    device.syntax_errors = [(d.span.offset, d.span.end) for d in result.diagnostics if d.severity >= Severity.ERROR]
    for stmt in result.script.body:
        if type(stmt) is not Command or stmt.verb is None:
            continue
        verb = stmt.verb.text
        if verb.startswith(":"):
            continue
        menu = stmt.menu_path
        if verb in ADDING:
            _add(device, menu, stmt)
        elif verb in SETTING:
            _set(device, menu, stmt)
        elif verb in REMOVING:
            for item in _select(device, menu, stmt, create=False) or ():
                item.removed = True
        elif verb in TOGGLING:
            for item in _select(device, menu, stmt, create=False) or ():
                item.commands.append(stmt)
                item.defaults["disabled"] = TOGGLING[verb]
                item.props.pop("disabled", None)
    return device


def _named(cmd: Command) -> dict[str, Arg]:
    return {a.name: a for a in cmd.args if type(a) is Arg}


def _add(device: Device, menu: str, cmd: Command) -> None:
    item = Item(menu, _named(cmd), cmd, [cmd])
    device.menus.setdefault(menu, []).append(item)


def _set(device: Device, menu: str, cmd: Command) -> None:
    selected = _select(device, menu, cmd, create=True)
    if selected is None:
        device.unresolved.append(cmd)
        return
    for item in selected:
        item.props.update(_named(cmd))
        item.commands.append(cmd)
        if item.origin is None:
            item.origin = cmd


def _select(device: Device, menu: str, cmd: Command, create: bool) -> list[Item] | None:
    """The items a command selects, or None when that cannot be decided."""
    items = device.menus.setdefault(menu, [])
    positional = [a for a in cmd.args if type(a) is not Arg]
    numbers = cmd.get("numbers")
    if not positional and numbers is None:
        if cmd.verb.text in SETTING:  # a menu with one item: /system identity, /ip dns
            live = [i for i in items if not i.removed]
            if live:
                return live[:1]
            if create:
                item = Item(menu, {}, None, [], implicit=True)
                items.append(item)
                return [item]
        return None
    selector = positional[0] if positional else numbers.value
    if type(selector) is Substitution:
        return _find(device, menu, items, selector, create)
    if type(selector) is Word:
        chosen: list[Item] = []
        for part in selector.text.split(","):
            found = _by_name_or_number(device, menu, items, part, create)
            if found is None:
                return None
            chosen.append(found)
        return chosen
    return None


def _find(device: Device, menu: str, items: list[Item], sub: Substitution, create: bool) -> list[Item] | None:
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
    live = [i for i in items if not i.removed]
    if not wanted:
        return live
    matches = [i for i in live if all(_matches(i, k, v) for k, v in wanted.items())]
    if not matches and create and set(wanted) <= {"default-name", "name"}:
        name = wanted.get("default-name") or wanted.get("name")
        pattern = PHYSICAL_MENUS.get(menu)
        if pattern is not None and pattern.match(name):
            return [_implicit_port(items, menu, name)]
        if "default" in wanted:
            return None
    return matches


def _matches(item: Item, key: str, value: str) -> bool:
    if key == "default-name":
        return item.defaults.get("default-name") == value
    if key == "default" and value in ("yes", "true"):
        return item.implicit
    got = item.get(key)
    if got is None and key == "name":
        got = item.defaults.get("name")
    return got == value


def _implicit_port(items: list[Item], menu: str, name: str) -> Item:
    item = Item(menu, {}, None, [], implicit=True, defaults={"default-name": name, "name": name})
    items.append(item)
    return item


def _by_name_or_number(device: Device, menu: str, items: list[Item], text: str, create: bool) -> Item | None:
    live = [i for i in items if not i.removed]
    if text.isdigit():
        index = int(text)
        return live[index] if index < len(live) else None
    for item in live:
        if item.get("name") == text or item.defaults.get("name") == text:
            return item
    pattern = PHYSICAL_MENUS.get(menu)
    if create and pattern is not None and pattern.match(text):
        return _implicit_port(items, menu, text)
    return None
