"""Apply RouterOS's current-menu context to parsed commands.

A line such as ``/ip address`` changes the current menu; ``add ...`` then runs
there; ``/ip address add ...`` runs in that menu without changing the current
one.  Which leading words of a line are menu names and which is the command
depends on the menu tree, so this pass splits each command into ``path``,
``verb`` and ``args`` with the vocabulary, sets ``menu`` on every command, and
parses scripts embedded in strings (``source=``, ``on-event=``...).

Each word is read against RouterOS's tree (``Vocabulary.step``): a submenu,
a command, or the one name it is a prefix of, as RouterOS reads it
(``/int bri port`` is ``/interface bridge port``).  ``path``, ``verb`` and
``menu`` then hold the full names; ``Command.abbreviations`` records what
was written (and prefixes that fit several names).  A word the tree does
not have falls back to the generic command words (``add``, ``set``...).
"""

from __future__ import annotations

import re

from rosc.syntax import strings
from rosc.syntax.scripting import command_after_path, script_command
from rosc.syntax.tree import Abbreviation, Arg, Block, Command, Comment, Concat, Expression, String, Substitution, Word

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

_IDENT = re.compile(r"[a-z0-9][a-z0-9-]*\Z|\.\.\Z")  # menu names may start with a digit: /interface 6to4


def is_root_command(word: str) -> bool:
    """Whether ``word`` is a command of the root menu (``ping``,
    ``import``...), so that ``/word`` reads the same."""
    from rosc.vocabulary.tree import load

    return load().step((), word, (), False).kind == "cmd"


def resolve(script, text: str, problems: list, context: tuple[str, ...] = ()) -> None:
    """Split and place every command of ``script`` (see module docstring),
    starting in the menu ``context``."""
    resolve_statements(script.body, text, problems, context)


def resolve_statements(body: list, text: str, problems: list, context: tuple[str, ...]) -> None:
    """``resolve`` for some statements of a file, starting in the menu
    ``context`` (the language server re-reads only the lines an edit touched)."""
    from rosc.vocabulary.tree import load

    _Resolver(load(), text, problems).body(body, context)


class _Resolver:
    def __init__(self, vocab, text, problems):
        self.vocab = vocab
        self.text = text
        self.problems = problems

    def body(self, body: list, context: tuple[str, ...], nested: bool = False) -> None:
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
                self.split(stmt, current, nested)
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
            self.body(node.body, context, True)
        elif kind is Expression:
            for item in node.items:
                self.nested(item, context)
        elif kind is Concat:
            for part in node.parts:
                self.nested(part, context)

    def split(self, cmd: Command, current: tuple[str, ...], nested: bool = False) -> None:
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
        # Abbreviations are read after a `/`, and in a menu (`a name=x` in
        # /system scheduler); a word alone in a block may be an array's value
        # (`{0;a}`), and at the root a bare word is no menu: exact names there.
        prefixes = cmd.absolute or (bool(base) and (not nested or len(elements) > 1))
        full, best, stopped = self.walk(cmd, base, words, nodes, prefixes)
        if stopped and words[best][0].isdigit():  # a number (`{1;2}`, `set 0 ...`), not a name
            del words[best:], nodes[best:], ends[best:]
            written = min(written, best)
        if stopped:
            best = max(0, self.fallback(cmd, words, written, elements, best))  # `/24 ...`: no word is left
        cmd.path = tuple(full[:best]) + tuple(words[len(full[:best]) : best])
        cmd.menu = join_menu(base, cmd.path)
        if best:
            cmd.path_end = ends[best - 1]
        consumed = best
        if best < len(words):
            node = nodes[best]
            if best < len(full) and full[best] != words[best]:
                node = Word(node.start, node.end, full[best])
            cmd.verb = node
            consumed = best + 1
        cmd.args = elements[max(0, consumed - written) :]

    def walk(self, cmd: Command, base: tuple[str, ...], words: list[str], nodes: list, prefixes: bool = True) -> tuple[list[str], int, bool]:
        """Follow ``words`` down RouterOS's menu tree from ``base``: submenus,
        then the command.  Returns the full names of the words read, how many
        of them are menu words, and whether an unknown (or ambiguous) word
        stopped the walk before any command was found."""
        menu = base
        full: list[str] = []
        for k, word in enumerate(words):
            if word == "..":
                menu = menu[:-1]
                full.append(word)
                continue
            step = self.vocab.step(menu, word, words[k + 1 :], prefixes)
            if step.kind is None or step.kind == "ambiguous":
                if step.kind == "ambiguous":
                    self.abbreviation(cmd, nodes[k], None, "menu or command", step.candidates, menu)
                return full, k, True
            if step.name != word:
                self.abbreviation(cmd, nodes[k], step.name, "menu" if step.kind == "menu" else "command", step.candidates, menu)
            full.append(step.name)
            if step.kind == "cmd":
                return full, k, False
            menu = menu + (step.name,)
        return full, len(words), False

    def fallback(self, cmd: Command, words: list[str], written: int, elements: list, best: int) -> int:
        """Where the command word is when the walk met a word RouterOS's tree
        does not have there (a menu or command rosc does not know): the first
        generic command word; failing that, the last word when arguments
        follow; failing that, every word is read as the menu."""
        more = len(elements) > len(words) - written
        verb_at = next((i for i in range(best, len(words)) if words[i] in GENERIC_VERBS), None)
        if verb_at is not None:
            return verb_at
        if more or not cmd.absolute:
            return len(words) - 1 if cmd.absolute else best
        return len(words)

    @staticmethod
    def abbreviation(cmd: Command, node, full: str | None, what: str, candidates: tuple[str, ...], menu) -> None:
        cmd.abbreviations.append(Abbreviation(node.start, node.end, node.text, full, what, candidates, menu))

    def embedded(self, arg: Arg) -> None:
        from rosc.syntax.problems import mapped
        from rosc.syntax.statements import parse_statements
        from rosc.syntax.tree import Script, walk

        string = arg.value
        value, offsets, _interp, _problems = strings.decode(string.raw, string.start)
        inner_problems: list = []
        body = parse_statements(value, inner_problems)
        script = Script(body, 0, len(value))
        _Resolver(self.vocab, value, inner_problems).body(body, ())
        start_of, end_of = offsets.start_of, offsets.end_of
        for node in walk(script):
            start = node.start
            node.start = start_of(start)
            node.end = end_of(node.end) if node.end > start else node.start
            kind = type(node)
            if kind is Command:
                node.path_end = end_of(node.path_end) if node.path_end > start else node.start
                for abbr in node.abbreviations:
                    abbr_start = abbr.start
                    abbr.start = start_of(abbr_start)
                    abbr.end = end_of(abbr.end) if abbr.end > abbr_start else abbr.start
            elif kind is Arg:
                node.key_end = end_of(node.key_end)
        script.start, script.end = string.start, string.end
        string.script = script
        where = f"in the script inside `{arg.name}=`: "

        def position(offset: int, is_end: bool) -> int:
            return end_of(offset) if is_end else start_of(offset)

        for problem in inner_problems:
            self.problems.append(mapped(problem, position, where))


def join_menu(a: tuple[str, ...], b) -> tuple[str, ...]:
    """Join menu words, applying `..` (one level up)."""
    out = list(a)
    for word in b:
        if word == "..":
            if out:
                out.pop()
        else:
            out.append(word)
    return tuple(out)
