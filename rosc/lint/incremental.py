"""Linting again after an edit, re-running only what the edit can change.

``lint_recorded`` is ``lint_parsed`` that also keeps, per rule, what the
rule found (before suppressions) and whether it read the raw text of the
file (``Source.text``: spaces, line ends, anything the syntax tree does not
hold), only the text of tokens (``Source.token_text``) or values computed
from the text (``Source.probe``), itself or through a shared analysis it
computed or used.

``relint`` takes that record, the new parse and the ``Region`` of top-level
statements the edit replaced (``rosc.lsp.incremental.reparse_region``):

* rules marked ``local`` (``@rule(..., local=True)``) run on the new
  statements only; their findings elsewhere are kept, moved with the text;
* the other rules are kept too when the edit cannot change what they see:
  the new statements are the old ones node for node (same kinds, words,
  values, menus, comments), every node at the same line and column, no
  error of the parser in them, what the export header says and the
  target version the same, and the rule did not read the raw text (the
  text of tokens is the same then, and each probe it read is computed again
  on the new text and must give the same value).  A one-line edit of
  spacing (a space after a continuation backslash, a trailing blank) is
  such an edit.  Their findings are moved with the nodes they point at;
* also kept is a rule that read neither the raw text nor its tokens, no
  menu the edited statements make, no walk of every command, no line
  number when the edit added or removed lines, and whose probes give the
  same values;
* else every other rule runs again, on a model built from the new tree.

Whenever something cannot be moved exactly (a finding that points inside
the edited statements but at no node of them), ``relint`` returns None and
the caller lints the whole file.  The result is the same list of
diagnostics a full ``lint_parsed`` of the new text gives
(tests/test_lsp_relint_property.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass

from rosc.checks.context import CheckContext, DeviceRun
from rosc.checks.registry import device_rules
from rosc.diagnostics import Diagnostic, Severity
from rosc.lint.config import Config
from rosc.lint.engine import LintResult, gc_paused, parser_findings, target_of
from rosc.lint.reads import ALL, LINES, TEXT, TOKENS, WatchedContext, WatchedRun
from rosc.lint.suppressions import apply_suppressions
from rosc.model.builder import build_device
from rosc.model.device import Device
from rosc.syntax.parser import ParseResult
from rosc.syntax.source import Source
from rosc.syntax.tree import Command, Script

_POSITIONS = frozenset({"start", "end", "path_end", "key_end"})


@dataclass(slots=True)
class Region:
    """The top-level statements ``old`` (from index ``index``) were replaced
    by ``new``; the text before ``r0`` is unchanged, and so is the text
    from ``r1_old`` on, which moved by ``delta``."""

    index: int
    old: list
    new: list
    r0: int
    r1_old: int
    delta: int


@dataclass(slots=True)
class Record:
    """What one lint run found, per rule (before suppressions)."""

    config: Config | None
    target: object
    header: object  # what the export header says (_header)
    found: dict[str, list[Diagnostic]] = field(default_factory=dict)
    reads: dict[str, set[str]] = field(default_factory=dict)  # per rule (rosc.lint.reads)
    rules: tuple = ()  # the rules the settings enable, in order
    probes: dict = field(default_factory=dict)  # Source.probe function -> its value on the text linted
    stats: dict[str, float] = field(default_factory=dict)  # what the last relint did (for bench/lsp_latency.py)


def _watched_run(parsed: ParseResult, config: Config) -> WatchedRun:
    return WatchedRun(build_device(parsed), target_of(parsed, config))


def _header(parsed: ParseResult):
    """What the export header says (``Facts.routeros_version``): no rule's
    read of it is recorded, relint compares it before anything else."""
    return parsed.source.export_version()


def _run_rule(rule, run: WatchedRun, config: Config, record: Record) -> list[Diagnostic]:
    found, record.reads[rule.id] = run.reading(lambda: list(rule.check(WatchedContext(run, rule, config.severity_of(rule)))))
    return found


def _enabled(config: Config) -> tuple:
    return tuple(r for r in device_rules(config.enabled).values() if r.check is not None and r.scope == "device" and config.enabled(r))


def _finish(parsed: ParseResult, config: Config, record: Record, run) -> LintResult:
    diagnostics = parser_findings(parsed, config)
    for found in record.found.values():
        diagnostics.extend(found)
    diagnostics = apply_suppressions(parsed, diagnostics)
    diagnostics.sort(key=Diagnostic.sort_key)
    result = LintResult(parsed, run, diagnostics)
    result.record = record
    return result


def lint_recorded(parsed: ParseResult, config: Config | None = None) -> LintResult:
    """``lint_parsed``, keeping the per-rule ``Record`` in ``result.record``."""
    with gc_paused():
        config_ = config or Config()
        run = _watched_run(parsed, config_)
        record = Record(config, run.target, _header(parsed))
        record.rules = _enabled(config_)
        for rule in record.rules:
            record.found[rule.id] = _run_rule(rule, run, config_, record)
        record.probes = run.reads.probed
        return _finish(parsed, config_, record, run)


# ------------------------------------------------------------------ node maps


class _Unlike(Exception):
    pass


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of a syntax-tree node class (plain ``__slots__`` classes
    in ``rosc.syntax.tree``) or of a dataclass; None for a value."""
    if kind.__module__ == Script.__module__:
        return getattr(kind, "__slots__", None)
    if is_dataclass(kind):
        return tuple(f.name for f in fields(kind))
    return None


def _pair(old, new, pairs: list, leaves: list) -> None:
    """Walk two trees side by side: equal but for positions, else _Unlike.
    Collects (old offset, new offset) of every position, and the leaves
    (old start, old end, new start) whose text is the same."""
    if type(old) is not type(new):
        raise _Unlike
    if isinstance(old, list | tuple):
        if len(old) != len(new):
            raise _Unlike
        for a, b in zip(old, new):
            _pair(a, b, pairs, leaves)
        return
    names = _field_names(type(old))
    if names is None:
        if old != new:
            raise _Unlike
        return
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if name in _POSITIONS:
            pairs.append((a, b))
        else:
            _pair(a, b, pairs, leaves)
    if hasattr(old, "start") and hasattr(old, "end") and not hasattr(old, "body") and type(old).__name__ != "Command":
        if old.end - old.start == new.end - new.start:
            leaves.append((old.start, old.end, new.start))


class _Mover:
    """Moves offsets of the old text to the new one."""

    def __init__(self, region: Region, exact: dict[int, int] | None, leaves: list):
        self.region = region
        self.exact = exact
        self.leaves = leaves

    def __call__(self, offset: int) -> int | None:
        r = self.region
        if offset <= r.r0:
            return offset
        if offset >= r.r1_old:
            return offset + r.delta
        if self.exact is None:
            return None
        found = self.exact.get(offset)
        if found is not None:
            return found
        for start, end, new_start in self.leaves:
            if start <= offset <= end:
                return new_start + offset - start
        return None


def _moved(found: list[Diagnostic], move: _Mover, source: Source) -> list[Diagnostic] | None:
    out = []
    for d in found:
        start, end = move(d.span.offset), move(d.span.end)
        if start is None or end is None:
            return None
        if start == d.span.offset and end == d.span.end:
            out.append(d)
        else:
            out.append(Diagnostic(d.code, d.severity, d.message, d.path, source.span(start, end), d.notes, d.fix))
    return out


def _errors_in(parsed: ParseResult, start: int, end: int) -> bool:
    """Whether the parser reports an error (``Device.syntax_errors``) in ``[start, end)``."""
    return any(d.severity >= Severity.ERROR and d.span.end > start and d.span.offset < end for d in parsed.diagnostics)


def _same_model(old_parse: ParseResult, parsed: ParseResult, region: Region) -> _Mover | None:
    """A mover through the nodes when the edit leaves the model as it was
    (see the module docstring), else None."""
    if len(region.old) != len(region.new):
        return None
    old_parse_source, new_source = old_parse.source, parsed.source
    old_text, new_text = Source.text.__get__(old_parse_source), Source.text.__get__(new_source)
    r1 = region.r1_old + region.delta
    if old_text.count("\n", region.r0, region.r1_old) != new_text.count("\n", region.r0, r1):
        return None
    if old_text.count("\r", region.r0, region.r1_old) != new_text.count("\r", region.r0, r1):
        return None
    if _errors_in(parsed, region.r0, r1) or _errors_in(old_parse, region.r0, region.r1_old):
        return None
    pairs: list = []
    leaves: list = []
    try:
        _pair(region.old, region.new, pairs, leaves)
    except _Unlike:
        return None
    exact: dict[int, int] = {}
    for a, b in pairs:
        if old_parse_source.line_col(a) != new_source.line_col(b) or exact.setdefault(a, b) != b:
            return None
    return _Mover(region, exact, leaves)


# ------------------------------------------------------------------ relint


def _keep(rule, moved, new: Record, rerun: list) -> None:
    if moved is None:
        rerun.append(rule)  # a finding inside the edited statements: run it again
    else:
        new.found[rule.id] = moved


def _menus(region: Region) -> set[str]:
    """The menus whose items the edited top-level statements make (those
    with a verb that is not a scripting command: rosc.model.builder)."""
    return {s.menu_path for s in (*region.old, *region.new)
            if type(s) is Command and s.verb is not None and not s.verb.text.startswith(":")}


class _Probes:
    """Whether the probes a rule read (``Source.probe``) give the same
    value on the old text and on the new one."""

    def __init__(self, old_values: dict, old: Source, new_values: dict, new: Source):
        self.old_values, self.old = old_values, old
        self.new_values, self.new = new_values, new
        self.known: dict = {}

    def same(self, reads: set) -> bool:
        for fn in reads:
            if type(fn) is str:
                continue
            found = self.known.get(fn)
            if found is None:
                before = self.old_values[fn] if fn in self.old_values else fn(self.old)
                after = self.new_values[fn] = fn(self.new)
                found = self.known[fn] = before == after
            if not found:
                return False
        return True


def _lines(old_source: Source, new_source: Source, region: Region) -> bool:
    """Whether the edit added or removed lines."""
    return len(old_source.line_starts) != len(new_source.line_starts)


def relint(old: LintResult, parsed: ParseResult, region: Region, config: Config | None = None) -> LintResult | None:
    """The lint of ``parsed`` from ``old``'s record (see the module
    docstring); None when it cannot be made exactly (lint it whole)."""
    record = getattr(old, "record", None)
    if record is None or record.config is not config:
        return None
    config_ = config or Config()
    if target_of(parsed, config_) != record.target:
        return None
    with gc_paused():
        return _relint(old, record, parsed, region, config_)


def _relint(old: LintResult, record: Record, parsed: ParseResult, region: Region, config: Config) -> LintResult | None:
    from time import perf_counter

    started = perf_counter()
    source = parsed.source
    header = _header(parsed)
    same = _same_model(old.parse, parsed, region) if header == record.header else None
    shift = same or _Mover(region, None, [])
    rules = record.rules
    new = Record(record.config, record.target, header, {}, dict(record.reads), rules)
    blocked = {ALL, TEXT, TOKENS} | _menus(region)  # what the edit may have changed
    probes = _Probes(record.probes, old.parse.source, new.probes, source)
    if header != record.header:
        blocked = None
    elif _lines(old.parse.source, source, region):
        blocked.add(LINES)
    # the local rules: old findings outside the edited statements, moved; new ones inside
    part = DeviceRun(Device(source.path, source, Script(list(region.new))), record.target)
    r0, r1 = region.r0, region.r1_old
    rerun = []
    for rule in rules:
        found = record.found.get(rule.id)
        if found is None:
            return None
        if rule.local:
            kept = []
            for d in found:
                if d.span.end <= r0 or d.span.offset >= r1:
                    kept.append(d)
                elif d.span.offset < r0 or d.span.end > r1:
                    return None  # across the edge of the edited statements: not a local finding
            moved = _moved(kept, shift, source)
            if moved is None:
                return None
            moved.extend(rule.check(CheckContext(part, rule, config.severity_of(rule))))
            new.found[rule.id] = moved
        elif same is not None and TEXT not in record.reads[rule.id] and probes.same(record.reads[rule.id]):
            _keep(rule, _moved(found, same, source), new, rerun)
        elif blocked is not None and not (record.reads[rule.id] & blocked) and probes.same(record.reads[rule.id]):
            _keep(rule, _moved(found, shift, source), new, rerun)
        else:
            rerun.append(rule)
    local_done = perf_counter()
    run = None
    if rerun:
        run = _watched_run(parsed, config)
        built = perf_counter()
        run.reads.probed.update(new.probes)  # (computed on this text already)
        for rule in rerun:
            new.found[rule.id] = _run_rule(rule, run, config, new)
        new.probes.update(run.reads.probed)
    else:
        built = local_done
    new.found = {r.id: new.found[r.id] for r in rules}  # the rules' order, as a full lint
    result = _finish(parsed, config, new, run)
    new.stats = {"local": local_done - started, "build": built - local_done, "cross": perf_counter() - built,
                 "rerun": len(rerun), "reused": same is not None}
    return result
