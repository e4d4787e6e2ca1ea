"""The syntax tree: small typed nodes with exact source offsets.

Every node carries ``start`` and ``end`` (0-based character offsets into the
file, ``end`` exclusive); ``Source.span(node.start, node.end)`` turns them into
lines and columns.  Nodes of a script embedded in a string (``source=``,
``on-event=``...) carry offsets mapped back into the outer file.
"""

from __future__ import annotations

from typing import Iterator, Union


class Word:
    """A bare word: ``ether1``, ``10.0.0.0/8``, ``!local``, ``yes``."""

    __slots__ = ('start', 'end', 'text')
    __match_args__ = __slots__

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, text={self.text!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.start, self.end, self.text) == (other.start, other.end, other.text)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)

    @property
    def value(self) -> str:
        return self.text


class String:
    """A quoted string. ``raw`` is the text as written (with quotes),
    ``value`` the decoded content; ``interpolated`` when it holds unescaped
    ``$var``, ``$[...]`` or ``$(...)``."""

    __slots__ = ('start', 'end', 'raw', 'value', 'interpolated', 'script')
    __match_args__ = __slots__

    def __init__(
        self,
        start: int,
        end: int,
        raw: str,
        value: str,
        interpolated: bool = False,
        script: "Script | None" = None,
    ) -> None:
        self.start = start
        self.end = end
        self.raw = raw
        self.value = value
        self.interpolated = interpolated
        self.script = script

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, raw={self.raw!r}, "
                f"value={self.value!r}, interpolated={self.interpolated!r}, script={self.script!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.start, self.end, self.raw, self.value, self.interpolated, self.script,
            ) == (
                other.start, other.end, other.raw, other.value, other.interpolated, other.script,
            )
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


class Variable:
    """``$name`` or ``$"name"``."""

    __slots__ = ('start', 'end', 'name', 'quoted')
    __match_args__ = __slots__

    def __init__(self, start: int, end: int, name: str, quoted: bool = False) -> None:
        self.start = start
        self.end = end
        self.name = name
        self.quoted = quoted

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, name={self.name!r}, "
                f"quoted={self.quoted!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.start, self.end, self.name, self.quoted) == (other.start, other.end, other.name, other.quoted)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


class Substitution:
    """Command substitution ``[ /ip address find ... ]``; ``paren`` when it
    was written in parentheses, ``(:pick $s 0 3)``, which RouterOS runs the
    same way."""

    __slots__ = ('start', 'end', 'body', 'paren')
    __match_args__ = __slots__

    def __init__(self, start: int, end: int, body: list["Statement"], paren: bool = False) -> None:
        self.start = start
        self.end = end
        self.body = body
        self.paren = paren

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, body={self.body!r}, "
                f"paren={self.paren!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.start, self.end, self.body, self.paren) == (other.start, other.end, other.body, other.paren)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


class Block:
    """``{ ... }``: a block of statements or an array ``{1;2;"k"=v}``."""

    __slots__ = ('start', 'end', 'body')
    __match_args__ = __slots__

    def __init__(self, start: int, end: int, body: list["Statement"]) -> None:
        self.start = start
        self.end = end
        self.body = body

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, body={self.body!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.start, self.end, self.body) == (other.start, other.end, other.body)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


class Operator:
    __slots__ = ('start', 'end', 'op')
    __match_args__ = __slots__

    def __init__(self, start: int, end: int, op: str) -> None:
        self.start = start
        self.end = end
        self.op = op

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, op={self.op!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.start, self.end, self.op) == (other.start, other.end, other.op)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


class Expression:
    """``( ... )``: operands and operators in the order written."""

    __slots__ = ('start', 'end', 'items')
    __match_args__ = __slots__

    def __init__(self, start: int, end: int, items: list[Union["Value", Operator]]) -> None:
        self.start = start
        self.end = end
        self.items = items

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, items={self.items!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.start, self.end, self.items) == (other.start, other.end, other.items)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


class Concat:
    """Parts written next to each other with no space: ``name~"x"``."""

    __slots__ = ('start', 'end', 'parts')
    __match_args__ = __slots__

    def __init__(self, start: int, end: int, parts: list["Atom"]) -> None:
        self.start = start
        self.end = end
        self.parts = parts

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, parts={self.parts!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.start, self.end, self.parts) == (other.start, other.end, other.parts)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


Atom = Union[Word, String, Variable, Substitution, Block, Expression]
Value = Union[Atom, Concat]


class Arg:
    """``key=value`` (``value`` is None for ``key=`` with nothing after)."""

    __slots__ = ('start', 'end', 'name', 'key_end', 'value')
    __match_args__ = __slots__

    def __init__(self, start: int, end: int, name: str, key_end: int, value: Value | None) -> None:
        self.start = start
        self.end = end
        self.name = name
        self.key_end = key_end
        self.value = value

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, name={self.name!r}, "
                f"key_end={self.key_end!r}, value={self.value!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.start, self.end, self.name, self.key_end, self.value,
            ) == (
                other.start, other.end, other.name, other.key_end, other.value,
            )
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


Element = Union[Value, Arg]


class Comment:
    __slots__ = ('start', 'end', 'text')
    __match_args__ = __slots__

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, text={self.text!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.start, self.end, self.text) == (other.start, other.end, other.text)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


class Abbreviation:
    """A menu or command word written as a prefix of its name (``/int bri
    port``): ``full`` is the name RouterOS takes it for, or None when the
    prefix fits several (``candidates``) and RouterOS refuses it."""

    __slots__ = ('start', 'end', 'written', 'full', 'what', 'candidates', 'parent')
    __match_args__ = __slots__

    def __init__(
        self,
        start: int,
        end: int,
        written: str,
        full: str | None,
        what: str,  # "menu", "command" or "menu or command"
        candidates: tuple[str, ...] = (),  # the names the prefix fits, when more than one
        parent: tuple[str, ...] = (),  # the menu the word was read in
    ) -> None:
        self.start = start
        self.end = end
        self.written = written
        self.full = full
        self.what = what
        self.candidates = candidates
        self.parent = parent

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, "
                f"written={self.written!r}, full={self.full!r}, what={self.what!r}, "
                f"candidates={self.candidates!r}, parent={self.parent!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.start, self.end, self.written, self.full, self.what, self.candidates, self.parent,
            ) == (
                other.start, other.end, other.written, other.full, other.what, other.candidates, other.parent,
            )
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


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

    __slots__ = ('start', 'end', 'absolute', 'path', 'path_end', 'verb', 'args', 'menu', 'comments', 'abbreviations')
    __match_args__ = __slots__

    def __init__(
        self,
        start: int,
        end: int,
        absolute: bool,
        path: tuple[str, ...],
        path_end: int,
        verb: Word | None,
        args: list[Element],
        menu: tuple[str, ...] = (),
        comments: list[Comment] | None = None,
        abbreviations: list[Abbreviation] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.absolute = absolute
        self.path = path
        self.path_end = path_end
        self.verb = verb
        self.args = args
        self.menu = menu
        self.comments = [] if comments is None else comments
        self.abbreviations = [] if abbreviations is None else abbreviations

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, "
                f"absolute={self.absolute!r}, path={self.path!r}, path_end={self.path_end!r}, "
                f"verb={self.verb!r}, args={self.args!r}, menu={self.menu!r}, comments={self.comments!r}, "
                f"abbreviations={self.abbreviations!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.start, self.end, self.absolute, self.path, self.path_end, self.verb, self.args, self.menu,
                self.comments, self.abbreviations,
            ) == (
                other.start, other.end, other.absolute, other.path, other.path_end, other.verb, other.args,
                other.menu, other.comments, other.abbreviations,
            )
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)

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


class Script:
    """A whole file (or an embedded script): statements in order."""

    __slots__ = ('body', 'start', 'end')
    __match_args__ = __slots__

    def __init__(self, body: list[Statement], start: int = 0, end: int = 0) -> None:
        self.body = body
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(body={self.body!r}, start={self.start!r}, end={self.end!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.body, self.start, self.end) == (other.body, other.start, other.end)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)

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
