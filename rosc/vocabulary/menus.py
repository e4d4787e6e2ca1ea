"""One menu of the vocabulary, its commands and parameters: the generated
tree's facts merged with the overlay's meaning (see ``rosc.vocabulary.tree``).

A parameter's type is the overlay's when it gives one (``typed_by ==
"overlay"``), else the one RouterOS states in its dumps (``"routeros"``),
else plain text (``""``).  ``Param.checked`` says whether a value may be
reported as wrong against that type: always for the overlay's; for
RouterOS's only where its hint says everything the argument accepts
(durations, yes/no, value lists such as ``pap|chap[,Authentication*]``):
an address hint describes one item and says nothing of lists or host names.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from rosc.vocabulary.compiled import GenArg, GenMenu
from rosc.vocabulary.overlay import IMPLICIT_LIST_PARAMS, OverlayMenu
from rosc.vocabulary.value_types import ListOf, PairOf, RangeOf, Ref, Type, Union, check, parse_type
from rosc.vocabulary.versions import ALWAYS, Life

_set = object.__setattr__  # how a frozen instance's __init__ sets its fields

_LIST_VERBS = frozenset("add comment disable edit enable export find get move print remove set unset".split())
_SETTINGS_VERBS = frozenset("edit export get print set unset".split())
_KIND_VERBS = {"list": _LIST_VERBS, "settings": _SETTINGS_VERBS, "dir": frozenset({"export"})}
_SETTERS = ("set", "add")


def ref_kinds_of(t: Type) -> tuple[str, ...]:
    """Every ``ref:`` kind inside a type, in order."""
    if isinstance(t, Ref):
        return (t.kind,)
    if isinstance(t, (ListOf, PairOf, RangeOf)):
        return ref_kinds_of(t.item)
    if isinstance(t, Union):
        out: list[str] = []
        for o in t.options:
            out.extend(k for k in ref_kinds_of(o) if k not in out)
        return tuple(out)
    return ()


def _safe_routeros_type(text: str) -> bool:
    base = text.split("|", 1)[0]
    return base in ("time", "bool") or text.startswith("list<enum(")


class Param:
    """One parameter of a menu or command."""

    __slots__ = (
        'name', 'type_text', 'type', 'default', 'doc', 'aliases', 'negatable', 'required', 'version', 'flag',
        'life', 'values', 'kinds', 'hardware', 'readonly', 'typed_by', 'routeros_type',
    )
    __match_args__ = __slots__

    def __init__(
        self,
        name: str,
        type_text: str,
        type: Type,
        default: str | None = None,
        doc: str = "",
        aliases: tuple[str, ...] = (),
        negatable: bool = False,
        required: bool = False,
        version: str | None = None,
        flag: bool = False,
        life: Life = ALWAYS,
        values: tuple[str, ...] = (),
        kinds: tuple[str, ...] = (),
        hardware: str | None = None,
        readonly: bool = False,
        typed_by: str = "overlay",
        routeros_type: str = "",
    ) -> None:
        _set(self, 'name', name)
        _set(self, 'type_text', type_text)
        _set(self, 'type', type)
        _set(self, 'default', default)
        _set(self, 'doc', doc)
        _set(self, 'aliases', aliases)
        _set(self, 'negatable', negatable)
        _set(self, 'required', required)
        _set(self, 'version', version)
        _set(self, 'flag', flag)
        _set(self, 'life', life)
        _set(self, 'values', values)
        _set(self, 'kinds', kinds)
        _set(self, 'hardware', hardware)
        _set(self, 'readonly', readonly)
        _set(self, 'typed_by', typed_by)
        _set(self, 'routeros_type', routeros_type)

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(name={self.name!r}, type_text={self.type_text!r}, "
                f"type={self.type!r}, default={self.default!r}, doc={self.doc!r}, aliases={self.aliases!r}, "
                f"negatable={self.negatable!r}, required={self.required!r}, version={self.version!r}, "
                f"flag={self.flag!r}, life={self.life!r}, values={self.values!r}, kinds={self.kinds!r}, "
                f"hardware={self.hardware!r}, readonly={self.readonly!r}, typed_by={self.typed_by!r}, "
                f"routeros_type={self.routeros_type!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.name, self.type_text, self.type, self.default, self.doc, self.aliases, self.negatable,
                self.required, self.version, self.flag, self.life, self.values, self.kinds, self.hardware,
                self.readonly, self.typed_by, self.routeros_type,
            ) == (
                other.name, other.type_text, other.type, other.default, other.doc, other.aliases,
                other.negatable, other.required, other.version, other.flag, other.life, other.values,
                other.kinds, other.hardware, other.readonly, other.typed_by, other.routeros_type,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((
            self.name, self.type_text, self.type, self.default, self.doc, self.aliases, self.negatable,
            self.required, self.version, self.flag, self.life, self.values, self.kinds, self.hardware,
            self.readonly, self.typed_by, self.routeros_type,
        ))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    @property
    def ref_kind(self) -> str | None:
        return self.kinds[0] if self.kinds else None

    @property
    def ref_kinds(self) -> tuple[str, ...]:
        return self.kinds

    @property
    def checked(self) -> bool:
        """Whether a value may be reported as invalid for this type."""
        if self.typed_by == "overlay":
            return True
        return self.typed_by == "routeros" and _safe_routeros_type(self.type_text)

    def check(self, value: str) -> str | None:
        """Check a literal value; None when valid."""
        return check(self.type, value, self.negatable)


def build_param(name: str, spec: Mapping | None, gen: GenArg | None, life: Life) -> Param:
    spec = spec or {}
    if "type" in spec:
        text, typed_by = spec["type"], "overlay"
    elif gen is not None and gen.type_text:
        text, typed_by = gen.type_text, "routeros"
    else:
        text, typed_by = "string", ""
    t = parse_type(text)
    kinds = ref_kinds_of(t) if typed_by == "overlay" else ()
    if not kinds and gen is not None:
        kinds = gen.kinds
    default = spec.get("default")
    return Param(
        name=name,
        type_text=text,
        type=t,
        default=None if default is None else str(default),
        doc=spec.get("doc", ""),
        aliases=tuple(spec.get("aliases", ())),
        negatable=bool(spec.get("negatable", False)) or (gen is not None and gen.negatable),
        required=bool(spec.get("required", False)),
        version=spec.get("version"),
        flag=bool(spec.get("flag", False)),
        life=life,
        values=gen.values if gen is not None else (),
        kinds=kinds,
        hardware=spec.get("hardware"),
        readonly=bool(spec.get("readonly", False)),
        typed_by=typed_by,
        routeros_type=gen.type_text if gen is not None else "",
    )


def _suggest(name: str, names: Iterable[str]) -> str | None:
    import difflib  # only when a suggestion is needed: not at start-up

    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return close[0] if close else None


def union_life(lives: Iterable[Life]) -> Life:
    lives = list(lives)
    firsts = [x.first for x in lives if x.first is not None]
    lasts = [x.last for x in lives if x.last is not None]
    return Life(
        min(firsts) if firsts else None,
        max(lasts) if lasts else None,
        any(x.package for x in lives),
        lives[0].major if lives and all(x.major == lives[0].major for x in lives) else None,
    )


def _marked(life: Life, version: str | None, v6: bool = False) -> Life:
    if (version is None or life.major == version) and life.v6 >= v6:
        return life
    return Life(life.first, life.last, life.package, version or life.major, life.v6 or v6)


def _overlay_life(version: str | None) -> Life:
    return ALWAYS if version is None else Life(major=version)


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


class Command(_ParamTable):
    """A command with its own arguments (``/tool fetch``, ``/ping``)."""

    __slots__ = ('name', 'doc', 'params', 'positional', '_by_alias', 'life', 'hardware')
    __match_args__ = __slots__

    def __init__(
        self,
        name: str,
        doc: str = "",
        params: dict[str, Param] | None = None,
        positional: tuple[str, ...] = (),
        _by_alias: dict[str, Param] | None = None,
        life: Life = ALWAYS,
        hardware: str | None = None,
    ) -> None:
        self.name = name
        self.doc = doc
        self.params = {} if params is None else params
        self.positional = positional
        self._by_alias = {} if _by_alias is None else _by_alias
        self.life = life
        self.hardware = hardware

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(name={self.name!r}, doc={self.doc!r}, params={self.params!r}, "
                f"positional={self.positional!r}, life={self.life!r}, hardware={self.hardware!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.name, self.doc, self.params, self.positional, self._by_alias, self.life, self.hardware,
            ) == (
                other.name, other.doc, other.params, other.positional, other._by_alias, other.life,
                other.hardware,
            )
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


def _aliases(params: Mapping[str, Param]) -> dict[str, Param]:
    return {a: p for p in params.values() for a in p.aliases if a not in params}


class Menu(_ParamTable):
    """A menu such as ``/ip address``; its parameters are merged on first use."""

    __slots__ = (
        "path", "doc", "kind", "key", "aliases", "version", "replaced_by", "hardware", "life", "commands",
        "source", "generated", "_ov", "_vocab", "_params", "_by_alias", "_props", "_specs", "_v6_verbs", "v6_kind",
    )

    def __init__(self, path: str, gen: GenMenu | None, ov: OverlayMenu | None, vocab):
        self.path = path
        self.generated = gen
        self._ov = ov
        self._vocab = vocab
        self.doc = ov.doc if ov else ""
        self.key = ov.key if ov else ()
        self.aliases = ov.aliases + tuple(ov.renamed_from) if ov else ()
        self.version = ov.version if ov else None
        self.replaced_by = ov.replaced_by if ov else None
        self.hardware = ov.hardware if ov else None
        self.source = ov.source if ov else ("generated" if gen else "(implied)")
        self.v6_kind = ov.v6_kind if ov is not None else None
        if gen is not None:
            self.kind = ov.kind if ov is not None and ov.kind else "dir" if not gen.words else _derived_kind(gen, vocab)
            self.life = _marked(gen.life, self.version, self.v6_kind is not None)
            commands = set(gen.commands)
        else:
            self.kind = (ov.kind or "list") if ov else "dir"
            self.life = _overlay_life(self.version)
            commands = set(_KIND_VERBS[self.kind])
        self._v6_verbs: frozenset[str] = frozenset()
        if ov is not None:
            commands.update(ov.commands)
            commands.update(ov.command_specs)
            if ov.v6_kind is not None and gen is not None:  # a RouterOS 6 item list, a folder or status in 7
                self._v6_verbs = frozenset(_KIND_VERBS[ov.v6_kind] - commands)
                commands.update(self._v6_verbs)
        self.commands = frozenset(commands)
        self._params: dict[str, Param] | None = None
        self._by_alias: dict[str, Param] = {}
        self._props: dict[str, Param] = {}
        self._specs: dict[str, Command | None] = {}

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.path[1:].split())

    def __repr__(self) -> str:
        return f"<Menu {self.path} ({self.kind})>"

    # -------------------------------------------------------------- params

    @property
    def params(self) -> dict[str, Param]:
        if self._params is None:
            self._build()
        return self._params  # type: ignore[return-value]

    def param(self, name: str) -> Param | None:
        params = self.params
        return params.get(name) or self._by_alias.get(name)

    def item_property(self, name: str) -> Param | None:
        """A parameter or a read-only property (``default-name``) of the items."""
        found = self.param(name)
        return found if found is not None else self._props.get(name)

    def _gen_args(self, verbs: Iterable[str]) -> dict[str, list[GenArg]]:
        out: dict[str, list[GenArg]] = {}
        gen, tree = self.generated, self._vocab.tree
        if gen is None or tree is None:
            return out
        for verb in verbs:
            cmd = gen.commands.get(verb)
            if cmd is not None:
                for name, arg in tree.args(cmd).items():
                    out.setdefault(name, []).append(arg)
        return out

    def _build(self) -> None:
        ov = self._ov
        own = ov.params if ov else {}
        groups = ov.group_params if ov else {}
        params: dict[str, Param] = {}
        version = self.version if self.generated is not None else None
        for name, args in self._gen_args(_SETTERS).items():
            spec = own.get(name) or groups.get(name)
            # a menu RouterOS 6 had too: its RouterOS 6 parameters are unknown, so none is flagged for 6
            life = _marked(union_life(a.life for a in args), (spec or {}).get("version") or version, self.v6_kind is not None)
            params[name] = build_param(name, spec, _merge_args(args), life)
        beyond = self.generated is None
        for table, only_marked in ((own, False), (groups, True)):
            for name, spec in table.items():
                if name in params:
                    continue
                marked = spec.get("version") == "6" or spec.get("hardware") or spec.get("readonly") or spec.get("older")
                if only_marked and not (beyond or marked):
                    continue  # a shared group's parameter this menu does not have
                p = build_param(name, spec, None, _overlay_life(spec.get("version")))
                (self._props if p.readonly else params)[name] = p
        if beyond and self.kind == "list":
            for name, spec in IMPLICIT_LIST_PARAMS.items():
                params.setdefault(name, build_param(name, spec, None, ALWAYS))
        self._params = params
        self._by_alias = _aliases(params)

    # ------------------------------------------------------------ commands

    def command(self, verb: str) -> Command | None:
        """The arguments of the command ``verb`` (None when it has none rosc knows)."""
        if verb in self._specs:
            return self._specs[verb]
        spec = self._specs[verb] = self._command(verb)
        return spec

    def _command(self, verb: str) -> Command | None:
        ov = self._ov.command_specs.get(verb) if self._ov else None
        gen = self.generated.commands.get(verb) if self.generated else None
        if gen is None and ov is None:
            return None
        life = gen.life if gen is not None else _overlay_life(ov.version if ov else None)
        positional = ov.positional if ov else ()
        doc = ov.doc if ov else ""
        hardware = ov.hardware if ov else None
        if verb in _SETTERS and gen is not None:
            names = self._gen_args((verb,))
            params = {n: self.params[n] for n in names if n in self.params}
            return Command(verb, doc, params, positional, _aliases(params), life, hardware)
        params = {}
        if gen is not None and self._vocab.tree is not None:
            for name, arg in self._vocab.tree.args(gen).items():
                params[name] = build_param(name, ov.params.get(name) if ov else None, arg, arg.life)
        for name, pspec in (ov.params if ov else {}).items():
            if name not in params:
                params[name] = build_param(name, pspec, None, _overlay_life(pspec.get("version")))
        return Command(verb, doc, params, positional, _aliases(params), life, hardware)

    @property
    def command_specs(self) -> dict[str, Command]:
        """Every command of this menu that takes arguments rosc knows, by name."""
        out = {}
        for verb in sorted(self.commands):
            spec = self.command(verb)
            if spec is not None:
                out[verb] = spec
        return out

    def command_life(self, verb: str) -> Life:
        """Where the command ``verb`` of this menu exists."""
        gen = self.generated.commands.get(verb) if self.generated else None
        if gen is not None:
            return _marked(gen.life, None, self.v6_kind is not None and verb in _KIND_VERBS[self.v6_kind])
        ov = self._ov.command_specs.get(verb) if self._ov else None
        if ov is not None:
            return _overlay_life(ov.version)
        if verb in self._v6_verbs:
            return Life(major="6")
        return self.life

    def suggest_command(self, verb: str) -> str | None:
        """Closest known command of this menu."""
        return _suggest(verb, self.commands)


def _merge_args(args: list[GenArg]) -> GenArg:
    """One description of an argument of both ``set`` and ``add``."""
    if len(args) == 1:
        return args[0]
    first = args[0]
    values = tuple(dict.fromkeys(v for a in args for v in a.values))
    kinds = tuple(dict.fromkeys(k for a in args for k in a.kinds))
    type_text = next((a.type_text for a in args if a.type_text), "")
    if any(a.type_text != type_text for a in args):
        type_text = ""  # add and set disagree: state nothing
    return GenArg(first.name, union_life(a.life for a in args), type_text, values, kinds, any(a.negatable for a in args))


def _derived_kind(gen: GenMenu, vocab) -> str:
    """list (items: add, find or set with numbers), settings (set without
    numbers), dir (only submenus and commands of its own)."""
    commands = gen.commands
    if "add" in commands or "find" in commands or "remove" in commands:
        return "list"
    setter = commands.get("set")
    if setter is not None:
        tree = vocab.tree
        if tree is not None and "numbers" in tree.args(setter):
            return "list"
        return "settings"
    return "dir"
