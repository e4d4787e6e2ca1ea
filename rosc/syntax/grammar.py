"""The LALR tables of ``grammar/routeros.lark``, compiled by Lark and
turned into plain dictionaries that ``rosc.syntax.statements`` drives itself.

Compiling the grammar costs more than the rest of a small lint (and
importing Lark alone a good part of it), so the tables are kept in a cache
file, ``lalr-<hash>.marshal`` in the user's cache folder (``$ROSC_CACHE_DIR``,
else ``$XDG_CACHE_HOME/rosc``, else ``~/.cache/rosc``).  The key is the
grammar's text, Lark's own ``__init__.py`` (which holds its version) and
this module's table format; the file is named by a hash of the key and holds
the key itself, compared byte for byte on reading, so a changed grammar or
Lark never reads old tables (and no hashing library is imported).  A cache file that is missing, unreadable, corrupt
or of another key is ignored and the tables are compiled again; when the
folder cannot be written, rosc compiles the tables in every process, as
before.  ``ROSC_CACHE_DIR=`` (empty) turns the cache off.
"""

from __future__ import annotations

import marshal
import os
import zlib
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from rosc.resources import data_dir

FORMAT = b"rosc-lalr-tables-1"


class Tables:
    """LALR tables with plain-string keys.  An action is ``(True, state)``
    for a shift or ``(False, size, origin, rule index)`` for a reduce."""

    __slots__ = ('states', 'start_state', 'end_state', 'rule_names')
    __match_args__ = __slots__

    def __init__(
        self,
        states: dict,
        start_state: int,
        end_state: int,
        rule_names: list,  # rule index -> _Builder method name
    ) -> None:
        self.states = states
        self.start_state = start_state
        self.end_state = end_state
        self.rule_names = rule_names

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(states={self.states!r}, start_state={self.start_state!r}, "
                f"end_state={self.end_state!r}, rule_names={self.rule_names!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.states, self.start_state, self.end_state, self.rule_names,
            ) == (
                other.states, other.start_state, other.end_state, other.rule_names,
            )
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


@cache
def tables() -> Tables:
    grammar = (data_dir("grammar") / "routeros.lark").read_bytes()
    key = cache_key(grammar)
    folder = cache_dir()
    file = folder / f"lalr-{zlib.crc32(key):08x}-{len(key)}.marshal" if folder is not None else None
    if file is not None:
        found = read_cached(file, key)
        if found is not None:
            return found
    built = compile_tables(grammar.decode("utf-8"))
    if file is not None:
        write_cached(file, key, built)
    return built


def cache_dir() -> Path | None:
    """Where the compiled tables are kept, or None when caching is off."""
    configured = os.environ.get("ROSC_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rosc"


def cache_key(grammar: bytes) -> bytes:
    lark = b"lark: not found"
    spec = find_spec("lark")
    if spec is not None and spec.origin:
        try:
            lark = Path(spec.origin).read_bytes()  # holds __version__
        except OSError:
            lark = b"lark: unreadable"
    return b"\0".join((FORMAT, grammar, lark))


def read_cached(file: Path, key: bytes) -> Tables | None:
    """The tables in ``file`` if it holds tables of ``key``, else None."""
    try:
        data = marshal.loads(file.read_bytes())
        stored, states, start, end, names = data
        if stored != key or type(states) is not dict or type(names) is not list:
            return None
        if type(start) is not int or type(end) is not int or start not in states or end not in states:
            return None
        return Tables(states, start, end, names)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def write_cached(file: Path, key: bytes, built: Tables) -> None:
    """Store the tables atomically (written to a file of this process, then
    renamed: a reader never sees half a file); any failure leaves rosc
    working without the cache."""
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        try:
            tmp.write_bytes(marshal.dumps((key, built.states, built.start_state, built.end_state, built.rule_names)))
            os.replace(tmp, file)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except (OSError, ValueError):
        pass


def compile_tables(grammar: str) -> Tables:
    """Compile ``grammar`` with Lark into plain tables."""
    from lark import Lark
    from lark.lexer import Lexer
    from lark.parsers.lalr_analysis import Shift

    class _ExternalLexer(Lexer):  # tokens come from rosc.syntax.lexer
        def __init__(self, conf):
            pass

        def lex(self, data):  # pragma: no cover - never called
            return iter(())

    lark = Lark(grammar, parser="lalr", lexer=_ExternalLexer, start="start")
    table = lark.parser.parser.parser.parse_table
    rule_index: dict = {}
    rule_names: list[str] = []
    states: dict = {}
    for state, actions in table.states.items():
        row = {}
        for symbol, (action, arg) in actions.items():
            if action is Shift:
                row[str(symbol)] = (True, arg)
            else:
                if arg not in rule_index:
                    rule_index[arg] = len(rule_names)
                    rule_names.append(str(arg.alias or arg.origin.name))
                row[str(symbol)] = (False, len(arg.expansion), str(arg.origin.name), rule_index[arg])
        states[state] = row
    return Tables(states, table.start_states["start"], table.end_states["start"], rule_names)
