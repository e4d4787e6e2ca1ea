"""Checking a lab as a whole.

    diagnostics = check_lab("samples/article")             # every device and lab rule

``check_lab`` collects every single-device finding of the lab's files and
runs every lab rule (``scope="lab"``, discovered in ``rosc.lab.checks``) on
each configuration of the lab: the default one, then each variant of a
device with the other devices in their default variant.  A finding reported
by several configurations is reported once.
"""

from __future__ import annotations

from dataclasses import dataclass

from rosc.checks.registry import LAB_RULES_PACKAGE, Rule, all_rules, discover
from rosc.diagnostics import Diagnostic, Severity, Span
from rosc.lab.loader import Lab, load_lab
from rosc.lab.network import Network
from rosc.lab.sessions import Sessions
from rosc.lab.topology import LabDevice, Topology
from rosc.lint.config import Config
from rosc.lint.suppressions import apply_suppressions


@dataclass(slots=True)
class LabContext:
    """What a lab rule sees: the lab, one configuration of it, and a way to
    report findings in any of its files."""

    lab: Lab
    network: Network
    rule: Rule
    severity: Severity

    @property
    def devices(self) -> dict[str, LabDevice]:
        return self.network.devices

    @property
    def topology(self) -> Topology:
        return self.network.topology

    @property
    def sessions(self) -> Sessions:
        return self.network.sessions

    def line(self, device: str | LabDevice, node) -> int:
        dev = self.devices[device] if isinstance(device, str) else device
        return dev.lint.source.line_col(node.start)[0] if node is not None else 0

    def finding(self, device: str | LabDevice, node, message: str, notes=None, fix=None) -> Diagnostic:
        dev = self.devices[device] if isinstance(device, str) else device
        start, end = (node.start, node.end) if node is not None else (0, 0)
        return Diagnostic(
            self.rule.id, self.severity, message, dev.path, dev.lint.source.span(start, end), list(notes or []), fix
        )

    def manifest_finding(self, span: Span | None, message: str, notes=None, fix=None) -> Diagnostic:
        source = self.lab.manifest.source
        span = span or source.span(0, 0)
        return Diagnostic(self.rule.id, self.severity, message, source.path, span, list(notes or []), fix)


def lab_rules(config: Config | None = None) -> list[Rule]:
    config = config or Config()
    return [r for r in discover(LAB_RULES_PACKAGE) if r.scope == "lab" and r.check is not None and config.enabled(r)]


def run_lab_rules(lab: Lab, config: Config | None = None) -> list[Diagnostic]:
    """Every lab rule on every configuration of the lab, each finding once."""
    config = config or Config()
    rules = lab_rules(config)
    seen: set[tuple] = set()
    out: list[Diagnostic] = []
    for choice in lab.configurations():
        network = lab.configured(choice)
        for rule in rules:
            ctx = LabContext(lab, network, rule, config.severity_of(rule))
            for d in rule.check(ctx):
                key = (d.code, d.path, d.span.offset, d.span.end, d.message)
                if key not in seen:
                    seen.add(key)
                    out.append(d)
    return out


def check_lab(folder, config: Config | None = None) -> list[Diagnostic]:
    """Every finding of the lab in ``folder``: lab.toml, each file's own
    lint, and the rules across devices.  Raises ManifestError when the folder
    or its lab.toml is missing."""
    config = config or Config()
    lab, diagnostics = load_lab(folder, config)
    if lab is None:
        return filter_enabled(diagnostics, config)
    return collect(lab, config)


def collect(lab: Lab, config: Config) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for device in lab.files.values():
        out.extend(device.lint.diagnostics)
    lab_found = run_lab_rules(lab, config)
    manifest_path = str(lab.manifest.path)
    by_path: dict[str, list[Diagnostic]] = {}
    for d in lab_found:
        by_path.setdefault(d.path, []).append(d)
    for device in lab.files.values():
        found = by_path.pop(device.path, [])
        if found:
            out.extend(apply_suppressions(device.lint.parse, found))
    for path, found in by_path.items():
        out.extend(found)
    if not any(r.id == "LAB001" for r in lab_rules(config)):
        out = [d for d in out if not (d.code == "LAB001" and d.path == manifest_path)]
    out.sort(key=lambda d: (d.path != manifest_path, d.path, d.span.offset, d.code))
    return out


def filter_enabled(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    rules = all_rules()
    out = []
    for d in diagnostics:
        rule = rules.get(d.code)
        if rule is None or config.enabled(rule):
            if rule is not None:
                d.severity = config.severity_of(rule)
            out.append(d)
    return out
