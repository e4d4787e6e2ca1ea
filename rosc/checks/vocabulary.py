"""Checks against the RouterOS vocabulary: unknown menus and parameters,
values of the wrong type, names the target RouterOS version does not have,
and abbreviated names (``/int bri port``, ``inter=``).

The names of every command are read once per lint run (``name_uses``,
shared by the checks): which menu and parameter each written name is, and
how it was found (exactly, by an old name, as an abbreviation, or not).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.list_values import TextSpan as _Span
from rosc.syntax.tree import Arg, Command, String, Word
from rosc.vocabulary.tree import load
from rosc.vocabulary.versions import Absence, Life, absence

# Address-shaped values are checked by ADDR001 (invalid-address), with
# messages about octets and prefixes; VOC003 leaves them to it.
_ADDRESS_TYPES = ("ip", "ipv4", "ipv6", "ipv4-prefix", "ipv6-prefix", "ip-prefix", "ipv4-range", "ipv6-range", "ip-range")
_SETTERS = frozenset({"add", "set"})
_DEFAULT_KNOWN = (9, 24)
_UNTYPED = object()


@dataclass(slots=True)
class ArgUse:
    """One ``name=value`` of an ``add``/``set`` and what rosc made of its name."""

    cmd: Command
    menu: object  # rosc.vocabulary.menus.Menu
    arg: Arg
    name: str  # the full name (``.as`` after ``remote.address`` is ``remote.as``)
    param: object | None  # rosc.vocabulary.menus.Param
    how: str  # "exact", "alias", "abbreviation", "ambiguous", "unknown"
    candidates: tuple[str, ...] = ()


@dataclass(slots=True, eq=False)
class Shape:
    """What rosc made of the argument names of every command written with the
    same menu, verb and names in the same order (most commands of an export
    share a few shapes): resolved once per shape, not once per argument."""

    menu: object  # rosc.vocabulary.menus.Menu
    words: tuple[str, ...]  # ``Command.menu`` of its commands
    uses: tuple[tuple[int, str, object, str, tuple[str, ...]], ...]  # (index in cmd.args, name, param, how, candidates)
    hows: frozenset[str]  # the ``how`` of its uses
    first: Command | None = None  # its first command


@dataclass(slots=True)
class NameUses:
    commands: list[tuple[Command, Shape]] = field(default_factory=list)  # every add/set of a known menu, in order
    shapes: list[Shape] = field(default_factory=list)  # in the order of their first command

    def of_how(self, how: str):
        """The uses resolved ``how`` ("unknown", "abbreviation"...), in file order."""
        for cmd, shape in self.commands:
            if how in shape.hows:
                for index, name, param, found, candidates in shape.uses:
                    if found == how:
                        yield ArgUse(cmd, shape.menu, cmd.args[index], name, param, found, candidates)


def _known(vocab) -> tuple[int, int]:
    return vocab.known or _DEFAULT_KNOWN


def _absent(ctx, life: Life) -> Absence | None:
    target = ctx.target
    return absence(life, target.version if target else None, _known(load())) if target else None


def name_uses(run) -> NameUses:
    """Every ``add``/``set`` argument name of the file, resolved (shared by the checks)."""
    vocab = load()
    target = run.target
    known = _known(vocab)
    out = NameUses()
    append = out.commands.append
    tables: dict[tuple, tuple] = {}  # (menu path, verb) -> (menu, parameter table, resolved names)
    shapes: dict[tuple, Shape | None] = {}  # (menu, verb, argument names) -> its Shape (None: unknown menu)
    index = run.facts.commands
    for cmd, arg_names in zip(index.all, index.arg_names()):
        verb = cmd.verb
        if verb is None or verb.text not in _SETTERS:
            continue
        key = (cmd.menu, verb.text, arg_names)
        try:
            shape = shapes[key]
        except KeyError:
            shape = shapes[key] = _shape(vocab, tables, key, target, known)
            if shape is not None:
                shape.first = cmd
                out.shapes.append(shape)
        if shape is not None:
            append((cmd, shape))
    return out


def _shape(vocab, tables: dict, key: tuple, target, known) -> Shape | None:
    menu_words, verb, names = key
    found = tables.get((menu_words, verb))
    if found is None:
        menu = vocab.menu(menu_words)
        if menu is not None:
            spec = menu.command(verb)
            found = (menu, spec.params if spec is not None and spec.params else menu.params, {})
        else:
            found = (None, None, None)
        tables[(menu_words, verb)] = found
    menu, table, resolved = found
    if menu is None:
        return None
    uses = []
    prefix = ""
    for index, name in enumerate(names):
        if name is None:
            continue
        if name.startswith(".") and prefix:
            name = prefix + name
        elif "." in name.strip("."):
            prefix = name.split(".", 1)[0]
        how = resolved.get(name)
        if how is None:
            how = resolved[name] = _resolve_name(vocab, menu, table, name, target, known)
        uses.append((index, how[0], how[1], how[2], how[3]))
    return Shape(menu, menu_words, tuple(uses), frozenset(u[3] for u in uses))


def _resolve_name(vocab, menu, table, name: str, target, known) -> tuple:
    """(full name, parameter, how, candidates) of ``name`` written in ``menu``."""
    param = table.get(name) or menu.param(name)
    if param is not None:
        return (name, param, "exact" if param.name == name else "alias", ())
    candidates = tuple(
        n for n, p in table.items()
        if n.startswith(name) and absence(p.life, target.version if target else None, known) is None
    )
    if len(candidates) > 1 and target is None:  # accepted if some version has only one of them
        alone = {live[0] for v in vocab._versions()
                 if len(live := [n for n in candidates if absence(table[n].life, v, known) is None]) == 1}
        if len(alone) == 1:
            candidates = (alone.pop(),)
    if len(candidates) == 1:
        return (candidates[0], table[candidates[0]], "abbreviation", candidates)
    return (name, None, "ambiguous" if candidates else "unknown", candidates)


def _menu_span(cmd: Command):
    return _Span(cmd.start, cmd.path_end) if cmd.path_end > cmd.start else (cmd.verb or cmd)


def _targets(ctx) -> str:
    target = ctx.target
    return f"this file targets RouterOS {target.version} ({target.origin})"


def _coverage_notes(ctx) -> list[str]:
    lo, hi = _known(load())
    notes = [f"rosc knows RouterOS 7.{lo}-7.{hi} release by release from RouterOS's own command tree, "
             "and RouterOS 6 names and hardware-only parts from its hand-written overlay"]
    target = ctx.target
    if target is not None and target.version.major == 7 and not lo <= target.version.minor <= hi:
        edge = lo if target.version.minor < lo else hi
        notes.append(f"rosc has no command tree for {target.version.minor_release}: it is checked as 7.{edge}")
    return notes


@rule("VOC001", "unknown-menu", area="vocabulary", severity=Severity.WARNING,
      summary="A menu RouterOS does not have")
def unknown_menu(ctx):
    vocab = load()
    for path, commands in ctx.facts.commands.by_menu.items():  # one menu (one ``cmd.menu``) per path
        if not commands[0].menu or vocab.menu(commands[0].menu) is not None:
            continue
        cmd = next((c for c in commands if (c.absolute or c.path) and all(a.full is not None for a in c.abbreviations)),
                   None)  # (an ambiguous abbreviation: VOC006 says which names it could be)
        if cmd is None:
            continue
        hint = vocab.suggest_menu(path)
        yield ctx.finding(
            _menu_span(cmd),
            f"unknown menu `{path}`" + (f"; did you mean `{hint}`?" if hint else ""),
            notes=["no RouterOS version rosc knows has this menu: often a typo, or a package rosc does not know"],
            fix=f"use `{hint}`" if hint else None,
        )


@rule("VOC002", "unknown-parameter", area="vocabulary", severity=Severity.WARNING, local=True,
      summary="A parameter the menu does not have")
def unknown_parameter(ctx):
    for use in ctx.shared(name_uses).of_how("unknown"):
        if use.arg.name.startswith("."):
            continue
        span = _Span(use.arg.start, use.arg.key_end)
        prop = use.menu.item_property(use.name)
        if prop is not None and prop.readonly:
            yield ctx.finding(
                span, f"`{use.name}` of `{use.menu.path}` is read-only: RouterOS shows it, but {use.cmd.verb.text} does not take it",
                notes=[prop.doc] if prop.doc else [], fix=f"remove `{use.name}=...`",
            )
            continue
        hint = use.menu.suggest_param(use.name)
        yield ctx.finding(
            span,
            f"`{use.menu.path}` has no parameter `{use.name}`" + (f"; did you mean `{hint}`?" if hint else ""),
            fix=f"write `{hint}=`" if hint else None,
        )


@rule("VOC003", "invalid-value", area="vocabulary", severity=Severity.ERROR, local=True,
      summary="A value of the wrong type for its parameter")
def invalid_value(ctx):
    checked: dict[int, bool] = {}  # id(param) -> whether VOC003 checks its values
    typed: dict[int, tuple] = {}  # id(shape) -> its uses whose values VOC003 checks
    problems: dict[tuple[int, str], str | None] = {}  # (id(param), value) -> the problem, typed once per value
    for cmd, shape in ctx.shared(name_uses).commands:
        uses = typed.get(id(shape))
        if uses is None:
            uses = typed[id(shape)] = tuple(u for u in shape.uses if u[2] is not None and _checked(checked, u[2]))
        if not uses:
            continue
        args = cmd.args
        for index, name, param, _how, _candidates in uses:
            arg = args[index]
            node = arg.value
            kind = type(node)  # literal(arg), inline: this loop sees most arguments of the file
            if kind is Word:
                value = node.text
            elif kind is String and not node.interpolated:
                value = node.value
            else:
                continue
            if value == "":
                continue
            key = (id(param), value)
            problem = problems.get(key, _UNTYPED)
            if problem is _UNTYPED:  # most values of an export are unique: no exception per value
                problem = problems[key] = param.check(value)
            if problem:
                whose = "" if param.typed_by == "overlay" else " (RouterOS's own type)"
                yield ctx.finding(arg.value, f"`{arg.name}=`: {problem}", notes=[f"`{name}` takes {param.type_text}{whose}"])


def _checked(checked: dict, param) -> bool:
    wanted = checked.get(id(param))
    if wanted is None:
        wanted = checked[id(param)] = _value_checked(param)
    return wanted


def _value_checked(param) -> bool:
    if not param.checked:
        return False
    base = param.type_text.split("|")[0].strip()
    return not (base in _ADDRESS_TYPES or base.startswith("list<ip") or param.ref_kind is not None)


# ------------------------------------------------------------------ versions


@dataclass(slots=True)
class _Report:
    node: object
    message: str
    fix: str | None
    lines: set[int] = field(default_factory=set)


def _version_findings(ctx) -> list[_Report]:
    vocab = load()
    reports: dict[tuple, _Report] = {}

    def add(key, node, message, fix=None):
        if key not in reports:
            reports[key] = _Report(node, message, fix)
        reports[key].lines.add(ctx.source.line_col(node.start)[0])

    absent_menus: set[tuple[str, ...]] = set()
    lives: dict[int, tuple] = {}  # id(life) -> (life, its absence in the target version), computed once

    def gone_of(life: Life) -> Absence | None:
        try:
            return lives[id(life)][1]
        except KeyError:
            lives[id(life)] = (life, _absent(ctx, life))  # the life is kept so that its id stays its own
            return lives[id(life)][1]

    verdicts: dict[tuple, tuple | None] = {}  # (menu, verb) -> what every such command gets
    for cmd in ctx.device.commands():
        if not cmd.menu and cmd.verb is None:
            continue
        verb = cmd.verb.text if cmd.verb is not None else None
        key = (cmd.menu, verb)
        if key in verdicts:
            verdict = verdicts[key]
        else:
            verdict = verdicts[key] = _menu_verdict(ctx, vocab, cmd, verb, gone_of)
        if verdict is None:
            continue
        what, report_key, message, fix = verdict
        if what != "command-ok":
            if what != "command":
                absent_menus.add(cmd.menu)
            if report_key is not None:
                add(report_key, cmd.verb if what == "command" else _menu_span(cmd), message, fix)
    uses: dict[tuple, tuple | None] = {}
    names = ctx.shared(name_uses)
    reported: dict[int, tuple] = {}  # id(shape) -> (index in cmd.args, verdict) of its uses VOC004 reports
    for shape in names.shapes:  # in the order of their first command: each verdict is the first use's
        if shape.words in absent_menus:
            continue
        found_here = []
        for index, name, param, how, candidates in shape.uses:
            if param is None:
                continue
            where = (shape.menu.path, param.name, how == "alias")
            try:
                found = uses[where]
            except KeyError:
                found = uses[where] = _param_verdict(ctx, _first_use(shape, index), where, gone_of)
            if found is not None:
                found_here.append((index, found))
        if found_here:
            reported[id(shape)] = tuple(found_here)
    if reported:
        for cmd, shape in names.commands:
            found_here = reported.get(id(shape))
            if found_here is None or cmd.menu in absent_menus:
                continue
            for index, found in found_here:
                arg = cmd.args[index]
                add(found[0], _Span(arg.start, arg.key_end), found[1], found[2])
    return list(reports.values())


def _first_use(shape: Shape, index: int) -> ArgUse:
    """The ArgUse of argument ``index`` of the first command of ``shape``."""
    cmd = shape.first
    for i, name, param, how, candidates in shape.uses:
        if i == index:
            return ArgUse(cmd, shape.menu, cmd.args[index], name, param, how, candidates)
    raise ValueError(index)


def _menu_verdict(ctx, vocab, cmd: Command, verb: str | None, gone_of) -> tuple | None:
    """What VOC004 says of every command of ``cmd``'s menu and verb:
    ``(what, report key, message, fix)``; "alias" and "menu" also mark the
    menu absent (its parameters are then not reported one by one)."""
    menu = vocab.menu(cmd.menu)
    if menu is None:
        return None
    path = cmd.menu_path
    alias = vocab.alias(path)
    if alias is not None:  # an old name: its own versions, not those of what it became
        gone = gone_of(alias.life)
        if gone is None:
            return ("alias", None, "", None)
        return ("alias", ("menu", path), f"menu `{path}` {_alias_text(alias, gone)}; {_targets(ctx)}",
                f"write `{vocab.resolve(path)}`")
    gone = gone_of(menu.life)
    if gone is not None:
        return ("menu", ("menu", menu.path), f"menu `{menu.path}` {gone.text}; {_targets(ctx)}", _successor(menu))
    if verb and not verb.startswith(":") and verb in menu.commands:
        gone = gone_of(menu.command_life(verb))
        if gone is not None:
            return ("command", ("command", menu.path, verb), f"command `{verb}` of `{menu.path}` {gone.text}; {_targets(ctx)}", None)
    return ("command-ok", None, "", None)


def _param_verdict(ctx, use: ArgUse, where: tuple, gone_of) -> tuple | None:
    if use.how == "alias" and ctx.target is not None and not ctx.target.v6:
        return (("param",) + where,
                f"`{use.arg.name}=` is the RouterOS 6 name of `{use.param.name}=` in `{use.menu.path}`; {_targets(ctx)}",
                f"write `{use.param.name}=`")
    gone = gone_of(use.param.life)
    if gone is not None:
        return (("param",) + where, f"parameter `{use.param.name}` of `{use.menu.path}` {gone.text}; {_targets(ctx)}", None)
    return None


def _alias_text(alias, gone: Absence) -> str:
    if alias.until is None:
        return f"is the RouterOS 6 name of `{alias.target}`"
    if gone.reason == "v7-only":
        return f"is an earlier RouterOS 7 name of `{alias.target}` (up to 7.{alias.until})"
    return f"was renamed `{alias.target}` in 7.{alias.until + 1}"


def _successor(menu) -> str | None:
    return f"use `{menu.replaced_by}`" if menu.replaced_by else None


@rule("VOC004", "not-in-target-version", area="vocabulary", severity=Severity.WARNING,
      summary="A menu, command or parameter the target RouterOS version does not have")
def not_in_target_version(ctx):
    if ctx.target is None:
        return
    for report in _version_findings(ctx):
        notes = _coverage_notes(ctx)
        more = len(report.lines) - 1
        if more:
            notes.append(f"the same on {more} more line{'s' if more != 1 else ''} of this file")
        yield ctx.finding(report.node, report.message, notes=notes, fix=report.fix)


# ------------------------------------------------------------------ abbreviations


def _ambiguous_in_target(ctx, abbreviation) -> tuple[str, ...]:
    """The names an abbreviation fits in the target version (empty: not ambiguous there)."""
    if abbreviation.full is None:
        return abbreviation.candidates
    if ctx.target is None or len(abbreviation.candidates) < 2:
        return ()
    vocab = load()
    live = tuple(c for c in abbreviation.candidates if vocab.child_exists(abbreviation.parent, c, ctx.target.version))
    return live if len(live) > 1 else ()


@rule("VOC005", "abbreviated-name", area="vocabulary", severity=Severity.INFO, local=True,
      summary="A menu, command or parameter written as an abbreviation")
def abbreviated_name(ctx):
    for cmd in ctx.device.commands():
        if not cmd.abbreviations:
            continue
        if any(_ambiguous_in_target(ctx, a) for a in cmd.abbreviations):
            continue  # VOC006 reports the command
        short = [a for a in cmd.abbreviations if a.full is not None]
        if not short:
            continue
        start = cmd.start if cmd.absolute else short[0].start
        written = ctx.source.text[start : short[-1].end]
        full = cmd.menu_path
        if cmd.verb is not None and any(a.what == "command" for a in short):
            full += " " + cmd.verb.text
        yield ctx.finding(
            _Span(short[0].start, short[-1].end),
            f"`{' '.join(written.split())}` is abbreviated: RouterOS reads `{full}`",
            notes=["RouterOS accepts any prefix that fits one name; a name added in a later version "
                   "can make the same prefix ambiguous"],
            fix=f"write `{full}`",
        )
    for use in ctx.shared(name_uses).of_how("abbreviation"):
        if use.how == "abbreviation":
            yield ctx.finding(
                _Span(use.arg.start, use.arg.key_end),
                f"`{use.arg.name}=` is an abbreviation: RouterOS reads `{use.name}=` of `{use.menu.path}`",
                fix=f"write `{use.name}=`",
            )


@rule("VOC006", "ambiguous-abbreviation", area="vocabulary", severity=Severity.ERROR, local=True,
      summary="An abbreviation that fits several names, which RouterOS rejects")
def ambiguous_abbreviation(ctx):
    for cmd in ctx.device.commands():
        for a in cmd.abbreviations:
            names = _ambiguous_in_target(ctx, a)
            if names:
                where = f"in RouterOS {ctx.target.version} " if a.full is not None else ""
                yield ctx.finding(
                    _Span(a.start, a.end),
                    f"`{a.written}` is ambiguous {where}here: it could be {_either(names)}; RouterOS rejects the command",
                    notes=["RouterOS accepts a shortened name only when exactly one name starts with it "
                           "(and the words after it do not decide)"],
                    fix="write the full name",
                )
    for use in ctx.shared(name_uses).of_how("ambiguous"):
        if use.how == "ambiguous":
            yield ctx.finding(
                _Span(use.arg.start, use.arg.key_end),
                f"`{use.arg.name}=` is ambiguous in `{use.menu.path}`: it could be {_either(use.candidates, '=')}; "
                "RouterOS rejects the command",
                fix="write the full parameter name",
            )


def _either(names, suffix: str = "") -> str:
    names = [f"`{n}{suffix}`" for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]

