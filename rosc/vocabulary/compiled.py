"""Read the generated command tree (``grammar/vocabulary/generated/routeros-tree.txt``,
written by ``rosc.vocabulary.generate``).

The format is line-based, in sections:

* ``@versions 9 10 ... 24``: the 7.x minor releases the dumps cover;
  ``@dumps``: the dumps it was generated from.
* ``@types``: one type expression per line (``rosc.vocabulary.value_types``);
  ``@values``: one tab-separated list of completion words per line;
  ``@argsets``: one space-separated list of argument specs per line.  A line
  is referred to by its number within the section, from 0.
* ``@menus``: one menu per line: its path (``/ip/address``, the root is
  ``/``), its versions, and its commands, space-separated, each
  ``name[@versions][#argset]``.

Versions are ``first-last`` (7.x minor releases of the base package), with
``+`` when an extra package has the node in the newest dump, or only ``+``;
left out, they are those of the parent.  An argument spec is
``name[@versions][:type][~values][&kind,kind][!]``: ``!`` when RouterOS
accepts a negated value (``!ether1``), ``&`` the kinds of object the
argument names when its completion lists the router's objects of that kind.

Only the menu lines are read up front; an argument list is parsed the first
time one of its commands is looked at, so ``rosc lint`` of a small file pays
for the menus it uses.
"""

from __future__ import annotations

from pathlib import Path

from rosc.resources import data_dir
from rosc.vocabulary.versions import Life

_set = object.__setattr__  # how a frozen instance's __init__ sets its fields

TREE_FILE = ("vocabulary", "generated", "routeros-tree.txt")


def tree_file() -> Path:
    return data_dir("grammar").joinpath(*TREE_FILE)


class TreeFormatError(ValueError):
    """The generated tree file is damaged."""


class GenArg:
    """One argument as RouterOS's dumps describe it."""

    __slots__ = ('name', 'life', 'type_text', 'values', 'kinds', 'negatable')
    __match_args__ = __slots__

    def __init__(
        self,
        name: str,
        life: Life,
        type_text: str,  # "" when RouterOS states no type
        values: tuple[str, ...],
        kinds: tuple[str, ...],
        negatable: bool,
    ) -> None:
        _set(self, 'name', name)
        _set(self, 'life', life)
        _set(self, 'type_text', type_text)
        _set(self, 'values', values)
        _set(self, 'kinds', kinds)
        _set(self, 'negatable', negatable)

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(name={self.name!r}, life={self.life!r}, "
                f"type_text={self.type_text!r}, values={self.values!r}, kinds={self.kinds!r}, "
                f"negatable={self.negatable!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.name, self.life, self.type_text, self.values, self.kinds, self.negatable,
            ) == (
                other.name, other.life, other.type_text, other.values, other.kinds, other.negatable,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.name, self.life, self.type_text, self.values, self.kinds, self.negatable))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)


class GenCommand:
    __slots__ = ('name', 'life', 'argset')
    __match_args__ = __slots__

    def __init__(self, name: str, life: Life, argset: int | None) -> None:
        _set(self, 'name', name)
        _set(self, 'life', life)
        _set(self, 'argset', argset)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(name={self.name!r}, life={self.life!r}, argset={self.argset!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.name, self.life, self.argset) == (other.name, other.life, other.argset)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.name, self.life, self.argset))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)


class GenMenu:
    __slots__ = ('words', 'life', 'commands')
    __match_args__ = __slots__

    def __init__(self, words: tuple[str, ...], life: Life, commands: dict[str, GenCommand]) -> None:
        _set(self, 'words', words)
        _set(self, 'life', life)
        _set(self, 'commands', commands)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(words={self.words!r}, life={self.life!r}, commands={self.commands!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.words, self.life, self.commands) == (other.words, other.life, other.commands)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.words, self.life, self.commands))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)


class CompiledTree:
    """The generated tree; a menu line is parsed the first time the menu is
    looked at, an argument list the first time its command is."""

    __slots__ = ("versions", "dumps", "paths", "_types", "_values", "_argsets", "_lines", "_menus", "_parsed", "_lives", "_top")

    def __init__(self, text: str):
        sections = _sections(text)
        try:
            self.versions = tuple(int(v) for v in sections["versions"][0].split())
            self.dumps = sections["dumps"][0]
            self._types = sections["types"]
            self._values = sections["values"]
            self._argsets = sections["argsets"]
        except (KeyError, IndexError, ValueError) as exc:
            raise TreeFormatError(f"generated tree: missing or bad section ({exc})") from None
        if not self.versions:
            raise TreeFormatError("generated tree: no versions")
        lines: dict[tuple[str, ...], str] = {}
        for line in sections.get("menus", ()):
            path = line.partition("\t")[0]
            lines[tuple(w for w in path.split("/") if w)] = line
        self._lines = lines
        self.paths = tuple(lines)
        self._menus: dict[tuple[str, ...], GenMenu] = {}
        self._lives: dict[tuple[str, Life], Life] = {}
        self._parsed: dict[tuple[int, Life], dict[str, GenArg]] = {}
        self._top = Life(self.versions[0], self.versions[-1], False)

    @property
    def known(self) -> tuple[int, int]:
        """The first and last 7.x minor release the tree covers."""
        return self.versions[0], self.versions[-1]

    def __contains__(self, words: tuple[str, ...]) -> bool:
        return words in self._lines

    def menu(self, words: tuple[str, ...]) -> GenMenu | None:
        """The menu at ``words`` (None when the dumps do not have it)."""
        found = self._menus.get(words)
        if found is None:
            line = self._lines.get(words)
            if line is None:
                return None
            parent = self.menu(words[:-1]) if words else None
            found = self._menus[words] = self._menu_line(words, line, parent.life if parent else self._top)
        return found

    def _life(self, text: str, inherit: Life) -> Life:
        if not text:
            return inherit
        key = (text, inherit)
        life = self._lives.get(key)
        if life is None:
            span, plus = text.rstrip("+"), text.endswith("+")
            try:
                if span:
                    first, _, last = span.partition("-")
                    life = Life(int(first), int(last), plus)
                else:
                    life = Life(None, None, True)
            except ValueError:
                raise TreeFormatError(f"generated tree: bad versions {text!r}") from None
            self._lives[key] = life
        return life

    def _menu_line(self, words: tuple[str, ...], line: str, inherit: Life) -> GenMenu:
        fields = line.split("\t")
        life = self._life(fields[1] if len(fields) > 1 else "", inherit)
        commands = {}
        if len(fields) > 2 and fields[2]:
            for spec in fields[2].split(" "):
                spec, _, argset = spec.partition("#")
                name, _, ltext = spec.partition("@")
                commands[name] = GenCommand(name, self._life(ltext, life), int(argset) if argset else None)
        return GenMenu(words, life, commands)

    def args(self, command: GenCommand) -> dict[str, GenArg]:
        """The arguments of ``command`` by name (parsed on first use)."""
        if command.argset is None:
            return {}
        key = (command.argset, command.life)
        found = self._parsed.get(key)
        if found is None:
            found = self._parsed[key] = self._parse_argset(self._argsets[command.argset], command.life)
        return found

    def _parse_argset(self, line: str, owner: Life) -> dict[str, GenArg]:
        out = {}
        for spec in line.split(" "):
            negatable = spec.endswith("!")
            if negatable:
                spec = spec[:-1]
            spec, _, kinds = spec.partition("&")
            spec, _, values = spec.partition("~")
            spec, _, type_ = spec.partition(":")
            name, _, ltext = spec.partition("@")
            out[name] = GenArg(
                name,
                self._life(ltext, owner),
                self._types[int(type_)] if type_ else "",
                tuple(self._values[int(values)].split("\t")) if values else (),
                tuple(kinds.split(",")) if kinds else (),
                negatable,
            )
        return out


def _sections(text: str) -> dict[str, list[str]]:
    """Each ``@name rest`` section's lines (``rest`` first when given; empty
    lines left out), cut at the few header lines rather than line by line."""
    out: dict[str, list[str]] = {}
    at = 0 if text.startswith("@") else text.find("\n@") + 1
    while at > 0 or (at == 0 and text.startswith("@")):
        head_end = text.find("\n", at)
        if head_end < 0:
            head_end = len(text)
        name, _, rest = text[at + 1 : head_end].partition(" ")
        following = text.find("\n@", head_end)
        body = text[head_end + 1 : following if following >= 0 else len(text)]
        out[name] = ([rest] if rest else []) + [line for line in body.split("\n") if line]
        at = following + 1 if following >= 0 else -1
    return out


def read_tree(path: Path | None = None) -> CompiledTree:
    path = path or tree_file()
    try:
        return CompiledTree(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TreeFormatError(f"{path}: cannot read the generated tree: {exc.strerror or exc}") from None
