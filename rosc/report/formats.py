"""Machine-readable output of findings: JSON, SARIF 2.1.0 (as GitHub code
scanning reads it), GitHub annotations, GitLab Code Quality."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from rosc import __version__
from rosc.diagnostics import Diagnostic, Severity
from rosc.checks.registry import rule_index

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# Where a rule's page is, for SARIF's helpUri: the release on PyPI, unless
# the caller gives a template with {id} (a rules/ folder it hosts).
DEFAULT_HELP_URI = f"https://pypi.org/project/rosc/{__version__}/"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def to_json(diagnostics: list[Diagnostic], files: int) -> str:
    counts = {s.label: sum(1 for d in diagnostics if d.severity == s) for s in Severity}
    return json.dumps(
        {"version": __version__, "files": files, "summary": counts, "diagnostics": [d.as_dict() for d in diagnostics]},
        indent=2,
        ensure_ascii=False,
    )


def _uri(path: str) -> tuple[str, bool]:
    """The artifact URI of ``path`` and whether it is relative to the
    checkout (GitHub wants paths relative to the repository root)."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix(), True
    try:
        return p.relative_to(Path.cwd()).as_posix(), True
    except ValueError:
        return p.as_uri(), False


_LINE_NUMBERS = re.compile(r"\b(lines?|:)\s*\d+")


def fingerprints(diagnostics: list[Diagnostic]) -> list[str]:
    """A stable identity for each finding: its rule, file and message (line
    numbers in the message left out), and how many equal ones come before it
    in the file, so a finding keeps its identity when lines move."""
    seen: dict[str, int] = {}
    out = []
    for d in diagnostics:
        base = "\0".join((d.code, Path(d.path).as_posix(), _LINE_NUMBERS.sub(r"\1", d.message)))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(hashlib.sha256(f"{base}\0{n}".encode("utf-8", "surrogateescape")).hexdigest()[:32])
    return out


def _descriptor(rule_id: str, rule, help_uri: str) -> dict:
    from rosc.checks.rule_pages import load_page

    descriptor: dict = {"id": rule_id}
    if rule is None:
        return descriptor
    page = load_page(rule_id)
    first = _first_paragraph(page.text) if page is not None else ""
    descriptor.update(
        {
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": first or rule.summary},
            "help": {"text": page.text if page is not None else rule.summary, "markdown": page.text if page is not None else rule.summary},
            "helpUri": help_uri.replace("{id}", rule_id),
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
            "properties": {"area": rule.area, "tags": ["routeros", rule.area]},
        }
    )
    return descriptor


def _first_paragraph(markdown: str) -> str:
    """The first paragraph after a page's title."""
    body = markdown.split("\n", 1)[1] if "\n" in markdown else ""
    for block in body.strip().split("\n\n"):
        if block.strip() and not block.lstrip().startswith("#"):
            return " ".join(block.split())
    return ""


def to_sarif(diagnostics: list[Diagnostic], help_uri: str = DEFAULT_HELP_URI) -> str:
    rules = rule_index()
    used = sorted({d.code for d in diagnostics})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    descriptors = [_descriptor(rule_id, rules.get(rule_id), help_uri) for rule_id in used]
    results = []
    for d, fingerprint in zip(diagnostics, fingerprints(diagnostics)):
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
        uri, relative = _uri(d.path)
        artifact = {"uri": uri, "uriBaseId": "%SRCROOT%"} if relative else {"uri": uri}
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": _SARIF_LEVEL[d.severity],
                "message": {"text": message},
                "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
                "partialFingerprints": {"roscFindingHash/v1": fingerprint},
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


_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def to_gitlab(diagnostics: list[Diagnostic]) -> str:
    """A GitLab Code Quality report (``artifacts:reports:codequality``)."""
    out = []
    for d, fingerprint in zip(diagnostics, fingerprints(diagnostics)):
        uri, relative = _uri(d.path)
        out.append(
            {
                "description": f"{d.code}: {d.message}",
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": _GITLAB_SEVERITY[d.severity],
                "location": {"path": uri if relative else d.path, "lines": {"begin": d.span.line, "end": d.span.end_line}},
            }
        )
    return json.dumps(out, indent=2, ensure_ascii=False)
