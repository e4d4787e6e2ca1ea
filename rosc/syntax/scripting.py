"""Scripting commands as RouterOS reads them, whichever way they are written.

RouterOS's global commands (``:local``, ``:if``, ``:foreach``...) may be
written without their colon where the current menu is the root: the root
menu holds them as commands of its own (the "Scripting" page of the manual,
"Command-line": the prefix is not required when called from the root menu;
its examples write ``do { import test.rsc } on-error=...`` and
``onerror e in={ ... }``; ``/console/inspect`` lists ``if``, ``foreach``,
``local``... among the root's commands).  In any other menu the same word is
that menu's command (``set`` and ``find`` are everywhere), so a colon-less
word is read as the scripting command only at the root.

A command word may also be written right against what follows it when that
is a delimiter (``:if($x > 1) do={...}``, ``:put[:len $s]``), and a
``:command`` may follow a menu path (``/ip address :put [find]``, the
"[prefix] [path] command" of the manual's command line).

Either way the tree is the one the colon form gives: the verb is a ``Word``
whose text is ``:if`` (its span covers what was written), so the model, the
checks and ``fmt`` see one command, and ``fmt`` writes the colon.
"""

from __future__ import annotations

from rosc.syntax.tree import Block, Command, Concat, Expression, Substitution, Variable, Word

# The global commands of the "Scripting" page ("Global commands", "Loops and
# conditional statements"), which the root menu holds as commands.  Not the
# root's menus (`log`, `environment`, `terminal`, `file`): written without a
# colon those are the menus, `/log info` is what `:log info` does anyway.
SCRIPT_COMMANDS = frozenset(
    """global local set if foreach for while do put delay error return execute parse resolve beep
    len pick find typeof toarray tobool toid toip toip6 tonum tostr totime tonsec tocrlf tolf nothing
    jobname time timestamp rndnum rndstr convert range grep onerror retry serialize deserialize""".split()
)

# What may follow a command word with no space: RouterOS's delimiters.
_DELIMITED = (Expression, Substitution, Block, Variable)


def script_command(cmd: Command, current: tuple[str, ...]) -> bool:
    """Read ``cmd`` as a scripting command when it is one (see the module
    docstring): set its verb, arguments and menu and return True."""
    if cmd.absolute or not cmd.args:
        return False
    first = cmd.args[0]
    kind = type(first)
    if kind is Word:
        text = first.text
        if text.startswith(":"):
            return False  # the usual case, placed by the menu resolver
        if current or text not in SCRIPT_COMMANDS:
            return False
        cmd.verb = Word(first.start, first.end, ":" + text)
        cmd.args = cmd.args[1:]
        cmd.menu = current
        return True
    if kind is Concat and type(first.parts[0]) is Word and isinstance(first.parts[1], _DELIMITED):
        word = first.parts[0]
        text = word.text
        if text.startswith(":") and len(text) > 1 and text[1].isalpha():
            verb = word
        elif not current and text in SCRIPT_COMMANDS:
            verb = Word(word.start, word.end, ":" + text)
        else:
            return False
        rest = first.parts[1:]
        value = rest[0] if len(rest) == 1 else Concat(rest[0].start, first.end, rest)
        cmd.verb = verb
        cmd.args = [value, *cmd.args[1:]]
        cmd.menu = current
        return True
    return False


def command_after_path(cmd: Command) -> None:
    """A ``:command`` written after a menu path is the command (run in that
    menu), not an argument of none."""
    if cmd.verb is None and cmd.args and (cmd.path or cmd.absolute):
        first = cmd.args[0]
        if type(first) is Word and len(first.text) > 1 and first.text[0] == ":" and first.text[1].isalpha():
            cmd.verb = first
            cmd.args = cmd.args[1:]
