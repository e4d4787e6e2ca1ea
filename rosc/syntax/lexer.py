"""The RouterOS tokenizer.

RouterOS reads a script in modes: statement level (menu paths, words,
``key=value`` arguments), expressions inside ``( )``, and quoted strings with
escapes.  A ``(`` whose first word is a ``:command`` holds a command, read
like the inside of ``[ ]`` (``(:pick $s 0 3)``, ``(:totime "1h")``).  The
tokenizer tracks those modes and the nesting of ``[ ] { } ( )`` and yields
tokens as tuples ``(type, start, end)``.  At nesting depth 0 a line end or
``;`` ends a statement: it yields ``$END`` there, which is how the parser
splits the file into independent top-level statements.

Problems found while reading are yielded as ``ERROR`` tokens ``("ERROR",
start, end, message, code, problem)`` with a ``rosc.syntax.problems.Problem``;
warnings are appended to ``warnings``.  The tokenizer repairs what it can so
that one mistake is reported once: a ``;`` or a closer that ends a bracket
still open inside it closes that bracket (reported as never closed), and an
unterminated string that follows a string running across lines is traced
back to that string, where the quotes began to pair up wrongly.
"""

from __future__ import annotations

import re
from typing import Iterator

from rosc.syntax.problems import Problem

# One token: (type, start, end) or ("ERROR", start, end, message, code, problem).
Token = tuple

# A quoted string.  Possessive repeats: Python's regular expressions keep
# backtracking state for every repetition of a group otherwise, which cost
# about 120 bytes of memory per byte of a long string.
_STR = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_VALUE_END = r'(?=[\s;\]})\\]|\Z)'
_KEYNAME = r"[A-Za-z0-9_.\-]+"

# One `name=word` or `name="string"` argument, and a run of them separated by
# spaces or clean line continuations: the commonest thing in an export, read
# in one regular-expression match.
KV_ITEM = rf"""{_KEYNAME}=(?:[^\s"\[\](){{}};\\$]+|{_STR})"""
_KV_SEP = r"(?:[ \t]+(?:\\\r?\n[ \t]*)?|\\\r?\n[ \t]*)"

_NORMAL = re.compile(
    rf"""
     (?P<WS>[ \t\f\v]+)
    |(?P<KVS>{KV_ITEM}(?:{_KV_SEP}{KV_ITEM})*{_VALUE_END})
    |(?P<NL>\r?\n|\r)
    |(?P<EKEY>{_KEYNAME}=(?=[\s;\]}})]|\Z))
    |(?P<KEY>{_KEYNAME}=)
    |(?P<WORD>[^\s"\[\](){{}};\\$\#][^\s"\[\](){{}};\\$]*)
    |(?P<CONT>\\[ \t]*(?:\r?\n|\r|\Z))
    |(?P<SKEY>{_STR}=)
    |(?P<STRING>{_STR})
    |(?P<VAR>\$(?:[A-Za-z0-9_]+|{_STR}))
    |(?P<COMMENT>\#[^\r\n]*)
    |(?P<OPEN>[\[{{(])
    |(?P<CLOSE>[\]}})])
    |(?P<SEMI>;)
    |(?P<USTRING>")
    |(?P<BAD>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_EXPR = re.compile(
    rf"""
     (?P<WS>[ \t\f\v\r\n]+)
    |(?P<WORD>[0-9A-Za-z_][0-9A-Za-z_:.]*(?:/[0-9]+)?|::[0-9A-Fa-f:.]*(?:/[0-9]+)?|\*[0-9A-Fa-f]+)
    |(?P<OP>->|<=|>=|!=|&&|\|\||<<|>>|[-+*/%.<>=!~&|^,])
    |(?P<STRING>{_STR})
    |(?P<VAR>\$(?:[A-Za-z0-9_]+|{_STR}))
    |(?P<OPEN>[\[{{(])
    |(?P<CLOSE>[\]}})])
    |(?P<CONT>\\[ \t]*(?:\r?\n|\r|\Z))
    |(?P<SEMI>;)
    |(?P<USTRING>")
    |(?P<BAD>.)
    """,
    re.VERBOSE | re.DOTALL,
)

# Deeper nesting than this is reported and the statement skipped: every
# pass over the tree recurses, and no real script comes near it.
MAX_DEPTH = 64
# At most this many brackets left open at the end of the text are reported
# one by one; the rest are summed up in a note.
MAX_UNCLOSED = 10

_WORD_WITH_HASH = re.compile(r"[^\s\"\[\](){};\\$]+")
# `(` followed by a `:command` (or `:$function`): a command in parentheses.
_COMMAND_PAREN = re.compile(r"\([ \t]*:[A-Za-z$]")
# A line end inside a string that is not an in-string line join.
_RAW_NEWLINE = re.compile(r"(?<!\\)(?<!\\\r)\n")
_OPENERS = {"[": "LBRACK", "{": "LBRACE", "(": "LPAR", "C": "LCMD"}
# closer -> the openers it closes, its token
_CLOSERS = {"]": ("[", "RBRACK"), "}": ("{", "RBRACE"), ")": ("(C", "RPAR")}
_CLOSER_OF = {"[": "]", "{": "}", "(": ")", "C": ")"}
_NAMES = {"[": "bracket `[`", "{": "brace `{`", "(": "parenthesis `(`", "C": "parenthesis `(`"}
_WANTED_NAMES = {"]": "bracket `[`", "}": "brace `{`", ")": "parenthesis `(`"}

# Token types after which a value written with no space continues it.
_VALUE_ENDS = frozenset({"WORD", "STRING", "VAR", "RBRACK", "RPAR", "RBRACE"})
_VALUE_STARTS = frozenset({"WORD", "STRING", "VAR", "LBRACK", "LPAR"})
_STATEMENT_STARTERS = frozenset({"NL", "SEMI", "LBRACE", "LBRACK", "LCMD", "$END"})
# Characters after a closing quote that end the string's value.
_AFTER_VALUE = frozenset(" \t\r\n\f\v;)]}\\")


def _error(code: str, start: int, end: int, message: str, notes=(), refs=(), fix=None, eof=False) -> Token:
    problem = Problem(code, start, end, message, notes, refs, fix, eof)
    return ("ERROR", start, end, message, code, problem)


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _string_end_guess(text: str, quote: int) -> int:
    """Where a string opened at ``quote`` most likely was meant to end: the
    first line end after it that is not an in-string line join."""
    pos = quote + 1
    while True:
        end = _line_end(text, pos)
        before = text[pos:end].rstrip(" \t\r")
        if end >= len(text) or not before.endswith("\\") or (len(before) - len(before.rstrip("\\"))) % 2 == 0:
            return end - 1 if end > quote + 1 and text[end - 1] == "\r" else end
        pos = end + 1


def tokenize(text: str, warnings: list | None = None) -> Iterator[Token]:
    """Yield the tokens of ``text``; see the module docstring."""
    if warnings is None:
        warnings = []
    normal_match = _NORMAL.match
    expr_match = _EXPR.match
    match = normal_match
    stack: list[tuple[str, int]] = []  # (opener: one of "[{(C", offset)
    pos = 0
    length = len(text)
    prev = "$END"  # type of the previous significant token
    prev_end = -1
    cont_end = -1  # where the last line continuation ended
    # Strings of the current statement that run across lines, as the state
    # to go back to when an unterminated string shows the quotes after them
    # pair up wrongly: (quote offset, end, stack, mode, problem count, glued).
    across: list[tuple] = []
    # After going back to such a string: at the end of its line, brackets
    # opened after its quote are dropped (they are part of the confusion).
    trim_at = length + 1
    trim_depth = 0
    while pos < length:
        m = match(text, pos)
        kind = m.lastgroup
        start = pos
        pos = m.end()
        if start >= trim_at:
            trim_at = length + 1
            if len(stack) > trim_depth:
                del stack[trim_depth:]
                match = expr_match if stack and stack[-1][0] == "(" else normal_match
                if not stack and prev != "$END":
                    yield ("$END", start, start)
                    prev = "$END"
                    across.clear()
                pos = start
                continue
        if kind == "WS":
            continue
        if kind == "KVS" or kind == "EKEY" or kind == "KEY":
            yield (kind, start, pos)
            prev = kind
            continue
        if kind == "NL":
            if stack:
                if stack[-1][0] == "(":
                    continue
                if prev != "NL":
                    yield ("NL", start, pos)
                prev = "NL"
            elif prev != "$END":
                yield ("$END", start, start)
                prev = "$END"
                across.clear()
            continue
        if kind == "WORD":
            if prev in _STATEMENT_STARTERS and text[start] == "/" and match is normal_match:
                yield ("PATH", start, pos)
                prev = "PATH"
                continue
            if prev_end == start and prev in _VALUE_ENDS:
                yield ("GLUE", start, start)
            yield ("WORD", start, pos)
            prev = "WORD"
            prev_end = pos
            continue
        if kind == "STRING" or kind == "VAR":
            glued = prev_end == start and prev in _VALUE_ENDS
            if kind == "STRING" and "\n" in text[start:pos] and _RAW_NEWLINE.search(text, start, pos):
                glued = glued or (pos < length and text[pos] not in _AFTER_VALUE)
                across.append((start, pos, list(stack), match is expr_match, len(warnings), glued))
            if glued:
                yield ("GLUE", start, start)
            yield (kind, start, pos)
            prev = kind
            prev_end = pos
            continue
        if kind == "CONT":
            stripped = m.group().rstrip("\r\n")
            if len(stripped) > 1:
                warnings.append(
                    (
                        "SYN009",
                        start,
                        start + len(stripped),
                        "a space follows the line-continuation backslash: RouterOS still joins the "
                        "lines, but the space is invisible and easy to break; delete it",
                    )
                )
            cont_end = pos
            continue
        if kind == "COMMENT":
            if prev in _STATEMENT_STARTERS:
                yield ("COMMENT", start, pos)
                prev = "COMMENT"
                continue
            if cont_end != -1 and not text[cont_end:start].strip(" \t\f\v"):
                # A comment line between the lines of a continued command.
                yield _error(
                    "SYN013",
                    start,
                    pos,
                    "comment line inside a command continued with `\\`: RouterOS does not carry a command "
                    "on across a comment, so what follows the comment is not part of this command",
                    ["the line before ends with `\\`, which joins this comment line to the command"],
                    fix="move the comment above the command, or remove it",
                )
                prev = "ERROR"
                # The lines after the comment belong to the broken command:
                # skip the line end, so they are not read as a command of
                # their own.
                if pos < length and text[pos] in "\r\n":
                    pos += 2 if text.startswith("\r\n", pos) else 1
                continue
            m2 = _WORD_WITH_HASH.match(text, start)
            pos = m2.end()
            if prev_end == start and prev in _VALUE_ENDS:
                yield ("GLUE", start, start)
            yield ("WORD", start, pos)
            prev = "WORD"
            prev_end = pos
            continue
        if kind == "SEMI":
            if stack and stack[-1][0] == "(":
                # `;` cannot be inside an expression: the `(` was not closed.
                yield from _close_parens_before(text, stack, start, "`;`")
                match = expr_match if stack and stack[-1][0] == "(" else normal_match
                prev = "ERROR"
                pos = start  # read the `;` again, outside the expression
                continue
            if stack:
                yield ("SEMI", start, pos)
                prev = "SEMI"
            elif prev != "$END":
                yield ("$END", start, start)
                prev = "$END"
                across.clear()
            continue
        if kind == "OPEN":
            char = text[start]
            if char == "(" and _COMMAND_PAREN.match(text, start):
                char = "C"
            if char != "{" and prev_end == start and prev in _VALUE_ENDS:
                yield ("GLUE", start, start)
            stack.append((char, start))
            if len(stack) == MAX_DEPTH + 1:
                yield _error("SYN011", start, pos, f"brackets nested more than {MAX_DEPTH} deep; rosc does not read deeper")
            tok = _OPENERS[char]
            yield (tok, start, pos)
            prev = tok
            match = expr_match if char == "(" else normal_match
            continue
        if kind == "CLOSE":
            char = text[start]
            want, tok = _CLOSERS[char]
            if stack and stack[-1][0] in want:
                stack.pop()
                yield (tok, start, pos)
                prev = tok
                prev_end = pos
                match = expr_match if stack and stack[-1][0] == "(" else normal_match
                continue
            if any(opener in want for opener, _ in stack):
                # It closes one opened further out: the ones inside were
                # never closed.  Report them, then read the closer again.
                yield from _close_until(text, stack, want, start, char)
                match = expr_match if stack and stack[-1][0] == "(" else normal_match
                prev = "ERROR"
                pos = start
                continue
            if stack:
                opener, at = stack[-1]
                yield _error(
                    "SYN004",
                    start,
                    pos,
                    f"`{char}` does not match the {_NAMES[opener]} opened before it",
                    [f"the {_NAMES[opener]} at {{@0}} wants `{_CLOSER_OF[opener]}`; no {_WANTED_NAMES[char]} is open"],
                    [at],
                )
            else:
                yield _error("SYN004", start, pos, f"`{char}` closes nothing: there is no {_WANTED_NAMES[char]} open")
            prev = "ERROR"
            continue
        if kind == "OP":
            yield ("OP", start, pos)
            prev = "OP"
            continue
        if kind == "SKEY":
            yield ("SKEY", start, pos)
            prev = "SKEY"
            continue
        if kind == "USTRING":
            culprit = next((a for a in across if a[5]), across[0] if across else None)
            if culprit is not None:
                # The quotes of this statement paired up wrongly from a string
                # that runs across lines: go back to it and report it there.
                quote, string_end, saved_stack, in_expr, count, _glued = culprit
                del warnings[count:]
                stack[:] = saved_stack
                match = expr_match if in_expr else normal_match
                guess = _string_end_guess(text, quote)
                yield _error(
                    "SYN002",
                    quote,
                    quote + 1,
                    "unterminated string: the quotes from here on do not pair up; this string runs on to "
                    "{@1}, and the last quote, at {@2}, is never closed",
                    [
                        "the string probably should end at {@0}, the end of its line: "
                        "a closing quote is missing there, or this quote is one too many "
                        "(rosc reads on as if it were)"
                    ],
                    [guess, string_end - 1, start],
                )
                across.clear()
                prev = "ERROR"
                # Read on after the quote, as if it were not there.
                pos = quote + 1
                trim_at = _line_end(text, quote)
                trim_depth = len(stack)
                continue
            guess = _string_end_guess(text, start)
            yield _error(
                "SYN002",
                start,
                start + 1,
                "unterminated string: this quote is never closed",
                ["RouterOS reads everything after it, to the end of the text, as part of the string; "
                 "it probably should end at {@0}"],
                [guess],
            )
            prev = "ERROR"
            pos = _line_end(text, start)
            continue
        # BAD
        char = text[start]
        if char == "\\":
            message = "stray backslash: outside a string a backslash only continues a line, at its very end"
        elif char == "$":
            message = "`$` must be followed by a variable name, as in `$name` or `$\"name\"`"
        elif char == "#":
            message = "`#` starts a comment only at the beginning of a line"
        else:
            message = f"unexpected character {char!r} in an expression"
        yield _error("SYN010", start, pos, message)
        prev = "ERROR"
    yield from _unclosed_at_end(stack)
    if prev != "$END":
        yield ("$END", length, length)


def _close_parens_before(text: str, stack: list, at: int, what: str) -> Iterator[Token]:
    """Pop the expression parentheses on top of ``stack``: ``what`` at ``at``
    cannot be inside them."""
    while stack and stack[-1][0] == "(":
        _, opened = stack.pop()
        yield _error(
            "SYN003",
            opened,
            opened + 1,
            f"this parenthesis `(` is never closed: `)` is missing before the {what} at {{@0}}",
            refs=[at],
            fix="add the `)` where the expression ends",
        )


def _close_until(text: str, stack: list, want: str, at: int, char: str) -> Iterator[Token]:
    """Pop the openers above the innermost one ``char`` closes."""
    while stack and stack[-1][0] not in want:
        opener, opened = stack.pop()
        closer = _CLOSER_OF[opener]
        yield _error(
            "SYN003",
            opened,
            opened + 1,
            f"this {_NAMES[opener]} is never closed: `{closer}` is missing before the `{char}` at {{@0}}",
            [f"that `{char}` closes the {_WANTED_NAMES[char]} opened at {{@1}}"],
            [at, next(o for c, o in reversed(stack) if c in want)],
        )


def _unclosed_at_end(stack: list) -> Iterator[Token]:
    """The brackets still open at the end of the text, outermost first: the
    first ``MAX_UNCLOSED`` one by one, the rest counted in a note of the last
    of those (and in its ``more``)."""
    shown = stack[:MAX_UNCLOSED]
    rest = stack[MAX_UNCLOSED:]
    for i, (char, at) in enumerate(shown):
        notes, refs = [], []
        if i == 0:
            notes.append("everything after it, to the end of the file, is read as part of it")
        last = i == len(shown) - 1
        if rest and last:
            notes.append(f"{len(rest):,} more brackets, braces and parentheses opened after this one are never "
                         "closed either; the last at {@0}")
            refs = [rest[-1][1]]
        tok = _error("SYN003", at, at + 1, f"this {_NAMES[char]} is never closed: `{_CLOSER_OF[char]}` is missing", notes, refs, eof=True)
        tok[5].more = len(rest) if last else 0
        yield tok
