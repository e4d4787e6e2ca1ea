"""The canonical formatter: snapshots, idempotence, safety, CLI behaviour."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import ARTICLE, sample_files
from rosc.cli.main import main
from rosc.format.equivalence import signature
from rosc.format.formatter import format_text
from rosc.syntax.parser import parse_text


def fmt(text: str) -> str:
    result = format_text(text)
    assert result.output is not None, result.diagnostics
    return result.output


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_sample_snapshot(path, snapshot):
    snapshot.assert_match(fmt(path.read_text(encoding="utf-8")), path.name)


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_sample_is_idempotent_and_equivalent(path):
    text = path.read_text(encoding="utf-8")
    once = fmt(text)
    assert fmt(once) == once
    assert signature(parse_text(once).script) == signature(parse_text(text).script)


def test_one_header_per_run_and_sorted_arguments():
    text = "/ip address add interface=ether1 address=1.1.1.1/24\n/ip address add interface=ether2 address=2.2.2.2/24\n/ip route add gateway=1.1.1.254\n"
    assert fmt(text) == (
        "/ip address\n"
        "add address=1.1.1.1/24 interface=ether1\n"
        "add address=2.2.2.2/24 interface=ether2\n"
        "/ip route\n"
        "add gateway=1.1.1.254\n"
    )


def test_quotes_only_where_needed():
    text = '/ip address add address="1.1.1.1/24" interface="ether1" comment="two words"\n'
    assert fmt(text) == '/ip address\nadd address=1.1.1.1/24 comment="two words" interface=ether1\n'


def test_script_strings_keep_their_quotes():
    assert fmt(':local x "5"\n') == ':local x "5"\n'


def test_find_where_is_not_reordered():
    text = '/interface remove [find where name="b" or name="a"]\n'
    assert fmt(text) == '/interface\nremove [ find where name="b" or name="a" ]\n'


def test_long_lines_wrap_at_80_with_continuation():
    text = "/ip firewall filter add " + " ".join(f"k{i}=value{i}" for i in range(20)) + "\n"
    out = fmt(text)
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert lines[1].startswith("add ") and lines[1].endswith(" \\")
    assert all(line.startswith("    ") for line in lines[2:])


def test_long_string_is_split_inside_quotes_like_export():
    value = "word " * 40
    text = f'/system script add name=s source=":put \\"{value}\\""\n'
    out = fmt(text)
    assert all(len(line) <= 80 for line in out.splitlines())
    add = next(c for c in parse_text(out).script.commands() if c.verb is not None)
    assert add.get("source").value.value == f':put "{value}"'


def test_context_kept_for_relative_find_in_script_command():
    text = "/interface\n/ip address add address=1.1.1.1/24 interface=ether1\n:foreach i in=[find] do={ :put $i }\n"
    out = fmt(text)
    assert out.endswith("/interface\n:foreach i in=[ find ] do={ :put $i }\n")
    assert signature(parse_text(out).script) == signature(parse_text(text).script)


def test_multiline_blocks_are_indented():
    text = ':if ($x > 1) do={\n:put "a"\n  :put "b"\n} else={ :put "c" }\n'
    assert fmt(text) == ':if ($x > 1) do={\n    :put "a"\n    :put "b"\n} else={ :put "c" }\n'


def test_comments_and_blank_lines_are_kept():
    text = "# top  \n\n\n/ip address\n# a comment\nadd address=1.1.1.1/24 interface=ether1\n"
    assert fmt(text) == "# top\n\n/ip address\n# a comment\nadd address=1.1.1.1/24 interface=ether1\n"


def test_non_utf8_bytes_survive(tmp_path):
    path = tmp_path / "latin1.rsc"
    path.write_bytes(b"/ip address add comment=\"caf\xe9\" address=1.1.1.1/24 interface=ether1\n")
    result = CliRunner().invoke(main, ["fmt", str(path)])
    assert result.exit_code == 0, result.output
    assert b"caf\xe9" in path.read_bytes()


def test_fmt_then_check_passes_on_samples(tmp_path):
    shutil.copytree(ARTICLE, tmp_path / "article")
    runner = CliRunner()
    first = runner.invoke(main, ["fmt", "--check", str(tmp_path)])
    assert first.exit_code == 1 and "would reformat" in first.output
    assert runner.invoke(main, ["fmt", str(tmp_path)]).exit_code == 0
    assert runner.invoke(main, ["fmt", "--check", str(tmp_path)]).exit_code == 0


def test_diff_writes_nothing(tmp_path):
    path = tmp_path / "x.rsc"
    original = "/ip address add interface=ether1 address=1.1.1.1/24\n"
    path.write_text(original)
    result = CliRunner().invoke(main, ["fmt", "--diff", str(path)])
    assert result.exit_code == 0
    assert "+add address=1.1.1.1/24 interface=ether1" in result.output
    assert path.read_text() == original


def test_stdin_to_stdout():
    result = CliRunner().invoke(main, ["fmt", "-"], input="/system identity set name=x\n")
    assert result.exit_code == 0
    assert result.output == "/system identity\nset name=x\n"


def test_file_with_syntax_error_is_not_touched(tmp_path):
    path = tmp_path / "broken.rsc"
    original = b"/ip address add address=\"1.1.1.1/24\n/ip route add gateway=1.1.1.1 interface=ether1  \n"
    path.write_bytes(original)
    result = CliRunner().invoke(main, ["fmt", str(path)])
    assert result.exit_code == 1
    assert "SYN002" in result.output and "broken.rsc:1:25" in result.output
    assert path.read_bytes() == original


def test_missing_file_is_exit_2():
    result = CliRunner().invoke(main, ["fmt", "/nonexistent/x.rsc"])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_write_is_atomic_and_keeps_mode(tmp_path):
    path = tmp_path / "x.rsc"
    path.write_text("/ip address add interface=ether1 address=1.1.1.1/24\n")
    path.chmod(0o640)
    assert CliRunner().invoke(main, ["fmt", str(path)]).exit_code == 0
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert [p.name for p in tmp_path.iterdir()] == ["x.rsc"]


def test_refuses_to_write_when_output_would_differ(monkeypatch, tmp_path):
    import rosc.format.formatter as formatting
    from rosc.format.emitter import Layout, layout

    def broken(script, text):
        laid = layout(script, text)
        return Layout(laid.text.replace("ether1", "ether2"), laid.parts, laid.headers)

    monkeypatch.setattr(formatting, "layout", broken)
    result = formatting.format_text("/ip address add address=1.1.1.1/24 interface=ether1\n")
    assert result.output is None
    assert [d.code for d in result.diagnostics] == ["FMT001"]


def test_escapes_are_kept_as_written():
    # `\De` is a hex escape (byte 0xDE), `\U` an unknown one: both stay as typed
    text = '/system note\nset note="C:\\Users\\User\\Desktop" show-at-login=no\n:put "\\C0\\c0\\4F\\_\\$\\?\\a"\n'
    out = fmt(text)
    assert '"C:\\Users\\User\\Desktop"' in out and ':put "\\C0\\c0\\4F\\_\\$\\?\\a"' in out
    out.encode("utf-8")  # no bytes that are not text


def test_a_path_then_a_word_keeps_its_path():
    text = "/ip firewall filter\nip address 10.0.0.1\n/ip route add gateway=10.0.0.254\n"
    out = fmt(text)
    assert signature(parse_text(out).script) == signature(parse_text(text).script)
    assert "ip address 10.0.0.1" in out


def test_the_check_compares_spelling_not_only_meaning():
    # `\4F` is the letter O: the same value, spelled differently
    assert signature(parse_text(':put "\\4F"\n').script) != signature(parse_text(':put "O"\n').script)
    # quotes a setting does not need are not part of its spelling
    assert signature(parse_text("/ip address\nadd comment=\"a\"\n").script) == signature(parse_text("/ip address\nadd comment=a\n").script)


def test_no_line_starts_with_a_hash_word():
    # `caps-mode-script: #---` in a default-configuration dump: `#---` is a word
    # here, and at the start of a continued line it would read as a comment line
    text = "caps-mode-script: " + "#" + "-" * 78 + "\n"
    out = fmt(text)
    assert not any(line.lstrip().startswith("#") for line in out.splitlines())


def test_an_array_written_one_element_a_line_stays_so():
    text = ':global Changes {\n  96="Added notes";\n  97="Modified dhcp-to-dns";\n  98="Extended checks"\n};\n'
    assert fmt(text) == ':global Changes {\n    96="Added notes";\n    97="Modified dhcp-to-dns";\n    98="Extended checks"\n}\n'


def test_long_substitutions_and_arrays_break_between_tokens():
    text = (
        ':local res [$ftp upload=yes user=$ftpuser password=$ftppassword src-path=$ftpfile '
        'address=$ftphost dst-path=($ftppath."/".$ftpfile) resfile="disk1/log.ftp.txt"]\n'
        ':local codes {"\\20";"\\01";"\\02";"\\03";"\\04";"\\05";"\\06";"\\07";"\\08";"\\09";"\\0A";"\\0B";"\\0C";"\\0D";"\\0E";"\\0F"}\n'
    )
    out = fmt(text)
    assert all(len(line) <= 80 for line in out.splitlines())
    words = text.replace("[", "[ ").replace("]", " ]").split()
    rejoined = out.replace(" \\\n    ", " ").replace(";\\\n    ", ";")
    assert rejoined.replace("[", "[ ").replace("]", " ]").split() == words
    assert fmt(out) == out
