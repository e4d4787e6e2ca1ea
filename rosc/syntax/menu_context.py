"""Apply RouterOS's current-menu context to parsed commands.

A line such as ``/ip address`` changes the current menu; ``add ...`` then runs
there; ``/ip address add ...`` runs in that menu without changing the current
one.  Which leading words of a line are menu names and which is the command
depends on the menu tree, so this pass splits each command into ``path``,
``verb`` and ``args`` with the vocabulary, sets ``menu`` on every command, and
parses scripts embedded in strings (``source=``, ``on-event=``...).
"""

from __future__ import annotations

import re
from functools import cache

from rosc.syntax import strings
from rosc.syntax.scripting import command_after_path, script_command
from rosc.syntax.tree import Arg, Block, Command, Comment, Concat, Expression, String, Substitution, Word

# Commands every RouterOS menu understands (and the common scripting ones).
GENERIC_VERBS = frozenset(
    """add set remove print export enable disable comment move find get edit unset reset
    reset-counters reset-counters-all monitor monitor-traffic""".split()
)

# Where a string argument holds a script of its own: menu -> argument names.
EMBEDDED_SCRIPTS = {
    ("system", "script"): ("source",),
    ("system", "scheduler"): ("on-event",),
    ("tool", "netwatch"): ("up-script", "down-script", "test-script"),
    ("ip", "dhcp-server"): ("lease-script",),
    ("ip", "dhcp-client"): ("script",),
    ("ipv6", "dhcp-client"): ("script",),
    ("ipv6", "dhcp-server"): ("binding-script",),
    ("ppp", "profile"): ("on-up", "on-down"),
    ("ip", "hotspot", "user", "profile"): ("on-login", "on-logout"),
    ("system", "routerboard", "mode-button"): ("on-event",),
    ("system", "routerboard", "reset-button"): ("on-event",),
    ("system", "routerboard", "wps-button"): ("on-event",),
}

_IDENT = re.compile(r"[a-z][a-z0-9-]*\Z|\.\.\Z")


@cache
def _menu_index() -> tuple[frozenset, dict]:
    """Known menu paths (as word tuples) and their extra commands."""
    from rosc.vocabulary.tree import load

    vocab = load()
    known: set[tuple[str, ...]] = {()}
    commands: dict[tuple[str, ...], frozenset[str]] = {}
    for path in vocab.menus:
        words = tuple(path.strip("/").split())
        known.add(words)
        menu = vocab.menu(path)
        if menu is not None:
            commands[words] = frozenset(menu.commands)
    # every prefix of a known menu is a menu too (`/ip`, `/interface`)
    for words in list(known):
        for i in range(1, len(words)):
            known.add(words[:i])
    return frozenset(known), commands


def is_root_command(word: str) -> bool:
    """Whether ``word`` is a command of the root menu that rosc knows
    (``ping``, ``import``...), so that ``/word`` reads the same."""
    return word in _menu_index()[1].get((), ())


def resolve(script, text: str, problems: list, context: tuple[str, ...] = ()) -> None:
    """Split and place every command of ``script`` (see module docstring),
    starting in the menu ``context``."""
    known, commands = _menu_index()
    _Resolver(known, commands, text, problems).body(script.body, context)


class _Resolver:
    def __init__(self, known, commands, text, problems):
        self.known = known
        self.commands = commands
        self.text = text
        self.problems = problems

    def body(self, body: list, context: tuple[str, ...]) -> None:
        current = context
        comments: list[Comment] = []
        for stmt in body:
            if type(stmt) is Comment:
                comments.append(stmt)
                continue
            if comments:
                stmt.comments = comments
                comments = []
            if not script_command(stmt, current):
                self.split(stmt, current)
                command_after_path(stmt)
            if stmt.verb is None and not stmt.args:
                current = stmt.menu
            for arg in stmt.args:
                self.nested(arg, stmt.menu)
            embedded = EMBEDDED_SCRIPTS.get(stmt.menu)
            if embedded is not None and stmt.verb is not None and stmt.verb.text in ("add", "set"):
                for arg in stmt.args:
                    if type(arg) is Arg and arg.name in embedded and type(arg.value) is String:
                        self.embedded(arg)

    def nested(self, node, context) -> None:
        kind = type(node)
        if kind is Arg:
            if node.value is not None:
                self.nested(node.value, context)
        elif kind is Block or kind is Substitution:
            self.body(node.body, context)
        elif kind is Expression:
            for item in node.items:
                self.nested(item, context)
        elif kind is Concat:
            for part in node.parts:
                self.nested(part, context)

    def split(self, cmd: Command, current: tuple[str, ...]) -> None:
        elements = cmd.args
        # Candidate menu/command words: the segments of a `/a/b/c` path token,
        # then the leading bare words that look like names.
        words: list[str] = []
        nodes: list[Word | None] = []  # the element behind each word (None: a path segment)
        ends: list[int] = []
        if cmd.absolute:
            offset = cmd.start + 1
            for segment in self.text[cmd.start + 1 : cmd.path_end].split("/"):
                if segment:
                    words.append(segment)
                    ends.append(offset + len(segment))
                    nodes.append(Word(offset, offset + len(segment), segment))
                offset += len(segment) + 1
            base: tuple[str, ...] = ()
        else:
            base = current
        written = len(words)
        for element in elements:
            if type(element) is Word and _IDENT.match(element.text):
                words.append(element.text)
                nodes.append(element)
                ends.append(element.end)
            else:
                break
        if not cmd.absolute and not words:
            cmd.menu = current
            if elements and type(elements[0]) is Word and elements[0].text.startswith(":"):
                cmd.verb = elements[0]
                cmd.args = elements[1:]
            return
        known = self.known
        best = 0
        for k in range(1, len(words) + 1):
            if _join(base, words[:k]) in known:
                best = k
        if best < len(words) and not self.is_command(_join(base, words[:best]), words[best]):
            # The next word is neither a known submenu nor a known command:
            # a menu or command rosc does not know.  Take the first generic
            # command word as the command; failing that, the last word when
            # arguments follow; failing that, read every word as the menu.
            more = len(elements) > len(words) - written
            verb_at = next((i for i in range(best, len(words)) if words[i] in GENERIC_VERBS), None)
            if verb_at is not None:
                best = verb_at
            elif more or not cmd.absolute:
                best = len(words) - 1 if cmd.absolute else best
            else:
                best = len(words)
        cmd.path = tuple(words[:best])
        cmd.menu = _join(base, cmd.path)
        if best:
            cmd.path_end = ends[best - 1]
        consumed = best
        if best < len(words):
            cmd.verb = nodes[best]
            consumed = best + 1
        cmd.args = elements[max(0, consumed - written) :]

    def is_command(self, menu: tuple[str, ...], word: str) -> bool:
        return word in GENERIC_VERBS or word.startswith(":") or word in self.commands.get(menu, ())

    def embedded(self, arg: Arg) -> None:
        from rosc.syntax.problems import mapped
        from rosc.syntax.statements import parse_statements
        from rosc.syntax.tree import Script, walk

        string = arg.value
        value, offsets, _interp, _problems = strings.decode(string.raw, string.start)
        inner_problems: list = []
        body = parse_statements(value, inner_problems)
        script = Script(body, 0, len(value))
        _Resolver(self.known, self.commands, value, inner_problems).body(body, ())
        start_of, end_of = offsets.start_of, offsets.end_of
        for node in walk(script):
            start = node.start
            node.start = start_of(start)
            node.end = end_of(node.end) if node.end > start else node.start
            kind = type(node)
            if kind is Command:
                node.path_end = end_of(node.path_end) if node.path_end > start else node.start
            elif kind is Arg:
                node.key_end = end_of(node.key_end)
        script.start, script.end = string.start, string.end
        string.script = script
        where = f"in the script inside `{arg.name}=`: "

        def position(offset: int, is_end: bool) -> int:
            return end_of(offset) if is_end else start_of(offset)

        for problem in inner_problems:
            self.problems.append(mapped(problem, position, where))


def _join(a: tuple[str, ...], b) -> tuple[str, ...]:
    """Join menu words, applying `..` (one level up)."""
    out = list(a)
    for word in b:
        if word == "..":
            if out:
                out.pop()
        else:
            out.append(word)
    return tuple(out)
