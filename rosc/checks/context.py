"""What a check sees.

All the checks of one lint run share one ``DeviceRun``: the device model,
its typed facts, and the analyses checks derive from them (routing
resolution, the names a file defines...), each computed on first use and
kept for the rest of the run.  A check never builds its own copy of any of
them, and nothing outlives the run.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from rosc.checks.registry import Rule
from rosc.diagnostics import Diagnostic, Severity
from rosc.model.device import Device
from rosc.model.facts import Facts
from rosc.syntax.source import Source
from rosc.vocabulary.versions import Target, Version

T = TypeVar("T")


class DeviceRun:
    """The shared semantic model of one device for one lint run."""

    __slots__ = ("device", "facts", "target", "_shared")

    def __init__(self, device: Device, target: Target | None = None):
        self.device = device
        self.facts = Facts(device)
        self.target = target  # the RouterOS version checked against (None: every version)
        self._shared: dict[Callable, object] = {}

    def shared(self, analysis: Callable[["DeviceRun"], T]) -> T:
        """``analysis(self)``, computed once per run and shared by every check."""
        try:
            return self._shared[analysis]  # type: ignore[return-value]
        except KeyError:
            value = self._shared[analysis] = analysis(self)
            return value  # type: ignore[return-value]


class CheckContext:
    """One rule's view of the run: the shared model and a way to report."""

    __slots__ = ("run", "rule", "severity")

    def __init__(self, run: DeviceRun, rule: Rule, severity: Severity):
        self.run = run
        self.rule = rule
        self.severity = severity

    @property
    def device(self) -> Device:
        return self.run.device

    @property
    def facts(self) -> Facts:
        return self.run.facts

    @property
    def source(self) -> Source:
        return self.run.device.source

    @property
    def target(self) -> Target | None:
        """The RouterOS version this file is checked against, with where that
        came from; None when no version is known (every version is accepted)."""
        return self.run.target

    @property
    def target_version(self) -> Version | None:
        """``target.version``: e.g. ``ctx.target_version.major == 6`` selects v6 behaviour."""
        return self.run.target.version if self.run.target is not None else None

    def shared(self, analysis: Callable[[DeviceRun], T]) -> T:
        return self.run.shared(analysis)

    def finding(self, node, message: str, notes: list[str] | None = None, fix: str | None = None) -> Diagnostic:
        start, end = (node.start, node.end) if node is not None else (0, 0)
        return Diagnostic(
            self.rule.id, self.severity, message, self.run.device.path, self.source.span(start, end), list(notes or []), fix
        )
