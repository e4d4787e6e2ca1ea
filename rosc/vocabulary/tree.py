"""The RouterOS vocabulary: menus, their commands and arguments, version by
version.

Two sources, merged on demand:

* the generated command tree (``grammar/vocabulary/generated/``, written by
  ``python -m rosc.vocabulary.generate`` from RouterOS's own
  ``/console/inspect`` dumps, read by ``rosc.vocabulary.compiled``): which
  menus, commands and arguments exist, in which 7.x versions, with the types
  and completion values RouterOS states;
* the hand-written overlay (``grammar/vocabulary/*.toml``, read by
  ``rosc.vocabulary.overlay``): semantic types, defaults, docs, RouterOS 6
  names, RouterOS 6-only and hardware-only parts.

``load()`` reads both once per process; a menu's arguments are merged the
first time the menu is looked at.

    >>> voc = load()
    >>> voc.menu("/ip address").param("interface").ref_kind
    'interface'
    >>> voc.ref_kinds("/interface bridge port", "bridge")
    ('bridge',)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from rosc.resources import data_dir
from rosc.vocabulary.compiled import CompiledTree, TreeFormatError, read_tree, tree_file
from rosc.vocabulary.menus import Command, Menu, Param
from rosc.vocabulary.overlay import Overlay, VocabularyError, normalize_path
from rosc.vocabulary.versions import Life, Version, absence

_set = object.__setattr__  # how a frozen instance's __init__ sets its fields

__all__ = [
    "Command", "Menu", "Param", "Vocabulary", "VocabularyError", "Alias", "Step", "load", "build", "normalize_path",
    "vocabulary_dir", "GENERIC_VERBS", "LIST_COMMANDS", "SETTINGS_COMMANDS", "DIR_COMMANDS",
]

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
KIND_COMMANDS = {"list": LIST_COMMANDS, "settings": SETTINGS_COMMANDS, "dir": DIR_COMMANDS}


class Alias:
    """An old name of a menu: a RouterOS 6 name (``until`` None), or an
    earlier RouterOS 7 name used up to 7.``until`` (``/interface wifiwave2``)."""

    __slots__ = ('path', 'target', 'until')
    __match_args__ = __slots__

    def __init__(self, path: str, target: str, until: int | None = None) -> None:
        _set(self, 'path', path)
        _set(self, 'target', target)
        _set(self, 'until', until)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(path={self.path!r}, target={self.target!r}, until={self.until!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.path, self.target, self.until) == (other.path, other.target, other.until)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.path, self.target, self.until))

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
    def life(self) -> Life:
        return Life(major="6") if self.until is None else Life(None, self.until, True, "7")


class Step:
    """What one word after the menu ``menu`` is: a submenu (``"menu"``), a
    command (``"cmd"``), several names it is a prefix of (``"ambiguous"``,
    ``candidates``), or nothing rosc knows (None).  ``name`` is the full name
    (the word itself unless it is an abbreviation)."""

    __slots__ = ('kind', 'name', 'candidates')
    __match_args__ = __slots__

    def __init__(self, kind: str | None, name: str, candidates: tuple[str, ...] = ()) -> None:
        _set(self, 'kind', kind)
        _set(self, 'name', name)
        _set(self, 'candidates', candidates)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(kind={self.kind!r}, name={self.name!r}, candidates={self.candidates!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.kind, self.name, self.candidates) == (other.kind, other.name, other.candidates)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.kind, self.name, self.candidates))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)


def _suggest(name: str, names: Iterable[str]) -> str | None:
    import difflib  # only when a suggestion is needed: not at start-up

    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return close[0] if close else None


class Vocabulary:
    """Every known menu, with lookups tolerant of RouterOS 6 names."""

    __slots__ = ("tree", "overlay", "_sources", "_aliases", "_menus", "_children", "_prefixes", "_submenus")

    def __init__(self, tree: CompiledTree | None, overlay: Overlay):
        self.tree = tree
        self.overlay = overlay
        sources: dict[str, tuple[str, ...]] = {}
        if tree is not None:
            for words in tree.paths:
                sources["/" + " ".join(words)] = words
        for path in overlay.paths:
            sources[path] = tuple(path[1:].split())
        for words in list(sources.values()):  # folders on the way to an overlay-only menu
            for i in range(len(words)):
                sources.setdefault("/" + " ".join(words[:i]), words[:i])
        aliases = {a: Alias(a, target, until) for a, (target, until) in overlay.aliases.items()}
        clash = sorted(set(aliases) & set(sources))
        if clash:
            raise VocabularyError(f"menu aliases shadow real menus: {clash}")
        self._sources = sources
        self._aliases = aliases
        self._menus: dict[str, Menu] = {}
        self._children: dict[tuple[str, ...], dict[str, str]] = {}
        # every folder on the way to a menu is a source itself (above), so the
        # prefixes of the menus are the sources' words and the aliases' prefixes
        prefixes = set(sources.values())
        submenus: dict[tuple[str, ...], set[str]] = {}
        for words in sources.values():
            if words:
                submenus.setdefault(words[:-1], set()).add(words[-1])
        for path in aliases:
            words = tuple(path[1:].split())
            prefixes.update(words[:i] for i in range(len(words) + 1))
            if words:
                submenus.setdefault(words[:-1], set()).add(words[-1])
        self._prefixes = frozenset(prefixes)
        self._submenus = submenus

    # ------------------------------------------------------------ menus

    @property
    def menus(self) -> tuple[str, ...]:
        """All canonical menu paths, sorted."""
        return tuple(sorted(self._sources))

    @property
    def known(self) -> tuple[int, int] | None:
        """The 7.x minor releases the generated tree covers (None without one)."""
        return self.tree.known if self.tree is not None else None

    def alias(self, path: str | Iterable[str]) -> Alias | None:
        """The alias record when ``path`` (or a menu below it) is an old name."""
        p = normalize_path(path)
        words = p[1:].split()
        for i in range(len(words), 0, -1):
            found = self._aliases.get("/" + " ".join(words[:i]))
            if found is not None:
                return found
        return None

    def resolve(self, path: str | Iterable[str]) -> str | None:
        """Canonical path for ``path`` (itself, or what its old name became)."""
        p = normalize_path(path)
        if p in self._sources:
            return p
        words = p[1:].split()
        for i in range(len(words), 0, -1):
            found = self._aliases.get("/" + " ".join(words[:i]))
            if found is not None:
                rest = words[i:]
                target = normalize_path([*found.target[1:].split(), *rest])
                return target if target in self._sources else None
        return None

    def menu(self, path: str | Iterable[str]) -> Menu | None:
        p = self.resolve(path)
        if p is None:
            return None
        found = self._menus.get(p)
        if found is None:
            gen = self.tree.menu(self._sources[p]) if self.tree is not None else None
            found = self._menus[p] = Menu(p, gen, self.overlay.menu(p), self)
        return found

    def is_menu_prefix(self, words: tuple[str, ...]) -> bool:
        """True if ``words`` is a menu path or the start of one."""
        words = tuple(words)
        if words in self._prefixes:
            return True
        resolved = self.resolve(words)
        return resolved is not None

    def children(self, words: tuple[str, ...]) -> Mapping[str, str]:
        """What may follow the menu ``words``: submenu names (``"menu"``) and
        commands (``"cmd"``), including old names; empty for an unknown menu."""
        words = tuple(words)
        found = self._children.get(words)
        if found is not None:
            return found
        out: dict[str, str] = {}
        path = self.resolve(words)
        gen = self.tree.menu(self._sources[path]) if path is not None and self.tree is not None else None
        if gen is not None and not self.overlay.adds_commands(path):
            out.update(dict.fromkeys(gen.commands, "cmd"))  # no need to read the overlay's entry
            menu = gen
        else:
            menu = self.menu(words)
            for verb in menu.commands if menu is not None else ():
                out[verb] = "cmd"
        if menu is not None:
            path = path or menu.path
            for name in self._submenus.get(tuple(path[1:].split()), ()):
                out[name] = "menu"
            for name in self._submenus.get(words, ()):
                out[name] = "menu"
        self._children[words] = out
        return out

    def step(self, menu: tuple[str, ...], word: str, after: Sequence[str] = (), prefixes: bool = True) -> Step:
        """Read ``word`` after the menu ``menu`` as RouterOS does: an exact
        submenu or command name, else the one name it is a prefix of.  When
        it is the prefix of several, the words ``after`` it decide (``/s sch``
        is ``/system scheduler``: no other name starting with s has a
        submenu starting with sch); failing that, a name that is the only
        candidate in some RouterOS version (``/int wir`` was ``/interface
        wireless`` before RouterOS 7 added wireguard).  ``candidates`` then
        lists the names still in the running.  ``prefixes=False``: exact names only."""
        kids = self.children(menu)
        kind = kids.get(word)
        if kind is not None or not prefixes:
            return Step(kind, word)
        candidates = sorted(n for n in kids if n.startswith(word))
        if len(candidates) == 1:
            return Step(kids[candidates[0]], candidates[0])
        if not candidates:
            return Step(None, word)
        reach = {c: self._reach(menu, c, kids[c], after) for c in candidates}
        best = max(reach.values())
        top = tuple(c for c in candidates if reach[c] == best)
        if len(top) == 1:
            return Step(kids[top[0]], top[0])
        alone = {live[0] for v in self._versions() if len(live := [c for c in top if self.child_exists(menu, c, v)]) == 1}
        if len(alone) == 1:
            name = alone.pop()
            return Step(kids[name], name, top)
        return Step("ambiguous", word, top)

    def _reach(self, menu: tuple[str, ...], name: str, kind: str, after: Sequence[str]) -> int:
        """How many of the words ``after`` follow ``name`` down the tree
        (each an exact name or the only name it is a prefix of)."""
        if kind == "cmd":
            return 0
        here, count = menu + (name,), 0
        for word in after:
            kids = self.children(here)
            found = kids.get(word)
            if found is None:
                fits = [n for n in kids if n.startswith(word)]
                if len(fits) != 1:
                    break
                word, found = fits[0], kids[fits[0]]
            count += 1
            if found == "cmd":
                break
            here += (word,)
        return count

    def _versions(self) -> tuple[Version, ...]:
        lo, hi = self.known or (9, 24)
        return (Version(6, 49), *(Version(7, m) for m in range(lo, hi + 1)))

    def child_life(self, menu: tuple[str, ...], name: str) -> Life:
        """Where the submenu or command ``name`` of ``menu`` exists."""
        kind = self.children(menu).get(name)
        if kind == "menu":
            path = normalize_path((*menu, name))
            alias = self._aliases.get(path)
            if alias is not None:
                return alias.life
            child = self.menu(path)
            return child.life if child is not None else Life()
        parent = self.menu(menu)
        return parent.command_life(name) if parent is not None else Life()

    def child_exists(self, menu: tuple[str, ...], name: str, version: Version) -> bool:
        return absence(self.child_life(menu, name), version, self.known or (9, 24)) is None

    def suggest_menu(self, path: str | Iterable[str]) -> str | None:
        """Closest known menu path, for "did you mean"."""
        p = normalize_path(path)
        n = len(p.split())
        names = [*self._sources, *self._aliases]
        same = [m for m in names if len(m.split()) == n]
        best = _suggest(p, same) or _suggest(p, names)
        return self.resolve(best) if best else None

    def commands(self, path: str | Iterable[str]) -> frozenset[str]:
        m = self.menu(path)
        return m.commands if m else frozenset()

    # ------------------------------------------------------------ references

    def ref_kinds(self, menu: str | Iterable[str], arg: str, verb: str | None = None) -> tuple[str, ...]:
        """What the value of ``arg`` in ``menu`` names (``("interface",)``,
        ``("interface", "interface-list")``...): the overlay's ``ref:`` types,
        else the kinds RouterOS's own completion shows; empty when it names
        no object (or rosc does not know).  ``verb`` picks a command's own
        argument (``/tool fetch``) over the menu's ``add``/``set`` ones."""
        m = self.menu(menu)
        if m is None:
            return ()
        param = None
        if verb is not None and verb not in ("add", "set"):
            spec = m.command(verb)
            param = spec.param(arg) if spec is not None else None
        if param is None:
            param = m.item_property(arg)
        return param.ref_kinds if param is not None else ()

    def ref_kind(self, menu: str | Iterable[str], arg: str, verb: str | None = None) -> str | None:
        """The first of ``ref_kinds``, or None."""
        kinds = self.ref_kinds(menu, arg, verb)
        return kinds[0] if kinds else None

    def __len__(self) -> int:
        return len(self._sources)

    def __repr__(self) -> str:
        return f"<Vocabulary {len(self._sources)} menus, {len(self._aliases)} aliases>"


# ------------------------------------------------------------------ loading


def vocabulary_dir() -> Path:
    return data_dir("grammar") / "vocabulary"


def build(docs: Iterable[tuple[str, Mapping]], tree: CompiledTree | None = None) -> Vocabulary:
    """A Vocabulary from parsed overlay TOML documents ``(name, data)`` and,
    optionally, a generated tree."""
    return Vocabulary(tree, Overlay.from_docs(docs))


@cache
def load(folder: Path | None = None, generated: Path | None = None) -> Vocabulary:
    """Load (once per process) the generated tree and every overlay ``*.toml``."""
    folder = folder or vocabulary_dir()
    try:
        tree = read_tree(generated or tree_file())
    except TreeFormatError as exc:
        raise VocabularyError(str(exc)) from None
    return Vocabulary(tree, Overlay.from_folder(folder))

