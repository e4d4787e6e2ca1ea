"""The cached LALR tables (rosc.syntax.grammar) and the plain-text output
path of the file commands (rosc.cli.output.PlainOut): both must give exactly
what the uncached, rich path gives, and a broken cache must never break rosc."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rosc.syntax import grammar
from rosc.syntax.parser import parse_text

GRAMMAR = (grammar.data_dir("grammar") / "routeros.lark").read_bytes()
CONFIG = """\
/interface bridge
add name=bridge
/ip address
add address=192.168.88.1/24 interface=bridge
add address=192.168.88.1/24 interface=bridge
/ip firewall filter
add chain=input action=accept protocol=tcp dst-port=22 \\
    src-address=10.0.0.300
:foreach i in=[/interface find] do={ :log info [/interface get $i name] }
"""


def _tree(tables):
    from rosc.syntax import statements

    original = statements.grammar_tables
    statements.grammar_tables = lambda: tables
    try:
        return repr(parse_text(CONFIG, "t.rsc").script)
    finally:
        statements.grammar_tables = original


def test_tables_read_back_from_the_cache_are_the_tables_written(tmp_path):
    key = grammar.cache_key(GRAMMAR)
    built = grammar.compile_tables(GRAMMAR.decode())
    file = tmp_path / "sub" / "lalr.marshal"
    grammar.write_cached(file, key, built)
    assert grammar.read_cached(file, key) == built
    assert _tree(grammar.read_cached(file, key)) == _tree(built)
    assert not [p for p in file.parent.iterdir() if p.name.endswith(".tmp")]  # written atomically, no leftovers


def test_a_cache_of_another_grammar_or_lark_is_not_used(tmp_path):
    key = grammar.cache_key(GRAMMAR)
    file = tmp_path / "lalr.marshal"
    grammar.write_cached(file, key, grammar.compile_tables(GRAMMAR.decode()))
    assert grammar.read_cached(file, grammar.cache_key(GRAMMAR + b"\n// edited\n")) is None
    assert grammar.cache_key(GRAMMAR) != grammar.cache_key(GRAMMAR.replace(b"stmt", b"stmx", 1))


@pytest.mark.parametrize("content", [b"", b"not marshal data", b"\xe3\x00\x00", None])
def test_a_corrupt_or_missing_cache_is_ignored(tmp_path, content):
    file = tmp_path / "lalr.marshal"
    if content is not None:
        file.write_bytes(content)
    assert grammar.read_cached(file, grammar.cache_key(GRAMMAR)) is None


def test_a_cache_holding_the_wrong_shape_is_ignored(tmp_path):
    import marshal

    key = grammar.cache_key(GRAMMAR)
    file = tmp_path / "lalr.marshal"
    for payload in [(key, [], 0, 1, []), (key, {0: {}}, 0, 5, []), (key,), [key, {}, 0, 0, []]]:
        file.write_bytes(marshal.dumps(payload))
        assert grammar.read_cached(file, key) is None


def test_an_unwritable_cache_folder_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    grammar.write_cached(blocker / "lalr.marshal", grammar.cache_key(GRAMMAR), grammar.compile_tables(GRAMMAR.decode()))
    assert blocker.read_text().startswith("a file")


def _rosc(args, env_extra, cwd, stdin=None):
    env = dict(os.environ, **env_extra)
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "rosc", *args], capture_output=True, text=True, env=env, cwd=cwd,
                          input=stdin)


def test_rosc_lint_fills_the_cache_then_uses_it_and_survives_a_corrupt_one(tmp_path):
    cache = tmp_path / "cache"
    (tmp_path / "a.rsc").write_text(CONFIG)
    first = _rosc(["lint", "a.rsc"], {"ROSC_CACHE_DIR": str(cache)}, tmp_path)
    files = list(cache.glob("lalr-*.marshal"))
    assert len(files) == 1 and first.returncode == 1 and "ADDR001" in first.stdout
    second = _rosc(["lint", "a.rsc"], {"ROSC_CACHE_DIR": str(cache)}, tmp_path)
    files[0].write_bytes(b"garbage")
    third = _rosc(["lint", "a.rsc"], {"ROSC_CACHE_DIR": str(cache)}, tmp_path)
    off = _rosc(["lint", "a.rsc"], {"ROSC_CACHE_DIR": ""}, tmp_path)
    unwritable = _rosc(["lint", "a.rsc"], {"ROSC_CACHE_DIR": str(tmp_path / "a.rsc" / "x")}, tmp_path)
    for run in (second, third, off, unwritable):
        assert (run.returncode, run.stdout, run.stderr) == (first.returncode, first.stdout, first.stderr)
    assert files[0].read_bytes() != b"garbage"  # rewritten


def test_plain_output_is_what_rich_writes_to_a_pipe(tmp_path):
    """Without a terminal the file commands print without rich; the text
    is the same as rich's (FORCE_COLOR=0 keeps rich without styles)."""
    name = "[odd] :x: name.rsc"
    (tmp_path / name).write_text(CONFIG + "/ip address add address=1.2.3.4/33 interface=ether1\n")
    (tmp_path / "rosc.toml").write_text("[tool.rosc]\nselect = [\"ADDR\"]\n")
    for args in (["lint", name], ["lint", "missing.rsc", name], ["parse", name], ["fmt", "--check", name]):
        plain = _rosc(args, {}, tmp_path)
        rich = _rosc(args, {"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "TERM": "dumb"}, tmp_path)
        assert plain.stdout == _unstyled(rich.stdout), args
        assert plain.stderr == _unstyled(rich.stderr), args


def _unstyled(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_lint_of_a_small_file_does_not_import_rich_or_the_lab():
    code = ("import sys, runpy; sys.argv = ['rosc', 'lint', '-']; "
            "import rosc.cli.main as m\n"
            "try:\n m.main()\nexcept SystemExit:\n pass\n"
            "print(sorted(n for n in sys.modules if n == 'rich' or n.startswith(('rosc.lab', 'rosc.lsp', 'difflib'))))")
    out = subprocess.run([sys.executable, "-c", code], input="/ip address\nadd address=10.0.0.1/24 interface=ether1\n",
                         capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "FORCE_COLOR"})
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


def test_help_still_lists_the_lab_commands_and_they_run(tmp_path):
    out = _rosc(["--help"], {}, tmp_path)
    for name in ("build", "route", "routes", "graph", "lint", "fmt"):
        assert f"  {name} " in out.stdout
    assert _rosc(["build", "--help"], {}, tmp_path).returncode == 0
    assert Path(grammar.__file__).exists()


def test_lint_of_a_small_file_without_settings_imports_no_hashlib_or_toml_reader(tmp_path):
    """Start-up: the overlay cache is checked with zlib, and TOML is read only
    when there is a settings file (none in ``tmp_path`` or above it)."""
    code = ("import sys; sys.argv = ['rosc', 'lint', '-']\n"
            "import rosc.cli.main as m\n"
            "try:\n m.main()\nexcept SystemExit:\n pass\n"
            "print(sorted(n for n in sys.modules if n in ('hashlib', 'tomllib', 'rosc.lint.toml_locations')))")
    out = subprocess.run([sys.executable, "-c", code], input="/ip address\nadd address=10.0.0.1/24 interface=ether1\n",
                         capture_output=True, text=True, cwd=tmp_path,
                         env={k: v for k, v in os.environ.items() if k != "FORCE_COLOR"})
    assert "1 file checked" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr
