"""Locations people can use: lone-CR files have lines, UTF-16 and UTF-32
files are named as such once (not 25 KB of NUL errors), and the text
output of many findings on one long line costs what its excerpts cost
(issue 10)."""

from __future__ import annotations

import tracemalloc

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from rosc.cli.main import main
from rosc.diagnostics import Diagnostic, Severity
from rosc.lint.engine import lint_bytes
from rosc.report.text import render_text
from rosc.syntax.source import Source, decode, line_starts, line_starts_after_edit

DEVICE = """\
/system identity
set name=core
/ip address
add address=10.0.0.1/24 comment=uplink interface=ether1
/ip route
add gateway=10.0.0.254 \\ 
    comment=default
"""  # a SYN009 warning on line 6


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


# --- lone CR -----------------------------------------------------------------------------------------


def test_lone_cr_files_report_the_right_line(tmp_path):
    path = tmp_path / "mac.rsc"
    path.write_bytes(DEVICE.replace("\n", "\r").encode())
    result = run("lint", path)
    assert "mac.rsc:6:24: warning[SYN009]" in result.output, result.output
    assert "6 | add gateway=10.0.0.254 \\" in result.output


def test_lone_cr_line_index():
    source = Source("a\rbc\r\nd\ne")
    assert source.line_starts == [0, 2, 6, 8]
    assert [source.line_text(n) for n in (1, 2, 3, 4)] == ["a", "bc", "d", "e"]
    assert source.line_col(3) == (2, 2)


def test_form_feed_and_line_separator_are_not_line_ends():
    source = Source("# a\fb\u2028c\vd\n/x")
    assert source.line_starts == [0, 10]


# --- UTF-16 and UTF-32 -------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_wide_encodings_are_one_diagnostic_and_the_text_is_checked(codec):
    data = DEVICE.encode(codec) * 1
    result = lint_bytes(data, "win.rsc")
    codes = [(d.code, d.span.line, d.span.column) for d in result.diagnostics]
    assert codes == [("SYN020", 1, 1), ("SYN009", 6, 24)], codes
    first = result.diagnostics[0]
    assert ("UTF-16" if "16" in codec else "UTF-32") in first.message
    assert ("big-endian" if codec.endswith("be") else "little-endian") in first.message


def test_a_big_utf16_export_is_a_short_report(tmp_path):
    path = tmp_path / "export.rsc"
    text = "".join(f"/ip firewall address-list add address=10.0.{i // 256}.{i % 256} list=blocked\n" for i in range(400))
    path.write_bytes(text.encode("utf-16"))
    assert path.stat().st_size > 25_000
    result = run("lint", path)
    assert result.exit_code == 1
    assert result.output.count("error[") == 1 and "error[SYN020]" in result.output
    assert "SYN006" not in result.output
    assert len(result.output) < 2_000


def test_fmt_leaves_a_utf16_file_as_it_is(tmp_path):
    path = tmp_path / "win.rsc"
    data = "/ip address add interface=ether1 address=10.0.0.1/24\n".encode("utf-16")
    path.write_bytes(data)
    result = run("fmt", path)
    assert result.exit_code == 1 and "SYN020" in result.output
    assert path.read_bytes() == data


def test_the_rule_page_example_is_what_it_says():
    from rosc.checks.rule_pages import load_page

    page = load_page("SYN020")
    (_title, lang, picture), = page.bad
    (_title, _lang, fixed), = page.fixed
    assert lang == "text"
    data = fixed.encode("utf-16")
    shown = "<FF FE>" + "".join(c + ("<00>" if c != "\n" else "") for c in fixed).replace("\n", "<0A 00>\n")
    assert shown.rstrip("\n") == picture.rstrip("\n")
    assert sorted({d.code for d in lint_bytes(data, "example.rsc").diagnostics}) == ["SYN020"]


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,  # binary junk with NULs
        b"/system identity set name=core\x00\n",  # one NUL
        b"a\x00",
        b"\x00" * 64,
        "/system identity set name=caf\u00e9\n".encode("latin-1"),
    ],
)
def test_other_bytes_are_not_taken_for_utf16(data):
    _source, diagnostics = decode(data, "x.rsc")
    assert "SYN020" not in {d.code for d in diagnostics}


# --- text output of many findings on one long line ---------------------------------------------------


def test_an_excerpt_of_a_long_line_does_not_copy_the_line():
    text = "/system identity set name=" + "a" * 4_000_000 + "\n"
    source = Source(text, "x.rsc")
    d = Diagnostic("SYN008", Severity.WARNING, "m", "x.rsc", source.span(2_000_000, 2_000_001))
    render_text(d, source)
    tracemalloc.start()
    try:
        rendered = render_text(d, source)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200_000, peak  # a copy of the line would be 4 MB
    assert "..." in rendered.plain and len(rendered.plain) < 1_000


def test_the_cost_of_a_finding_does_not_grow_with_its_line():
    """2,000 findings on a 16 MB line cost what they cost on a 16 KB line
    (copying the line for each finding made it 20 times slower)."""
    import time

    def cost(length: int) -> float:
        text = "/system identity set name=" + "a" * length + "\n"
        source = Source(text, "x.rsc")
        found = [Diagnostic("SYN008", Severity.WARNING, "m", "x.rsc", source.span(30 + 7 * i, 31 + 7 * i)) for i in range(2_000)]
        started = time.perf_counter()
        for d in found:
            render_text(d, source)
        return time.perf_counter() - started

    short = min(cost(16_000) for _ in range(2))
    long = cost(16_000_000)
    assert long < 4 * short + 0.5, (short, long)


_LINE_TEXT = st.text(alphabet=st.sampled_from("ab \t\r\n\\"), max_size=40)


@settings(max_examples=400, deadline=None)
@given(_LINE_TEXT, _LINE_TEXT, _LINE_TEXT, _LINE_TEXT)
def test_line_starts_after_an_edit_are_those_of_the_new_text(before, old_part, new_part, after):
    """The language server's re-parse keeps the line starts around an edit
    (``line_starts_after_edit``): they must be those a fresh count finds,
    also when the edit splits or joins a CR LF pair at either edge."""
    old_text = before + old_part + after
    new_text = before + new_part + after
    r0, r1_old = len(before), len(before) + len(old_part)
    found = line_starts_after_edit(line_starts(old_text), new_text, r0, r1_old, len(new_part) - len(old_part))
    assert found == line_starts(new_text)
