"""The syntax tree: small typed nodes with exact source offsets.

Every node carries ``start`` and ``end`` (0-based character offsets into the
file, ``end`` exclusive); ``Source.span(node.start, node.end)`` turns them into
lines and columns.  Nodes of a script embedded in a string (``source=``,
``on-event=``...) carry offsets mapped back into the outer file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union


@dataclass(slots=True)
class Word:
    """A bare word: ``ether1``, ``10.0.0.0/8``, ``!local``, ``yes``."""

    start: int
    end: int
    text: str

    @property
    def value(self) -> str:
        return self.text


@dataclass(slots=True)
class String:
    """A quoted string. ``raw`` is the text as written (with quotes),
    ``value`` the decoded content; ``interpolated`` when it holds unescaped
    ``$var``, ``$[...]`` or ``$(...)``."""

    start: int
    end: int
    raw: str
    value: str
    interpolated: bool = False
    script: "Script | None" = None


@dataclass(slots=True)
class Variable:
    """``$name`` or ``$"name"``."""

    start: int
    end: int
    name: str
    quoted: bool = False


@dataclass(slots=True)
class Substitution:
    """Command substitution ``[ /ip address find ... ]``; ``paren`` when it
    was written in parentheses, ``(:pick $s 0 3)``, which RouterOS runs the
    same way."""

    start: int
    end: int
    body: list["Statement"]
    paren: bool = False


@dataclass(slots=True)
class Block:
    """``{ ... }``: a block of statements or an array ``{1;2;"k"=v}``."""

    start: int
    end: int
    body: list["Statement"]


@dataclass(slots=True)
class Operator:
    start: int
    end: int
    op: str


@dataclass(slots=True)
class Expression:
    """``( ... )``: operands and operators in the order written."""

    start: int
    end: int
    items: list[Union["Value", Operator]]


@dataclass(slots=True)
class Concat:
    """Parts written next to each other with no space: ``name~"x"``."""

    start: int
    end: int
    parts: list["Atom"]


Atom = Union[Word, String, Variable, Substitution, Block, Expression]
Value = Union[Atom, Concat]


@dataclass(slots=True)
class Arg:
    """``key=value`` (``value`` is None for ``key=`` with nothing after)."""

    start: int
    end: int
    name: str
    key_end: int
    value: Value | None


Element = Union[Value, Arg]


@dataclass(slots=True)
class Comment:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Abbreviation:
    """A menu or command word written as a prefix of its name (``/int bri
    port``): ``full`` is the name RouterOS takes it for, or None when the
    prefix fits several (``candidates``) and RouterOS refuses it."""

    start: int
    end: int
    written: str
    full: str | None
    what: str  # "menu", "command" or "menu or command"
    candidates: tuple[str, ...] = ()  # the names the prefix fits, when more than one
    parent: tuple[str, ...] = ()  # the menu the word was read in


@dataclass(slots=True)
class Command:
    """One command line.

    ``path`` holds the menu words written on this line (``("ip", "address")``
    for ``/ip address add ...``), ``absolute`` whether it began with ``/``,
    ``verb`` the command word (``add``, ``set``, ``:local``...; None when the
    line only changes the current menu), ``args`` the positional values and
    ``key=value`` arguments in the order written.  ``menu`` is the menu the
    command runs in once the current-menu context is applied, with
    abbreviated words replaced by their full names (``abbreviations`` keeps
    what was written).
    """

    start: int
    end: int
    absolute: bool
    path: tuple[str, ...]
    path_end: int
    verb: Word | None
    args: list[Element]
    menu: tuple[str, ...] = ()
    comments: list[Comment] = field(default_factory=list)
    abbreviations: list[Abbreviation] = field(default_factory=list)

    @property
    def is_menu_change(self) -> bool:
        return self.verb is None and not self.args and (self.absolute or bool(self.path))

    @property
    def named(self) -> list[Arg]:
        return [a for a in self.args if type(a) is Arg]

    @property
    def positional(self) -> list[Value]:
        return [a for a in self.args if type(a) is not Arg]

    def get(self, name: str) -> Arg | None:
        """The last ``name=`` argument (RouterOS takes the last one)."""
        found = None
        for arg in self.args:
            if type(arg) is Arg and arg.name == name:
                found = arg
        return found

    @property
    def menu_path(self) -> str:
        return "/" + " ".join(self.menu)


Statement = Union[Command, Comment]


@dataclass(slots=True)
class Script:
    """A whole file (or an embedded script): statements in order."""

    body: list[Statement]
    start: int = 0
    end: int = 0

    def commands(self) -> Iterator[Command]:
        """Every command, including those nested in blocks and substitutions."""
        return iter(all_commands(self.body))


def iter_commands(body: list[Statement]) -> Iterator[Command]:
    return iter(all_commands(body))


def all_commands(body: list[Statement]) -> list[Command]:
    """Every command of ``body`` in source order, each followed by the
    commands nested in its arguments (blocks, substitutions, scripts in
    strings)."""
    out: list[Command] = []
    _collect(body, out)
    return out


def _collect(body: list, out: list) -> None:
    for stmt in body:
        if type(stmt) is Command:
            out.append(stmt)
            for arg in stmt.args:
                kind = type(arg)
                if kind is Arg:
                    arg = arg.value
                    kind = type(arg)
                if kind is Word or arg is None:
                    continue
                _nested(arg, kind, out)


def _nested(node, kind, out: list) -> None:
    if kind is Block or kind is Substitution:
        _collect(node.body, out)
    elif kind is Expression:
        for item in node.items:
            _nested(item, type(item), out)
    elif kind is Concat:
        for part in node.parts:
            _nested(part, type(part), out)
    elif kind is String:
        if node.script is not None:
            _collect(node.script.body, out)
    elif kind is Arg:
        if node.value is not None:
            _nested(node.value, type(node.value), out)


def children(node) -> list:
    """Direct child nodes, for generic walks."""
    kind = type(node)
    if kind is Script:
        return list(node.body)
    if kind is Command:
        return [node.verb, *node.args] if node.verb is not None else list(node.args)
    if kind is Arg:
        return [node.value] if node.value is not None else []
    if kind is Block or kind is Substitution:
        return list(node.body)
    if kind is Expression:
        return list(node.items)
    if kind is Concat:
        return list(node.parts)
    if kind is String and node.script is not None:
        return [node.script]
    return []


def walk(node) -> Iterator:
    """Every node below (and including) ``node``, depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))
