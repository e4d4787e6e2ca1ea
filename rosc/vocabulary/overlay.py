"""The hand-written overlay (``grammar/vocabulary/*.toml``): what RouterOS's
dumps do not say.

The generated tree (``rosc.vocabulary.compiled``) says which menus, commands
and arguments exist in which RouterOS 7 version.  The overlay adds meaning:
semantic types (``ref:interface``, ``ref:pool``...), defaults and docs, the
parameter naming an item (``key``), RouterOS 6 names of renamed menus and
parameters, and the few things the dumps cannot show: RouterOS 6-only menus
and parameters (``version = "6"``), parts that exist only on some hardware
(``hardware = "switch chip"``: the dumps come from an x86 CHR), arguments of
earlier releases of an extra package (``older = "..."``: the dumps have the
extra packages of 7.24 only), and read-only properties used to select items
(``readonly = true``: ``default-name`` in ``[find default-name=ether1]``).  ``tests/test_overlay.py``
checks every entry against the generated tree.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from rosc.vocabulary.value_types import TypeSyntaxError, parse_type

MENU_KEYS = frozenset({
    "doc", "kind", "key", "aliases", "renamed-from", "version", "commands", "command", "params", "groups",
    "replaced-by", "hardware", "v6-kind",
})
PARAM_KEYS = frozenset({
    "type", "default", "doc", "aliases", "negatable", "required", "version", "flag", "hardware", "readonly",
    "older",
})
COMMAND_KEYS = frozenset({"doc", "params", "positional", "version", "hardware"})
KINDS = ("list", "settings", "dir")

#: parameters every item list has (for menus only the overlay describes)
IMPLICIT_LIST_PARAMS = {
    "comment": {"type": "string", "doc": "Free-text note shown in print and export."},
    "copy-from": {"type": "string", "doc": "Item to copy settings from (add only)."},
    "place-before": {"type": "string", "doc": "Insert before this item (add/move)."},
    "numbers": {"type": "string", "doc": "Items to act on (set/remove/...)."},
}


class VocabularyError(ValueError):
    """Malformed vocabulary data."""


def fail(where: str, msg: str) -> VocabularyError:
    return VocabularyError(f"{where}: {msg}")


def normalize_path(path: str | Iterable[str]) -> str:
    """``"ip address"``, ``"/ip/address"``, ``("ip", "address")`` -> ``"/ip address"``."""
    if isinstance(path, str):
        words = path.replace("/", " ").split()
    else:
        words = [w for w in path if w]
    return "/" + " ".join(words)


@dataclass(slots=True)
class OverlayCommand:
    verb: str
    doc: str = ""
    params: dict[str, dict] = field(default_factory=dict)
    positional: tuple[str, ...] = ()
    version: str | None = None
    hardware: str | None = None


@dataclass(slots=True)
class OverlayMenu:
    path: str
    source: str
    doc: str = ""
    kind: str | None = None
    key: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    renamed_from: dict[str, int] = field(default_factory=dict)
    version: str | None = None
    hardware: str | None = None
    replaced_by: str | None = None
    v6_kind: str | None = None
    commands: tuple[str, ...] = ()
    command_specs: dict[str, OverlayCommand] = field(default_factory=dict)
    params: dict[str, dict] = field(default_factory=dict)  # own params, then the groups'
    groups: tuple[str, ...] = ()
    group_params: dict[str, dict] = field(default_factory=dict)


def _check_param(name: str, spec, where: str) -> dict:
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, Mapping):
        raise fail(where, f"param {name!r} must be a table or a type string")
    unknown = set(spec) - PARAM_KEYS
    if unknown:
        raise fail(where, f"param {name!r} has unknown fields {sorted(unknown)}")
    if "type" in spec:
        try:
            parse_type(spec["type"])
        except TypeSyntaxError as exc:
            raise fail(where, f"param {name!r}: {exc}") from None
    if spec.get("version") not in (None, "6", "7"):
        raise fail(where, f"param {name!r}: version must be \"6\" or \"7\"")
    return dict(spec)


def _params(raw: Mapping, where: str) -> dict[str, dict]:
    return {n: _check_param(n, s, where) for n, s in raw.items()}


def _renamed(raw, where: str) -> dict[str, int]:
    out = {}
    for old, last in dict(raw).items():
        major, _, minor = str(last).partition(".")
        if major != "7" or not minor.isdigit():
            raise fail(where, f"renamed-from {old!r}: give the last RouterOS 7 version with that name, e.g. \"7.12\"")
        out[normalize_path(old)] = int(minor)
    return out


def _menu(path: str, raw: Mapping, groups, where: str) -> OverlayMenu:
    unknown = set(raw) - MENU_KEYS
    if unknown:
        raise fail(where, f"unknown fields {sorted(unknown)}")
    kind = raw.get("kind")
    if kind is not None and kind not in KINDS:
        raise fail(where, f"unknown kind {kind!r}")
    if raw.get("v6-kind") not in (None, *KINDS):
        raise fail(where, f"unknown v6-kind {raw.get('v6-kind')!r}")
    if raw.get("version") not in (None, "6", "7"):
        raise fail(where, "version must be \"6\" or \"7\"")
    group_params: dict[str, dict] = {}
    for g in raw.get("groups", ()):
        params = groups(g)
        if params is None:
            raise fail(where, f"unknown group {g!r}")
        group_params.update(params)
    specs = {}
    for verb, c in raw.get("command", {}).items():
        bad = set(c) - COMMAND_KEYS
        if bad:
            raise fail(where, f"command {verb!r} has unknown fields {sorted(bad)}")
        specs[verb] = OverlayCommand(
            verb, c.get("doc", ""), _params(c.get("params", {}), f"{where} command {verb}"),
            tuple(c.get("positional", ())), c.get("version"), c.get("hardware"),
        )
    key = raw.get("key", ())
    return OverlayMenu(
        path=path,
        source=where.split(":")[0],
        doc=raw.get("doc", ""),
        kind=kind,
        key=(key,) if isinstance(key, str) else tuple(key),
        aliases=tuple(normalize_path(a) for a in raw.get("aliases", ())),
        renamed_from=_renamed(raw.get("renamed-from", {}), where),
        version=raw.get("version"),
        hardware=raw.get("hardware"),
        replaced_by=raw.get("replaced-by"),
        v6_kind=raw.get("v6-kind"),
        commands=tuple(raw.get("commands", ())),
        command_specs=specs,
        params=_params(raw.get("params", {}), where),
        groups=tuple(raw.get("groups", ())),
        group_params=group_params,
    )


class Overlay:
    """The overlay's menus and groups, each parsed the first time it is needed.

    Built from TOML files (``from_folder``: every file is cut into its tables
    by their ``[menu."<path>"...]`` and ``[group.<name>...]`` header lines, and
    only the tables of a menu being looked at are parsed) or from parsed
    documents (``from_docs``).  The names of every menu, and the old names
    (``aliases``, ``renamed-from``), are known up front.
    """

    __slots__ = ("paths", "aliases", "_menu_text", "_group_text", "_menus", "_groups", "_sources")

    def __init__(self, menu_text: dict[str, list[tuple[str, str]]], group_text: dict[str, tuple[str, str]]):
        self._menu_text = menu_text
        self._group_text = group_text
        self._menus: dict[str, OverlayMenu] = {}
        self._groups: dict[str, dict[str, dict]] = {}
        self._sources = {path: chunks[0][0] for path, chunks in menu_text.items()}
        self.paths = tuple(menu_text)
        aliases: dict[str, tuple[str, int | None]] = {}
        for path, chunks in menu_text.items():
            if any("aliases" in text or "renamed-from" in text for _f, text in chunks):
                menu = self.menu(path)
                for a in menu.aliases:
                    aliases[a] = (path, None)
                for a, until in menu.renamed_from.items():
                    aliases[a] = (path, until)
        self.aliases = aliases

    @classmethod
    def from_folder(cls, folder: Path) -> "Overlay":
        menus: dict[str, list[tuple[str, str]]] = {}
        groups: dict[str, tuple[str, str]] = {}
        for f in sorted(folder.glob("*.toml")):
            for kind, name, text in _tables(f.name, f.read_text(encoding="utf-8")):
                if kind == "menu":
                    menus.setdefault(name, []).append((f.name, text))
                elif name in groups and groups[name][0] != f.name:
                    raise fail(f.name, f"group {name!r} defined twice")
                else:
                    groups[name] = (f.name, groups.get(name, ("", ""))[1] + text)
        for path, chunks in menus.items():
            files = {f for f, _ in chunks}
            if len(files) > 1:
                raise fail(sorted(files)[1], f"menu {path} also defined in {sorted(files)[0]}")
        return cls(menus, groups)

    @classmethod
    def from_docs(cls, docs: Iterable[tuple[str, Mapping]]) -> "Overlay":
        """From parsed TOML documents ``(file name, data)``; every menu is checked now."""
        docs = list(docs)
        menus: dict[str, list[tuple[str, Mapping]]] = {}
        groups: dict[str, tuple[str, Mapping]] = {}
        for name, doc in docs:
            extra = set(doc) - {"menu", "group"}
            if extra:
                raise fail(name, f"unknown top-level tables {sorted(extra)}")
            for g, body in doc.get("group", {}).items():
                if g in groups:
                    raise fail(name, f"group {g!r} defined twice")
                groups[g] = (name, body)
            for raw_path, raw in doc.get("menu", {}).items():
                path = normalize_path(raw_path)
                if path in menus:
                    raise fail(name, f"menu {path} also defined in {menus[path][0][0]}")
                menus[path] = [(name, raw)]
        overlay = cls.__new__(cls)
        overlay._menu_text = {}
        overlay._group_text = {}
        overlay._groups = {g: _params(body.get("params", {}), f"{f}: group {g}") for g, (f, body) in groups.items()}
        overlay._menus = {}
        overlay._sources = {p: c[0][0] for p, c in menus.items()}
        overlay.paths = tuple(menus)
        overlay.aliases = {}
        for path, ((f, raw),) in menus.items():
            menu = overlay._menus[path] = _menu(path, raw, overlay.group, f"{f}: {path}")
            for a in menu.aliases:
                overlay.aliases[a] = (path, None)
            for a, until in menu.renamed_from.items():
                overlay.aliases[a] = (path, until)
        return overlay

    def group(self, name: str) -> dict[str, dict] | None:
        found = self._groups.get(name)
        if found is None and name in self._group_text:
            f, text = self._group_text[name]
            body = _loads(f, text).get("group", {}).get(name, {})
            found = self._groups[name] = _params(body.get("params", {}), f"{f}: group {name}")
        return found

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(sorted({*self._groups, *self._group_text}))

    def menu(self, path: str) -> OverlayMenu | None:
        found = self._menus.get(path)
        if found is None and path in self._menu_text:
            f = self._sources[path]
            doc = _loads(f, "".join(text for _f, text in self._menu_text[path]))
            raw = _find_menu(doc.get("menu", {}), path)
            found = self._menus[path] = _menu(path, raw, self.group, f"{f}: {path}")
        return found


_HEADER = re.compile(r"\[\s*(?:menu\s*\.\s*\"([^\"]*)\"|group\s*\.\s*([A-Za-z0-9_-]+))\s*(?:\.[^\]]*)?\]\s*(?:#.*)?\Z")


def _tables(name: str, text: str) -> Iterable[tuple[str, str, str]]:
    """Cut one overlay file into ``(kind, menu path or group name, text)`` by its table headers."""
    current: tuple[str, str] | None = None
    lines: list[str] = []
    for lineno, line in enumerate(text.splitlines(keepends=True), 1):
        if line.startswith("["):
            m = _HEADER.match(line.strip())
            if m is None:
                raise fail(name, f"line {lineno}: tables must be [menu.\"<path>\"...] or [group.<name>...]: {line.strip()}")
            if current is not None:
                yield current[0], current[1], "".join(lines)
            current = ("menu", normalize_path(m.group(1))) if m.group(1) is not None else ("group", m.group(2))
            lines = [line]
        elif current is not None:
            lines.append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            raise fail(name, f"line {lineno}: a value outside any [menu...] or [group...] table")
    if current is not None:
        yield current[0], current[1], "".join(lines)


def _loads(name: str, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{name}: {exc}") from None


def _find_menu(menus: Mapping, path: str) -> Mapping:
    for raw_path, raw in menus.items():
        if normalize_path(raw_path) == path:
            return raw
    return {}
