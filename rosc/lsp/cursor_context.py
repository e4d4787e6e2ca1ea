"""What the cursor is in: the current menu at an offset, and the command being
typed (its menu words, command word and arguments so far)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rosc.lsp.document import Analysis
from rosc.lsp.vocabulary_queries import is_menu, vocabulary
from rosc.syntax.menu_context import join_menu
from rosc.syntax.tree import (
    Arg,
    Block,
    Command,
    Concat,
    Expression,
    Operator,
    Substitution,
)

IDENT = re.compile(r"[a-z0-9][a-z0-9-]*\Z|\.\.\Z")


_TOKEN = re.compile(r'(?:[^\s"]|"(?:[^"\\]|\\.)*"?)+', re.DOTALL)


CONTINUATION = re.compile(r"\\[ \t]*\r?\n")


SCRIPT_COMMANDS = sorted(
    """:beep :delay :do :environment :error :execute :find :for :foreach :global :if :len :local :log
    :nothing :onerror :parse :pick :put :resolve :retry :return :rndnum :rndstr :serialize :deserialize
    :set :terminal :time :timestamp :toarray :tobool :toid :toip :toip6 :tonum :tostr :totime :typeof
    :while :jobname :convert""".split()
)


def context_at(body: list, offset: int, current: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The current menu at ``offset`` (which should be where a command starts)."""
    for stmt in body:
        if stmt.start >= offset:
            break
        if type(stmt) is not Command:
            continue
        if stmt.end >= offset:
            for arg in stmt.args:
                inner = _block_at(arg, offset)
                if inner is not None:
                    return context_at(inner.body, offset, stmt.menu)
            return current
        if stmt.verb is None and not stmt.args:
            current = stmt.menu
    return current


def _block_at(node, offset: int):
    kind = type(node)
    if node is None or not (node.start < offset <= node.end):
        return None
    if kind is Block or kind is Substitution:
        return node
    if kind is Arg:
        return _block_at(node.value, offset)
    if kind is Concat:
        for part in node.parts:
            found = _block_at(part, offset)
            if found is not None:
                return found
    if kind is Expression:
        for item in node.items:
            if type(item) is not Operator:
                found = _block_at(item, offset)
                if found is not None:
                    return found
    return None


@dataclass(slots=True)
class CommandPrefix:
    """The command being written up to the cursor."""

    menu: tuple[str, ...]  # the menu it runs in (known so far)
    verb: str | None
    absolute: bool
    words: list[tuple[str, int]]  # complete words after the verb, with offsets
    current: str  # the word under the cursor, up to it ('' after a space)
    current_start: int
    in_path: bool  # still writing menu words (no verb yet)


def _logical_line_start(text: str, offset: int) -> int:
    start = text.rfind("\n", 0, offset) + 1
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        line = text[prev : start - 1].rstrip("\r").rstrip(" \t")
        if line.endswith("\\") and not line.lstrip().startswith("#"):
            start = prev
        else:
            break
    return start


def _command_starts(text: str, line_start: int, offset: int) -> list[int] | None:
    """Where the commands enclosing ``offset`` start (outermost first), or
    None inside a string, an expression or a comment."""
    stack: list[list] = [[line_start, ""]]
    i = line_start
    in_string = False
    while i < offset:
        c = text[i]
        if in_string:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "#" and not text[stack[-1][0] : i].strip():
            return None
        elif c in "[{(":
            stack.append([i + 1, c])
        elif c in "]})":
            if len(stack) > 1:
                stack.pop()
        elif c == ";" and stack[-1][1] != "(":
            stack[-1][0] = i + 1
        i += 1
    if in_string or stack[-1][1] == "(":
        return None
    return [s for s, _ in stack]


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int]]:
    segment = CONTINUATION.sub(lambda m: " " * len(m.group()), text[start:end])
    return [(m.group(), start + m.start()) for m in _TOKEN.finditer(segment)]


def resolve_words(base: tuple[str, ...], words: list[str], absolute: bool):
    """Split the words of a command into (menu, verb, rest, index of the verb)."""
    vocab = vocabulary()
    menu = () if absolute else base
    i = 0
    while i < len(words) and IDENT.match(words[i]):
        step = vocab.step(menu, words[i], words[i + 1 :]) if vocab is not None and words[i] != ".." else None
        if step is not None and step.kind == "cmd":  # abbreviations read as RouterOS does (/int bri port ad)
            return menu, step.name, words[i + 1 :], i + 1
        if step is not None and step.kind == "menu":
            menu = menu + (step.name,)
            i += 1
            continue
        candidate = join_menu(menu, [words[i]])
        if is_menu(candidate) or (words[i] == ".." and menu):
            menu = candidate
            i += 1
        else:
            break
    verb = None
    if i < len(words) and (IDENT.match(words[i]) or words[i].startswith(":")):
        verb = words[i]
        i += 1
    return menu, verb, words[i:], i


def expand_path(tokens: list[tuple[str, int]]) -> tuple[bool, list[tuple[str, int]]]:
    """Split a leading ``/a/b`` token into its words."""
    if not tokens or not tokens[0][0].startswith("/"):
        return False, tokens
    first, at = tokens[0]
    out = []
    pos = 0
    for segment in first.split("/"):
        if segment:
            out.append((segment, at + pos))
        pos += len(segment) + 1
    return True, out + tokens[1:]


def command_prefix(analysis: Analysis, offset: int) -> CommandPrefix | None:
    """Read the command the cursor (at ``offset`` in rosc's text) is in."""
    text = analysis.parse.source.text
    line_start = _logical_line_start(text, offset)
    starts = _command_starts(text, line_start, offset)
    if starts is None:
        return None
    menu = context_at(analysis.parse.script.body, line_start)
    for k, start in enumerate(starts):
        end = starts[k + 1] - 1 if k + 1 < len(starts) else offset
        tokens = _tokens(text, start, end)
        last = k + 1 == len(starts)
        current, current_start = "", offset
        if last and tokens and tokens[-1][1] + len(tokens[-1][0]) == offset:
            current, current_start = tokens.pop()
        absolute, words = expand_path(tokens)
        if last and not tokens and current.startswith("/"):
            absolute = True
        m, verb, rest, _ = resolve_words(menu, [w for w, _ in words], absolute)
        if not last:
            menu = m
            continue
        rest_words = words[len(words) - len(rest) :] if rest else []
        in_path = verb is None and not rest
        return CommandPrefix(m, verb, absolute, rest_words, current, current_start, in_path)
    return None
