"""Functions and control flow of the scripting language: where `:return`,
`:break` and `:continue` may stand, what a call passes to a function, and
variables that a query reads as item properties."""

from __future__ import annotations

from rosc.checks.registry import rule
from rosc.checks.scripts import is_property, script_analysis
from rosc.diagnostics import Severity
from rosc.model.scripts import ScriptAnalysis, Unit


def _line(ctx, offset: int) -> int:
    return ctx.source.line_col(offset)[0]


@rule(
    "SCR007", "return-outside-function", area="script", severity=Severity.WARNING,
    summary="`:return` in a scheduler or hook script, which is never called as a function",
)
def return_outside_function(ctx):
    analysis = ctx.shared(script_analysis)
    for jump in analysis.jumps:
        unit = jump.scope.unit
        if jump.word != "return" or unit.kind not in ("scheduler", "hook"):
            continue
        yield ctx.finding(
            jump.command.verb,
            f"`:return` in {unit.label}: the script is started by {_starter(unit)}, never called as a function, "
            f"so there is no caller to take the value",
            notes=["`:return` gives a function its value (Scripting: Functions). A script that the scheduler or "
                   "a hook starts has no caller."],
            fix="to stop the script early, wrap the rest in `:if`, or end it with `:error` (or `:exit` from RouterOS 7.22)",
        )


def _starter(unit: Unit) -> str:
    if unit.kind == "scheduler":
        return "the scheduler"
    menu, arg = unit.hook
    return f"`/{' '.join(menu)}` (`{arg}=`)"


@rule(
    "SCR008", "break-outside-loop", area="script", severity=Severity.ERROR,
    summary="`:break` or `:continue` outside a loop",
)
def break_outside_loop(ctx):
    analysis = ctx.shared(script_analysis)
    for jump in analysis.jumps:
        if jump.word not in ("break", "continue") or jump.in_loop or jump.in_catch:
            continue  # (in a body whose errors are caught it is a deliberate way out of the block)
        unit = jump.scope.unit
        notes = [f"`:{jump.word}` leaves or restarts the innermost `:for`, `:foreach`, `:while` or "
                 "`:do ... while=` loop (RouterOS 7.22 and later); outside one there is nothing to "
                 f"{'leave' if jump.word == 'break' else 'restart'}."]
        if unit.is_function and _defined_in_loop(unit):
            notes.append(f"{unit.label} is defined inside a loop, but its body runs when it is called: it "
                         "does not see that loop.")
        yield ctx.finding(
            jump.command.verb,
            f"`:{jump.word}` outside a loop" + ("" if unit.kind == "file" else f" (in {unit.label})"),
            notes=notes,
            fix="move it into the loop's `do={ }`, or use `:return` (in a function) or `:error` to stop",
        )


def _defined_in_loop(unit: Unit) -> bool:
    outer = unit.root.outer
    return outer is not None and any(s.loop for s in outer.chain())


def _functions(analysis: ScriptAnalysis) -> dict[str, list[Unit] | None]:
    """The bodies each function name is given in this file; None when a name
    is also given a value rosc cannot see into (``[:parse ...]``...)."""
    out: dict[str, list[Unit] | None] = {}
    for decl in analysis.declarations:
        if decl.function is not None:
            bodies = out.setdefault(decl.name, [])
            if bodies is not None:
                bodies.append(decl.function)
        elif decl.value is not None and decl.name in out:
            out[decl.name] = None
    for decl in analysis.declarations:
        if decl.function is None and decl.value is not None and decl.name in out:
            out[decl.name] = None
    for use in analysis.uses:
        if use.kind == "set" and use.name in out:
            out[use.name] = None  # `:set f ...` gives it another value
    return out


@rule(
    "SCR012", "argument-hides-global", area="script", severity=Severity.WARNING,
    summary="A named argument with the name of a global the function declares",
)
def argument_hides_global(ctx):
    analysis = ctx.shared(script_analysis)
    functions = _functions(analysis)
    for call in analysis.calls:
        bodies = functions.get(call.use.name)
        if not bodies:
            continue
        for arg in call.named:
            declared = [d for body in bodies for d in analysis.declarations if d.unit is body and d.kind == "global" and d.name == arg.name]
            if not declared:
                continue
            yield ctx.finding(
                arg,
                f"`{arg.name}=` is passed to `{call.use.name}`, which declares `:global {arg.name}` (line "
                f"{_line(ctx, declared[0].start)}): inside the function the argument wins, and the global is ignored",
                notes=["When a function declares a global with the name of an argument it was given, RouterOS "
                       "ignores the global, for compatibility with old scripts (Scripting: Functions)."],
                fix="rename the argument, or the global",
            )


@rule(
    "SCR013", "argument-never-read", area="script", severity=Severity.WARNING,
    summary="A named argument the called function never reads",
)
def argument_never_read(ctx):
    analysis = ctx.shared(script_analysis)
    functions = _functions(analysis)
    for call in analysis.calls:
        bodies = functions.get(call.use.name)
        if not bodies or any(b.incomplete for b in bodies):
            continue
        names = set().union(*(_names_in(analysis, b) for b in bodies))
        for arg in call.named:
            if arg.name in names:
                continue
            near = sorted(n for n in names if not n.isdigit() and _close(n, arg.name))
            hint = f"; did you mean `{near[0]}=`?" if near else ""
            where = ", ".join(str(_line(ctx, b.start)) for b in bodies)
            yield ctx.finding(
                ctx_key(arg),
                f"`{call.use.name}` never reads `${arg.name}`: the argument `{arg.name}=` is ignored{hint}",
                notes=[f"`{call.use.name}` is defined at line {where}; a function sees an argument `name=` as "
                       f"`$name` (Scripting: Functions)."],
                fix="pass an argument the function reads" + (f" (`{near[0]}=`)" if near else ", or drop this one"),
            )


def _names_in(analysis: ScriptAnalysis, body: Unit) -> set[str]:
    """Every name written in ``body`` (nested scripts included: reading too
    much only keeps the check quiet)."""
    names = {u.name for u in analysis.uses if body.start <= u.start <= body.end}
    for unit in analysis.units:
        if body.start <= unit.start <= body.end:
            names |= unit.bare_names
    return names


def ctx_key(arg):
    """The span of an argument's name (``name`` of ``name=value``)."""
    return _Span(arg.start, arg.key_end)


class _Span:
    __slots__ = ("start", "end")

    def __init__(self, start: int, end: int):
        self.start, self.end = start, end


def _close(a: str, b: str) -> bool:
    from rosc.checks.scripts import _one_edit

    return a.lower() == b.lower() or (min(len(a), len(b)) >= 4 and _one_edit(a, b))


@rule(
    "SCR014", "variable-named-like-property", area="script", severity=Severity.WARNING,
    summary="A variable read in a `find`/`print where` query that has the name of a property of the items",
)
def variable_named_like_property(ctx):
    analysis = ctx.shared(script_analysis)
    for use in analysis.uses:
        decl = use.declaration
        if decl is None or use.query_menu is None or use.kind != "read" or use.bare:
            continue
        if not is_property(use.query_menu, use.name):
            continue
        yield ctx.finding(
            use,
            f"`${use.name}` in this query reads the `{use.name}` property of each item of `{use.query_menu}`, "
            f"not the variable declared at line {_line(ctx, decl.start)}",
            notes=["RouterOS's built-in properties are reserved variable names: inside a `find` or `print where` "
                   "query, the item's own property wins (Scripting: Reserved variable names)."],
            fix=f"rename the variable (for example `{use.name}Wanted`) where it is declared and used",
        )
