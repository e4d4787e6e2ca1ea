"""Every configuration error is a located message and exit status 2; a rule
pattern that selects nothing is an error, not a silent "all checks off"
(issue 10)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from rosc.cli.main import main
from rosc.lint.config import ConfigError, find_config, load_config

WARN = "/system identity set \\ \n    name=x\n"  # SYN009 warning


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "warn.rsc").write_text(WARN)
    return tmp_path


def lint(*args):
    return CliRunner().invoke(main, ["lint", *args, "warn.rsc"])


# (file, text, where the message points (line, column), words of the message)
BROKEN = {
    "tool is a string": ("pyproject.toml", 'tool = "rosc"\n', (1, 1), "`tool` must be a table"),
    "tool.rosc is a number": ("pyproject.toml", "[tool]\nrosc = 5\n", (2, 1), "[tool.rosc] must be a table of settings, not a number"),
    "select is a number": ("rosc.toml", "select = 5\n", (1, 10), "`select` must be a list of rule ids"),
    "select names no rule": ("rosc.toml", 'select = ["SYN", "NOPE"]\n', (1, 18), "'NOPE' is no rule id"),
    "ignore has a typo": ("rosc.toml", 'ignore = ["SYN09"]\n', (1, 11), "did you mean"),
    "pyproject ignore typo": ("pyproject.toml", '[project]\nname = "x"\n\n[tool.rosc]\nignore = ["SEC0001"]\n', (5, 11), "'SEC0001' is no rule id"),
    "severity of no rule": ("rosc.toml", '[severity]\nSYN999 = "error"\n', (2, 1), "'SYN999' is not a rule id"),
    "severity level": ("rosc.toml", '[severity]\nSYN009 = "fatal"\n', (2, 10), "unknown severity 'fatal'"),
    "severity level type": ("rosc.toml", "[severity]\nSYN009 = 3\n", (2, 10), "must be info, warning or error, not a number"),
    "severity not a table": ("rosc.toml", 'severity = "error"\n', (1, 12), "`severity` must be a table"),
    "fail-on level": ("rosc.toml", 'fail-on = "never"\n', (1, 11), "unknown severity 'never'"),
    "fail-on type": ("rosc.toml", "fail-on = true\n", (1, 11), "not a boolean"),
    "unknown key": ("rosc.toml", 'selcet = ["SYN"]\n', (1, 1), "unknown setting `selcet` (did you mean `select`?)"),
    "not TOML": ("rosc.toml", 'select = ["SYN"\n', (2, 1), "not valid TOML"),
    "not UTF-8": ("rosc.toml", b'# caf\xe9\nselect = ["SYN"]\n', (1, 6), "not UTF-8 text"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_configuration_errors_are_located_and_exit_2(folder, name):
    file, text, (line, col), words = BROKEN[name]
    path = folder / file
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    result = lint()
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert f"error: {path}:{line}:{col}: " in result.output, result.output
    assert words in result.output, result.output


def test_the_message_shows_the_line(folder):
    (folder / "rosc.toml").write_text('fail-on = "warning"\nselect = ["SYN", "NOPE"]\n')
    result = lint()
    assert '2 | select = ["SYN", "NOPE"]' in result.output
    assert "  |                  ^^^^^^" in result.output


def test_explicit_config_file_errors_are_located_too(folder):
    (folder / "cfg").mkdir()
    (folder / "cfg" / "pyproject.toml").write_text('tool = "rosc"\n')
    result = lint("--config", "cfg/pyproject.toml")
    assert result.exit_code == 2 and "cfg/pyproject.toml:1:1: `tool` must be a table" in result.output


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_on_the_command_line_is_exit_2(folder, option):
    result = lint(option, "NOPE")
    assert result.exit_code == 2
    assert f"error: {option}: 'NOPE' is no rule id, id prefix, rule name or area" in result.output
    result = lint(option, "SYN,SYN09")
    assert result.exit_code == 2 and "did you mean SYN009" in result.output


def test_known_patterns_keep_working(folder):
    for option, value in (("--select", "syntax"), ("--select", "SYN"), ("--select", "continuation-trailing-space"),
                          ("--ignore", "security"), ("--select", "ALL"), ("--ignore", "LAB")):
        result = lint(option, value)
        assert result.exit_code == 0, (option, value, result.output)


def test_build_rejects_unknown_rules_too(tmp_path):
    from conftest import ARTICLE

    result = CliRunner().invoke(main, ["build", str(ARTICLE), "-o", str(tmp_path / "out"), "--ignore", "LAB999"])
    assert result.exit_code == 2 and "'LAB999' is no rule id" in result.output
    assert not (tmp_path / "out").exists()


def test_find_config_does_not_crash_on_a_broken_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('tool = "rosc"\n')
    found = find_config(tmp_path)
    assert found == tmp_path / "pyproject.toml"
    with pytest.raises(ConfigError):
        load_config(found)
    (tmp_path / "pyproject.toml").write_text('[tool.black]\nline-length = 100\n')
    assert find_config(tmp_path) is None


def test_language_server_warns_and_uses_defaults(tmp_path):
    from rosc.lsp.document import Document
    from rosc.lsp.server import create_server

    (tmp_path / "pyproject.toml").write_text("[tool]\nrosc = 5\n")
    (tmp_path / "x.rsc").write_text(WARN)
    server = create_server(debounce_ms=0)
    shown = []
    server.window_show_message = lambda params: shown.append(params.message)
    doc = Document((tmp_path / "x.rsc").as_uri(), str(tmp_path / "x.rsc"), WARN)
    config = server.config_for(doc)
    assert config.select == ["ALL"]
    assert shown and "pyproject.toml:2:1" in shown[0]
