"""The named objects of a document (interfaces, bridges, pools, profiles, lists...)
with every place that defines or references one: the index behind hover, go
to definition and find references."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from rosc.lsp.vocabulary_queries import (
    NAMING,
    command_param,
    menu_param,
    param_ref_kind,
    param_type,
)
from rosc.model.device import literal
from rosc.model.facts import INTERFACE_MENUS, is_builtin_interface
from rosc.syntax.parser import ParseResult
from rosc.syntax.tree import (
    Arg,
    Command,
    Script,
    String,
    Word,
    walk,
)

# Reference kinds that name an interface of some kind.
_GROUP = {
    "bridge": "interface",
    "wireguard": "interface",
    "vlan": "interface",
    "ethernet": "interface",
    "veth": "interface",
    "tunnel": "interface",
    "interface-lists": "interface-list",
}


# Names every device has without defining them, by kind.
BUILTIN_NAMES = {
    "interface-list": ("all", "none", "dynamic", "static"),
    "ppp-profile": ("default", "default-encryption"),
    "routing-table": ("main",),
}


# When the vocabulary does not know a parameter: the common references by
# parameter name, and those that depend on the menu.
_REF_PARAMS = {
    "interface": "interface",
    "in-interface": "interface",
    "out-interface": "interface",
    "master-interface": "interface",
    "bridge": "bridge",
    "in-interface-list": "interface-list",
    "out-interface-list": "interface-list",
    "src-address-list": "address-list",
    "dst-address-list": "address-list",
    "address-list": "address-list",
    "address-pool": "pool",
    "next-pool": "pool",
    "default-profile": "ppp-profile",
    "routing-table": "routing-table",
}


_PPP_CLIENT_MENUS = frozenset(
    f"/interface {k}-client" for k in ("pppoe", "l2tp", "sstp", "ovpn", "pptp")
) | {"/ppp secret"}


_REF_MENU_PARAMS = {
    ("/interface list member", "list"): "interface-list",
    ("/interface list", "include"): "interface-list",
    ("/interface list", "exclude"): "interface-list",
    ("/ip dhcp-server lease", "server"): "dhcp-server",
    ("/ppp profile", "local-address"): "pool",
    ("/ppp profile", "remote-address"): "pool",
    ("/ppp secret", "remote-address"): "pool",
    ("/routing rule", "table"): "routing-table",
    **{(menu, "profile"): "ppp-profile" for menu in _PPP_CLIENT_MENUS},
}


SELECTING_VERBS = frozenset({"set", "remove", "enable", "disable", "edit", "unset", "comment", "move", "get"})


DEFINING_VERBS = frozenset({"add", "set", "edit"})


@cache
def ref_of(menu: str, verb: str | None, param: str) -> tuple[str | None, object]:
    """(what the value of ``param`` names, the parameter's type) — the
    vocabulary's answer when it knows the parameter, else a guess by name."""
    p = command_param(menu, verb, param)
    if p is not None:
        return param_ref_kind(p), param_type(p)
    return ref_kind_for(menu, param), None


_ADDRESSISH = re.compile(r"[0-9a-fA-F:.]+(/\d+)?(-[0-9a-fA-F:.]+)?\Z")


def is_reference_value(t, value: str) -> bool:
    """Whether ``value`` of a parameter of type ``t`` names an object, rather
    than being one of the other things the type allows (``ipv4|ref:pool``
    with an address, ``ref:dhcp-server|enum(all)`` with ``all``)."""
    if t is None:
        return not (value[:1].isdigit() and _ADDRESSISH.match(value))
    name = type(t).__name__
    if name == "Union":
        try:
            from rosc.vocabulary.value_types import check
        except ImportError:  # pragma: no cover
            return True
        for option in t.options:
            kind = type(option).__name__
            if kind == "Ref" or (kind in ("ListOf", "PairOf") and type(option.item).__name__ == "Ref"):
                continue
            try:
                if check(option, value) is None:
                    return False
            except Exception:
                continue
    return True


def group(kind: str) -> str:
    return _GROUP.get(kind, kind)


def ref_kind_for(menu: str, param: str) -> str | None:
    """What the value of ``param`` in ``menu`` names, if anything."""
    p = menu_param(menu, param)
    if p is not None:
        return param_ref_kind(p)
    kind = _REF_MENU_PARAMS.get((menu, param))
    if kind is not None:
        return kind
    if menu.startswith("/ipv6") and param in ("address-pool", "next-pool"):
        return None  # IPv6 pools are another namespace
    return _REF_PARAMS.get(param)


@dataclass(slots=True, eq=False)
class Site:
    """One place a named object's name is written."""

    kind: str  # the group: interface, pool, ppp-profile...
    name: str
    start: int
    end: int
    definition: bool
    menu: str
    param: str | None  # the argument it is in (None: a positional selector)
    command: Command | None
    detail: str = ""  # for definitions: the kind of interface (bridge, vlan...)


def value_range(value, name: str) -> tuple[int, int]:
    if type(value) is String and value.raw[1:-1] == value.value:
        return value.start + 1, value.end - 1
    return value.start, value.end


def _split_value(value) -> list[tuple[str, int, int]]:
    """The comma-separated names of a literal value with their offsets
    (a leading ``!`` negation dropped)."""
    kind = type(value)
    if kind is Word:
        text, base = value.text, value.start
    elif kind is String and not value.interpolated:
        if value.raw[1:-1] != value.value:
            return [(value.value, value.start, value.end)] if value.value else []
        text, base = value.value, value.start + 1
    else:
        return []
    out = []
    pos = 0
    for part in text.split(","):
        start, name = pos, part
        if name.startswith("!"):
            start, name = start + 1, name[1:]
        if name:
            out.append((name, base + start, base + start + len(name)))
        pos += len(part) + 1
    return out


class SymbolIndex:
    """Every definition of and reference to a named object in one file."""

    def __init__(self, parse: ParseResult, device):
        self.sites: list[Site] = []
        seen: set[int] = set()
        if device is not None:
            self._from_model(device, seen)
        self._from_syntax(parse.script, seen)
        self.sites.sort(key=lambda s: s.start)
        self._starts = [s.start for s in self.sites]

    def _add(self, site: Site, seen: set[int]) -> None:
        if site.start not in seen:
            seen.add(site.start)
            self.sites.append(site)

    def _from_model(self, device, seen: set[int]) -> None:
        for menu, (kind, param) in NAMING.items():
            detail = INTERFACE_MENUS.get(menu, "")
            for item in device.items(menu):
                arg = item.arg(param)
                if arg is not None and arg.value is not None:
                    name = literal(arg)
                    if not name:
                        continue
                    command = next((c for c in item.commands if any(a is arg for a in c.args)), item.origin)
                    start, end = value_range(arg.value, name)
                    self._add(Site(kind, name, start, end, True, menu, param, command, detail), seen)
                    continue
                name = item.defaults.get("name")
                command = item.origin or (item.commands[0] if item.commands else None)
                if name and command is not None:  # a port found by default-name: point at that name
                    for node in walk(command):
                        if type(node) is Word and node.text == name:
                            self._add(Site(kind, name, node.start, node.end, True, menu, None, command, detail or "port"), seen)
                            break

    def _from_syntax(self, script: Script, seen: set[int]) -> None:
        for cmd in script.commands():
            if cmd.verb is None:
                continue
            menu = cmd.menu_path
            verb = cmd.verb.text
            naming = NAMING.get(menu)
            first_positional = True
            for arg in cmd.args:
                if type(arg) is Arg:
                    if arg.value is None:
                        continue
                    if naming is not None and arg.name == naming[1]:
                        defining = verb in DEFINING_VERBS
                        for name, start, end in _split_value(arg.value):
                            self._add(
                                Site(naming[0], name, start, end, defining, menu, arg.name, cmd, INTERFACE_MENUS.get(menu, "")),
                                seen,
                            )
                        continue
                    kind, t = ref_of(menu, verb, arg.name)
                    if kind:
                        for name, start, end in _split_value(arg.value):
                            if is_reference_value(t, name):
                                self._add(Site(group(kind), name, start, end, False, menu, arg.name, cmd), seen)
                elif first_positional:
                    first_positional = False
                    if naming is not None and verb in SELECTING_VERBS and type(arg) is Word:
                        for name, start, end in _split_value(arg):
                            if not name.isdigit() and not name.startswith("*"):
                                self._add(Site(naming[0], name, start, end, False, menu, None, cmd), seen)

    def at(self, offset: int) -> Site | None:
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self.sites[i].start <= offset <= self.sites[i].end:
            return self.sites[i]
        return None

    def definitions(self, kind: str, name: str) -> list[Site]:
        return [s for s in self.sites if s.definition and s.kind == kind and s.name == name]

    def references(self, kind: str, name: str) -> list[Site]:
        return [s for s in self.sites if not s.definition and s.kind == kind and s.name == name]

    def names(self, kind: str) -> list[str]:
        """Names to offer for a reference of ``kind`` (a ref kind or a group)."""
        wanted = group(kind)
        out: dict[str, None] = {}
        for site in self.sites:
            if site.kind != wanted:
                continue
            if site.definition:
                if kind != wanted and site.detail and kind not in ("interface",) and site.detail != kind:
                    continue  # `bridge=` offers bridges only
                out[site.name] = None
            elif wanted == "address-list" or (wanted == "interface" and kind == "interface" and is_builtin_interface(site.name)):
                out[site.name] = None  # lists filled at run time; ports used without configuration
        for name in BUILTIN_NAMES.get(wanted, ()):
            out.setdefault(name, None)
        return list(out)
