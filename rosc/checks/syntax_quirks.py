"""How a file is written: quirks the parser accepts but that hide a mistake.

(SYN009, a space after a line-continuation backslash, is reported by the
lexer itself.)
"""

from __future__ import annotations

from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.syntax.tree import Arg, Word

# Verbs whose `name=value` arguments are conditions, where a repeated name is
# meaningful (`find where name=a or name=b`).
_QUERY_VERBS = frozenset({"find", "print", "export"})
_QUERY_WORDS = frozenset({"where", "and", "or", "not", "&&", "||", "!"})


@rule(
    "SYN012", "duplicate-argument", area="syntax", severity=Severity.WARNING,
    summary="The same parameter given twice in one command",
)
def duplicate_argument(ctx):
    index = ctx.facts.commands
    repeats: dict[int, bool] = {}  # id(argument names) -> whether a name repeats, decided once per distinct tuple
    for cmd, names in zip(index.all, index.arg_names()):
        verb = cmd.verb
        if verb is None or verb.text.startswith(":") or verb.text in _QUERY_VERBS:
            continue
        repeated = repeats.get(id(names))
        if repeated is None:
            named = [n for n in names if n is not None]
            repeated = repeats[id(names)] = len(set(named)) < len(named)
        if not repeated:
            continue
        if any(type(a) is Word and a.text in _QUERY_WORDS for a in cmd.args):
            continue
        by_name: dict[str, list[Arg]] = {}
        for arg in cmd.args:
            if type(arg) is Arg:
                by_name.setdefault(arg.name, []).append(arg)
        for name, args in by_name.items():
            if len(args) < 2:
                continue
            last = args[-1]
            line, col = ctx.source.line_col(last.start)
            for arg in args[:-1]:
                yield ctx.finding(
                    arg,
                    f"`{name}` is given twice in this command: RouterOS keeps only one of the values "
                    f"(rosc assumes the last one, at line {line} column {col}), the other is silently lost",
                    notes=[
                        "A command sets each parameter once: the two values are not combined. MikroTik does not "
                        "document which one wins; rosc, like its device model, takes the last one. A repeated "
                        "key is usually a copy-and-paste slip or two edits of the same line.",
                    ],
                    fix=f"keep the {name}= you mean and delete the other",
                )
