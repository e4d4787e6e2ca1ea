"""Lint one file: parse, build the device model, run the enabled checks,
apply inline suppressions.

Suppressing findings: a comment line right above a command,

    # rosc: ignore[SEC001, ADDR004]      (or `# rosc: ignore` for every rule)
    /ppp secret add name=test password=test

and, anywhere in a file, ``# rosc: ignore-file[SEC001]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rosc.checks.config import Config
from rosc.diagnostics import Diagnostic, Severity
from rosc.model.device import Device
from rosc.model.builder import build_device
from rosc.syntax.parser import ParseResult, parse_bytes
from rosc.checks.registry import Rule, all_rules
from rosc.syntax.source import Source
from rosc.syntax.tree import Command, Comment

_IGNORE = re.compile(r"#\s*rosc:\s*ignore(-file)?(?:\[([^\]]*)\])?", re.IGNORECASE)


@dataclass(slots=True)
class CheckContext:
    """What a check sees: the device, and a way to report findings."""

    device: Device
    rule: Rule
    severity: Severity

    @property
    def source(self) -> Source:
        return self.device.source

    def finding(self, node, message: str, notes: list[str] | None = None, fix: str | None = None) -> Diagnostic:
        start, end = (node.start, node.end) if node is not None else (0, 0)
        return Diagnostic(
            self.rule.id, self.severity, message, self.device.path, self.source.span(start, end), list(notes or []), fix
        )


@dataclass(slots=True)
class LintResult:
    parse: ParseResult
    device: Device | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def source(self) -> Source:
        return self.parse.source


def lint_bytes(data: bytes, path: str, config: Config | None = None) -> LintResult:
    return lint_parsed(parse_bytes(data, path), config)


def lint_parsed(parsed: ParseResult, config: Config | None = None) -> LintResult:
    config = config or Config()
    rules = all_rules()
    diagnostics: list[Diagnostic] = []
    for d in parsed.diagnostics:
        rule = rules.get(d.code)
        if rule is None or config.enabled(rule):
            if rule is not None:
                d.severity = config.severity_of(rule)
            diagnostics.append(d)
    device = build_device(parsed)
    for rule in rules.values():
        if rule.check is None or rule.scope != "device" or not config.enabled(rule):
            continue
        ctx = CheckContext(device, rule, config.severity_of(rule))
        diagnostics.extend(rule.check(ctx))
    diagnostics = apply_suppressions(parsed, diagnostics)
    diagnostics.sort(key=Diagnostic.sort_key)
    return LintResult(parsed, device, diagnostics)


def apply_suppressions(parsed: ParseResult, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    file_wide: set[str] = set()
    ranges: list[tuple[int, int, set[str] | None]] = []
    for stmt in parsed.script.body:
        if type(stmt) is Comment:
            m = _IGNORE.search(stmt.text)
            if m and m.group(1):
                file_wide |= _ids(m.group(2)) or {"*"}
            continue
        if type(stmt) is Command:
            for comment in stmt.comments:
                m = _IGNORE.search(comment.text)
                if m and not m.group(1):
                    ranges.append((stmt.start, stmt.end, _ids(m.group(2))))
    if not file_wide and not ranges:
        return diagnostics
    kept = []
    for d in diagnostics:
        if "*" in file_wide or d.code in file_wide:
            continue
        offset = d.span.offset
        if any(start <= offset <= end and (ids is None or d.code in ids) for start, end, ids in ranges):
            continue
        kept.append(d)
    return kept


def _ids(text: str | None) -> set[str] | None:
    if text is None:
        return None
    return {part.strip().upper() for part in text.split(",") if part.strip()}
