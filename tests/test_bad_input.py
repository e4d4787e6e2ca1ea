"""Bad input is normal input: located diagnostics, exit 1, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from rosc.cli.main import main

BAD = {
    "unterminated string": (b'/ip address add comment="open\n', "SYN002", 1, 25),
    "unclosed brace": (b":if (true) do={\n:put 1\n", "SYN003", 1, 15),
    "unclosed paren": (b":put (1 + 2\n", "SYN003", 1, 6),
    "stray closer": (b"/ip address add address=1.1.1.1/24 }\n", "SYN004", 1, 36),
    "mismatched closer": (b":put [ 1 )\n", "SYN004", 1, 10),
    "stray backslash": (b"/ip address add \\ address=1.1.1.1/24\n", "SYN010", 1, 17),
    "NUL byte": (b"/ip address add\x00 address=1.1.1.1/24\n", "SYN006", 1, 16),
    "lone dollar": (b":put $\n", "SYN010", 1, 6),
    "deep nesting": (b":put " + b"(" * 100 + b")" * 100 + b"\n", "SYN011", 1, 70),
    "brace left open inside parentheses": (b":put (1 + {)\n", "SYN003", 1, 11),
}

WARN = {
    "byte order mark": (b"\xef\xbb\xbf/system identity set name=x\n", "SYN007", 1, 1),
    "not UTF-8": (b"/system identity set name=caf\xe9\n", "SYN005", 1, 30),
    "backslash then space": (b"/system identity set \\ \n    name=x\n", "SYN009", 1, 22),
    "unknown escape": (b'/system identity set name="a\\qb"\n', "SYN008", 1, 29),
}

FINE = {
    "empty": b"",
    "only blank lines": b"\n\n\r\n",
    "tabs": b"/ip address\n\tadd\taddress=1.1.1.1/24\tinterface=ether1\n",
    "CRLF": b"/ip address\r\nadd address=1.1.1.1/24 \\\r\n    interface=ether1\r\n",
    "1 MB line": b"/ip address add comment=" + b"a" * 1_000_000 + b" interface=ether1\n",
    "no final newline": b"/system identity set name=x",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_errors_are_located(name):
    data, code, line, col = BAD[name]
    for command in (["parse", "-"], ["fmt", "-"]):
        result = CliRunner().invoke(main, command, input=data)
        assert result.exit_code == 1, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"<stdin>:{line}:{col}: error[{code}]" in result.output, result.output


@pytest.mark.parametrize("name", sorted(WARN))
def test_warnings_are_located_and_parse_succeeds(name):
    data, code, line, col = WARN[name]
    result = CliRunner().invoke(main, ["parse", "-"], input=data)
    assert result.exit_code == 0, result.output
    assert f"<stdin>:{line}:{col}: warning[{code}]" in result.output, result.output


@pytest.mark.parametrize("name", sorted(FINE))
def test_odd_but_valid_input_parses(name):
    result = CliRunner().invoke(main, ["parse", "-"], input=FINE[name])
    assert result.exit_code == 0, result.output
    assert "error[" not in result.output


def test_one_megabyte_line_excerpt_is_clipped():
    data = b"/ip address add comment=" + b"a" * 1_000_000 + b" ]\n"
    result = CliRunner().invoke(main, ["parse", "-"], input=data)
    assert result.exit_code == 1
    assert len(result.output) < 2000


def test_real_process_never_prints_a_traceback(tmp_path):
    path = tmp_path / "junk.rsc"
    path.write_bytes(bytes(range(256)) * 4 + b'"{[(\\')
    for command in (["parse", str(path)], ["fmt", "--check", str(path)], ["parse", "--json", str(path)]):
        proc = subprocess.run([sys.executable, "-m", "rosc", *command], capture_output=True)
        assert proc.returncode == 1, proc
        assert b"Traceback" not in proc.stderr + proc.stdout
        assert b"junk.rsc:" in proc.stderr + proc.stdout


def test_usage_error_is_exit_2():
    assert CliRunner().invoke(main, ["fmt"]).exit_code == 2
    assert CliRunner().invoke(main, ["parse", "/no/such/file.rsc"]).exit_code == 2
