"""The language server's incremental re-lint (rosc.lint.incremental): after
any sequence of edits of realistic files, what it publishes equals a full
lint of the same text, in the same order; the rules marked ``local`` find,
statement by statement, what they find in the whole file."""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp

from conftest import CORPUS, ROOT, corpus_files
from rosc.checks.context import CheckContext, DeviceRun
from rosc.checks.registry import device_rules
from rosc.lint.config import Config
from rosc.lint.engine import target_of
from rosc.lsp.document import Document, analyze
from rosc.lsp.positions import LineIndex
from rosc.model.device import Device
from rosc.syntax.parser import parse_text
from rosc.syntax.tree import Script


def _generated(pairs: int) -> str:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate_export(pairs)


CONFIGS = {
    "article": (ROOT / "samples" / "article" / "mtr1.rsc").read_text(),
    "article-firewall": (ROOT / "samples" / "article-firewall" / "fw-mtr1.rsc").read_text(),
    "defconf": (ROOT / "tests" / "firewall_configs" / "defconf.rsc").read_text(),
    "scripts": (ROOT / "tests" / "script_configs" / "failover_bad.rsc").read_text(),
    "generated": _generated(40),
}

# What is typed: quotes, brackets, continuations, comments with
# suppressions, menus, names used elsewhere, spaces at line ends.
PIECES = ["", " ", "x", "\n", ";", "\"", "[", "]", "{", "}", "$v", "=", "1", "/24", ".300", "\\", "\\\n    ",
          " \\", "# rosc: ignore[ADDR001,VOC003]\n", "# rosc: ignore\n", "# rosc: ignore-file[VOC002]\n", "# c\n",
          "/ip firewall filter\n", "/interface bridge\n", "add name=bridge2\n", "add chain=input action=drop\n",
          "interface=ether9", "list=LAN", "ad", "disabled=yes", "address=10.0.0.1/33", "srcaddress=1.2.3.4"]


def _line_end_offsets(text: str) -> list[int]:
    """Offsets just before a line break (where spaces are typed at line ends)."""
    return [i for i, c in enumerate(text) if c == "\n"]


@st.composite
def edit_sequence(draw, text: str):
    out = []
    for _ in range(draw(st.integers(1, 4))):
        ends = _line_end_offsets(text)
        if ends and draw(st.booleans()):
            a = draw(st.sampled_from(ends))  # at a line end: a trailing space or backslash
            if a > 0 and text[a - 1] == " " and draw(st.booleans()):
                out.append((a - 1, a, ""))
                text = text[: a - 1] + text[a:]
                continue
            new = draw(st.sampled_from([" ", " ", "\t", "\\", " \\", ";"]))
            b = a
        else:
            a = draw(st.integers(0, len(text)))
            b = min(len(text), a + draw(st.sampled_from([0, 0, 1, 2, 5, 30])))
            new = draw(st.sampled_from(PIECES))
        out.append((a, b, new))
        text = text[:a] + new + text[b:]
    return out


def _key(d: lsp.Diagnostic):
    return (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character,
            d.code, d.severity, d.message, tuple(r.message for r in d.related_information or ()))


def _check(name: str, changes) -> int:
    base = CONFIGS[name] if name in CONFIGS else SPACING_CONFIGS[name]
    doc = Document("file:///t.rsc", "t.rsc", base)
    doc.lsp_diagnostics()  # as on open: the next lint starts from this one
    current = base
    relinted = 0
    for a, b, new in changes:
        doc.apply_change(lsp.TextDocumentContentChangePartial(range=LineIndex(current).range(a, b), text=new))
        current = current[:a] + new + current[b:]
        published = list(map(_key, doc.lsp_diagnostics()))
        relinted += doc.analysis.relinted
        fresh = list(map(_key, analyze(current, "t.rsc").lsp_diagnostics()))
        assert published == fresh, (name, current)
    return relinted


def _check_property(name: str, edits, examples: int) -> None:
    """``_check`` over ``examples`` edit sequences drawn from ``edits``."""
    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(edits)
    def run(changes):
        _check(name, changes)

    run()


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_published_diagnostics_equal_a_full_lint_after_edits(name):
    _check_property(name, edit_sequence(CONFIGS[name]), 35)


def test_an_unterminated_string_message_follows_lines_added_after_it():
    """SYN002 names where the quotes run on to, later in the file: a line
    added there changes the message of a finding above the edit (found by
    the property test above)."""
    _check("defconf", [(0, 0, '"'), (82, 82, "\n")])


def _toggle_after_backslash(text: str) -> tuple[int, int, str]:
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if line.endswith("\\")]
    line = candidates[len(candidates) // 2]
    offset = sum(len(x) + 1 for x in lines[:line]) + len(lines[line])
    return offset, offset, " "


def test_a_space_after_a_backslash_reuses_the_cross_rules():
    """The benchmark's edit: the tree stays the same node for node, so the
    rules that read no raw text are not run again; SYN009 appears."""
    text = CONFIGS["generated"]
    doc = Document("file:///t.rsc", "t.rsc", text)
    before = {d.code for d in doc.lsp_diagnostics()}
    a, b, new = _toggle_after_backslash(text)
    assert _check("generated", [(a, b, new)]) == 1
    doc.apply_change(lsp.TextDocumentContentChangePartial(range=LineIndex(text).range(a, b), text=new))
    after = doc.lsp_diagnostics()
    stats = doc.analysis.lint.record.stats
    assert doc.analysis.relinted and stats["reused"]
    assert "SYN009" in {d.code for d in after} and "SYN009" not in before
    reads = doc.analysis.lint.record.reads
    cross = [r for r in device_rules().values() if r.check is not None and not r.local]
    assert stats["rerun"] == len([r for r in cross if "<text>" in reads[r.id]]) < len(cross)


def test_an_invalid_address_typed_is_found_by_the_local_rules_alone():
    text = CONFIGS["defconf"]
    at = text.index("192.168.88.1/24") + len("192.168.88")
    doc = Document("file:///t.rsc", "t.rsc", text)
    doc.lsp_diagnostics()
    doc.apply_change(lsp.TextDocumentContentChangePartial(range=LineIndex(text).range(at, at), text="8"))
    found = [d for d in doc.lsp_diagnostics() if d.code == "ADDR001"]
    assert doc.analysis.relinted and not doc.analysis.lint.record.stats["reused"]
    assert len(found) == 1 and "192.168.888.1" in found[0].message
    assert _check("defconf", [(at, at, "8")]) == 1


def test_a_suppression_typed_above_a_finding_takes_it_away():
    text = CONFIGS["defconf"].replace("192.168.88.1/24", "192.168.88.1/33", 1)
    line = text[: text.index("192.168.88.1/33")].rfind("\n") + 1
    doc = Document("file:///t.rsc", "t.rsc", text)
    assert any(d.code == "ADDR001" for d in doc.lsp_diagnostics())
    doc.apply_change(lsp.TextDocumentContentChangePartial(range=LineIndex(text).range(line, line), text="# rosc: ignore[ADDR001]\n"))
    assert not any(d.code == "ADDR001" for d in doc.lsp_diagnostics())
    CONFIGS["suppressed"] = text
    try:
        assert _check("suppressed", [(line, line, "# rosc: ignore[ADDR001]\n")]) == 1
    finally:
        del CONFIGS["suppressed"]


# ------------------------------------------------------------------ locality


def _local_rules():
    return [r for r in device_rules().values() if r.local]


def _by_statement(text: str, path: str) -> tuple[list, list]:
    """(what the local rules find in the whole file, what they find run on
    each top-level statement alone), as sorted keys."""
    parsed = parse_text(text, path)
    config = Config()
    target = target_of(parsed, config)

    def found(statements) -> list:
        run = DeviceRun(Device(path, parsed.source, Script(statements)), target)
        return [d for rule in _local_rules() for d in rule.check(CheckContext(run, rule, config.severity_of(rule)))]

    whole = found(parsed.script.body)
    alone = [d for stmt in parsed.script.body for d in found([stmt])]
    key = lambda d: (d.span.offset, d.span.end, d.code, d.message, tuple(d.notes), d.fix)  # noqa: E731
    return sorted(map(key, whole)), sorted(map(key, alone))


def test_the_local_rules_are_marked():
    assert {r.id for r in _local_rules()} == {"ADDR001", "VOC002", "VOC003", "VOC005", "VOC006", "SCR009", "SCR017"}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_local_rules_find_statement_by_statement_what_they_find_in_the_file(name):
    whole, alone = _by_statement(CONFIGS[name], "t.rsc")
    assert whole == alone


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_local_rules_are_local_on_the_corpus():
    """Every corpus file of up to 400 top-level statements (each statement
    alone builds its own run and facts, which read the whole source text:
    the few longer files would make this test quadratic and minutes long)."""
    checked = 0
    for path in corpus_files():
        text = path.read_bytes().decode("utf-8", "replace")
        if len(parse_text(text, str(path)).script.body) > 400:
            continue
        whole, alone = _by_statement(text, str(path))
        assert whole == alone, path
        checked += bool(whole)
    assert checked >= 10  # files where the local rules find something


def test_an_edit_of_one_menu_runs_again_only_the_rules_that_read_it():
    """Changing an address re-runs the rules that asked for /ip address
    (or walked every command); those that never looked at it are kept."""
    text = CONFIGS["defconf"]
    at = text.index("192.168.88.1/24") + len("192.168.88.")
    doc = Document("file:///t.rsc", "t.rsc", text)
    doc.lsp_diagnostics()
    reads = doc.analysis.lint.record.reads
    doc.apply_change(lsp.TextDocumentContentChangePartial(range=LineIndex(text).range(at, at + 1), text="2"))
    doc.lsp_diagnostics()
    stats = doc.analysis.lint.record.stats
    cross = [r for r in device_rules().values() if r.check is not None and not r.local]
    expected = [r.id for r in cross if reads[r.id] & {"<all>", "<text>", "/ip address"}]
    assert doc.analysis.relinted and not stats["reused"]
    assert stats["rerun"] == len(expected) < len(cross)
    assert _check("defconf", [(at, at + 1, "2")]) == 1


# A firewall whose address list a scheduled script fills, with a top-level
# one-line `address-list add`, functions and a comment that ends in `\`:
# what the probes (Source.probe) and the token reads (Source.token_text) see.
SCRIPTED = """\
# 2025-01-10 10:00:00 by RouterOS 7.16.2
/ip address
add address=192.168.88.1/24 interface=ether2
/ip firewall address-list add list=blocked address=10.9.9.9
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input src-address-list=blocked
add action=accept chain=input in-interface=ether2
add action=drop chain=input
add action=accept chain=input protocol=icmp
/system script
add name=block source=":global blockHost do={ /ip firewall address-list add list=blocked address=\\$1 }\\r\\
    \\n:local  host  \\"10.0.0.7\\"\\r\\
    \\n\\$blockHost \\$host\\r\\
    \\n:put \\$host"
/system scheduler
add interval=1h name=nightly on-event=":local tries 3\\r\\n/system script run block\\r\\n:log info \\"\\$trys\\""
# a comment that ends in a backslash \\
  /ip dns set servers=1.1.1.1
"""
SPACING_CONFIGS = {"scripted": SCRIPTED, "ddns": (ROOT / "tests" / "script_configs" / "ddns_bad.rsc").read_text(),
                   "generated": CONFIGS["generated"]}


@st.composite
def spacing_edits(draw, text: str):
    """Edits of the space between tokens only: a blank added where there is
    one, or one of two blanks taken away (outside strings too)."""
    out = []
    for _ in range(draw(st.integers(1, 4))):
        blanks = [i for i, c in enumerate(text) if c in " \t"]
        if not blanks:
            break
        a = draw(st.sampled_from(blanks))
        if a + 1 < len(text) and text[a + 1] in " \t" and draw(st.booleans()):
            out.append((a, a + 1, ""))
            text = text[:a] + text[a + 1:]
        else:
            new = draw(st.sampled_from([" ", "\t"]))
            out.append((a, a, new))
            text = text[:a] + new + text[a:]
    return out


@pytest.mark.parametrize("name", sorted(SPACING_CONFIGS))
def test_spacing_edits_publish_a_full_lint(name):
    """Where the tree stays node for node the same, the rules that read only
    tokens, probes or the header are kept: what is published is still what
    a full lint finds (also inside strings, where a blank is a character)."""
    _check_property(name, spacing_edits(SPACING_CONFIGS[name]), 40)


def test_the_script_and_firewall_rules_are_kept_after_a_blank_at_a_line_end():
    """A blank typed at the end of a filter rule: the script analysis
    (token reads), the scripted address list (a probe) and the export
    header do not make their rules run again.  (Inside a string a blank is
    a character of its value, and a blank between arguments moves the
    columns of the words after it: the tree is not the same then.)"""
    text = SCRIPTED
    a = text.index("in-interface=ether2\n") + len("in-interface=ether2")
    doc = Document("file:///t.rsc", "t.rsc", text)
    doc.lsp_diagnostics()
    doc.apply_change(lsp.TextDocumentContentChangePartial(range=LineIndex(text).range(a, a), text=" "))
    published = list(map(_key, doc.lsp_diagnostics()))
    new_text = text[:a] + " " + text[a:]
    assert published == list(map(_key, analyze(new_text, "t.rsc").lsp_diagnostics()))
    record = doc.analysis.lint.record
    assert doc.analysis.relinted and record.stats["reused"]
    assert record.stats["rerun"] == 1  # SCR010: the comment ending in `\` makes it read the raw text
    codes = {d.code for d in doc.lsp_diagnostics()}
    assert {"SCR001", "SCR010", "FW003"} <= codes, codes


def test_a_script_that_starts_adding_to_a_list_publishes_a_full_lint():
    """`address-list add` typed into a stored script: the list is no longer
    known (FW findings that relied on its entries go), as in a full lint."""
    text = SCRIPTED
    a = text.index(":put ")
    doc = Document("file:///t.rsc", "t.rsc", text)
    doc.lsp_diagnostics()
    piece = "/ip firewall address-list add list=x address=1.1.1.1\\r\\\n    \\n"
    doc.apply_change(lsp.TextDocumentContentChangePartial(range=LineIndex(text).range(a, a), text=piece))
    new_text = text[:a] + piece + text[a:]
    assert list(map(_key, doc.lsp_diagnostics())) == list(map(_key, analyze(new_text, "t.rsc").lsp_diagnostics()))
