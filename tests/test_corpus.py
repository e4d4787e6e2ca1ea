"""Every file of the shared real-world corpus parses and round-trips.

The corpus lives outside the project (``../shared/corpus/public``); these
tests are skipped where it is absent.  Files that RouterOS itself would
reject are listed in ``REJECTED_BY_ROUTEROS``, each with the errors rosc
reports (line and code, exactly) and why RouterOS rejects it too; every
other file must parse without an error, and ``fmt`` must format it: the
output reads back as the same commands and values, is UTF-8 whenever the
input was, and does not change when formatted again.
"""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import CORPUS, corpus_files
from rosc.cli.main import main
from rosc.diagnostics import Severity
from rosc.format.equivalence import signature
from rosc.format.formatter import format_bytes
from rosc.syntax.parser import parse_bytes, parse_text

# path relative to the corpus folder -> (the errors rosc reports as
# (line, code), why RouterOS rejects the file as well)
REJECTED_BY_ROUTEROS: dict[str, tuple[list[tuple[int, str]], str]] = {
    "BlackVS__Mikrotik-scripts/functions__func_getlastbackup_byid__func_getlastbackup_byid.rsc": (
        [(32, "SYN010")],
        "the source= string closes on line 31; line 32 is a stray `\\n\"` on its own: a backslash "
        "outside a string that is not at a line end, then a quote never closed",
    ),
    "Disassembler0__mikrotik-scripts/firewall__firewall-input.rsc": (
        [(10, "SYN002")],
        'comment="Jump to IN-LAN" rules" has one quote too many: the one after `rules` opens a '
        "string that runs on into line 11, every quote after it pairs wrongly, and the file's last "
        "quote (27:90) is never closed",
    ),
    "Queritt__routeros-scripts/Telegram__TLGRM.rsc": (
        [(482, "SYN004")],
        "one `}` more than `{`: the block opened on line 15 is closed on line 481, and the `}` "
        "of line 482 closes nothing (counted outside strings and comments by hand as well)",
    ),
    "cameronm77__mikrotik/scripts__letsencryptscript.rsc": (
        [(6, "SYN002")],
        'comment=""LetsEncrypt"] has one quote too many: the one after LetsEncrypt opens a string '
        "that runs to line 17 (the template's source= on line 1 is also left empty, so its script "
        "lines are read as commands of their own)",
    ),
    "gbudny93__RouterOS_Useful_Scripts/RouterOS_Dual_WAN_Failover.rsc": (
        [(14, "SYN003"), (14, "SYN003"), (17, "SYN003"), (17, "SYN003")],
        "each up-script= and down-script= holds `[find comment=WAN1 /ip firewall connection remove "
        "[find]`: the first `[` is never closed. RouterOS stores the netwatch entries, but each of "
        "the four scripts fails with a syntax error every time netwatch runs it",
    ),
    "gbudny93__RouterOS_Useful_Scripts/RouterOS_PPP_Disconnect_Active_Sessions.rsc": (
        [(15, "SYN003")],
        ':log info ("...".$i.":::..."; leaves the `(` open: the `)` is missing before the `;`',
    ),
}

FILES = corpus_files()
pytestmark = pytest.mark.skipif(not FILES, reason=f"corpus not present at {CORPUS}")


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)) if CORPUS in p.parents else p.name)
def test_corpus_file_parses_and_round_trips(path):
    rel = str(path.relative_to(CORPUS))
    data = path.read_bytes()
    result = parse_bytes(data, rel)
    errors = [d for d in result.diagnostics if d.severity >= Severity.ERROR]
    if rel in REJECTED_BY_ROUTEROS:
        expected, _why = REJECTED_BY_ROUTEROS[rel]
        assert [(d.span.line, d.code) for d in errors] == expected, [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in errors]
        assert format_bytes(data, rel).output is None
        return
    assert not errors, [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in errors]
    formatted = format_bytes(data, rel)
    assert formatted.output is not None, [d.message for d in formatted.diagnostics]
    out = formatted.output.encode("utf-8", "surrogateescape")
    if _utf8(data):
        assert _utf8(out), "fmt wrote bytes that are not UTF-8"
    again = parse_text(formatted.output)
    assert not again.has_errors
    assert signature(again.script) == signature(result.script)
    assert format_bytes(out).output == formatted.output


def test_rejected_files_exist():
    present = {str(p.relative_to(CORPUS)) for p in FILES}
    assert set(REJECTED_BY_ROUTEROS) <= present


def test_fmt_then_check_on_a_copy_of_the_corpus(tmp_path):
    """`rosc fmt` on a copy of the corpus formats every file that parses
    (and leaves the rejected ones), and `rosc fmt --check` after it finds
    nothing left to change."""
    copy = tmp_path / "public"
    shutil.copytree(CORPUS, copy, copy_function=shutil.copyfile)  # writable copies (the corpus is read-only)
    before = {p: p.read_bytes() for p in copy.rglob("*.rsc")}
    runner = CliRunner()
    first = runner.invoke(main, ["fmt", str(copy)])
    assert first.exit_code == 1  # the rejected files cannot be formatted
    assert f", {len(REJECTED_BY_ROUTEROS)} failed." in first.output
    for rel in REJECTED_BY_ROUTEROS:
        assert (copy / rel).read_bytes() == before[copy / rel]
    second = runner.invoke(main, ["fmt", "--check", str(copy)])
    total = len(before)
    assert f"0 files would be reformatted, {total - len(REJECTED_BY_ROUTEROS)} unchanged, {len(REJECTED_BY_ROUTEROS)} failed." in second.output
    assert "would reformat" not in second.output
