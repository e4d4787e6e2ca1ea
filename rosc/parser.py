"""Text → syntax tree.

The grammar (``grammar/routeros.lark``) is compiled by Lark into LALR tables
once per process.  ``parse`` drives those tables itself over the tokens from
``rosc.lexer`` and builds the syntax tree nodes as rules are reduced: no
intermediate parse tree is made.  Each top-level statement is parsed on its
own, so a syntax error costs only that statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from rosc import strings
from rosc.diagnostics import Diagnostic, Severity
from rosc.lexer import tokenize
from rosc.resources import data_dir
from rosc.source import Source, decode
from rosc.syntax import (
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
    Variable,
    Word,
)

# Words for the tokens in messages, in the words a network engineer uses.
TOKEN_WORDS = {
    "PATH": "a menu path",
    "WORD": "a word",
    "STRING": "a quoted string",
    "VAR": "a variable",
    "KEY": "a `name=value` argument",
    "SKEY": "a `\"name\"=value` element",
    "EKEY": "an empty `name=` argument",
    "KV": "a `name=value` argument",
    "KS": "a `name=\"value\"` argument",
    "GLUE": "a value written right after another",
    "OP": "an operator",
    "NL": "a line end",
    "SEMI": "`;`",
    "COMMENT": "a comment",
    "LBRACK": "`[`",
    "RBRACK": "`]`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "$END": "the end of the command",
}


@dataclass(slots=True)
class ParseResult:
    source: Source
    script: Script
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(d.severity >= Severity.ERROR for d in self.diagnostics)


@dataclass(slots=True)
class _Tables:
    states: dict
    start_state: int
    end_state: int
    shift: object
    rules: dict  # rule -> (size, origin name, callback name)


@cache
def _tables() -> _Tables:
    from lark import Lark
    from lark.lexer import Lexer
    from lark.parsers.lalr_analysis import Shift

    class _ExternalLexer(Lexer):  # tokens come from rosc.lexer
        def __init__(self, conf):
            pass

        def lex(self, data):  # pragma: no cover - never called
            return iter(())

    grammar = (data_dir("grammar") / "routeros.lark").read_text(encoding="utf-8")
    lark = Lark(grammar, parser="lalr", lexer=_ExternalLexer, start="start")
    table = lark.parser.parser.parser.parse_table
    rules = {}
    for state_actions in table.states.values():
        for action, arg in state_actions.values():
            if action is not Shift and arg not in rules:
                name = arg.alias or arg.origin.name
                rules[arg] = (len(arg.expansion), arg.origin.name, name)
    return _Tables(table.states, table.start_states["start"], table.end_states["start"], Shift, rules)


class _Builder:
    """Callbacks that turn reduced rules into syntax nodes."""

    def __init__(self, text: str):
        self.text = text

    # -- statements
    def start(self, s):
        return s[0]

    def path_only(self, s):
        tok = s[0]
        return Command(tok[1], tok[2], True, (), tok[2], None, [])

    def path_command(self, s):
        tok, elements = s
        return Command(tok[1], elements[-1].end, True, (), tok[2], None, elements)

    def command(self, s):
        elements = s[0]
        return Command(elements[0].start, elements[-1].end, False, (), elements[0].start, None, elements)

    def comment(self, s):
        tok = s[0]
        return Comment(tok[1], tok[2], self.text[tok[1] : tok[2]])

    # -- lists
    def list_first(self, s):
        return [s[0]]

    def list_append(self, s):
        s[0].append(s[1])
        return s[0]

    def list_append_third(self, s):
        s[0].append(s[2])
        return s[0]

    def pass_through(self, s):
        return s[0]

    def second(self, s):
        return s[1]

    def empty_body(self, s):
        return []

    def seps(self, s):
        return None

    # -- arguments
    def positional(self, s):
        return s[0]

    def key_value(self, s):
        tok, value = s
        return Arg(tok[1], value.end, _intern(self.text[tok[1] : tok[2] - 1]), tok[2] - 1, value)

    def string_key_value(self, s):
        tok, value = s
        raw = self.text[tok[1] : tok[2] - 1]
        return Arg(tok[1], value.end, strings.decode(raw)[0], tok[2] - 1, value)

    def empty_key(self, s):
        tok = s[0]
        return Arg(tok[1], tok[2], _intern(self.text[tok[1] : tok[2] - 1]), tok[2] - 1, None)

    def key_word(self, s):
        start, end = s[0][1], s[0][2]
        chunk = self.text[start:end]
        eq = chunk.index("=")
        return Arg(start, end, _intern(chunk[:eq]), start + eq, Word(start + eq + 1, end, chunk[eq + 1 :]))

    def key_string(self, s):
        start, end = s[0][1], s[0][2]
        chunk = self.text[start:end]
        eq = chunk.index("=")
        value_start = start + eq + 1
        return Arg(start, end, _intern(chunk[:eq]), start + eq, self._string(value_start, end))

    # -- values
    def single(self, s):
        return s[0]

    def glued(self, s):
        first, _, atom = s
        if type(first) is Concat:
            first.parts.append(atom)
            first.end = atom.end
            return first
        return Concat(first.start, atom.end, [first, atom])

    def word(self, s):
        tok = s[0]
        return Word(tok[1], tok[2], self.text[tok[1] : tok[2]])

    def string(self, s):
        tok = s[0]
        return self._string(tok[1], tok[2])

    def _string(self, start, end):
        raw = self.text[start:end]
        if "\\" not in raw and "$" not in raw:
            return String(start, end, raw, raw[1:-1])
        value, _offsets, interpolated, problems = strings.decode(raw, start)
        for p_start, p_end, message in problems:
            self.problems.append(("SYN008", p_start, p_end, message))
        return String(start, end, raw, value, interpolated)

    def variable(self, s):
        tok = s[0]
        raw = self.text[tok[1] + 1 : tok[2]]
        if raw.startswith('"'):
            return Variable(tok[1], tok[2], strings.decode(raw)[0], True)
        return Variable(tok[1], tok[2], raw)

    def substitution(self, s):
        return Substitution(s[0][1], s[2][2], s[1])

    def block(self, s):
        return Block(s[0][1], s[2][2], s[1])

    def empty_expression(self, s):
        return Expression(s[0][1], s[1][2], [])

    def expression(self, s):
        return Expression(s[0][1], s[2][2], s[1])

    def operator(self, s):
        tok = s[0]
        return Operator(tok[1], tok[2], self.text[tok[1] : tok[2]])


_interned: dict[str, str] = {}


def _intern(name: str) -> str:
    return _interned.setdefault(name, name)


def parse_text(text: str, path: str = "<stdin>") -> ParseResult:
    """Parse already-decoded text."""
    return _parse_source(Source(text, path), [])


def parse_bytes(data: bytes, path: str = "<stdin>") -> ParseResult:
    """Decode and parse the raw bytes of a file."""
    source, diagnostics = decode(data, path)
    return _parse_source(source, diagnostics)


def _parse_source(source: Source, diagnostics: list[Diagnostic]) -> ParseResult:
    raw_problems: list[tuple[str, int, int, str]] = []
    body = parse_statements(source.text, raw_problems)
    script = Script(body, 0, len(source.text))
    from rosc.menu_context import resolve  # late import: keeps modules small

    resolve(script, source.text, raw_problems)
    for code, start, end, message in raw_problems:
        severity = Severity.WARNING if code in WARNING_CODES else Severity.ERROR
        diagnostics.append(Diagnostic(code, severity, message, source.path, source.span(start, end)))
    diagnostics.sort(key=Diagnostic.sort_key)
    return ParseResult(source, script, diagnostics)


WARNING_CODES = frozenset({"SYN005", "SYN007", "SYN008", "SYN009"})


def parse_statements(text: str, problems: list) -> list:
    """Parse ``text`` into a list of statements; append problems as
    ``(code, start, end, message)`` to ``problems``."""
    tables = _tables()
    states = tables.states
    start_state = tables.start_state
    end_state = tables.end_state
    shift = tables.shift
    rules = tables.rules
    builder = _Builder(text)
    builder.problems = problems
    callbacks = {rule: (size, origin, getattr(builder, name)) for rule, (size, origin, name) in rules.items()}

    body: list = []
    state_stack = [start_state]
    value_stack: list = []
    failed = False
    for tok in tokenize(text, problems):
        typ = tok[0]
        if failed:
            if typ == "END":
                failed = False
                state_stack = [start_state]
                value_stack = []
            elif typ == "ERROR":
                problems.append((tok[4], tok[1], tok[2], tok[3]))
            continue
        if typ == "END":
            if not value_stack:
                continue
            typ = "$END"
        elif typ == "ERROR":
            problems.append((tok[4], tok[1], tok[2], tok[3]))
            failed = True
            continue
        while True:
            try:
                action, arg = states[state_stack[-1]][typ]
            except KeyError:
                problems.append(_unexpected(text, tok, states[state_stack[-1]], value_stack))
                failed = typ != "$END"
                state_stack = [start_state]
                value_stack = []
                break
            if action is shift:
                state_stack.append(arg)
                value_stack.append(tok)
                break
            size, origin, fn = callbacks[arg]
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            value = fn(children)
            state_stack.append(states[state_stack[-1]][origin][1])
            value_stack.append(value)
            if typ == "$END" and state_stack[-1] == end_state:
                body.append(value_stack[-1])
                state_stack = [start_state]
                value_stack = []
                break
    return body


def _unexpected(text: str, tok, expected_actions: dict, value_stack: list) -> tuple[str, int, int, str]:
    typ = tok[0]
    start, end = tok[1], tok[2]
    if typ == "END":
        typ = "$END"
    found = TOKEN_WORDS.get(typ, typ)
    if typ not in ("$END", "GLUE") and end > start:
        snippet = text[start:end]
        if len(snippet) > 30:
            snippet = snippet[:27] + "..."
        found = f"`{snippet}`"
    expected = sorted({TOKEN_WORDS.get(t, t) for t in expected_actions if t.isupper() or t == "$END"})
    message = f"unexpected {found}"
    if typ == "RPAR" or typ == "RBRACK" or typ == "RBRACE":
        message += " here"
    if expected and len(expected) <= 4:
        message += "; expected " + " or ".join(expected)
    if end == start:
        end = start + 1
    return ("SYN001", start, min(end, len(text)) if end > start else end, message)
