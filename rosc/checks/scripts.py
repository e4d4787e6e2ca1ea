"""Variables of the scripting language: declared before use, in scope, used.

The scope analysis (``rosc.model.scripts``) is built once per lint run
(``script_analysis``) and shared by the script checks here and in
``script_functions`` and ``script_lines``.  RouterOS scripting has dynamic
corners (function arguments, variables a hook provides, ``[:parse]``,
``:execute``, globals set by scripts of other files); wherever a name may
come from there, the checks stay silent unless the file itself shows the
mistake (a misspelling of a declared name, a declaration that comes later or
whose block has ended, a local of another script).
"""

from __future__ import annotations

from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.script_env import READ_ONLY_PROPERTIES
from rosc.model.scripts import Declaration, ScriptAnalysis, Use, analyze

#: scripts that may be run as functions, with arguments the file cannot see:
#: a `/system script` source is called as `[:parse [/system script get name
#: source]] arg=...` (Scripting: Functions), and a file may be such a source.
#: Hooks and the scheduler never pass arguments.
CALLABLE_UNITS = frozenset({"file", "script"})


def script_analysis(run) -> ScriptAnalysis:
    """The file's scripts, scopes and names (shared by every script check)."""
    device = run.device
    return analyze(device.script, device.source, device.syntax_errors)


def is_property(menu: str, name: str) -> bool:
    """Whether items of ``menu`` have a property ``name`` (a query reads it)."""
    if name in READ_ONLY_PROPERTIES:
        return True
    from rosc.vocabulary.tree import load

    found = load().menu(menu)
    return found is not None and found.param(name) is not None


def verdicts(run) -> dict[str, list[Use]]:
    """Each unresolved use under the rule that reports it (at most one)."""
    analysis = run.shared(script_analysis)
    passed: dict[str, set[str]] = {}
    for call in analysis.calls:
        passed.setdefault(call.use.name, set()).update(a.name for a in call.named)
    out: dict[str, list[Use]] = {}
    for use in analysis.uses:
        if use.declaration is not None or use.name.isdigit():
            continue
        code = _verdict(analysis, use, passed)
        if code is not None:
            out.setdefault(code, []).append(use)
    return out


def _verdict(analysis: ScriptAnalysis, use: Use, passed: dict) -> str | None:
    unit = use.unit
    if unit.incomplete:
        return None  # the parser dropped some of it: its declarations are not all known
    if use.import_time:
        if use.open_world or use.name in unit.builtins or (unit.kind in CALLABLE_UNITS and unit.function_like):
            return None
        return "SCR011"
    if use.closed:
        return "SCR003"
    if use.open_world:
        if not unit.is_function or any(s.open_world for s in use.scope.chain()):
            return None  # `:execute`, or a command's `do=` that provides variables
        if analysis.globals_named(use.name) and use.name not in passed.get(unit.name or "", ()):
            return "SCR004"
        return None
    if use.name in unit.builtins:
        return None
    if use.query_menu is not None and is_property(use.query_menu, use.name):
        return None
    if analysis.globals_named(use.name):
        return "SCR004"
    if unit.kind in CALLABLE_UNITS and evidence(analysis, use, callable_unit=True) is None:
        return None  # may be an argument of a script called as a function
    return "SCR002" if use.kind == "set" else "SCR001"


def evidence(analysis: ScriptAnalysis, use: Use, callable_unit: bool = False):
    """Why an undeclared name is a mistake rather than an argument: a later
    declaration in scope, or a name declared in the same script that it
    misspells; for a script that is never called with arguments, also a
    misspelt global or a local of another script of the file (the caller's
    names are often passed on as arguments of the same name, so these prove
    nothing in a script that may be called).  ``(kind, Declaration)`` or None."""
    later = _later(analysis, use)
    if later is not None:
        return "later", later
    if callable_unit and use.unit.function_like:
        return None
    near = _near_miss(analysis, use, globals_too=not callable_unit)
    if near is not None:
        return "typo", near
    if callable_unit:
        return None
    for decl in analysis.named(use.name):
        if decl.kind == "local" and decl.unit is not use.unit:
            return "elsewhere", decl
    return None


def _later(analysis: ScriptAnalysis, use: Use) -> Declaration | None:
    for decl in analysis.named(use.name):
        if decl.start > use.start and decl.unit is use.unit and decl.scope.encloses(use.scope):
            return decl
    return None


def _near_miss(analysis: ScriptAnalysis, use: Use, globals_too: bool = True) -> Declaration | None:
    """A name declared in the same script (or a global) that ``use``
    misspells: the same name in another case, or one edit away in a name of
    five letters or more."""
    found = near_misses(analysis, use, globals_too)
    return found[0] if found else None


def near_misses(analysis: ScriptAnalysis, use: Use, globals_too: bool = True) -> list[Declaration]:
    """Every distinct declared name ``use`` may misspell, best first."""
    unit = use.unit
    name = use.name
    lowered = name.lower()
    case: list[Declaration] = []
    edits: list[Declaration] = []
    by_case, by_deletion = _name_index(analysis)
    candidates = dict.fromkeys(by_case.get(lowered, ()))
    if len(name) >= 5:
        for variant in _deletions(name):
            candidates.update(dict.fromkeys(by_deletion.get(variant, ())))
    for other in candidates:
        if other == name:
            continue
        if other.lower() == lowered:
            found = case
        elif min(len(other), len(name)) >= 5 and _one_edit(other, name):
            found = edits
        else:
            continue
        decl = next((d for d in analysis.named(other) if d.unit is unit or (globals_too and d.kind == "global")), None)
        if decl is not None:
            found.append(decl)
    return [*case, *edits]


def _name_index(analysis: ScriptAnalysis):
    """The declared names by lower case, and (names of five letters or more)
    by each of their one-letter deletions: two names one edit apart share
    one (so a misspelling is looked up, not compared with every name)."""
    if analysis.name_index is not None:
        return analysis.name_index
    by_case: dict[str, list[str]] = {}
    by_deletion: dict[str, list[str]] = {}
    for name in analysis.names():
        by_case.setdefault(name.lower(), []).append(name)
        if len(name) >= 5:
            for variant in _deletions(name):
                by_deletion.setdefault(variant, []).append(name)
    index = (by_case, by_deletion)
    analysis.name_index = index
    return index


def _deletions(name: str):
    yield name
    for i in range(len(name)):
        yield name[:i] + name[i + 1 :]


def _one_edit(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours apart."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _line(ctx, offset: int) -> int:
    return ctx.source.line_col(offset)[0]


def _where(ctx, unit) -> str:
    return "" if unit.kind == "file" else f" in {unit.label}"


def _undeclared(ctx, use: Use, verb: str):
    analysis = ctx.shared(script_analysis)
    found = evidence(analysis, use, callable_unit=use.unit.kind in CALLABLE_UNITS)
    kind, decl = found if found is not None else (None, None)
    notes = []
    fix = f"declare it first: `:local {use.name}`, or `:global {use.name}` for a global another script sets"
    if kind == "later":
        message = (f"`{use.name}` is {verb} before it is declared: `:{decl.kind} {use.name}` comes later, "
                   f"at line {_line(ctx, decl.start)}")
        notes.append("A declaration is visible only after the point where it is made (Scripting: Scopes).")
        fix = f"move `:{decl.kind} {use.name}` above this line"
    elif kind == "typo":
        candidates = near_misses(analysis, use, globals_too=use.unit.kind not in CALLABLE_UNITS)[:3]
        names = " or ".join(f"`{d.name}`" for d in candidates)
        message = f"`{use.name}` is {verb} but never declared{_where(ctx, use.unit)}; did you mean {names}?"
        declared = ", ".join(f"`{d.name}` at line {_line(ctx, d.start)}" for d in candidates)
        notes.append(f"declared: {declared}; variable names are case-sensitive.")
        fix = f"write `{decl.name}`"
    elif kind == "elsewhere":
        message = (f"`{use.name}` is {verb} but not declared{_where(ctx, use.unit)}: the `:local {use.name}` at line "
                   f"{_line(ctx, decl.start)} belongs to {decl.unit.label}, which this script cannot see")
        notes.append("A script kept in `source=`, `on-event=` or a hook runs later, on its own: the variables of "
                     "the file that stored it are gone by then.")
        fix = f"declare and set `{use.name}` inside the script, or pass it through a `:global`"
    else:
        message = f"`{use.name}` is {verb} but never declared{_where(ctx, use.unit)}"
    notes.append(
        "Except for the variables a hook provides (a DHCP lease script's `$leaseActIP`...), every variable must be "
        "declared with `:local` or `:global` before use (Scripting: Variables)."
    )
    return ctx.finding(use, message, notes=notes, fix=fix)


@rule(
    "SCR001", "undeclared-variable", area="script", severity=Severity.ERROR,
    summary="A variable read that no `:local` or `:global` in scope declares",
)
def undeclared_variable(ctx):
    for use in ctx.shared(verdicts).get("SCR001", ()):
        yield _undeclared(ctx, use, "called" if use.kind == "call" else "read")


@rule(
    "SCR002", "set-undeclared-variable", area="script", severity=Severity.ERROR,
    summary="`:set` of a variable that is not declared in scope",
)
def set_undeclared_variable(ctx):
    for use in ctx.shared(verdicts).get("SCR002", ()):
        yield _undeclared(ctx, use, "set with `:set`")


@rule(
    "SCR003", "variable-out-of-scope", area="script", severity=Severity.ERROR,
    summary="A variable used after the block that declares it has ended",
)
def variable_out_of_scope(ctx):
    for use in ctx.shared(verdicts).get("SCR003", ()):
        decl = use.closed[-1]
        scope = decl.scope
        start, end = _line(ctx, scope.start), _line(ctx, scope.end)
        block = f"the block of lines {start}-{end}" if start != end else f"the block on line {start}"
        if decl.kind == "global":
            message = (f"`{use.name}` is not visible here: its `:global {use.name}` (line {_line(ctx, decl.start)}) "
                       f"was made inside {block}, which has ended")
            fix = f"declare `:global {use.name}` again in this block, or at the top of the script"
        else:
            message = (f"`{use.name}` is used after its block ended: `:{decl.kind} {use.name}` (line {_line(ctx, decl.start)}) "
                       f"is visible only inside {block}")
            fix = f"declare `:local {use.name}` before the block and `:set` it inside"
        yield ctx.finding(
            use, message,
            notes=["A variable declared in a `{ }` block (and in `do={ }`, `else={ }`...) lives until that block's "
                   "closing brace (Scripting: Scopes)."],
            fix=fix,
        )


@rule(
    "SCR004", "global-not-declared", area="script", severity=Severity.ERROR,
    summary="A global used in a script or function that does not declare it with `:global`",
)
def global_not_declared(ctx):
    analysis = ctx.shared(script_analysis)
    for use in ctx.shared(verdicts).get("SCR004", ()):
        decl = analysis.globals_named(use.name)[0]
        unit = use.unit
        if unit.is_function:
            message = (f"{unit.label} uses the global `{use.name}` without declaring it: inside a function `${use.name}` "
                       f"is the function's argument `{use.name}`, empty unless the caller passes `{use.name}=`")
            notes = ["A function sees no variable of the script around it; it must declare the globals it uses "
                     "(Scripting Tips and Tricks: Accessing global variable from function)."]
        else:
            message = (f"{unit.label[0].upper() + unit.label[1:]} uses the global `{use.name}` without declaring it "
                       f"(`:global {use.name}` is at line {_line(ctx, decl.start)}, in {decl.unit.label})")
            notes = ["Each script sees a global only after its own `:global name` line; without it RouterOS reads "
                     "an undeclared variable and refuses to run the script (Scripting: Global scope)."]
        yield ctx.finding(use, message, notes=notes, fix=f"add `:global {use.name}` at the start of {unit.label}")


@rule(
    "SCR005", "unused-local", area="script", severity=Severity.WARNING,
    summary="A `:local` variable that is never read",
)
def unused_local(ctx):
    analysis = ctx.shared(script_analysis)
    late = {id(d) for use in ctx.shared(verdicts).get("SCR003", ()) for d in use.closed}
    following: dict[int, Declaration] = {}  # a declaration -> the next one of its name in its scope
    for scope in analysis.scopes:
        last: dict[str, Declaration] = {}
        for d in reversed(scope.declarations):
            if d.name in last:
                following[id(d)] = last[d.name]
            last[d.name] = d
    for decl in analysis.declarations:
        if decl.kind != "local" or decl.reads or decl.captured or decl.unit.incomplete or id(decl) in late:
            continue  # (a local read only after its block ended is SCR003's finding)
        sets = [u for u in decl.uses if u.kind == "set"]
        what = "function" if decl.function is not None else "variable"
        again = following.get(id(decl))
        if again is not None:
            message = (f"local {what} `{decl.name}` is declared again at line {_line(ctx, again.start)} before "
                       f"this one is ever read")
        elif sets:
            message = f"local {what} `{decl.name}` is set (line {_line(ctx, sets[-1].start)}) but never read"
        else:
            message = f"local {what} `{decl.name}` is never used"
        notes = []
        if decl.value is not None and decl.function is None:
            notes.append("Its value is still computed: keep the command that computes it if it does something, "
                         "and drop only the variable.")
        yield ctx.finding(_name_node(decl), message, notes=notes, fix=f"remove `:local {decl.name}`, or use it")


@rule(
    "SCR006", "local-shadows-global", area="script", severity=Severity.WARNING,
    summary="A `:local` with the name of a global declared in the same scope",
)
def local_shadows_global(ctx):
    analysis = ctx.shared(script_analysis)
    for decl in analysis.declarations:
        g = decl.shadows
        if g is None or decl.unit.incomplete:
            continue
        yield ctx.finding(
            _name_node(decl),
            f"`:local {decl.name}` hides the global `{decl.name}` declared at line {_line(ctx, g.start)}: until this "
            f"block ends, `${decl.name}` and `:set {decl.name}` use the local, and the global keeps its old value",
            notes=["RouterOS looks a name up from the innermost declaration outwards; the manual advises unique "
                   "names (Scripting Tips and Tricks: Always use unique variable names)."],
            fix="rename the local",
        )


@rule(
    "SCR011", "import-time-substitution", area="script", severity=Severity.ERROR,
    summary="An unescaped `$` in a script-holding string, replaced when the file runs",
)
def import_time_substitution(ctx):
    for use in ctx.shared(verdicts).get("SCR011", ()):
        yield ctx.finding(
            use,
            f"`${use.name}` in this script string is replaced when this line runs, before the script is stored, "
            f"and `{use.name}` is not declared here: the line fails to run, and the stored script would never read `${use.name}`",
            notes=["Inside a quoted string, `$name` is substituted at once; a script kept in `source=`, `on-event=` "
                   "or a hook must escape it as `\\$name` to read the variable when it runs (as `/export` writes)."],
            fix=f"write `\\${use.name}`",
        )


class _NameSpan:
    __slots__ = ("start", "end")

    def __init__(self, start: int, end: int):
        self.start, self.end = start, end


def _name_node(decl: Declaration):
    if decl.name_start >= 0:
        return _NameSpan(decl.name_start, decl.name_end)
    return _NameSpan(decl.start, decl.end)
