"""The walk behind ``rosc.model.scripts.analyze``: every statement of every
script in order, opening and closing scopes as RouterOS does.

What each scripting command declares and where (Scripting, "Loops and
conditional statements", "Functions", "Catch run-time errors"):

* ``:local x v`` / ``:global x v`` declare ``x`` in the current scope after
  ``v`` is evaluated; ``do={...}`` makes ``x`` a function;
* ``:foreach k,v in=... do={...}`` and ``:for i from=... do={...}``
  declare their variables in the body;
* ``:onerror e in={...} do={...}`` gives ``e`` to its blocks;
* every other ``{ }`` is a nested scope; the ``do={ }`` of a menu command
  (``monitor-traffic ... once do={...}``) sees the command's properties as
  variables, so undeclared names there are not reported.

Names the walk cannot see (arguments of a function, variables a hook or a
caller provides) are recorded as unresolved with what is known about them;
the checks decide.
"""

from __future__ import annotations

import re

from rosc.model.script_env import (
    ANY_HOOK_VARIABLES,
    HOOK_VARIABLES,
    QUERY_VERBS,
    SCRIPT_WORDS,
)
from rosc.model.script_strings import FILE_MAP, StringCode, StringVariable, interpolations
from rosc.model.script_model import Call, Declaration, Jump, Scope, ScriptAnalysis, Unit, Use
from rosc.syntax.menu_context import EMBEDDED_SCRIPTS, GENERIC_VERBS
from rosc.syntax.tree import (
    Arg,
    Block,
    Command,
    Concat,
    Expression,
    Operator,
    String,
    Substitution,
    Variable,
    Word,
    children,
)

_BARE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_CONSTANTS = frozenset({"true", "false", "yes", "no", "nil", "and", "or", "in", "not"})


def script_word(cmd: Command) -> str | None:
    """The scripting command ``cmd`` runs (``local`` for ``:local`` and for
    a colon-less ``local``), or None for a menu command."""
    verb = cmd.verb
    if verb is None:
        return None
    text = verb.text
    if text.startswith(":"):
        return text[1:]
    if not cmd.absolute and not cmd.path and text in SCRIPT_WORDS and (not cmd.menu or text not in GENERIC_VERBS):
        return text
    return None


class Walker:
    def __init__(self, text: str):
        self.text = text
        self.result = ScriptAnalysis()
        self.closed: dict[Unit, dict[str, list[Declaration]]] = {}
        self.text_map = FILE_MAP
        self.string_depth = 0  # > 0 inside a script written in a quoted string
        self.command: Command | None = None
        self.query_menu: str | None = None

    def run(self, script) -> ScriptAnalysis:
        unit = Unit("file", "this file", script.start, script.end, builtins=ANY_HOOK_VARIABLES)
        self.unit(unit, script.body, None)
        return self.result

    # -- scopes
    def unit(self, unit: Unit, body: list, outer: Scope | None) -> None:
        self.result.units.append(unit)
        self.closed[unit] = {}
        root = Scope(unit.start, unit.end, unit, None, outer=outer)
        unit.root = root
        self.result.scopes.append(root)
        self.statements(body, root)

    def open(self, node, parent: Scope, loop: bool = False, open_world: bool = False, catches: bool = False) -> Scope:
        scope = Scope(node.start, node.end, parent.unit, parent, loop=loop, open_world=open_world, catches=catches)
        parent.children.append(scope)
        self.result.scopes.append(scope)
        return scope

    def close(self, scope: Scope) -> None:
        closed = self.closed[scope.unit]
        for decl in scope.declarations:
            closed.setdefault(decl.name, []).append(decl)

    def block(self, node, parent: Scope, loop: bool = False, open_world: bool = False, names=(), catches: bool = False) -> None:
        """Walk ``node`` (a Block) as a nested scope declaring ``names``
        (``(name, kind, start, end, command)``) first; other values as values."""
        if type(node) is not Block:
            if node is not None:
                self.value(node, parent)
            return
        scope = self.open(node, parent, loop, open_world, catches)
        for name, kind, start, end, cmd in names:
            self.declare(Declaration(name, kind, start, end, scope, cmd, start, end), scope)
        self.statements(node.body, scope)
        self.close(scope)

    def declare(self, decl: Declaration, scope: Scope) -> None:
        scope.names[decl.name] = decl
        scope.declarations.append(decl)
        self.result.declarations.append(decl)

    # -- statements
    def statements(self, body: list, scope: Scope) -> None:
        for stmt in body:
            if type(stmt) is Command:
                self.statement(stmt, scope)

    def statement(self, cmd: Command, scope: Scope) -> None:
        saved = self.command, self.query_menu
        self.command, self.query_menu = cmd, None
        self.result.commands.append((cmd, scope))
        try:
            word = script_word(cmd)
            if word is not None:
                handler = _HANDLERS.get(word)
                if handler is not None:
                    handler(self, cmd, scope, word)
                else:
                    self.values(cmd.args, scope)
            elif cmd.verb is None:
                if cmd.args and type(cmd.args[0]) is Variable:
                    self.call(cmd, scope)
                else:
                    self.values(cmd.args, scope)
            else:
                self.menu_command(cmd, scope)
        finally:
            self.command, self.query_menu = saved

    def values(self, nodes, scope: Scope) -> None:
        for node in nodes:
            self.value(node, scope)

    def menu_command(self, cmd: Command, scope: Scope) -> None:
        menu = cmd.menu
        verb = cmd.verb.text
        hooks = EMBEDDED_SCRIPTS.get(menu, ()) if verb in ("add", "set") else ()
        querying = verb in QUERY_VERBS and verb != "print"  # `print` queries only after `where`
        path = None
        for arg in cmd.args:
            kind = type(arg)
            if kind is Word and arg.text == "where":
                querying = True
                continue
            if kind is Arg and type(arg.value) is Word and arg.name not in hooks:
                continue  # `name=word`: no variable, no script (most arguments of an export)
            if querying and path is None:
                path = cmd.menu_path
            self.query_menu = path if querying else None
            if kind is Arg and arg.name in hooks:
                self.hook_script(cmd, arg, scope)
            elif kind is Arg and type(arg.value) is Block:
                self.block(arg.value, scope, open_world=True)
            else:
                self.value(arg, scope)
        self.query_menu = None

    def hook_script(self, cmd: Command, arg: Arg, scope: Scope) -> None:
        value = arg.value
        menu = cmd.menu
        if menu == ("system", "script"):
            kind, builtins = "script", ANY_HOOK_VARIABLES
        elif menu == ("system", "scheduler"):
            kind, builtins = "scheduler", frozenset()
        else:
            kind, builtins = "hook", HOOK_VARIABLES.get((menu, arg.name), frozenset())
        name_arg = cmd.get("name")
        name = name_arg.value.value if name_arg is not None and type(name_arg.value) in (Word, String) else None
        if kind == "script":
            label = f"the script `{name}`" if name else "this `/system script` source"
        else:
            owner = f" of `{name}`" if name else ""
            label = f"the `{arg.name}=` script{owner} ({cmd.menu_path})"
        if type(value) is String and value.script is not None:
            if value.interpolated:
                self.string(value, scope, import_time=True)
            unit = Unit(kind, label, value.start, value.end, scope.unit, builtins, hook=(menu, arg.name), name=name, from_string=True)
            saved = self.text_map
            self.text_map = saved.of_string(value)
            self.string_depth += 1
            try:
                self.unit(unit, value.script.body, None)
            finally:
                self.string_depth -= 1
                self.text_map = saved
        elif type(value) is Block:
            unit = Unit(kind, label, value.start, value.end, scope.unit, builtins, hook=(menu, arg.name), name=name)
            self.unit(unit, value.body, None)
        else:
            self.value(value, scope)

    # -- values
    def value(self, node, scope: Scope, in_expr: bool = False) -> None:
        kind = type(node)
        if kind is Variable:
            self.use(node.name, "read", node.start, node.end, scope, quoted=node.quoted)
        elif kind is Arg:
            if node.value is not None:
                self.value(node.value, scope, in_expr)
        elif kind is String:
            if node.interpolated:
                self.string(node, scope)
        elif kind is Word:
            if in_expr and self.query_menu is None:
                self.bare(node, scope)
        elif kind is Substitution:
            self.statements(node.body, scope)
        elif kind is Block:
            self.block(node, scope)
        elif kind is Expression:
            for item in node.items:
                if type(item) is not Operator:
                    self.value(item, scope, True)
        elif kind is Concat:
            for part in node.parts:
                self.value(part, scope, in_expr)
        elif kind is Command:
            self.statement(node, scope)
        elif kind is not Operator and node is not None:
            # a node kind this walk does not know (the syntax grows): still
            # read what is inside it, so no use goes unseen
            for child in children(node):
                self.value(child, scope, in_expr)

    def string(self, node: String, scope: Scope, import_time: bool = False) -> None:
        for piece in interpolations(node, self.text_map):
            if type(piece) is StringVariable:
                self.use(piece.name, "read", piece.start, piece.end, scope, import_time=import_time)
            elif piece is None:
                scope.unit.incomplete = True  # `$[...]` rosc cannot read
            elif type(piece) is StringCode:
                saved = self.text_map
                self.text_map = piece.text_map
                try:
                    self.statements(piece.body, scope)
                finally:
                    self.text_map = saved

    def bare(self, node: Word, scope: Scope) -> None:
        text = node.text
        if text in _CONSTANTS or not _BARE_NAME.match(text):
            return
        decl = scope.lookup(text)
        if decl is None:
            scope.unit.bare_names.add(text)  # perhaps a function's argument: `(a && b)`
            return
        use = Use(text, "read", node.start, node.end, scope, self.command, decl, node.start, node.end, bare=True)
        decl.uses.append(use)
        self.result.uses.append(use)

    def use(self, name: str, kind: str, start: int, end: int, scope: Scope, quoted: bool = False, import_time: bool = False,
            dollar: bool = True) -> Use | None:
        text = self.text
        if dollar and self.string_depth and not import_time and self.text_map.written_unescaped(start):
            # a `$` written unescaped in the string that holds this script:
            # the script storing it substitutes it when it runs (and reads it
            # there); the stored script never sees it
            return None
        name_start = text.rfind(name, start, end)
        decl = scope.lookup(name)
        if decl is None and "_" in name and not quoted:
            # The manual's names are letters and digits: `"$day_$hour"` is
            # read by scripts as `$day` then `_`.  Resolve to the longest
            # declared name before an underscore, if any.
            cut = name.rfind("_")
            while cut > 0:
                decl = scope.lookup(name[:cut])
                if decl is not None:
                    name = name[:cut]
                    if name_start >= 0:
                        end = name_start + len(name)
                    break
                cut = name.rfind("_", 0, cut)
        if decl is None and "_" in name and not quoted:
            cut = name.find("_")
            if cut > 0 and name[:cut] in scope.unit.builtins:
                name = name[:cut]
                if name_start >= 0:
                    end = name_start + len(name)
        if name.isdigit():
            scope.unit.positional = True
        name_end = name_start + len(name) if name_start >= 0 else -1
        use = Use(name, kind, start, end, scope, self.command, None, name_start, name_end, quoted, import_time=import_time,
                  query_menu=self.query_menu)
        if decl is not None:
            use.declaration = decl
            decl.uses.append(use)
        else:
            unit = scope.unit
            use.closed = list(self.closed[unit].get(name, ()))
            use.open_world = unit.open_world or any(s.open_world for s in scope.chain())
            outer = unit.root.outer
            while outer is not None:
                captured = outer.lookup(name)
                if captured is not None:
                    captured.captured = True
                    break
                outer = outer.unit.root.outer
        self.result.uses.append(use)
        return use

    def call(self, cmd: Command, scope: Scope) -> None:
        callee = cmd.args[0]
        use = self.use(callee.name, "call", callee.start, callee.end, scope, quoted=callee.quoted)
        rest = cmd.args[1:]
        self.values(rest, scope)
        if use is not None:
            self.result.calls.append(Call(use, [a for a in rest if type(a) is Arg], [a for a in rest if type(a) is not Arg]))

    # -- declarations
    def name_of(self, node) -> str | None:
        kind = type(node)
        if kind is Word:
            return node.text
        if kind is String and not node.interpolated:
            return node.value
        return None

    def declaration(self, name: str, kind: str, node, scope: Scope, cmd: Command) -> Declaration:
        i = self.text.find(name, node.start, node.end) if name else -1
        decl = Declaration(name, kind, node.start, node.end, scope, cmd, i, i + len(name) if i >= 0 else -1, type(node) is String)
        return decl

    def function(self, name: str, label: str, body: Block, scope: Scope, decl: Declaration | None = None) -> Unit:
        unit = Unit("function", label, body.start, body.end, scope.unit, open_world=True,
                    name=name or None, declaration=decl, from_string=self.string_depth > 0)
        self.unit(unit, body.body, scope)
        return unit


def _split(cmd: Command):
    """(positional values, named arguments by name) of a scripting command."""
    positional = []
    named = {}
    for arg in cmd.args:
        if type(arg) is Arg:
            named[arg.name] = arg
        else:
            positional.append(arg)
    return positional, named


def _named_value(named: dict, key: str):
    arg = named.get(key)
    return arg.value if arg is not None else None


def _walk_rest(w: Walker, named: dict, scope: Scope, skip) -> None:
    for key, arg in named.items():
        if key not in skip and arg.value is not None:
            w.value(arg.value, scope)


def _declare(w: Walker, cmd: Command, scope: Scope, word: str) -> None:
    positional, named = _split(cmd)
    name_node = positional[0] if positional else _named_value(named, "name")
    value_node = positional[1] if len(positional) > 1 else _named_value(named, "value")
    for node in (value_node, *positional[2:]):
        if node is not None:
            w.value(node, scope)
    _walk_rest(w, named, scope, ("name", "value", "do"))
    name = w.name_of(name_node) if name_node is not None else None
    do = named.get("do")
    if name is None:
        if name_node is not None:
            w.value(name_node, scope)
        if do is not None and do.value is not None:
            w.value(do.value, scope)
        return
    decl = w.declaration(name, word, name_node, scope, cmd)
    decl.value = value_node
    if word == "local":
        prior = scope.lookup(name)
        if prior is not None and prior.kind == "global":
            decl.shadows = prior
    if do is not None and type(do.value) is Block:
        decl.function = w.function(name, f"the function `{name}`", do.value, scope, decl)
        decl.value = do.value
    elif do is not None and do.value is not None:
        w.value(do.value, scope)
    w.declare(decl, scope)


def _set(w: Walker, cmd: Command, scope: Scope, word: str) -> None:
    positional, named = _split(cmd)
    target = positional[0] if positional else _named_value(named, "name")
    for node in positional[1:]:
        w.value(node, scope)
    _walk_rest(w, named, scope, ("name", "do"))
    do = named.get("do")
    kind = type(target)
    if do is not None and type(do.value) is Block:
        name = target.text if kind is Word else target.value if kind is String else None
        label = f"the function `{name}`" if name else "the function set here"
        w.function(name or "", label, do.value, scope)
    if kind is Word or (kind is String and not target.interpolated):
        name = target.text if kind is Word else target.value
        w.use(name, "set", target.start, target.end, scope, quoted=kind is String, dollar=False)
    elif kind is Variable:
        w.use(target.name, "set", target.start, target.end, scope, quoted=target.quoted)
    elif target is not None:
        w.value(target, scope)


def _loop_names(w: Walker, node, cmd: Command, kind: str = "loop") -> list:
    if type(node) is not Word:
        return []
    out = []
    pos = node.start
    for name in node.text.split(","):
        i = w.text.find(name, pos, node.end) if name else -1
        if name and i >= 0:
            out.append((name, kind, i, i + len(name), cmd))
            pos = i + len(name)
    return out


def _foreach(w: Walker, cmd: Command, scope: Scope, word: str) -> None:
    positional, named = _split(cmd)
    names = _loop_names(w, positional[0], cmd) if positional else []
    for node in positional[1:]:
        w.value(node, scope)
    _walk_rest(w, named, scope, ("do",))
    w.block(_named_value(named, "do"), scope, loop=True, names=names)


def _while(w: Walker, cmd: Command, scope: Scope, word: str) -> None:
    positional, named = _split(cmd)
    w.values(positional, scope)
    _walk_rest(w, named, scope, ("do",))
    w.block(_named_value(named, "do"), scope, loop=True)


def _do(w: Walker, cmd: Command, scope: Scope, word: str) -> None:
    positional, named = _split(cmd)
    loop = "while" in named
    body = positional[0] if positional else _named_value(named, "command")
    w.block(body, scope, loop=loop, catches="on-error" in named)
    w.values(positional[1:], scope)
    for key in ("while", "if"):
        if key in named and named[key].value is not None:
            w.value(named[key].value, scope)
    w.block(_named_value(named, "on-error"), scope)
    _walk_rest(w, named, scope, ("command", "while", "if", "on-error"))


def _if(w: Walker, cmd: Command, scope: Scope, word: str) -> None:
    positional, named = _split(cmd)
    w.values(positional, scope)
    _walk_rest(w, named, scope, ("do", "else"))
    w.block(_named_value(named, "do"), scope)
    w.block(_named_value(named, "else"), scope)


def _onerror(w: Walker, cmd: Command, scope: Scope, word: str) -> None:
    positional, named = _split(cmd)
    names = _loop_names(w, positional[0], cmd, "error") if positional else []
    body = _named_value(named, "in") if "in" in named else (positional[1] if len(positional) > 1 else None)
    w.block(body, scope, names=names, catches=True)
    _walk_rest(w, named, scope, ("in", "do"))
    w.block(_named_value(named, "do"), scope, names=names)


def _retry(w: Walker, cmd: Command, scope: Scope, word: str) -> None:
    positional, named = _split(cmd)
    body = positional[0] if positional else _named_value(named, "command")
    w.block(body, scope, catches=True)
    w.values(positional[1:], scope)
    _walk_rest(w, named, scope, ("command", "on-error"))
    w.block(_named_value(named, "on-error"), scope)


def _execute(w: Walker, cmd: Command, scope: Scope, word: str) -> None:
    positional, named = _split(cmd)
    body = positional[0] if positional else _named_value(named, "script")
    if type(body) is Block:
        unit = Unit("execute", "the `:execute` script", body.start, body.end, scope.unit, open_world=True)
        w.unit(unit, body.body, scope)
    elif body is not None:
        w.value(body, scope)
    w.values(positional[1:], scope)
    _walk_rest(w, named, scope, ("script",))


def _jump(w: Walker, cmd: Command, scope: Scope, word: str) -> None:
    w.values(cmd.args, scope)
    unit = scope.unit
    in_loop = any(s.loop for s in scope.chain())
    in_catch = any(s.catches for s in scope.chain())
    w.result.jumps.append(Jump(word, cmd, scope, in_loop, unit.is_function, in_catch))
    if word == "return":
        unit.returns.append(cmd)


_HANDLERS = {
    "local": _declare,
    "global": _declare,
    "set": _set,
    "foreach": _foreach,
    "for": _foreach,
    "while": _while,
    "do": _do,
    "if": _if,
    "onerror": _onerror,
    "retry": _retry,
    "execute": _execute,
    "return": _jump,
    "break": _jump,
    "continue": _jump,
    "exit": _jump,
}
