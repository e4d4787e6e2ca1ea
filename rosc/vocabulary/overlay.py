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

import json
import re
import zlib
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


class OverlayCommand:
    __slots__ = ('verb', 'doc', 'params', 'positional', 'version', 'hardware')
    __match_args__ = __slots__

    def __init__(
        self,
        verb: str,
        doc: str = "",
        params: dict[str, dict] | None = None,
        positional: tuple[str, ...] = (),
        version: str | None = None,
        hardware: str | None = None,
    ) -> None:
        self.verb = verb
        self.doc = doc
        self.params = {} if params is None else params
        self.positional = positional
        self.version = version
        self.hardware = hardware

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(verb={self.verb!r}, doc={self.doc!r}, params={self.params!r}, "
                f"positional={self.positional!r}, version={self.version!r}, hardware={self.hardware!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.verb, self.doc, self.params, self.positional, self.version, self.hardware,
            ) == (
                other.verb, other.doc, other.params, other.positional, other.version, other.hardware,
            )
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


class OverlayMenu:
    __slots__ = (
        'path', 'source', 'doc', 'kind', 'key', 'aliases', 'renamed_from', 'version', 'hardware', 'replaced_by',
        'v6_kind', 'commands', 'command_specs', 'params', 'groups', 'group_params',
    )
    __match_args__ = __slots__

    def __init__(
        self,
        path: str,
        source: str,
        doc: str = "",
        kind: str | None = None,
        key: tuple[str, ...] = (),
        aliases: tuple[str, ...] = (),
        renamed_from: dict[str, int] | None = None,
        version: str | None = None,
        hardware: str | None = None,
        replaced_by: str | None = None,
        v6_kind: str | None = None,
        commands: tuple[str, ...] = (),
        command_specs: dict[str, OverlayCommand] | None = None,
        params: dict[str, dict] | None = None,  # own params, then the groups'
        groups: tuple[str, ...] = (),
        group_params: dict[str, dict] | None = None,
    ) -> None:
        self.path = path
        self.source = source
        self.doc = doc
        self.kind = kind
        self.key = key
        self.aliases = aliases
        self.renamed_from = {} if renamed_from is None else renamed_from
        self.version = version
        self.hardware = hardware
        self.replaced_by = replaced_by
        self.v6_kind = v6_kind
        self.commands = commands
        self.command_specs = {} if command_specs is None else command_specs
        self.params = {} if params is None else params
        self.groups = groups
        self.group_params = {} if group_params is None else group_params

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(path={self.path!r}, source={self.source!r}, doc={self.doc!r}, "
                f"kind={self.kind!r}, key={self.key!r}, aliases={self.aliases!r}, "
                f"renamed_from={self.renamed_from!r}, version={self.version!r}, hardware={self.hardware!r}, "
                f"replaced_by={self.replaced_by!r}, v6_kind={self.v6_kind!r}, commands={self.commands!r}, "
                f"command_specs={self.command_specs!r}, params={self.params!r}, groups={self.groups!r}, "
                f"group_params={self.group_params!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.path, self.source, self.doc, self.kind, self.key, self.aliases, self.renamed_from,
                self.version, self.hardware, self.replaced_by, self.v6_kind, self.commands, self.command_specs,
                self.params, self.groups, self.group_params,
            ) == (
                other.path, other.source, other.doc, other.kind, other.key, other.aliases, other.renamed_from,
                other.version, other.hardware, other.replaced_by, other.v6_kind, other.commands,
                other.command_specs, other.params, other.groups, other.group_params,
            )
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


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
    """The overlay's menus and groups, each read the first time it is needed.

    Built from the TOML files (``from_folder``): from the compact copy
    ``generated/overlay-cache.txt`` when it was made from exactly these
    files (``python -m rosc.vocabulary.generate`` writes it), else by cutting
    every file into its tables at their ``[menu."<path>"...]`` and
    ``[group.<name>...]`` header lines and parsing only the tables of a menu
    being looked at.  Or from parsed documents (``from_docs``).  The names of
    every menu, and the old names (``aliases``, ``renamed-from``), are known
    up front; a menu's fields are checked when it is first read.
    """

    __slots__ = ("paths", "aliases", "_menu_src", "_group_src", "_menus", "_groups", "_commands")

    def __init__(self, menu_src: dict[str, tuple[str, object]], group_src: dict[str, tuple[str, object]]):
        # each source is (file name, TOML text of its tables), (file name, parsed table)
        # or (file name, _Cached table of the overlay cache)
        self._menu_src = menu_src
        self._group_src = group_src
        self._menus: dict[str, OverlayMenu] = {}
        self._groups: dict[str, dict[str, dict]] = {}
        self._commands = {p for p, (_f, src) in menu_src.items() if _may_add_commands(src)}
        self.paths = tuple(menu_src)
        aliases: dict[str, tuple[str, int | None]] = {}
        for path, (f, src) in menu_src.items():
            raw = src.head if type(src) is _Cached else src if not isinstance(src, str) else _main_table(f, path, src)
            if raw is None:
                continue
            for a in raw.get("aliases", ()):
                aliases[normalize_path(a)] = (path, None)
            for a, until in _renamed(raw.get("renamed-from", {}), f"{f}: {path}").items():
                aliases[a] = (path, until)
        self.aliases = aliases

    @classmethod
    def from_folder(cls, folder: Path) -> "Overlay":
        texts = [(f.name, f.read_text(encoding="utf-8")) for f in sorted(folder.glob("*.toml"))]
        cached = _read_cache(folder, texts)
        if cached is not None:
            return cls(*cached)
        menus: dict[str, tuple[str, str]] = {}
        groups: dict[str, tuple[str, str]] = {}
        for name, text in texts:
            for kind, key, chunk in _tables(name, text):
                table = menus if kind == "menu" else groups
                if key in table and table[key][0] != name:
                    what = f"menu {key}" if kind == "menu" else f"group {key!r}"
                    raise fail(name, f"{what} also defined in {table[key][0]}")
                table[key] = (name, table.get(key, ("", ""))[1] + chunk)
        return cls(menus, groups)

    @classmethod
    def from_docs(cls, docs: Iterable[tuple[str, Mapping]], check: bool = True) -> "Overlay":
        """From parsed TOML documents ``(file name, data)``; with ``check``,
        every menu is read (and its mistakes raised) now."""
        menus: dict[str, tuple[str, object]] = {}
        groups: dict[str, tuple[str, object]] = {}
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
                    raise fail(name, f"menu {path} also defined in {menus[path][0]}")
                menus[path] = (name, raw)
        overlay = cls(menus, groups)
        if check:
            for path in overlay.paths:
                overlay.menu(path)
        return overlay

    def adds_commands(self, path: str) -> bool:
        """Whether the overlay's entry for ``path`` may add commands or change
        the menu's kind (else the generated tree alone says what follows it)."""
        return path in self._commands

    def group(self, name: str) -> dict[str, dict] | None:
        found = self._groups.get(name)
        if found is None and name in self._group_src:
            f, src = self._group_src[name]
            body = src.table() if type(src) is _Cached else src if not isinstance(src, str) else (
                _loads(f, src).get("group", {}).get(name, {}))
            found = self._groups[name] = _params(body.get("params", {}), f"{f}: group {name}")
        return found

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(sorted(self._group_src))

    def menu(self, path: str) -> OverlayMenu | None:
        found = self._menus.get(path)
        if found is None and path in self._menu_src:
            f, src = self._menu_src[path]
            raw = src.table() if type(src) is _Cached else src if not isinstance(src, str) else (
                _find_menu(_loads(f, src).get("menu", {}), path))
            found = self._menus[path] = _menu(path, raw, self.group, f"{f}: {path}")
        return found


CACHE_FILE = ("generated", "overlay-cache.txt")
CACHE_FORMAT = 3
_OLD_NAME_KEYS = ("aliases", "renamed-from")


class _Cached:
    """One table of the overlay cache: its JSON text, decoded the first time
    its menu or group is read, and what the overlay needs of every menu up
    front (whether it may add commands; its old names)."""

    __slots__ = ("text", "adds", "head")

    def __init__(self, text: str, adds: bool, head: Mapping | None):
        self.text = text
        self.adds = adds
        self.head = head

    def table(self) -> Mapping:
        return json.loads(self.text)


def overlay_digest(texts: list[tuple[str, str]]) -> str:
    """What the overlay cache was made from: a checksum of the files' names
    and contents, and their length (CRC-32 and Adler-32 from zlib, which
    rosc loads anyway: it only has to tell an edited file from the one the
    cache was made from, and importing hashlib costs more than the lint of
    a small file)."""
    data = b"".join(name.encode() + b"\0" + text.encode("utf-8") + b"\0" for name, text in texts)
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}-{len(data)}"


def render_cache(folder: Path) -> str:
    """The compact copy of the overlay (``generated/overlay-cache.txt``): a
    header line with the format and the digest of the TOML files, then one
    line per menu and group, ``menu|group TAB name TAB file TAB adds-commands
    (1/0) TAB old names (JSON, or empty) TAB table (JSON)``, so a run decodes
    only the tables of the menus it looks at."""
    texts = [(f.name, f.read_text(encoding="utf-8")) for f in sorted(folder.glob("*.toml"))]
    docs = [(name, _loads(name, text)) for name, text in texts]
    Overlay.from_docs(docs)  # refuse to cache a broken overlay

    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    lines = [f"rosc-overlay-cache {CACHE_FORMAT} {overlay_digest(texts)}"]
    for name, doc in docs:
        for g, body in doc.get("group", {}).items():
            lines.append(f"group\t{g}\t{name}\t0\t\t{dump(body)}")
        for raw_path, raw in doc.get("menu", {}).items():
            head = {k: raw[k] for k in _OLD_NAME_KEYS if k in raw}
            adds = int(_may_add_commands(raw))
            lines.append(f"menu\t{normalize_path(raw_path)}\t{name}\t{adds}\t{dump(head) if head else ''}\t{dump(raw)}")
    return "\n".join(lines) + "\n"


def _read_cache(folder: Path, texts: list[tuple[str, str]]):
    """``(menu sources, group sources)`` from the overlay cache, or None when
    it is missing, damaged or made from other files (then the TOML is read)."""
    path = folder.joinpath(*CACHE_FILE)
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, ValueError):
        return None
    if lines[0] != f"rosc-overlay-cache {CACHE_FORMAT} {overlay_digest(texts)}":
        return None
    menus: dict[str, tuple[str, object]] = {}
    groups: dict[str, tuple[str, object]] = {}
    try:
        for line in lines[1:]:
            if not line:
                continue
            kind, key, name, adds, head, body = line.split("\t")
            table = menus if kind == "menu" else groups if kind == "group" else None
            if table is None or key in table:
                return None
            table[key] = (name, _Cached(body, adds == "1", json.loads(head) if head else None))
    except ValueError:  # a line cut short, or old names that are no JSON
        return None
    return menus, groups


def _main_table(f: str, path: str, text: str) -> Mapping | None:
    """The ``[menu."<path>"]`` table of a menu's TOML, parsed only when it
    holds old names (aliases, renamed-from)."""
    main = text.split("\n[", 1)[0]
    if not _OLD_NAMES.search(main):
        return None
    return _find_menu(_loads(f, main).get("menu", {}), path)


_COMMAND_FIELDS = frozenset({"commands", "command", "kind", "v6-kind"})
_OLD_NAMES = re.compile(r"^(?:aliases|renamed-from)\s*=", re.M)
_HEADER = re.compile(r"\[\s*(?:menu\s*\.\s*\"([^\"]*)\"|group\s*\.\s*([A-Za-z0-9_-]+))\s*(?:\.[^\]]*)?\]\s*(?:#.*)?\Z")


def _tables(name: str, text: str) -> Iterable[tuple[str, str, str]]:
    """Cut one overlay file into ``(kind, menu path or group name, text)`` by its table headers."""
    starts = [0] if text.startswith("[") else []
    at = text.find("\n[")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n[", at + 1)
    head = text[: starts[0]] if starts else text
    for lineno, line in enumerate(head.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            raise fail(name, f"line {lineno}: a value outside any [menu...] or [group...] table")
    for i, start in enumerate(starts):
        chunk = text[start : starts[i + 1] if i + 1 < len(starts) else len(text)]
        header = chunk.split("\n", 1)[0].strip()
        m = _HEADER.match(header)
        if m is None:
            lineno = text.count("\n", 0, start) + 1
            raise fail(name, f"line {lineno}: tables must be [menu.\"<path>\"...] or [group.<name>...]: {header}")
        if m.group(1) is not None:
            yield "menu", normalize_path(m.group(1)), chunk
        else:
            yield "group", m.group(2), chunk


def _may_add_commands(src) -> bool:
    """Whether a menu's entry may add commands or set a kind (for TOML text,
    a cheap over-approximation)."""
    if type(src) is _Cached:
        return src.adds
    if not isinstance(src, str):
        return not _COMMAND_FIELDS.isdisjoint(src)
    return "commands" in src or ".command." in src or "kind" in src


def _loads(name: str, text: str) -> dict:
    import tomllib  # only when a TOML text is parsed (the cache is stale or a menu's table is read)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{name}: {exc}") from None


def _find_menu(menus: Mapping, path: str) -> Mapping:
    for raw_path, raw in menus.items():
        if normalize_path(raw_path) == path:
            return raw
    return {}
