"""Editor features of the language server, as plain functions of a text.

Nothing here does I/O or knows about the protocol's transport:
``rosc.lsp.server`` keeps one ``Document`` per open file and answers each
request with a function of this module, so every feature is tested directly
(``tests/test_lsp.py``) as well as through the real server.

Positions: rosc works with 0-based character offsets (``Span.offset``);
the protocol with 0-based lines and columns counted in the client's
position encoding (UTF-16 code units unless the client negotiated UTF-8 or
UTF-32).  ``LineIndex`` converts between the two.

Re-linting on every change: ``Document`` remembers which part of the text
changed since the last parse and re-parses only the top-level statements
around it (``reparse``); everything else of the syntax tree is kept, with
its offsets shifted.  When that cannot be done exactly (an edit that changes
the current menu of later lines, an unclosed bracket, a byte order mark...)
it parses the whole text again.  The model and the checks always run on the
whole file.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, cached_property

from lsprotocol import types as lsp

from rosc.lint.config import Config
from rosc.diagnostics import Diagnostic, Severity
from rosc.model.facts import INTERFACE_MENUS, is_builtin_interface
from rosc.lint.engine import LintResult, lint_parsed
from rosc.model.device import literal
from rosc.syntax.parser import ParseResult, parse_bytes, parse_text
from rosc.syntax.source import BOM, Source, encode_text
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
    Word,
    iter_commands,
    walk,
)

UTF16, UTF8, UTF32 = "utf-16", "utf-8", "utf-32"

# --------------------------------------------------------------- positions


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts


def _units(text: str, encoding: str) -> int:
    """Length of ``text`` in code units of ``encoding``."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return sum(_u8(c) for c in text)
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _u8(char: str) -> int:
    code = ord(char)
    if code < 0x80:
        return 1
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept as a surrogate escape
        return 1
    if code < 0x800:
        return 2
    return 3 if code < 0x10000 else 4


class LineIndex:
    """Offsets ↔ protocol positions for one text."""

    def __init__(self, text: str, encoding: str = UTF16, starts: list[int] | None = None):
        self.text = text
        self.encoding = str(encoding)
        self.starts = starts if starts is not None else _line_starts(text)

    def position(self, offset: int) -> lsp.Position:
        text = self.text
        offset = max(0, min(offset, len(text)))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return lsp.Position(line=line, character=_units(text[start:offset], self.encoding))

    def range(self, start: int, end: int) -> lsp.Range:
        return lsp.Range(start=self.position(start), end=self.position(end))

    def line_bounds(self, line: int) -> tuple[int, int]:
        """Offsets of the first character of ``line`` and of its line end."""
        starts = self.starts
        if line >= len(starts):
            return len(self.text), len(self.text)
        start = starts[line]
        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(self.text)
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return start, end

    def offset(self, position: lsp.Position) -> int:
        if position.line < 0:
            return 0
        if position.line >= len(self.starts):
            return len(self.text)
        start, end = self.line_bounds(position.line)
        want = max(0, position.character)
        segment = self.text[start:end]
        if self.encoding == UTF32 or segment.isascii():
            return start + min(want, len(segment))
        units = 0
        for i, char in enumerate(segment):
            if units >= want:
                return start + i
            units += _u8(char) if self.encoding == UTF8 else (2 if ord(char) > 0xFFFF else 1)
        return end


# --------------------------------------------------------------- vocabulary


@cache
def vocabulary():
    """``rosc.vocabulary.tree.load()``, or None when it is not available."""
    try:
        from rosc.vocabulary.tree import load
    except ImportError:
        return None
    try:
        return load()
    except Exception:  # a broken vocabulary must not take the editor down
        return None


def _menu_obj(path: str):
    vocab = vocabulary()
    if vocab is None:
        return None
    try:
        return vocab.menu(path)
    except Exception:
        return None


def menu_params(path: str) -> dict:
    """Parameter name → Param of the menu ``path`` (empty when unknown)."""
    menu = _menu_obj(path)
    if menu is None:
        return {}
    params = getattr(menu, "params", None)
    if isinstance(params, dict):
        return params
    if params:
        return {getattr(p, "name", str(p)): p for p in params}
    return {}


def menu_param(path: str, name: str):
    menu = _menu_obj(path)
    if menu is None:
        return None
    getter = getattr(menu, "param", None)
    if getter is not None:
        try:
            return getter(name)
        except Exception:
            return None
    return menu_params(path).get(name)


def command_params(path: str, verb: str) -> dict:
    """Parameters ``verb`` takes in menu ``path``: a menu-specific command's
    own arguments when the vocabulary has them, else the menu's parameters."""
    menu = _menu_obj(path)
    getter = getattr(menu, "command", None) if menu is not None else None
    if getter is not None:
        try:
            spec = getter(verb)
        except Exception:
            spec = None
        if spec is not None and getattr(spec, "params", None):
            return dict(spec.params)
    return menu_params(path)


def command_param(path: str, verb: str | None, name: str):
    menu = _menu_obj(path)
    getter = getattr(menu, "command", None) if menu is not None else None
    if verb and getter is not None:
        try:
            spec = getter(verb)
        except Exception:
            spec = None
        if spec is not None and getattr(spec, "params", None):
            found = spec.param(name) if hasattr(spec, "param") else spec.params.get(name)
            if found is not None:
                return found
    return menu_param(path, name)


def _is_menu(words: tuple[str, ...]) -> bool:
    known, _ = menu_tree()
    if words in known:
        return True
    vocab = vocabulary()
    check = getattr(vocab, "is_menu_prefix", None) if vocab is not None else None
    return bool(check is not None and check(words))


def menu_commands(path: str) -> list[str]:
    menu = _menu_obj(path)
    commands = getattr(menu, "commands", None) if menu is not None else None
    if not commands:
        return []
    return sorted(commands if not isinstance(commands, dict) else commands.keys())


def _doc_of(obj) -> str:
    for attr in ("doc", "summary", "description"):
        value = getattr(obj, attr, None)
        if value:
            return str(value).strip()
    return ""


def param_type(param):
    """The parameter's type as a ``rosc.vocabulary.value_types`` type, or None."""
    t = getattr(param, "type", None)
    if t is None or not isinstance(t, str):
        return t
    try:
        from rosc.vocabulary.value_types import parse_type

        return parse_type(t)
    except Exception:
        return None


def describe_type(param) -> str:
    t = param_type(param)
    if t is None:
        raw = getattr(param, "type", None)
        return str(raw) if raw else ""
    describe = getattr(t, "describe", None)
    return describe() if describe is not None else str(t)


def enum_values(t) -> list[str]:
    """The literal values a type offers: enum members, yes/no for bools."""
    out: list[str] = []
    name = type(t).__name__
    if name == "Enum":
        out.extend(t.values)
    elif name == "Base" and t.name == "bool":
        out.extend(["yes", "no"])
    elif name == "Union":
        for option in t.options:
            out.extend(v for v in enum_values(option) if v not in out)
    elif name == "ListOf":
        out.extend(enum_values(t.item))
    return out


def param_ref_kind(param) -> str | None:
    kind = getattr(param, "ref_kind", None)
    if kind:
        return str(kind)
    t = param_type(param)
    if t is None:
        return None
    try:
        from rosc.vocabulary.value_types import ref_kind

        return ref_kind(t)
    except Exception:
        return None


@cache
def menu_tree() -> tuple[frozenset, dict]:
    """Known menus as word tuples (with every prefix), and each one's submenu words."""
    known: set[tuple[str, ...]] = {()}
    children: dict[tuple[str, ...], set[str]] = {}
    vocab = vocabulary()
    for path in (getattr(vocab, "menus", None) or ()) if vocab is not None else ():
        words = tuple(str(path).strip("/").split())
        for i in range(1, len(words) + 1):
            known.add(words[:i])
            children.setdefault(words[: i - 1], set()).add(words[i - 1])
    return frozenset(known), {k: sorted(v) for k, v in children.items()}


def all_menu_paths() -> list[str]:
    vocab = vocabulary()
    if vocab is None:
        return []
    paths = ("/" + " ".join(str(p).strip("/").split()) for p in (getattr(vocab, "menus", None) or ()))
    return sorted(p for p in paths if p != "/")


# --------------------------------------------------------------- named objects

# Menus whose items are named objects: menu → (kind, the parameter holding the name).
NAMING: dict[str, tuple[str, str]] = {menu: ("interface", "name") for menu in INTERFACE_MENUS}
NAMING.update(
    {
        "/ip pool": ("pool", "name"),
        "/ppp profile": ("ppp-profile", "name"),
        "/ip dhcp-server": ("dhcp-server", "name"),
        "/interface list": ("interface-list", "name"),
        "/ip firewall address-list": ("address-list", "list"),
        "/ipv6 firewall address-list": ("address-list", "list"),
        "/routing table": ("routing-table", "name"),
        "/system script": ("script", "name"),
    }
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


def _value_range(value, name: str) -> tuple[int, int]:
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
                    start, end = _value_range(arg.value, name)
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


# --------------------------------------------------------------- analysis


@dataclass(slots=True)
class Edit:
    """The text differs from the last parsed one only in ``old[start:old_end]``
    → ``new[start:new_end]``."""

    start: int
    old_end: int
    new_end: int

    def then(self, start: int, end: int, inserted: int) -> "Edit":
        """Compose with a later edit that replaced ``[start, end)`` of the
        current text by ``inserted`` characters."""
        shift = self.new_end - self.old_end
        top = max(self.new_end, end)
        return Edit(min(self.start, start), top - shift, top + inserted - (end - start))


def _parse_full(text: str, path: str) -> tuple[ParseResult, int]:
    """Parse the whole text; the second item is 1 when the text starts with
    a byte order mark (rosc's offsets then start after it)."""
    if text.startswith(BOM) or "\0" in text:
        try:
            return parse_bytes(encode_text(text), path), 1 if text.startswith(BOM) else 0
        except UnicodeEncodeError:
            pass
    return parse_text(text, path), 0


class Analysis:
    """One parsed (and, once asked, linted) version of a document."""

    def __init__(self, text: str, path: str, parse: ParseResult, base: int = 0, encoding: str = UTF16):
        self.text = text
        self.path = path
        self.parse = parse
        self.base = base
        self.index = LineIndex(text, encoding, parse.source.line_starts if base == 0 else None)
        self.lint: LintResult | None = None
        self.config: Config | None = None
        self.incremental = False  # made by reparse()

    # -- positions (document offsets include a byte order mark; rosc's do not)
    def offset(self, position: lsp.Position) -> int:
        return max(0, self.index.offset(position) - self.base)

    def range(self, start: int, end: int) -> lsp.Range:
        return self.index.range(start + self.base, end + self.base)

    def run_lint(self, config: Config | None = None) -> LintResult:
        if self.lint is None or self.config is not config:
            self.lint = lint_parsed(self.parse, config)
            self.config = config
            self.__dict__.pop("symbols", None)
        return self.lint

    @property
    def device(self):
        if self.lint is not None:
            return self.lint.device
        return self._device

    @cached_property
    def _device(self):
        from rosc.model.builder import build_device

        return build_device(self.parse)

    @cached_property
    def symbols(self) -> SymbolIndex:
        return SymbolIndex(self.parse, self.device)

    @cached_property
    def top_starts(self) -> list[int]:
        return [s.start for s in self.parse.script.body]

    def lsp_diagnostics(self, config: Config | None = None) -> list[lsp.Diagnostic]:
        return [to_lsp_diagnostic(d, self.index, self.base) for d in self.run_lint(config).diagnostics]


def analyze(text: str, path: str = "<buffer>", encoding: str = UTF16) -> Analysis:
    parse, base = _parse_full(text, path)
    return Analysis(text, path, parse, base, encoding)


class Document:
    """The server's copy of one open file, kept in step with the editor."""

    def __init__(self, uri: str, path: str, text: str, version: int | None = None, encoding: str = UTF16, incremental: bool = True):
        self.uri = uri
        self.path = path
        self.text = text
        self.version = version
        self.encoding = str(encoding)
        self.incremental = incremental
        self.analysis: Analysis | None = None
        self._index: LineIndex | None = None
        self._edit: Edit | None = None  # since self.analysis, when known
        self._stale = True

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            if self.analysis is not None and self.analysis.text is self.text:
                self._index = self.analysis.index
            else:
                self._index = LineIndex(self.text, self.encoding)
        return self._index

    def apply_change(self, change, version: int | None = None) -> None:
        """Apply one ``TextDocumentContentChangeEvent`` (a range edit or the whole text)."""
        rng = getattr(change, "range", None)
        if rng is None:
            self.text = change.text
            self._edit = None
            self._stale = True
        else:
            index = self.index
            start, end = index.offset(rng.start), index.offset(rng.end)
            if end < start:
                start, end = end, start
            self.text = self.text[:start] + change.text + self.text[end:]
            if not self._stale or self._edit is not None:
                if self._edit is None:
                    self._edit = Edit(start, end, start + len(change.text))
                else:
                    self._edit = self._edit.then(start, end, len(change.text))
            self._stale = True
        self._index = None
        if version is not None:
            self.version = version

    def set_text(self, text: str, version: int | None = None) -> None:
        self.apply_change(lsp.TextDocumentContentChangeWholeDocument(text=text), version)

    def parsed(self) -> Analysis:
        """The analysis of the current text (parsing only what changed)."""
        if self.analysis is not None and not self._stale:
            return self.analysis
        analysis = None
        old = self.analysis
        if self.incremental and old is not None and self._edit is not None and old.base == 0:
            e = self._edit
            result = reparse(old.parse, self.text, e.start, e.old_end, e.new_end)
            if result is not None:
                analysis = Analysis(self.text, self.path, result, 0, self.encoding)
                analysis.incremental = True
        if analysis is None:
            analysis = analyze(self.text, self.path, self.encoding)
        self.analysis = analysis
        self._stale = False
        self._edit = None  # edits are tracked relative to this analysis from now on
        self._index = analysis.index
        return analysis

    def linted(self, config: Config | None = None) -> Analysis:
        analysis = self.parsed()
        analysis.run_lint(config)
        return analysis

    def lsp_diagnostics(self, config: Config | None = None) -> list[lsp.Diagnostic]:
        return self.linted(config).lsp_diagnostics(config)


# --------------------------------------------------------------- incremental re-parse

_GLOBAL_BREAKERS = frozenset({"SYN003", "SYN011", "SYN006", "SYN007", "SYN005"})


def _shift(nodes, delta: int) -> None:
    """Move every node below ``nodes`` by ``delta`` characters."""
    stack = list(nodes)
    pop, extend, push = stack.pop, stack.extend, stack.append
    while stack:
        node = pop()
        node.start += delta
        node.end += delta
        kind = type(node)
        if kind is Command:
            node.path_end += delta
            if node.verb is not None:
                push(node.verb)
            extend(node.args)
        elif kind is Arg:
            node.key_end += delta
            if node.value is not None:
                push(node.value)
        elif kind is Block or kind is Substitution or kind is Script:
            extend(node.body)
        elif kind is Expression:
            extend(node.items)
        elif kind is Concat:
            extend(node.parts)
        elif kind is String and node.script is not None:
            push(node.script)


def _track(body, current: tuple[str, ...]) -> tuple[str, ...]:
    """The current menu after ``body`` runs, starting in ``current``."""
    for stmt in body:
        if type(stmt) is Command and stmt.verb is None and not stmt.args:
            current = stmt.menu
    return current


_CONTINUED = re.compile(r"[ \t\f\v]*(?:\\[ \t]*(?:\r?\n|\r))?")


def _separator_after(text: str, end: int) -> int:
    """Where the statement ending at ``end`` is ended: the offset of the line
    end or ``;`` after it (past spaces and line continuations)."""
    pos = end
    while True:
        m = _CONTINUED.match(text, pos)
        if m.end() == pos:
            return pos
        pos = m.end()


def reparse(old: ParseResult, text: str, start: int, old_end: int, new_end: int) -> ParseResult | None:
    """``old`` re-parsed after ``old.source.text[start:old_end]`` became
    ``text[start:new_end]``, re-reading only the top-level statements
    around the change.  Returns None when that would not give exactly what
    a full parse gives (then parse the whole text).  Reuses (and shifts)
    the nodes of ``old``: ``old`` must not be used afterwards."""
    try:
        from rosc.syntax.menu_context import _menu_index, _Resolver
        from rosc.syntax.parser import WARNING_CODES
        from rosc.syntax.statements import parse_statements
    except ImportError:  # pragma: no cover - internal API changed
        return None
    if any(d.code in _GLOBAL_BREAKERS for d in old.diagnostics) or text.startswith(BOM):
        return None
    body = old.script.body
    delta = (new_end - old_end)
    old_len = len(old.source.text)
    if len(text) != old_len + delta:
        return None
    # Statements wholly before the change (end < start) are kept as they are;
    # those starting after it (start > old_end) are kept and shifted.
    ends = [s.end for s in body]
    i = bisect_left(ends, start)
    old_text = old.source.text
    while i > 0 and (type(body[i - 1]) is Comment or _separator_after(old_text, body[i - 1].end) >= start):
        i -= 1  # comments belong to the command after them; text typed after a
        # statement but before its line end continues that statement
    j = bisect_right([s.start for s in body], old_end, lo=i)
    if j < len(body):
        j += 1  # end the region with a whole command, so no comment run is split
        while j < len(body) and type(body[j - 1]) is Comment:
            j += 1
    r0 = body[i - 1].end if i > 0 else 0
    r1_old = body[j].start if j < len(body) else old_len
    if r1_old < old_end or r0 > start:
        return None
    if any(d.span.offset < r0 < d.span.end or d.span.offset < r1_old < d.span.end for d in old.diagnostics):
        return None  # a finding across the region's edge
    r1 = r1_old + delta
    region = text[r0:r1]
    if "\0" in region:
        return None
    if j < len(body):
        tail = region.rstrip(" \t\f\v")
        if tail.endswith("\n") or tail.endswith("\r"):
            if tail.rstrip("\r\n").rstrip(" \t\f\v").endswith("\\"):
                return None
        elif not tail.endswith(";"):
            return None
    problems: list = []
    stmts = parse_statements(region, problems)
    if any(p[0] in _GLOBAL_BREAKERS or p[0] == "SYN002" for p in problems):
        return None  # a bracket or quote left open here pairs with text after the region
    if r0:
        _shift(stmts, r0)
        problems = [(code, s + r0, e + r0, message) for code, s, e, message in problems]
    context = _track(body[:i], ())
    known, commands = _menu_index()
    _Resolver(known, commands, text, problems).body(stmts, context)
    if _track(stmts, context) != _track(body[i:j], context):
        return None  # the edit changes the menu later lines run in
    rest = body[j:]
    if delta:
        _shift(rest, delta)
    new_body = body[:i] + stmts + rest
    source = Source(text, old.source.path)
    diagnostics: list[Diagnostic] = []
    for d in old.diagnostics:
        if d.span.offset < r0 and d.span.end <= r0:
            diagnostics.append(d)
        elif d.span.offset >= r1_old:
            diagnostics.append(
                Diagnostic(d.code, d.severity, d.message, d.path, source.span(d.span.offset + delta, d.span.end + delta), d.notes, d.fix)
            )
    for code, s, e, message in problems:
        severity = Severity.WARNING if code in WARNING_CODES else Severity.ERROR
        diagnostics.append(Diagnostic(code, severity, message, source.path, source.span(s, e)))
    diagnostics.sort(key=Diagnostic.sort_key)
    return ParseResult(source, Script(new_body, 0, len(text)), diagnostics)


# --------------------------------------------------------------- diagnostics

SEVERITIES = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


def to_lsp_diagnostic(d: Diagnostic, index: LineIndex, base: int = 0) -> lsp.Diagnostic:
    """A rosc finding as a protocol diagnostic: the rule id as ``code``,
    notes and the suggested fix appended to the message (and in ``data``)."""
    lines = [d.message]
    lines.extend(f"note: {note}" for note in d.notes)
    if d.fix:
        lines.append(f"fix: {d.fix}")
    return lsp.Diagnostic(
        range=index.range(d.span.offset + base, d.span.end + base),
        message="\n".join(lines),
        severity=SEVERITIES.get(d.severity, lsp.DiagnosticSeverity.Warning),
        code=d.code,
        source="rosc",
        data={"notes": list(d.notes), "fix": d.fix} if (d.notes or d.fix) else None,
    )


# --------------------------------------------------------------- where the cursor is

_IDENT = re.compile(r"[a-z0-9][a-z0-9-]*\Z|\.\.\Z")
_TOKEN = re.compile(r'(?:[^\s"]|"(?:[^"\\]|\\.)*"?)+', re.DOTALL)
_CONTINUATION = re.compile(r"\\[ \t]*\r?\n")

SCRIPT_COMMANDS = sorted(
    """:beep :delay :do :environment :error :execute :find :for :foreach :global :if :len :local :log
    :nothing :onerror :parse :pick :put :resolve :retry :return :rndnum :rndstr :serialize :deserialize
    :set :terminal :time :timestamp :toarray :tobool :toid :toip :toip6 :tonum :tostr :totime :typeof
    :while :jobname :convert""".split()
)


def _join(menu: tuple[str, ...], words) -> tuple[str, ...]:
    out = list(menu)
    for word in words:
        if word == "..":
            if out:
                out.pop()
        else:
            out.append(word)
    return tuple(out)


def context_at(body: list, offset: int, current: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The current menu at ``offset`` (which should be where a command starts)."""
    for stmt in body:
        if stmt.start >= offset:
            break
        if type(stmt) is not Command:
            continue
        if stmt.end >= offset:
            for arg in stmt.args:
                inner = _block_at(arg, offset)
                if inner is not None:
                    return context_at(inner.body, offset, stmt.menu)
            return current
        if stmt.verb is None and not stmt.args:
            current = stmt.menu
    return current


def _block_at(node, offset: int):
    kind = type(node)
    if node is None or not (node.start < offset <= node.end):
        return None
    if kind is Block or kind is Substitution:
        return node
    if kind is Arg:
        return _block_at(node.value, offset)
    if kind is Concat:
        for part in node.parts:
            found = _block_at(part, offset)
            if found is not None:
                return found
    if kind is Expression:
        for item in node.items:
            if type(item) is not Operator:
                found = _block_at(item, offset)
                if found is not None:
                    return found
    return None


@dataclass(slots=True)
class CommandPrefix:
    """The command being written up to the cursor."""

    menu: tuple[str, ...]  # the menu it runs in (known so far)
    verb: str | None
    absolute: bool
    words: list[tuple[str, int]]  # complete words after the verb, with offsets
    current: str  # the word under the cursor, up to it ('' after a space)
    current_start: int
    in_path: bool  # still writing menu words (no verb yet)


def _logical_line_start(text: str, offset: int) -> int:
    start = text.rfind("\n", 0, offset) + 1
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        line = text[prev : start - 1].rstrip("\r").rstrip(" \t")
        if line.endswith("\\") and not line.lstrip().startswith("#"):
            start = prev
        else:
            break
    return start


def _command_starts(text: str, line_start: int, offset: int) -> list[int] | None:
    """Where the commands enclosing ``offset`` start (outermost first), or
    None inside a string, an expression or a comment."""
    stack: list[list] = [[line_start, ""]]
    i = line_start
    in_string = False
    while i < offset:
        c = text[i]
        if in_string:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "#" and not text[stack[-1][0] : i].strip():
            return None
        elif c in "[{(":
            stack.append([i + 1, c])
        elif c in "]})":
            if len(stack) > 1:
                stack.pop()
        elif c == ";" and stack[-1][1] != "(":
            stack[-1][0] = i + 1
        i += 1
    if in_string or stack[-1][1] == "(":
        return None
    return [s for s, _ in stack]


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int]]:
    segment = _CONTINUATION.sub(lambda m: " " * len(m.group()), text[start:end])
    return [(m.group(), start + m.start()) for m in _TOKEN.finditer(segment)]


def resolve_words(base: tuple[str, ...], words: list[str], absolute: bool):
    """Split the words of a command into (menu, verb, rest, index of the verb)."""
    known, _ = menu_tree()
    menu = () if absolute else base
    i = 0
    while i < len(words) and _IDENT.match(words[i]):
        candidate = _join(menu, [words[i]])
        if _is_menu(candidate) or (words[i] == ".." and menu):
            menu = candidate
            i += 1
        else:
            break
    verb = None
    if i < len(words) and (_IDENT.match(words[i]) or words[i].startswith(":")):
        verb = words[i]
        i += 1
    return menu, verb, words[i:], i


def _expand_path(tokens: list[tuple[str, int]]) -> tuple[bool, list[tuple[str, int]]]:
    """Split a leading ``/a/b`` token into its words."""
    if not tokens or not tokens[0][0].startswith("/"):
        return False, tokens
    first, at = tokens[0]
    out = []
    pos = 0
    for segment in first.split("/"):
        if segment:
            out.append((segment, at + pos))
        pos += len(segment) + 1
    return True, out + tokens[1:]


def command_prefix(analysis: Analysis, offset: int) -> CommandPrefix | None:
    """Read the command the cursor (at ``offset`` in rosc's text) is in."""
    text = analysis.parse.source.text
    line_start = _logical_line_start(text, offset)
    starts = _command_starts(text, line_start, offset)
    if starts is None:
        return None
    menu = context_at(analysis.parse.script.body, line_start)
    for k, start in enumerate(starts):
        end = starts[k + 1] - 1 if k + 1 < len(starts) else offset
        tokens = _tokens(text, start, end)
        last = k + 1 == len(starts)
        current, current_start = "", offset
        if last and tokens and tokens[-1][1] + len(tokens[-1][0]) == offset:
            current, current_start = tokens.pop()
        absolute, words = _expand_path(tokens)
        if last and not tokens and current.startswith("/"):
            absolute = True
        m, verb, rest, _ = resolve_words(menu, [w for w, _ in words], absolute)
        if not last:
            menu = m
            continue
        rest_words = words[len(words) - len(rest) :] if rest else []
        in_path = verb is None and not rest
        return CommandPrefix(m, verb, absolute, rest_words, current, current_start, in_path)
    return None


# --------------------------------------------------------------- completion

_KIND_ITEM = {
    "interface": lsp.CompletionItemKind.Interface,
    "address-list": lsp.CompletionItemKind.Reference,
}


def _item(label: str, kind, detail: str | None = None, doc: str | None = None, edit: tuple[lsp.Range, str] | None = None, sort: str | None = None, insert: str | None = None) -> lsp.CompletionItem:
    item = lsp.CompletionItem(label=label, kind=kind, detail=detail or None, sort_text=sort)
    if doc:
        item.documentation = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=doc)
    if edit is not None:
        item.text_edit = lsp.TextEdit(range=edit[0], new_text=edit[1])
        item.filter_text = edit[1]
    elif insert is not None:
        item.insert_text = insert
    return item


def completions(analysis: Analysis, position: lsp.Position) -> list[lsp.CompletionItem]:
    """What may be written at ``position``: menu paths, commands, parameter
    names, a parameter's values, names of defined objects."""
    offset = analysis.offset(position)
    prefix = command_prefix(analysis, offset)
    if prefix is None:
        return []
    cur, cur_start = prefix.current, prefix.current_start
    text = analysis.parse.source.text
    word_end = _word_end(text, offset, "/=")
    here = analysis.range(cur_start, word_end)
    if prefix.in_path:
        if cur.startswith("/") and cur.count("/") == 1 and not prefix.words:
            return [
                _item(path, lsp.CompletionItemKind.Module, "menu", _menu_doc(path), (here, path))
                for path in all_menu_paths()
            ]
        if cur.startswith("/"):  # `/ip/fi`: complete the last segment
            head, _, partial = cur.rpartition("/")
            _, words = _expand_path([(head or "/", cur_start)])
            menu, verb, _rest, _ = resolve_words((), [w for w, _ in words], True)
            if verb is not None:
                return []
            seg = analysis.range(cur_start + len(head) + 1, word_end)
            return _menu_words(menu, seg)
        if cur and not _IDENT.match(cur) and not cur.startswith(":"):
            return []
        items = _menu_words(prefix.menu, here)
        if not prefix.absolute and not prefix.words:
            items.extend(_item(c, lsp.CompletionItemKind.Keyword, "script command", edit=(here, c)) for c in SCRIPT_COMMANDS)
        return items
    if prefix.verb is None or prefix.verb.startswith(":"):
        return []
    menu = "/" + " ".join(prefix.menu)
    if "=" in cur:
        name, _, value = cur.partition("=")
        value_start = cur_start + len(name) + 1
        if value.startswith('"'):
            return []
        cut = value.rfind(",") + 1
        if value[cut:].startswith("!"):
            cut += 1
        rng = analysis.range(value_start + cut, _word_end(text, offset, ","))
        return _values(analysis, menu, prefix.verb, name, rng)
    given = {w.partition("=")[0] for w, _ in prefix.words if "=" in w}
    key_end = word_end + 1 if text[word_end : word_end + 1] == "=" else word_end
    items = []
    verb = prefix.verb
    settings = getattr(_menu_obj(menu), "kind", "list") == "settings"
    if verb in SELECTING_VERBS and not settings and not any("=" not in w for w, _ in prefix.words):
        kind = NAMING.get(menu, ("item",))[0]
        for name in _item_names(analysis, menu):
            items.append(_item(name, lsp.CompletionItemKind.Value, f"{kind} in {menu}", edit=(here, name), sort="0" + name))
    if verb not in ("remove", "enable", "disable", "move", "unset", "comment"):
        for name, param in sorted(command_params(menu, verb).items()):
            if name in given or (name == "numbers" and verb == "add"):
                continue
            detail = describe_type(param)
            rng = analysis.range(cur_start, key_end)  # replaces `name=` when the cursor is in a written name
            items.append(_item(name, lsp.CompletionItemKind.Property, detail, _param_doc(menu, name, param), (rng, name + "="), "1" + name))
    return items


_WORD_STOPS = frozenset(' \t\r\n\f\v"[]{}();')


def _word_end(text: str, offset: int, stops: str) -> int:
    """Where the word under the cursor ends (the part after the cursor is
    replaced too, so completing in the middle of a word does not double it)."""
    end = offset
    while end < len(text) and text[end] not in _WORD_STOPS and text[end] not in stops:
        end += 1
    return end


def _menu_words(menu: tuple[str, ...], rng: lsp.Range) -> list[lsp.CompletionItem]:
    _, children = menu_tree()
    items = []
    for word in children.get(menu, ()):
        path = "/" + " ".join(menu + (word,))
        items.append(_item(word, lsp.CompletionItemKind.Module, path, _menu_doc(path), (rng, word), "0" + word))
    if menu:
        path = "/" + " ".join(menu)
        commands = menu_commands(path)
        if not commands and _menu_obj(path) is None:
            from rosc.syntax.menu_context import GENERIC_VERBS

            commands = sorted(GENERIC_VERBS)
        for command in commands:
            items.append(_item(command, lsp.CompletionItemKind.Function, f"command of {path}", edit=(rng, command), sort="1" + command))
    return items


def _item_names(analysis: Analysis, menu: str) -> list[str]:
    out: dict[str, None] = {}
    device = analysis.device
    if device is not None:
        for item in device.items(menu):
            name = item.name or item.defaults.get("name")
            if name:
                out[name] = None
    return list(out)


def _values(analysis: Analysis, menu: str, verb: str | None, name: str, rng: lsp.Range) -> list[lsp.CompletionItem]:
    param = command_param(menu, verb, name)
    items = []
    if param is not None:
        t = param_type(param)
        for value in enum_values(t) if t is not None else ():
            items.append(_item(value, lsp.CompletionItemKind.EnumMember, f"{name}=", edit=(rng, value)))
    kind = ref_of(menu, verb, name)[0]
    if kind:
        for value in analysis.symbols.names(kind):
            if any(i.label == value for i in items):
                continue
            defs = analysis.symbols.definitions(group(kind), value)
            where = f"defined on line {analysis.parse.source.line_col(defs[0].start)[0]}" if defs else "not defined in this file"
            items.append(
                _item(value, _KIND_ITEM.get(group(kind), lsp.CompletionItemKind.Value), f"{kind} ({where})", edit=(rng, value))
            )
    return items


# --------------------------------------------------------------- hover


def _menu_doc(path: str) -> str:
    menu = _menu_obj(path)
    return _doc_of(menu) if menu is not None else ""


def _param_doc(menu: str, name: str, param) -> str:
    lines = [f"**`{name}`** — parameter of `{menu}`"]
    if param is None:
        lines.append("")
        lines.append("rosc's vocabulary has no entry for this parameter.")
        return "\n".join(lines)
    described = describe_type(param)
    raw = getattr(param, "type", None)
    if described:
        lines.append("")
        lines.append(f"**Type:** {described}" + (f" (`{raw}`)" if isinstance(raw, str) and raw != described else ""))
    default = getattr(param, "default", None)
    if default not in (None, ""):
        lines.append("")
        lines.append(f"**Default:** `{default}`")
    doc = _doc_of(param)
    if doc:
        lines.append("")
        lines.append(doc)
    return "\n".join(lines)


def command_at(script: Script, offset: int, starts: list[int] | None = None) -> Command | None:
    """The innermost command whose text holds ``offset``."""
    body = script.body
    if starts is None:
        starts = [s.start for s in body]
    i = bisect_right(starts, offset) - 1
    if i < 0:
        return None
    stmt = body[i]
    if type(stmt) is not Command or offset > stmt.end:
        return None
    best = stmt
    for cmd in iter_commands([stmt]):
        if cmd.start <= offset <= cmd.end and cmd.end - cmd.start <= best.end - best.start:
            best = cmd
    return best


def _line_of(analysis: Analysis, offset: int) -> int:
    return analysis.parse.source.line_col(offset)[0]


def _command_excerpt(analysis: Analysis, cmd: Command | None) -> str:
    if cmd is None:
        return ""
    text = analysis.parse.source.text[cmd.start : cmd.end]
    text = _CONTINUATION.sub(" ", text)
    text = " ".join(text.split())
    if not cmd.absolute and cmd.menu:
        text = f"{cmd.menu_path} {text}"
    return text if len(text) <= 100 else text[:97] + "..."


def object_hover(analysis: Analysis, site: Site) -> str:
    symbols = analysis.symbols
    defs = symbols.definitions(site.kind, site.name)
    refs = symbols.references(site.kind, site.name)
    detail = next((d.detail for d in defs if d.detail and d.detail != site.kind), "")
    title = f"**{site.kind}** `{site.name}`" + (f" ({detail})" if detail else "")
    lines = [title, ""]
    if defs:
        for d in defs[:10]:
            lines.append(f"- defined on line {_line_of(analysis, d.start)}: `{_command_excerpt(analysis, d.command)}`")
        if len(defs) > 10:
            lines.append(f"- ... and {len(defs) - 10} more entries")
    elif site.kind == "interface" and is_builtin_interface(site.name):
        lines.append("- a built-in interface (not configured in this file)")
    elif site.name in BUILTIN_NAMES.get(site.kind, ()):
        lines.append("- built into RouterOS (not defined in this file)")
    else:
        lines.append("- **not defined in this file**")
    if refs:
        lines.append("")
        lines.append(f"used {len(refs)} time{'s' if len(refs) != 1 else ''}:")
        for r in refs[:20]:
            what = f"`{r.param}=`" if r.param else "selected"
            lines.append(f"- line {_line_of(analysis, r.start)}: {what} in `{r.menu}`")
        if len(refs) > 20:
            lines.append(f"- ... and {len(refs) - 20} more")
    else:
        lines.append("")
        lines.append("not used anywhere in this file")
    return "\n".join(lines)


def hover(analysis: Analysis, position: lsp.Position) -> lsp.Hover | None:
    """A parameter's type, default and meaning; for a named object, where it
    is defined and what uses it; for a menu path, what the menu is."""
    offset = analysis.offset(position)
    site = analysis.symbols.at(offset)
    if site is not None:
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=object_hover(analysis, site)),
            range=analysis.range(site.start, site.end),
        )
    cmd = command_at(analysis.parse.script, offset, analysis.top_starts)
    if cmd is None:
        return None
    menu = cmd.menu_path
    verb = cmd.verb.text if cmd.verb is not None else None
    for arg in cmd.args:
        if type(arg) is Arg and arg.start <= offset <= arg.end:
            text = _param_doc(menu, arg.name, command_param(menu, verb, arg.name))
            return lsp.Hover(
                contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
                range=analysis.range(arg.start, arg.key_end),
            )
    if cmd.verb is not None and cmd.verb.start <= offset <= cmd.verb.end and not cmd.verb.text.startswith(":"):
        text = f"**`{cmd.verb.text}`** — command of `{menu}`"
        spec = getattr(_menu_obj(menu), "command", lambda verb: None)(cmd.verb.text)
        doc = _doc_of(spec) if spec is not None else _menu_doc(menu)
        if doc:
            text += "\n\n" + doc
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text), range=analysis.range(cmd.verb.start, cmd.verb.end))
    if cmd.start <= offset <= cmd.path_end and (cmd.absolute or cmd.path):
        text = f"**`{menu}`** — menu"
        doc = _menu_doc(menu)
        if doc:
            text += "\n\n" + doc
        elif _menu_obj(menu) is None:
            text += "\n\nrosc's vocabulary does not know this menu."
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text), range=analysis.range(cmd.start, cmd.path_end))
    return None


# --------------------------------------------------------------- definitions, references


def definition(analysis: Analysis, position: lsp.Position) -> list[lsp.Range]:
    site = analysis.symbols.at(analysis.offset(position))
    if site is None:
        return []
    return [analysis.range(d.start, d.end) for d in analysis.symbols.definitions(site.kind, site.name)]


def references(analysis: Analysis, position: lsp.Position, include_declaration: bool = True) -> list[lsp.Range]:
    site = analysis.symbols.at(analysis.offset(position))
    if site is None:
        return []
    symbols = analysis.symbols
    sites = symbols.references(site.kind, site.name)
    if include_declaration:
        sites = sorted(sites + symbols.definitions(site.kind, site.name), key=lambda s: s.start)
    return [analysis.range(s.start, s.end) for s in sites]


# --------------------------------------------------------------- document symbols

_SYMBOL_KIND = {
    "interface": lsp.SymbolKind.Interface,
    "pool": lsp.SymbolKind.Array,
    "address-list": lsp.SymbolKind.Array,
    "interface-list": lsp.SymbolKind.Array,
    "script": lsp.SymbolKind.Function,
}


def _named_symbol(analysis: Analysis, cmd: Command) -> lsp.DocumentSymbol | None:
    if cmd.verb is None or cmd.verb.text not in DEFINING_VERBS:
        return None
    menu = cmd.menu_path
    kind, param = NAMING.get(menu, ("object", "name"))
    arg = cmd.get(param)
    if arg is None or arg.value is None:
        return None
    name = literal(arg)
    if not name:
        return None
    start, end = _value_range(arg.value, name)
    return lsp.DocumentSymbol(
        name=name,
        detail=f"{menu} {cmd.verb.text}",
        kind=_SYMBOL_KIND.get(kind, lsp.SymbolKind.Object),
        range=analysis.range(cmd.start, cmd.end),
        selection_range=analysis.range(start, end),
    )


def document_symbols(analysis: Analysis) -> list[lsp.DocumentSymbol]:
    """Menu headers as namespaces, with the named items added under them."""
    out: list[lsp.DocumentSymbol] = []
    section: lsp.DocumentSymbol | None = None
    section_end = 0
    section_start = 0

    def close() -> None:
        if section is not None:
            section.range = analysis.range(section_start, section_end)

    for stmt in analysis.parse.script.body:
        if type(stmt) is not Command:
            continue
        if stmt.is_menu_change:
            close()
            section_start, section_end = stmt.start, stmt.end
            section = lsp.DocumentSymbol(
                name=stmt.menu_path,
                kind=lsp.SymbolKind.Namespace,
                range=analysis.range(stmt.start, stmt.end),
                selection_range=analysis.range(stmt.start, stmt.end),
                children=[],
            )
            out.append(section)
            continue
        symbol = _named_symbol(analysis, stmt)
        if stmt.verb is not None and stmt.verb.text in (":global", ":local") and stmt.args:
            first = stmt.args[0]
            if type(first) is Word:
                symbol = lsp.DocumentSymbol(
                    name=first.text, detail=stmt.verb.text, kind=lsp.SymbolKind.Variable,
                    range=analysis.range(stmt.start, stmt.end), selection_range=analysis.range(first.start, first.end),
                )
        if section is not None:
            section_end = stmt.end
            if symbol is not None:
                section.children.append(symbol)
        elif symbol is not None:
            out.append(symbol)
    close()
    return out


# --------------------------------------------------------------- formatting


def _split(text: str) -> list[str]:
    """Lines with their line ends, split at ``\n`` only (as LineIndex counts them)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _hunks(before: str, after: str) -> list[tuple[int, int, int, int]]:
    a, b = _split(before), _split(after)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:  # line for line: one edit per line
            out.extend((i, i + 1, j1 + k, j1 + k + 1) for k, i in enumerate(range(i1, i2)))
        else:
            out.append((i1, i2, j1, j2))
    return out


def _formatted(text: str, path: str) -> str | None:
    bom = text.startswith(BOM)
    from rosc.format.formatter import format_text

    result = format_text(text[1:] if bom else text, path)
    if result.output is None:
        return None
    return (BOM if bom else "") + result.output


def _edits(text: str, output: str, hunks) -> list[lsp.TextEdit]:
    a = _split(text)
    b = _split(output)
    offsets = [0]
    for line in a:
        offsets.append(offsets[-1] + len(line))
    index = LineIndex(text)
    return [
        lsp.TextEdit(range=index.range(offsets[i1], offsets[i2]), new_text="".join(b[j1:j2]))
        for i1, i2, j1, j2 in hunks
    ]


def format_document(text: str, path: str = "<buffer>", encoding: str = UTF16) -> list[lsp.TextEdit] | None:
    """The edits that turn ``text`` into ``rosc fmt``'s output (one per
    changed run of lines); None when rosc cannot format it safely."""
    output = _formatted(text, path)
    if output is None:
        return None
    if output == text:
        return []
    edits = _edits(text, output, _hunks(text, output))
    if str(encoding) != UTF16:
        index = LineIndex(text, encoding)
        plain = LineIndex(text)
        for e in edits:
            e.range = index.range(plain.offset(e.range.start), plain.offset(e.range.end))
    return edits


def format_range(text: str, rng: lsp.Range, path: str = "<buffer>", encoding: str = UTF16) -> list[lsp.TextEdit] | None:
    """Format only the commands the range touches.

    The whole file is formatted; the range is widened to whole top-level
    statements; the changed runs of lines (diff hunks) that touch it are
    kept when they lie inside it *and* applying only them keeps the file's
    meaning (same signature as ``rosc fmt`` checks).  Otherwise, when the
    formatter's output for those commands cannot be isolated (for example a
    menu header it adds changes the menu of later lines), returns None and
    nothing is changed.  [] when the range is already formatted."""
    output = _formatted(text, path)
    if output is None:
        return None
    if output == text:
        return []
    index = LineIndex(text, encoding)
    lo, hi = rng.start.line, rng.end.line
    if hi > lo and rng.end.character == 0:
        hi -= 1
    parsed, base = _parse_full(text, path)
    plain = LineIndex(text)
    for stmt in parsed.script.body:
        first = plain.position(stmt.start + base).line
        last = plain.position(max(stmt.start, stmt.end - 1) + base).line
        if first <= hi and last >= lo:
            lo, hi = min(lo, first), max(hi, last)
    chosen = []
    for h in _hunks(text, output):
        i1, i2 = h[0], h[1]
        touches = (lo <= i1 <= hi) if i1 == i2 else (i1 <= hi and i2 > lo)
        if not touches:
            continue
        if i1 < lo or i2 > hi + 1:
            return None
        chosen.append(h)
    if not chosen:
        return []
    a = _split(text)
    b = _split(output)
    pieces, prev = [], 0
    for i1, i2, j1, j2 in chosen:
        pieces.extend(a[prev:i1])
        pieces.extend(b[j1:j2])
        prev = i2
    pieces.extend(a[prev:])
    candidate = "".join(pieces)
    from rosc.format.equivalence import signature

    again, _ = _parse_full(candidate, path)
    if again.has_errors or signature(again.script) != signature(parsed.script):
        return None
    edits = _edits(text, output, chosen)
    if str(encoding) != UTF16:
        for e in edits:
            e.range = index.range(plain.offset(e.range.start), plain.offset(e.range.end))
    return edits
