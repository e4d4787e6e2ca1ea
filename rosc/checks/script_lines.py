"""How RouterOS reads a line that the grammar accepts: comments that are not
comments, comments that do not continue, and names that cannot name a
variable (Scripting: Comments, Line joining, Variables, Keywords)."""

from __future__ import annotations

import re

from rosc.checks.registry import rule
from rosc.checks.scripts import script_analysis
from rosc.diagnostics import Severity
from rosc.model.script_env import KEYWORDS
from rosc.model.script_walk import script_word
from rosc.syntax.tree import Arg, Block, Comment, Concat, Expression, Substitution, Word

# Most positional values each scripting command takes; a `#...` word beyond
# them cannot be a value.
_ARITY = {"local": 2, "global": 2, "set": 2, "put": 1, "log": 2, "delay": 1, "error": 1, "return": 1}


# Where the findings below can be (a `#` word after a blank, a lone `=`, a `#` and a backslash on one line):
# the commands around a match, found in the source text, instead of a visit of every argument.
_HASH_WORD = (" #", "\t#")
_LONE_EQUALS = (" =", "\t=", "\n=", "\r=")
_COMMENT_BACKSLASH = re.compile(r"#[^\n]*\\")


def _has_comment_backslash(source) -> bool:
    return _COMMENT_BACKSLASH.search(source.text) is not None


def _positional_after(cmd, index: int) -> bool:
    return any(type(a) is not Arg for a in cmd.args[index + 1 :])


@rule(
    "SCR009", "comment-after-command", area="script", severity=Severity.ERROR, local=True,
    summary="A `# comment` after a command on the same line, which RouterOS reads as arguments",
)
def comment_after_command(ctx):
    text = ctx.source.text
    for cmd in ctx.facts.commands.around(text, _HASH_WORD):
        if cmd.verb is None and not cmd.args:
            continue
        positional = [a for a in cmd.args if type(a) is not Arg]
        for i, arg in enumerate(cmd.args):
            if type(arg) is not Word or not arg.text.startswith("#") or arg.start == 0 or text[arg.start - 1] not in " \t":
                continue
            word = script_word(cmd)
            more = _positional_after(cmd, i)
            verb = cmd.verb.text if cmd.verb is not None else ""
            beyond = word in _ARITY and len(positional) > _ARITY[word]
            if not (more or beyond or (word is None and verb == "add")):
                break  # a lone `#word` may be a value (`:local tag #todo`)
            last = cmd.args[-1]
            span = _Span(arg.start, max(arg.end, last.end) if text.count("\n", arg.start, last.end) == 0 else arg.end)
            yield ctx.finding(
                span,
                f"`{text[span.start:span.end][:40]}` is not a comment: after a command, RouterOS reads `#` and "
                f"the words that follow as more arguments of it, and rejects the line",
                notes=["A comment starts with `#` where a command could start: on a line of its own, or after "
                       "`;` (Scripting: Comments)."],
                fix="end the command with `;` before the comment, or put the comment on the line above",
            )
            break


@rule(
    "SCR010", "comment-not-continued", area="script", severity=Severity.WARNING,
    summary="A comment ending in `\\`: a comment is never continued, the next line runs as a command",
)
def comment_not_continued(ctx):
    if not ctx.source.probe(_has_comment_backslash):
        return  # no comment of the file's own text ends in a backslash
    text = ctx.source.text
    for node in _comments(ctx.device.script.body):
        if not node.text.rstrip().endswith("\\") or text[node.start : node.end] != node.text:
            continue  # (comments of scripts inside strings have their own text)
        line_end = text.find("\n", node.end)
        if line_end == -1:
            continue
        next_end = text.find("\n", line_end + 1)
        following = text[line_end + 1 : next_end if next_end != -1 else len(text)].rstrip("\r")
        if not following.strip() or following.lstrip().startswith("#") or following[:1] not in (" ", "\t"):
            continue
        line = ctx.source.line_col(line_end + 1)[0]
        yield ctx.finding(
            node,
            f"this comment ends with `\\`, but a backslash does not continue a comment: line {line} "
            f"(`{following.strip()[:40]}`) runs as a command of its own",
            notes=["A line ending in a backslash cannot carry a comment, and a backslash does not continue a "
                   "comment (Scripting: Line joining). To comment out a command written on several lines, put "
                   "`#` in front of each of them."],
            fix=f"put `#` at the start of line {line} too, or remove the backslash",
        )


@rule(
    "SCR017", "space-around-equals", area="script", severity=Severity.ERROR, local=True,
    summary="`name = value` with spaces around `=`, which RouterOS reads as three arguments",
)
def space_around_equals(ctx):
    text = ctx.source.text
    for cmd in ctx.facts.commands.around(text, _LONE_EQUALS):
        args = cmd.args
        for i in range(1, len(args) - 1):
            eq = args[i]
            if type(eq) is not Word or eq.text != "=" or type(args[i - 1]) is not Word:
                continue
            name, value = args[i - 1], args[i + 1]
            if text.count("\n", name.start, value.end):
                continue
            written = text[name.start : value.end] if value.end - name.start <= 60 else f"{name.text} = ..."
            yield ctx.finding(
                _Span(name.start, value.end),
                f"`{written}` has spaces around `=`: RouterOS takes `{name.text}`, `=` and the value as separate "
                f"arguments, not as `{name.text}=`",
                notes=["Whitespace is not allowed between a parameter name and `=` (Scripting: Whitespace "
                       "between tokens); after `=` it is allowed (`from= 1`)."],
                fix=f"write `{name.text}=` with no space before the `=`",
            )
            break


def _comments(body):
    """The comments of a body and of the blocks nested in its commands."""
    stack = [body]
    while stack:
        for stmt in stack.pop():
            if type(stmt) is Comment:
                yield stmt
            else:
                for arg in stmt.args:
                    _push_bodies(arg, stack)


def _push_bodies(node, stack) -> None:
    kind = type(node)
    if kind is Block or kind is Substitution:
        stack.append(node.body)
    elif kind is Arg:
        if node.value is not None:
            _push_bodies(node.value, stack)
    elif kind is Expression:
        for item in node.items:
            _push_bodies(item, stack)
    elif kind is Concat:
        for part in node.parts:
            _push_bodies(part, stack)


_VALID_NAME = re.compile(r"[A-Za-z0-9_]+\Z")


@rule(
    "SCR015", "invalid-variable-name", area="script", severity=Severity.ERROR,
    summary="A variable declared with a name RouterOS cannot read unquoted",
)
def invalid_variable_name(ctx):
    analysis = ctx.shared(script_analysis)
    for decl in analysis.declarations:
        name = decl.name
        if decl.quoted or _VALID_NAME.match(name):
            continue
        head = re.match(r"[A-Za-z0-9_]*", name).group()
        how = f'`:{decl.kind} "{name}"`, ' if decl.kind in ("local", "global") else ""
        yield ctx.finding(
            decl,
            f"`{name}` is not a valid variable name: unquoted, a name is letters and digits, so "
            + (f"`${name}` reads `${head}` followed by `{name[len(head):]}`" if head else f"`${name}` is no variable at all"),
            notes=["Valid characters in variable names are letters and digits; a name with any other character "
                   "must be quoted where it is declared and where it is read (Scripting: Variables)."],
            fix=f'quote it ({how}`$"{name}"`), or drop the other characters',
        )


@rule(
    "SCR016", "keyword-as-variable", area="script", severity=Severity.WARNING,
    summary="A variable named `and`, `or` or `in`, which are keywords",
)
def keyword_as_variable(ctx):
    analysis = ctx.shared(script_analysis)
    for decl in analysis.declarations:
        if decl.quoted or decl.name not in KEYWORDS:
            continue
        yield ctx.finding(
            decl,
            f"`{decl.name}` is a keyword of the scripting language (`and`, `or`, `in`), which the manual says "
            f"cannot name a variable or function; in an expression, `{decl.name}` is the operator",
            notes=["Scripting: Keywords."],
            fix=f"rename it, for example `{decl.name}Value`",
        )


class _Span:
    __slots__ = ("start", "end")

    def __init__(self, start: int, end: int):
        self.start, self.end = start, end

