"""Lint one file: parse, build the device model, run the enabled checks
against one shared ``DeviceRun``, apply inline suppressions
(``rosc.lint.suppressions``)."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

from rosc.checks.context import CheckContext, DeviceRun
from rosc.checks.registry import device_rules
from rosc.diagnostics import Diagnostic
from rosc.lint.config import Config
from rosc.lint.suppressions import apply_suppressions
from rosc.model.builder import build_device
from rosc.model.device import Device
from rosc.syntax.parser import ParseResult, parse_bytes
from rosc.syntax.source import Source
from rosc.vocabulary.versions import Target, header_version


@dataclass(slots=True)
class LintResult:
    parse: ParseResult
    run: DeviceRun | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    record: object = None  # per-rule findings, for re-linting after an edit (rosc.lint.incremental)

    @property
    def source(self) -> Source:
        return self.parse.source

    @property
    def device(self) -> Device | None:
        return self.run.device if self.run is not None else None


def target_of(parsed: ParseResult, config: Config) -> Target | None:
    """The version to check against: the configured one (``--target-version``,
    ``target-version`` in the settings), else the export header's, else none
    (every version rosc knows is accepted)."""
    if config.target_version is not None:
        return Target(config.target_version, config.target_origin or "the settings")
    found = header_version(parsed.source.text)
    return Target(found, "the export header") if found is not None else None


def lint_bytes(data: bytes, path: str, config: Config | None = None) -> LintResult:
    with gc_paused():  # from the parse to the last check, as fmt does
        return lint_parsed(parse_bytes(data, path), config)


@contextmanager
def gc_paused():
    """The cyclic garbage collector off for the block.  The syntax tree and
    the model are freshly built and alive until the checks end: each
    collection would walk all of them and free nothing (the tree is
    acyclic; the checks' own objects are freed by reference counting), and
    the checks allocate enough to trigger many collections."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def lint_parsed(parsed: ParseResult, config: Config | None = None) -> LintResult:
    with gc_paused():
        return _lint_parsed(parsed, config or Config())


def parser_findings(parsed: ParseResult, config: Config) -> list[Diagnostic]:
    """The parser's diagnostics the settings keep, at their set severity."""
    rules = device_rules(config.enabled)  # the parser's rules are always in it
    diagnostics: list[Diagnostic] = []
    for d in parsed.diagnostics:
        rule = rules.get(d.code)
        if rule is None or config.enabled(rule):
            if rule is not None:
                d.severity = config.severity_of(rule)
            diagnostics.append(d)
    return diagnostics


def _lint_parsed(parsed: ParseResult, config: Config) -> LintResult:
    rules = device_rules(config.enabled)  # imports the modules of the enabled rules only
    diagnostics = parser_findings(parsed, config)
    run = DeviceRun(build_device(parsed), target_of(parsed, config))
    for rule in rules.values():
        if rule.check is None or rule.scope != "device" or not config.enabled(rule):
            continue
        diagnostics.extend(rule.check(CheckContext(run, rule, config.severity_of(rule))))
    diagnostics = apply_suppressions(parsed, diagnostics)
    diagnostics.sort(key=Diagnostic.sort_key)
    return LintResult(parsed, run, diagnostics)
