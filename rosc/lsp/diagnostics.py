"""rosc diagnostics as LSP diagnostics."""

from __future__ import annotations

from lsprotocol import types as lsp

from rosc.diagnostics import Diagnostic, Severity
from rosc.lsp.positions import LineIndex

SEVERITIES = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


def to_lsp_diagnostic(d: Diagnostic, index: LineIndex, base: int = 0) -> lsp.Diagnostic:
    """A rosc finding as a protocol diagnostic: the rule id as ``code``,
    notes and the suggested fix appended to the message (and in ``data``)."""
    lines = [d.message]
    lines.extend(f"note: {note}" for note in d.notes)
    if d.fix:
        lines.append(f"fix: {d.fix}")
    return lsp.Diagnostic(
        range=index.range(d.span.offset + base, d.span.end + base),
        message="\n".join(lines),
        severity=SEVERITIES.get(d.severity, lsp.DiagnosticSeverity.Warning),
        code=d.code,
        source="rosc",
        data={"notes": list(d.notes), "fix": d.fix} if (d.notes or d.fix) else None,
    )
