"""After any sequence of edits, the diagnostics the language server
publishes (incremental re-parse, one shared lint run) equal those of a
full re-lint of the same text from scratch."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp

from rosc.lsp.document import Document, analyze
from rosc.lsp.positions import LineIndex

BASE = """\
# 2024-11-05 09:00:00 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface vlan
add interface=bridge name=vlan20 vlan-id=20
/ip pool
add name=lan ranges=192.168.88.10-192.168.88.254
/ip dhcp-server
add address-pool=lan interface=bridge name=lan
/ip address
add address=192.168.88.1/24 interface=bridge
add address=192.168.88.1/24 interface=bridge
add address=10.0.0.300/24 interface=vlan20
/ip firewall address-list
add address=10.1.0.0/16 list=trusted
/ip firewall filter
add action=accept chain=input src-address-list=trusted
add action=accept chain=input src-address-list=missing \\
    protocol=tcp dst-port=22
add action=drop chain=input in-interface=vlan21
/ip route
add dst-address=0.0.0.0/0 gateway=192.168.88.254
/system script
add name=s source=":local a 1\\r\\n:put \\$b"
"""

# What is typed: words, names, addresses, line ends, `;`, comments, menus.  Quotes, brackets and
# line continuations are left out here: an edit that opens one can still leave the parser's own
# notes of the edited region differing from a full parse's (how many follow-on errors a note
# counts), which is the incremental parser's matter (test_lsp.py), not the checks'.
PIECES = ["", "x", " ", "\n", "1", "/24", "=", ";", "# c\n", "$v", "add name=n\n",
          "interface=vlan20", "brige", ".", "-", "/ip route\n", "list=trusted", "300", "disabled=yes", "ad"]


@st.composite
def edits(draw):
    text = BASE
    out = []
    for _ in range(draw(st.integers(1, 4))):
        a = draw(st.integers(0, len(text)))
        b = min(len(text), a + draw(st.sampled_from([0, 0, 1, 2, 5, 30])))
        new = draw(st.sampled_from(PIECES))
        out.append((a, b, new))
        text = text[:a] + new + text[b:]
    return out


def _key(d: lsp.Diagnostic):
    return (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.code, d.message)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_diagnostics_after_edits_equal_a_full_relint(changes):
    doc = Document("file:///t.rsc", "t.rsc", BASE)
    doc.lsp_diagnostics()  # as on open: the next analysis starts from this one
    current = BASE
    for a, b, new in changes:
        doc.apply_change(lsp.TextDocumentContentChangePartial(range=LineIndex(current).range(a, b), text=new))
        current = current[:a] + new + current[b:]
        published = sorted(map(_key, doc.lsp_diagnostics()))
        fresh = sorted(map(_key, analyze(current, "t.rsc").lsp_diagnostics()))
        assert published == fresh, repr(current)


def test_the_base_config_has_findings_of_many_kinds():
    codes = {d.code for d in analyze(BASE, "t.rsc").lsp_diagnostics()}
    assert {"ADDR001", "ADDR003"} <= codes and len(codes) >= 4, codes


def test_a_number_after_the_root_slash_is_no_traceback():
    """`/24` alone at the start of a line (a prefix length typed on its own
    line) made the menu resolver index past its words."""
    from rosc.lint.engine import lint_bytes

    text = "/24\n" + BASE
    assert lint_bytes(text.encode(), "t.rsc").diagnostics is not None
    doc = Document("file:///t.rsc", "t.rsc", BASE)
    doc.lsp_diagnostics()
    doc.apply_change(lsp.TextDocumentContentChangePartial(range=LineIndex(BASE).range(0, 0), text="/24\n"))
    assert sorted(map(_key, doc.lsp_diagnostics())) == sorted(map(_key, analyze(text, "t.rsc").lsp_diagnostics()))
