"""The records of the scope analysis (``rosc.model.scripts``): scripts
(``Unit``), ``Scope``, ``Declaration``, ``Use``, ``Call``, ``Jump``, and the
``ScriptAnalysis`` that holds them with the queries the checks and the
language server ask."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(slots=True, eq=False)
class Unit:
    """One script: the file, a script body, a function body."""

    kind: str  # "file", "script", "hook", "scheduler", "function", "execute"
    label: str  # how messages name it: "the script `backup`", "the function `f`"
    start: int
    end: int
    parent: "Unit | None" = None
    builtins: frozenset = frozenset()  # variables its environment provides
    open_world: bool = False  # undeclared names may be arguments or provided by a caller
    hook: tuple | None = None  # (menu, argument) that holds it
    name: str | None = None  # the script's or function's name, when known
    root: "Scope | None" = None
    declaration: "Declaration | None" = None  # the function's `:global f do=`
    from_string: bool = False  # written inside a quoted string
    returns: list = field(default_factory=list)  # `:return` commands directly in it
    positional: bool = False  # reads `$0`, `$1`...: written to be called with arguments
    incomplete: bool = False  # holds text the parser could not read: what it declares or uses is unknown
    bare_names: set = field(default_factory=set)  # bare words of its expressions that name nothing declared

    @property
    def function_like(self) -> bool:
        """Written to be called: a function, or a script that returns a value
        or reads positional arguments (a `/system script` used through
        `[:parse ...]`)."""
        return self.kind == "function" or bool(self.returns) or self.positional

    @property
    def is_function(self) -> bool:
        return self.kind == "function"


@dataclass(slots=True, eq=False)
class Scope:
    start: int
    end: int
    unit: Unit
    parent: "Scope | None" = None
    loop: bool = False  # the body of a loop
    open_world: bool = False  # a menu command's `do=`: the command provides variables
    catches: bool = False  # a body whose errors are caught (`:do {} on-error=`, `:onerror e in={}`)
    outer: "Scope | None" = None  # for a function's root: the scope it is defined in
    names: dict = field(default_factory=dict)  # name -> Declaration visible so far
    declarations: list = field(default_factory=list)
    children: list = field(default_factory=list)

    def lookup(self, name: str) -> "Declaration | None":
        scope = self
        while scope is not None:
            found = scope.names.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None

    def chain(self):
        scope = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def encloses(self, other: "Scope") -> bool:
        return any(s is self for s in other.chain())


@dataclass(slots=True, eq=False)
class Declaration:
    """``:local x``, ``:global x``, a loop variable or an ``:onerror`` name."""

    name: str
    kind: str  # "local", "global", "loop", "error"
    start: int  # the name as written
    end: int
    scope: Scope
    command: object  # the Command that declares it
    name_start: int = -1  # the name itself (inside quotes); -1 when it cannot be located
    name_end: int = -1
    quoted: bool = False
    function: Unit | None = None  # `do={...}`: the function body
    value: object = None  # the value node, when given
    uses: list = field(default_factory=list)  # Uses resolved to it
    captured: bool = False  # read by a function or `:execute` body defined in its scope
    shadows: "Declaration | None" = None  # a `:local` hiding this visible `:global`

    @property
    def unit(self) -> Unit:
        return self.scope.unit

    @property
    def reads(self) -> list:
        return [u for u in self.uses if u.kind != "set"]


@dataclass(slots=True, eq=False)
class Use:
    """A read (``$x``, ``"...$x..."``, a bare ``x`` in an expression), a
    ``:set x``, or a call ``$f ...`` of a name."""

    name: str
    kind: str  # "read", "set", "call"
    start: int
    end: int
    scope: Scope
    command: object  # the innermost Command it is in
    declaration: Declaration | None = None
    name_start: int = -1
    name_end: int = -1
    quoted: bool = False
    bare: bool = False  # a bare word in an expression (resolved only when declared)
    import_time: bool = False  # `$x` unescaped in a script-holding string: read when the file runs
    query_menu: str | None = None  # inside a `find`/`print`/`where` query of this menu
    closed: list = field(default_factory=list)  # same-name declarations whose block had ended
    open_world: bool = False  # an undeclared name may come from the environment here

    @property
    def unit(self) -> Unit:
        return self.scope.unit


@dataclass(slots=True, eq=False)
class Call:
    """``$f a=1 "x"`` or ``[$f a=1]``: the callee's Use and the arguments."""

    use: Use
    named: list  # Arg nodes
    positional: list


@dataclass(slots=True, eq=False)
class Jump:
    """``:return``, ``:break``, ``:continue`` or ``:exit`` and where it stands."""

    word: str
    command: object
    scope: Scope
    in_loop: bool
    in_function: bool
    in_catch: bool = False  # inside a body whose errors are caught


@dataclass(slots=True, eq=False)
class ScriptAnalysis:
    units: list = field(default_factory=list)
    scopes: list = field(default_factory=list)
    declarations: list = field(default_factory=list)
    uses: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    jumps: list = field(default_factory=list)
    commands: list = field(default_factory=list)  # (Command, Scope): every command with the scope it runs in
    _sites: list | None = None
    _by_name: dict | None = None
    name_index: tuple | None = None  # the checks' index of declared names (rosc.checks.scripts)

    # -- queries
    def stored_commands(self):
        """``(Command, Unit)`` for every command that runs later, in a script
        the file stores (``source=``, ``on-event=``, hooks, functions,
        ``:execute``) rather than when the file is imported: for checks of
        references, which must judge them against the router as it will be."""
        for cmd, scope in self.commands:
            if scope.unit.kind != "file" and cmd.verb is not None:
                yield cmd, scope.unit

    def named(self, name: str) -> list[Declaration]:
        """Every declaration of ``name`` in the file, in order."""
        if self._by_name is None:
            by_name: dict[str, list[Declaration]] = {}
            for decl in self.declarations:
                by_name.setdefault(decl.name, []).append(decl)
            self._by_name = by_name
        return self._by_name.get(name, [])

    def names(self) -> list[str]:
        self.named("")
        return list(self._by_name)

    def globals_named(self, name: str) -> list[Declaration]:
        return [d for d in self.named(name) if d.kind == "global"]

    def functions_named(self, name: str) -> list[Unit]:
        return [d.function for d in self.named(name) if d.function is not None]

    def same_variable(self, decl: Declaration) -> tuple[list[Declaration], list[Use]]:
        """The declarations and uses of the variable ``decl`` declares: for a
        local, itself; for a global, every ``:global`` of that name in the
        file (one variable, shared by the scripts that declare it)."""
        decls = self.globals_named(decl.name) if decl.kind == "global" else [decl]
        uses = [u for d in decls for u in d.uses]
        uses.sort(key=lambda u: u.start)
        return decls, uses

    def site_at(self, offset: int):
        """The Declaration or Use whose name is at ``offset``."""
        if self._sites is None:
            sites = [(d.name_start, d.name_end, d) for d in self.declarations if d.name_start >= 0]
            sites += [(u.name_start, u.name_end, u) for u in self.uses if u.name_start >= 0]
            sites += [(u.start, u.end, u) for u in self.uses if u.name_start < 0]
            sites.sort(key=lambda s: (s[0], -s[1]))
            self._sites = sites
        sites = self._sites
        i = bisect_right(sites, offset, key=lambda s: s[0]) - 1
        best = None
        while i >= 0:
            start, end, obj = sites[i]
            if start < offset - 256:
                break
            if start <= offset <= end and (best is None or end - start < best[1] - best[0]):
                best = (start, end, obj)
            i -= 1
        return best[2] if best is not None else None

    def scope_at(self, offset: int) -> Scope | None:
        """The innermost scope holding ``offset``."""
        best = None
        for scope in self.scopes:
            if scope.start <= offset <= scope.end and (best is None or scope.end - scope.start <= best.end - best.start):
                best = scope
        return best

    def visible_at(self, offset: int) -> list[Declaration]:
        """The declarations a ``$name`` written at ``offset`` would see."""
        scope = self.scope_at(offset)
        out: dict[str, Declaration] = {}
        while scope is not None:
            for decl in scope.declarations:
                if decl.end <= offset and decl.name not in out:
                    later = [d for d in scope.declarations if d.name == decl.name and d.end <= offset]
                    out[decl.name] = later[-1]
            scope = scope.parent
        return list(out.values())
