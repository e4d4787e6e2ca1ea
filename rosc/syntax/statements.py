"""Tokens → statements: rosc's own loop over the LALR tables of
``rosc.syntax.grammar``, building the syntax tree nodes as rules are reduced
(no intermediate parse tree).  Each top-level statement is parsed on its
own, so a syntax error costs only that statement."""

from __future__ import annotations

import gc
import re
import sys

from rosc.syntax import strings
from rosc.syntax.grammar import tables as grammar_tables
from rosc.syntax.lexer import tokenize
from rosc.syntax.problems import Problem
from rosc.syntax.tree import (
    Arg,
    Block,
    Command,
    Comment,
    Concat,
    Expression,
    Operator,
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
    "KVS": "a `name=value` argument",
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
    "LCMD": "`(`",
    "$END": "the end of the command",
}


class _Builder:
    """Callbacks that turn reduced rules into syntax nodes."""

    def __init__(self, text: str):
        self.text = text

    # -- statements
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

    # -- arguments: `first_*` start the element list, the others extend it
    def first_positional(self, s):
        return [s[0]]

    def positional(self, s):
        s[0].append(s[1])
        return s[0]

    def first_key_value(self, s):
        return [self._key_value(s[0], s[1])]

    def key_value(self, s):
        s[0].append(self._key_value(s[1], s[2]))
        return s[0]

    def _key_value(self, tok, value):
        return Arg(tok[1], value.end, _intern(self.text[tok[1] : tok[2] - 1]), tok[2] - 1, value)

    def first_string_key_value(self, s):
        return [self._string_key_value(s[0], s[1])]

    def string_key_value(self, s):
        s[0].append(self._string_key_value(s[1], s[2]))
        return s[0]

    def _string_key_value(self, tok, value):
        raw = self.text[tok[1] : tok[2] - 1]
        return Arg(tok[1], value.end, strings.decode_value(raw)[0], tok[2] - 1, value)

    def first_empty_key(self, s):
        return [self._empty_key(s[0])]

    def empty_key(self, s):
        s[0].append(self._empty_key(s[1]))
        return s[0]

    def _empty_key(self, tok):
        return Arg(tok[1], tok[2], _intern(self.text[tok[1] : tok[2] - 1]), tok[2] - 1, None)

    def first_key_values(self, s):
        out = []
        self._key_values(s[0], out)
        return out

    def key_values(self, s):
        self._key_values(s[1], s[0])
        return s[0]

    def _key_values(self, tok, out):
        text = self.text
        append = out.append
        start = tok[1]
        find = text.find
        for name, value in _KV_ITEM.findall(text, start, tok[2]):
            start = find(name, start)
            eq = start + len(name)
            end = eq + 1 + len(value)
            if value[0] == '"':
                append(Arg(start, end, _intern(name), eq, self._string(eq + 1, end)))
            else:
                append(Arg(start, end, _intern(name), eq, Word(eq + 1, end, value)))
            start = end

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
        value, interpolated, problems = strings.decode_value(raw, start)
        for p_start, p_end, message in problems:
            self.problems.append(("SYN008", p_start, p_end, message))
        return String(start, end, raw, value, interpolated)

    def variable(self, s):
        tok = s[0]
        raw = self.text[tok[1] + 1 : tok[2]]
        if raw.startswith('"'):
            return Variable(tok[1], tok[2], strings.decode_value(raw)[0], True)
        return Variable(tok[1], tok[2], raw)

    def substitution(self, s):
        return Substitution(s[0][1], s[2][2], s[1])

    def paren_command(self, s):
        return Substitution(s[0][1], s[2][2], s[1], True)

    def block(self, s):
        return Block(s[0][1], s[2][2], s[1])

    def empty_expression(self, s):
        return Expression(s[0][1], s[1][2], [])

    def expression(self, s):
        return Expression(s[0][1], s[2][2], s[1])

    def operator(self, s):
        tok = s[0]
        return Operator(tok[1], tok[2], self.text[tok[1] : tok[2]])


_intern = sys.intern
_KV_ITEM = re.compile(r'([A-Za-z0-9_.\-]+)=("[^"\\]*+(?:\\.[^"\\]*+)*+"|[^\s"\[\](){};\\$]+)', re.DOTALL)


def parse_statements(text: str, problems: list) -> list:
    """Parse ``text`` into a list of statements; append problems as
    ``(code, start, end, message)`` to ``problems``."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the tree is acyclic: collecting during the build only costs time
    try:
        return drive(text, problems)
    finally:
        if gc_was_enabled:
            gc.enable()


# Errors reported even after an earlier error in the same command: a NUL
# byte, nesting too deep to read.
_ALWAYS_REPORTED = frozenset({"SYN006", "SYN011"})


class _Failure:
    """The errors of one top-level statement: the first is reported, those
    after it are follow-ons, counted in a note of the first (brackets left
    open at the end of the text are named there; when they are the first
    error, each is reported)."""

    __slots__ = ("primary", "index", "follow", "unclosed")

    def __init__(self, primary, index: int):
        self.primary = primary
        self.index = index  # where it is in ``problems``
        self.follow = 0
        self.unclosed: list = []

    def finish(self) -> None:
        primary = self.primary
        if type(primary) is not Problem:
            return
        if self.unclosed:
            count = sum(1 + p.more for p in self.unclosed)
            first = self.unclosed[0]
            what = "bracket, brace or parenthesis" if count == 1 else "brackets, braces and parentheses"
            primary.notes.append(
                f"{count:,} {what} opened in this command {'is' if count == 1 else 'are'} never closed "
                f"either, the first at {{@{len(primary.refs)}}}"
            )
            primary.refs.append(first[1])
        if self.follow:
            if self.follow == 1:
                note = "1 more syntax error in this command is not shown: it may be a consequence of this one"
            else:
                note = f"{self.follow:,} more syntax errors in this command are not shown: they may be consequences of this one"
            primary.notes.append(note)


def drive(text: str, problems: list) -> list:
    tables = grammar_tables()
    states = tables.states
    start_state = tables.start_state
    end_state = tables.end_state
    builder = _Builder(text)
    builder.problems = problems
    callbacks = [getattr(builder, name) for name in tables.rule_names]

    body: list = []
    append = body.append
    state_stack = [start_state]
    value_stack: list = []
    push_state = state_stack.append
    push_value = value_stack.append
    failure: _Failure | None = None
    for tok in tokenize(text, problems):
        typ = tok[0]
        if typ == "ERROR":
            problem = tok[5]
            if failure is not None and (failure.index >= len(problems) or problems[failure.index] is not failure.primary):
                failure = None  # the lexer went back before it (a string traced back)
            if failure is None:
                failure = _Failure(problem, len(problems))
                problems.append(problem)
                del state_stack[1:]
                value_stack.clear()
            elif problem[0] in _ALWAYS_REPORTED or (problem.eof and failure.primary.eof):
                problems.append(problem)  # (brackets left open: one error each)
            elif problem.eof and problem[0] == "SYN003":
                failure.unclosed.append(problem)
            else:
                failure.follow += 1
            continue
        if failure is not None:
            if typ == "$END":
                failure.finish()
                failure = None
                del state_stack[1:]
                value_stack.clear()
            continue
        if typ == "$END" and not value_stack:
            continue
        while True:
            action = states[state_stack[-1]].get(typ)
            if action is None:
                problem = _unexpected(text, tok, states[state_stack[-1]])
                if typ != "$END":
                    failure = _Failure(problem, len(problems))
                problems.append(problem)
                del state_stack[1:]
                value_stack.clear()
                break
            if action[0]:
                push_state(action[1])
                push_value(tok)
                break
            _, size, origin, index = action
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            value = callbacks[index](children)
            state = states[state_stack[-1]][origin][1]
            if state == end_state:
                append(value)
                del state_stack[1:]
                value_stack.clear()
                break
            push_state(state)
            push_value(value)
    if failure is not None:
        failure.finish()
    return body


def _unexpected(text: str, tok, expected_actions: dict) -> tuple[str, int, int, str]:
    typ = tok[0]
    start, end = tok[1], tok[2]
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
    return Problem("SYN001", start, min(end, len(text)) if end > start else end, message)
