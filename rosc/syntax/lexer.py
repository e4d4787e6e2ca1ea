"""The RouterOS tokenizer.

RouterOS reads a script in modes: statement level (menu paths, words,
``key=value`` arguments), expressions inside ``( )``, and quoted strings with
escapes.  The tokenizer tracks those modes and the nesting of ``[ ] { } ( )``
and yields tokens as tuples ``(type, start, end)``.  At nesting depth 0 a
line end or ``;`` ends a statement: it yields ``$END`` there, which is how the
parser splits the file into independent top-level statements.

Problems found while reading are yielded as ``ERROR`` tokens (the fourth
tuple item is the message); warnings are appended to ``warnings``.
"""

from __future__ import annotations

import re
from typing import Iterator

# One token: (type, start, end) or (type, start, end, message) for ERROR.
Token = tuple

_STR = r'"(?:[^"\\]|\\.)*"'
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
    |(?P<USTRING>")
    |(?P<BAD>.)
    """,
    re.VERBOSE | re.DOTALL,
)

# Deeper nesting than this is reported and the statement skipped: every
# pass over the tree recurses, and no real script comes near it.
MAX_DEPTH = 64

_WORD_WITH_HASH = re.compile(r"[^\s\"\[\](){};\\$]+")
_OPENERS = {"[": "LBRACK", "{": "LBRACE", "(": "LPAR"}
_CLOSERS = {"]": ("[", "RBRACK"), "}": ("{", "RBRACE"), ")": ("(", "RPAR")}
_NAMES = {"[": "bracket `[`", "{": "brace `{`", "(": "parenthesis `(`"}

# Token types after which a value written with no space continues it.
_VALUE_ENDS = frozenset({"WORD", "STRING", "VAR", "RBRACK", "RPAR", "RBRACE"})
_VALUE_STARTS = frozenset({"WORD", "STRING", "VAR", "LBRACK", "LPAR"})
_STATEMENT_STARTERS = frozenset({"NL", "SEMI", "LBRACE", "LBRACK", "$END"})


def tokenize(text: str, warnings: list | None = None) -> Iterator[Token]:
    """Yield the tokens of ``text``; see the module docstring."""
    if warnings is None:
        warnings = []
    normal_match = _NORMAL.match
    expr_match = _EXPR.match
    match = normal_match
    stack: list[tuple[str, int]] = []  # (opener char, offset)
    pos = 0
    length = len(text)
    prev = "$END"  # type of the previous significant token
    prev_end = -1
    while pos < length:
        m = match(text, pos)
        kind = m.lastgroup
        start = pos
        pos = m.end()
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
            if prev_end == start and prev in _VALUE_ENDS:
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
            continue
        if kind == "COMMENT":
            if prev in _STATEMENT_STARTERS:
                yield ("COMMENT", start, pos)
                prev = "COMMENT"
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
            if stack:
                yield ("SEMI", start, pos)
                prev = "SEMI"
            elif prev != "$END":
                yield ("$END", start, start)
                prev = "$END"
            continue
        if kind == "OPEN":
            char = text[start]
            if char != "{" and prev_end == start and prev in _VALUE_ENDS:
                yield ("GLUE", start, start)
            stack.append((char, start))
            if len(stack) == MAX_DEPTH + 1:
                yield ("ERROR", start, pos, f"brackets nested more than {MAX_DEPTH} deep; rosc does not read deeper", "SYN011")
            tok = _OPENERS[char]
            yield (tok, start, pos)
            prev = tok
            match = expr_match if char == "(" else normal_match
            continue
        if kind == "CLOSE":
            char = text[start]
            want, tok = _CLOSERS[char]
            if stack and stack[-1][0] == want:
                stack.pop()
                yield (tok, start, pos)
                prev = tok
                prev_end = pos
                match = expr_match if stack and stack[-1][0] == "(" else normal_match
                continue
            if stack:
                opener, at = stack[-1]
                message = f"`{char}` does not match the {_NAMES[opener]} opened before it"
            else:
                message = f"`{char}` closes nothing: there is no {_NAMES[want]} open"
            yield ("ERROR", start, pos, message, "SYN004")
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
            line_end = text.find("\n", start)
            if line_end == -1:
                line_end = length
            yield ("ERROR", start, start + 1, "unterminated string: this quote is never closed", "SYN002")
            prev = "ERROR"
            pos = line_end
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
        yield ("ERROR", start, pos, message, "SYN010")
        prev = "ERROR"
    for char, at in reversed(stack):
        closer = {"[": "]", "{": "}", "(": ")"}[char]
        yield ("ERROR", at, at + 1, f"this {_NAMES[char]} is never closed: `{closer}` is missing", "SYN003")
    if prev != "$END":
        yield ("$END", length, length)
