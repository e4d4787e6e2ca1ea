"""docs/ci.md: its YAML is valid, its rosc command lines work, and the
reports they write are what GitHub code scanning and GitLab Code Quality
take (the properties their documentation marks as required)."""

from __future__ import annotations

import json
import re
import shlex
from urllib.parse import urlparse

import pytest
import yaml
from click.testing import CliRunner

from conftest import ARTICLE, ROOT
from rosc.cli.main import main
from rosc.lint.engine import lint_bytes
from rosc.report.formats import fingerprints, to_gitlab, to_sarif

CI_DOC = ROOT / "docs" / "ci.md"
SARIF_LEVELS = {"none", "note", "warning", "error"}
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def yaml_blocks() -> dict[str, object]:
    """The YAML blocks of docs/ci.md by the file named in their first comment line."""
    out = {}
    for block in re.findall(r"```yaml\n(.*?)```", CI_DOC.read_text(encoding="utf-8"), re.DOTALL):
        name = block.splitlines()[0].lstrip("# ").strip()
        out[name] = yaml.safe_load(block)
    return out


def github_sarif_problems(doc: dict) -> list[str]:
    """What GitHub's "SARIF support for code scanning" requires of an upload."""
    problems = []
    if doc.get("version") != "2.1.0":
        problems.append("version must be 2.1.0")
    runs = doc.get("runs") or []
    if not runs:
        problems.append("no runs")
    for run in runs:
        driver = run.get("tool", {}).get("driver", {})
        if not driver.get("name"):
            problems.append("tool.driver.name is required")
        rules = driver.get("rules", [])
        ids = [r.get("id") for r in rules]
        for rule in rules:
            rid = rule.get("id")
            for key in ("shortDescription", "fullDescription", "help"):
                if not (rule.get(key) or {}).get("text"):
                    problems.append(f"{rid}: {key}.text is required")
            uri = urlparse(rule.get("helpUri", ""))
            if uri.scheme != "https" or not uri.netloc:
                problems.append(f"{rid}: helpUri must be an absolute https URL")
            if rule.get("defaultConfiguration", {}).get("level") not in SARIF_LEVELS:
                problems.append(f"{rid}: defaultConfiguration.level must be one of {sorted(SARIF_LEVELS)}")
        results = run.get("results", [])
        if len(results) > 25_000:
            problems.append("more than 25,000 results in a run")
        seen = set()
        for n, result in enumerate(results):
            where = f"result {n}"
            if result.get("ruleId") not in ids:
                problems.append(f"{where}: ruleId {result.get('ruleId')!r} is not among the run's rules")
            elif ids.index(result["ruleId"]) != result.get("ruleIndex"):
                problems.append(f"{where}: ruleIndex does not point at its rule")
            if result.get("level") not in SARIF_LEVELS:
                problems.append(f"{where}: bad level")
            if not result.get("message", {}).get("text"):
                problems.append(f"{where}: message.text is required")
            locations = result.get("locations") or []
            if not 1 <= len(locations) <= 10:
                problems.append(f"{where}: 1 to 10 locations")
            for loc in locations:
                phys = loc.get("physicalLocation", {})
                artifact = phys.get("artifactLocation", {})
                uri = artifact.get("uri", "")
                if not uri or (urlparse(uri).scheme and artifact.get("uriBaseId")):
                    problems.append(f"{where}: artifactLocation.uri must be a path relative to the repository root")
                if uri.startswith("/") or uri.startswith("./"):
                    problems.append(f"{where}: {uri!r} is not relative to the repository root")
                region = phys.get("region", {})
                if not isinstance(region.get("startLine"), int) or region["startLine"] < 1:
                    problems.append(f"{where}: region.startLine must be a line number")
                if region.get("endLine", region.get("startLine", 1)) < region.get("startLine", 1):
                    problems.append(f"{where}: endLine before startLine")
            prints = result.get("partialFingerprints") or {}
            if not prints or not all(isinstance(v, str) and v for v in prints.values()):
                problems.append(f"{where}: partialFingerprints missing")
            key = tuple(sorted(prints.items()))
            if key in seen:
                problems.append(f"{where}: two results with the same fingerprint would be one alert")
            seen.add(key)
    return problems


def gitlab_problems(report: list) -> list[str]:
    """What GitLab's Code Quality report format requires of each finding."""
    problems = []
    for n, item in enumerate(report):
        for key in ("description", "check_name", "fingerprint"):
            if not isinstance(item.get(key), str) or not item[key]:
                problems.append(f"{n}: {key} is required")
        if item.get("severity") not in GITLAB_SEVERITIES:
            problems.append(f"{n}: severity must be one of {sorted(GITLAB_SEVERITIES)}")
        location = item.get("location", {})
        if not location.get("path") or location["path"].startswith("/"):
            problems.append(f"{n}: location.path must be relative to the repository")
        begin = location.get("lines", {}).get("begin")
        if not isinstance(begin, int) or begin < 1:
            problems.append(f"{n}: location.lines.begin must be a line number")
    if len({item.get("fingerprint") for item in report}) != len(report):
        problems.append("fingerprints must be unique")
    return problems


NOISY = """/ppp secret
add name=a password=a
add name=b password=b
/ip address
add address=10.0.0.1/24 interface=ether1
add address=10.0.0.1/24 interface=ether1
add address=10.0.0.999/24 interface=ether2
"""


def test_article_sarif_meets_github_requirements(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["lint", "--format", "sarif", "samples/article"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["runs"][0]["results"], "the article lab has findings to report"
    assert github_sarif_problems(doc) == []
    rule = doc["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["help"]["markdown"].startswith(f"# {rule['id']}:")


def test_sarif_of_many_findings_meets_github_requirements(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    diagnostics = lint_bytes(NOISY.encode(), "configs/r1.rsc").diagnostics
    assert len(diagnostics) >= 4
    assert github_sarif_problems(json.loads(to_sarif(diagnostics))) == []
    custom = json.loads(to_sarif(diagnostics, "https://example.org/rules/{id}.md"))
    assert {r["helpUri"] for r in custom["runs"][0]["tool"]["driver"]["rules"]} == {
        f"https://example.org/rules/{d.code}.md" for d in diagnostics
    }


def test_absolute_paths_inside_the_checkout_become_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    diagnostics = lint_bytes(NOISY.encode(), str(tmp_path / "configs" / "r1.rsc")).diagnostics
    doc = json.loads(to_sarif(diagnostics))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert uris == {"configs/r1.rsc"}
    assert github_sarif_problems(doc) == []


def test_the_github_checker_finds_problems():
    doc = json.loads(to_sarif(lint_bytes(NOISY.encode(), "r1.rsc").diagnostics))
    result = doc["runs"][0]["results"][0]
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "/abs/r1.rsc"
    del result["partialFingerprints"]
    doc["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "rules/X.md"
    problems = github_sarif_problems(doc)
    assert len(problems) == 3


def test_fingerprints_survive_moved_lines():
    before = lint_bytes(NOISY.encode(), "r1.rsc").diagnostics
    after = lint_bytes(("# a new first line\n\n" + NOISY).encode(), "r1.rsc").diagnostics
    assert [d.span.line for d in after] != [d.span.line for d in before]
    assert fingerprints(after) == fingerprints(before)


def test_gitlab_report_meets_gitlab_requirements():
    report = json.loads(to_gitlab(lint_bytes(NOISY.encode(), "configs/r1.rsc").diagnostics))
    assert len(report) >= 4
    assert gitlab_problems(report) == []
    assert gitlab_problems([{"description": "x", "severity": "bad", "location": {"path": "/x", "lines": {}}}])


def test_ci_doc_yaml_is_valid_and_wires_the_reports():
    blocks = yaml_blocks()
    workflow = blocks[".github/workflows/rosc.yml"]
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["rosc"]["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif"))
    lint_step = next(s for s in steps if "--format sarif" in s.get("run", ""))
    assert upload["with"]["sarif_file"] in lint_step["run"] and upload["if"] == "always()"
    gitlab = blocks[".gitlab-ci.yml"]["rosc"]
    report = gitlab["artifacts"]["reports"]["codequality"]
    assert any(report in line and "--format gitlab" in line for line in gitlab["script"])
    precommit = blocks[".pre-commit-config.yaml"]["repos"][0]["hooks"]
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert {h["id"] for h in precommit} <= hooks


def _rosc_commands() -> list[str]:
    blocks = yaml_blocks()
    lines = [s["run"] for s in blocks[".github/workflows/rosc.yml"]["jobs"]["rosc"]["steps"] if "run" in s]
    lines += blocks[".gitlab-ci.yml"]["rosc"]["script"]
    return [line for line in lines if line.startswith("rosc ")]


@pytest.mark.parametrize("line", _rosc_commands())
def test_the_documented_command_lines_work(line, tmp_path, monkeypatch):
    """Each `rosc ...` line of the recipes, run on a copy of the article lab."""
    work = tmp_path / "repo"
    work.mkdir()
    for path in ARTICLE.glob("*.rsc"):
        (work / path.name).write_bytes(path.read_bytes())
    monkeypatch.chdir(work)
    command = line.split("||")[0].strip()
    args = shlex.split(command)
    redirect = None
    if ">" in args:
        redirect = args[args.index(">") + 1]
        args = args[: args.index(">")]
    result = CliRunner().invoke(main, args[1:])
    assert result.exit_code in (0, 1), result.output
    if redirect == "rosc.sarif":
        assert github_sarif_problems(json.loads(result.output)) == []
    elif redirect == "gl-code-quality-report.json":
        assert gitlab_problems(json.loads(result.output)) == []
        assert json.loads(result.output), "the article lab has findings"
