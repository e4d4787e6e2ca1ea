"""Machine-readable output of findings: JSON, SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

import json
from pathlib import Path

from rosc import __version__
from rosc.diagnostics import Diagnostic, Severity
from rosc.checks.registry import all_rules

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def to_json(diagnostics: list[Diagnostic], files: int) -> str:
    counts = {s.label: sum(1 for d in diagnostics if d.severity == s) for s in Severity}
    return json.dumps(
        {"version": __version__, "files": files, "summary": counts, "diagnostics": [d.as_dict() for d in diagnostics]},
        indent=2,
        ensure_ascii=False,
    )


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_posix() if not p.is_absolute() else p.as_uri()


def to_sarif(diagnostics: list[Diagnostic]) -> str:
    rules = all_rules()
    used = sorted({d.code for d in diagnostics})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    descriptors = []
    for rule_id in used:
        rule = rules.get(rule_id)
        descriptor = {"id": rule_id}
        if rule is not None:
            descriptor.update(
                {
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary},
                    "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
                    "properties": {"area": rule.area},
                }
            )
        descriptors.append(descriptor)
    results = []
    for d in diagnostics:
        message = d.message
        if d.notes:
            message += "\n" + "\n".join(f"note: {n}" for n in d.notes)
        if d.fix:
            message += f"\nhelp: {d.fix}"
        region = {
            "startLine": d.span.line,
            "startColumn": d.span.column,
            "endLine": d.span.end_line,
            "endColumn": max(d.span.end_column, d.span.column + (1 if d.span.end_line == d.span.line else 0)),
            "charOffset": d.span.offset,
            "charLength": max(0, d.span.end - d.span.offset),
        }
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": _SARIF_LEVEL[d.severity],
                "message": {"text": message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(d.path)}, "region": region}}],
            }
        )
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "rosc",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/rosc/",
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands (``::error file=...::message``)."""
    lines = []
    for d in diagnostics:
        props = ",".join(
            [
                f"file={_escape_property(d.path)}",
                f"line={d.span.line}",
                f"col={d.span.column}",
                f"endLine={d.span.end_line}",
                f"endColumn={d.span.end_column}",
                f"title={_escape_property(d.code)}",
            ]
        )
        message = d.message + ("\n" + "\n".join(d.notes) if d.notes else "") + (f"\nhelp: {d.fix}" if d.fix else "")
        lines.append(f"::{_GITHUB_LEVEL[d.severity]} {props}::{_escape_data(message)}")
    return "\n".join(lines)
