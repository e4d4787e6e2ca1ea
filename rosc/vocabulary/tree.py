"""The RouterOS vocabulary: menus, their commands and parameters.

Data lives in ``grammar/vocabulary/*.toml`` (format described in the README
there).  ``load()`` reads it once per process.

    >>> voc = load()
    >>> voc.menu("/ip address").param("interface").ref_kind
    'interface'
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterable, Mapping

from rosc.resources import data_dir
from rosc.vocabulary.value_types import Type, TypeSyntaxError, check, parse_type, ref_kind

#: verbs every item-list menu understands
LIST_COMMANDS = frozenset(
    "add comment disable edit enable export find get move print remove set unset".split()
)
#: verbs of single-item settings menus (``/ip dns``, ``/system identity``)
SETTINGS_COMMANDS = frozenset("edit export get print set unset".split())
#: verbs of folder menus that only hold other menus (``/tool``, ``/ip``)
DIR_COMMANDS = frozenset("export".split())
#: every generic verb (any menu kind)
GENERIC_VERBS = LIST_COMMANDS | SETTINGS_COMMANDS | DIR_COMMANDS | frozenset(
    "reset reset-counters reset-counters-all monitor".split()
)
_KIND_COMMANDS = {"list": LIST_COMMANDS, "settings": SETTINGS_COMMANDS, "dir": DIR_COMMANDS}

_MENU_KEYS = {
    "doc", "kind", "key", "aliases", "version", "commands", "command", "params", "groups",
    "replaced-by",
}
_PARAM_KEYS = {"type", "default", "doc", "aliases", "negatable", "required", "version", "flag"}
_COMMAND_KEYS = {"doc", "params", "positional"}


class VocabularyError(ValueError):
    """Malformed vocabulary data."""


def normalize_path(path: str | Iterable[str]) -> str:
    """``"ip address"``, ``"/ip/address"``, ``("ip", "address")`` -> ``"/ip address"``."""
    if isinstance(path, str):
        words = path.replace("/", " ").split()
    else:
        words = [w for w in path if w]
    return "/" + " ".join(words)


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a menu or command."""

    name: str
    type_text: str
    type: Type
    default: str | None = None
    doc: str = ""
    aliases: tuple[str, ...] = ()
    negatable: bool = False
    required: bool = False
    version: str | None = None
    flag: bool = False

    @property
    def ref_kind(self) -> str | None:
        return ref_kind(self.type)

    def check(self, value: str) -> str | None:
        """Check a literal value; None when valid."""
        return check(self.type, value, self.negatable)


def _suggest(name: str, names: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return close[0] if close else None


class _ParamTable:
    __slots__ = ()
    params: dict[str, Param]
    _by_alias: dict[str, Param]

    def param(self, name: str) -> Param | None:
        """The parameter called ``name`` (or by one of its old names)."""
        return self.params.get(name) or self._by_alias.get(name)

    def suggest_param(self, name: str) -> str | None:
        """Closest known parameter name, for "did you mean"."""
        return _suggest(name, self.params)


@dataclass(slots=True)
class Command(_ParamTable):
    """A menu command with its own arguments (``/tool fetch``, ``/ping``)."""

    name: str
    doc: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    positional: tuple[str, ...] = ()
    _by_alias: dict[str, Param] = field(default_factory=dict, repr=False)


@dataclass(slots=True, repr=False)
class Menu(_ParamTable):
    """A menu such as ``/ip address``."""

    path: str
    doc: str = ""
    kind: str = "list"
    key: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    version: str | None = None
    replaced_by: str | None = None
    params: dict[str, Param] = field(default_factory=dict)
    commands: frozenset[str] = frozenset()
    command_specs: dict[str, Command] = field(default_factory=dict)
    source: str = ""
    _by_alias: dict[str, Param] = field(default_factory=dict, repr=False)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.path[1:].split())

    def __repr__(self) -> str:
        return f"<Menu {self.path} ({self.kind}, {len(self.params)} params)>"

    def command(self, verb: str) -> Command | None:
        """The argument spec of a menu-specific command, if known."""
        return self.command_specs.get(verb)

    def suggest_command(self, verb: str) -> str | None:
        """Closest known command of this menu."""
        return _suggest(verb, self.commands)


@dataclass(slots=True, repr=False)
class Vocabulary:
    """Every known menu, with lookups tolerant of RouterOS 6 names."""

    _menus: dict[str, Menu]
    _aliases: dict[str, str]
    _prefixes: frozenset[tuple[str, ...]] = frozenset()

    def __post_init__(self) -> None:
        prefixes = set()
        for path in [*self._menus, *self._aliases]:
            words = tuple(path[1:].split())
            prefixes.update(words[:i] for i in range(len(words) + 1))
        self._prefixes = frozenset(prefixes)

    @property
    def menus(self) -> tuple[str, ...]:
        """All canonical menu paths, sorted."""
        return tuple(sorted(self._menus))

    def resolve(self, path: str | Iterable[str]) -> str | None:
        """Canonical path for ``path`` (itself, or what its old name became)."""
        p = normalize_path(path)
        if p in self._menus:
            return p
        return self._aliases.get(p)

    def menu(self, path: str | Iterable[str]) -> Menu | None:
        p = self.resolve(path)
        return self._menus[p] if p else None

    def is_menu_prefix(self, words: tuple[str, ...]) -> bool:
        """True if ``words`` is a menu path or the start of one."""
        return tuple(words) in self._prefixes

    def suggest_menu(self, path: str | Iterable[str]) -> str | None:
        """Closest known menu path, for "did you mean"."""
        p = normalize_path(path)
        n = len(p.split())
        same = [m for m in [*self._menus, *self._aliases] if len(m.split()) == n]
        best = _suggest(p, same) or _suggest(p, [*self._menus, *self._aliases])
        return self.resolve(best) if best else None

    def commands(self, path: str | Iterable[str]) -> frozenset[str]:
        m = self.menu(path)
        return m.commands if m else frozenset()

    def __len__(self) -> int:
        return len(self._menus)

    def __repr__(self) -> str:
        return f"<Vocabulary {len(self._menus)} menus, {len(self._aliases)} aliases>"


# ------------------------------------------------------------------ loading


def _fail(where: str, msg: str) -> VocabularyError:
    return VocabularyError(f"{where}: {msg}")


def _param(name: str, spec: Mapping, where: str) -> Param:
    if isinstance(spec, str):
        spec = {"type": spec}
    unknown = set(spec) - _PARAM_KEYS
    if unknown:
        raise _fail(where, f"param {name!r} has unknown fields {sorted(unknown)}")
    text = spec.get("type", "string")
    try:
        t = parse_type(text)
    except TypeSyntaxError as exc:
        raise _fail(where, f"param {name!r}: {exc}") from None
    default = spec.get("default")
    return Param(
        name=name,
        type_text=text,
        type=t,
        default=None if default is None else str(default),
        doc=spec.get("doc", ""),
        aliases=tuple(spec.get("aliases", ())),
        negatable=bool(spec.get("negatable", False)),
        required=bool(spec.get("required", False)),
        version=spec.get("version"),
        flag=bool(spec.get("flag", False)),
    )


def _params(raw: Mapping, where: str) -> tuple[dict[str, Param], dict[str, Param]]:
    params = {n: _param(n, s, where) for n, s in raw.items()}
    by_alias = {a: p for p in params.values() for a in p.aliases if a not in params}
    return params, by_alias


_IMPLICIT = {
    "list": {
        "comment": {"type": "string", "doc": "Free-text note shown in print and export."},
        "copy-from": {"type": "string", "doc": "Item to copy settings from (add only)."},
        "place-before": {"type": "string", "doc": "Insert before this item (add/move)."},
        "numbers": {"type": "string", "doc": "Items to act on (set/remove/...)."},
    },
}


def _menu(path: str, raw: Mapping, groups: Mapping, where: str) -> Menu:
    unknown = set(raw) - _MENU_KEYS
    if unknown:
        raise _fail(where, f"unknown fields {sorted(unknown)}")
    kind = raw.get("kind", "list")
    if kind not in _KIND_COMMANDS:
        raise _fail(where, f"unknown kind {kind!r}")
    merged: dict = dict(_IMPLICIT.get(kind, {}))
    for g in raw.get("groups", ()):
        if g not in groups:
            raise _fail(where, f"unknown group {g!r}")
        merged.update(groups[g])
    merged.update(raw.get("params", {}))
    params, by_alias = _params(merged, where)
    specs = {}
    for verb, c in raw.get("command", {}).items():
        bad = set(c) - _COMMAND_KEYS
        if bad:
            raise _fail(where, f"command {verb!r} has unknown fields {sorted(bad)}")
        cp, ca = _params(c.get("params", {}), f"{where} command {verb}")
        specs[verb] = Command(verb, c.get("doc", ""), cp, tuple(c.get("positional", ())), ca)
    key = raw.get("key", ())
    return Menu(
        path=path,
        doc=raw.get("doc", ""),
        kind=kind,
        key=(key,) if isinstance(key, str) else tuple(key),
        aliases=tuple(normalize_path(a) for a in raw.get("aliases", ())),
        version=raw.get("version"),
        replaced_by=raw.get("replaced-by"),
        params=params,
        commands=_KIND_COMMANDS[kind] | frozenset(raw.get("commands", ())) | frozenset(specs),
        command_specs=specs,
        source=where.split(":")[0],
        _by_alias=by_alias,
    )


def vocabulary_dir() -> Path:
    return data_dir("grammar") / "vocabulary"


def build(docs: Iterable[tuple[str, Mapping]]) -> Vocabulary:
    """Build a Vocabulary from parsed TOML documents ``(name, data)``."""
    docs = list(docs)
    groups: dict[str, dict] = {}
    for name, doc in docs:
        for g, body in doc.get("group", {}).items():
            if g in groups:
                raise _fail(name, f"group {g!r} defined twice")
            groups[g] = body.get("params", {})
    menus: dict[str, Menu] = {}
    aliases: dict[str, str] = {}
    for name, doc in docs:
        extra = set(doc) - {"menu", "group"}
        if extra:
            raise _fail(name, f"unknown top-level tables {sorted(extra)}")
        for raw_path, raw in doc.get("menu", {}).items():
            path = normalize_path(raw_path)
            if path in menus:
                raise _fail(name, f"menu {path} also defined in {menus[path].source}")
            menus[path] = _menu(path, raw, groups, f"{name}: {path}")
            for a in menus[path].aliases:
                aliases[a] = path
    for path in list(menus):
        words = path[1:].split()
        for i in range(len(words)):
            parent = "/" + " ".join(words[:i])
            if parent not in menus and parent not in aliases:
                menus[parent] = Menu(parent, kind="dir", commands=DIR_COMMANDS, source="(implied)")
    clash = set(aliases) & set(menus)
    if clash:
        raise VocabularyError(f"menu aliases shadow real menus: {sorted(clash)}")
    return Vocabulary(menus, aliases)


@cache
def load(folder: Path | None = None) -> Vocabulary:
    """Load (once per process) every ``*.toml`` in the vocabulary folder."""
    folder = folder or vocabulary_dir()
    docs = []
    for f in sorted(folder.glob("*.toml")):
        try:
            docs.append((f.name, tomllib.loads(f.read_text(encoding="utf-8"))))
        except tomllib.TOMLDecodeError as exc:
            raise VocabularyError(f"{f.name}: {exc}") from None
    return build(docs)
