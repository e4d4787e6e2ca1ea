"""The language server: unit tests of the feature modules of rosc.lsp, and the real server
(``python -m rosc lsp``) driven over stdio by an LSP client (pytest-lsp)."""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from pathlib import Path

import pytest
from lsprotocol import types as lsp

from conftest import sample_files
from rosc.lsp.completion import completions
from rosc.lsp.diagnostics import SEVERITIES, to_lsp_diagnostic
from rosc.lsp.document import Document, Edit, analyze
from rosc.lsp.formatting import format_document, format_range
from rosc.lsp.hover import hover
from rosc.lsp.navigation import definition, references
from rosc.lsp.positions import LineIndex, UTF16, UTF32, UTF8
from rosc.lsp.symbols import document_symbols
from rosc.lsp.vocabulary_queries import enum_values, menu_commands, menu_param, menu_params, param_type, vocabulary
from rosc.diagnostics import Diagnostic, Severity
from rosc.syntax.parser import parse_text
from rosc.syntax.source import Source
from rosc.syntax.tree import walk
from rosc.syntax.tree_json import to_json

DEVICE = """\
/interface bridge
add name=br-lan
/interface wireguard
add listen-port=13231 name=wg0
/interface list
add name=LAN
/interface list member
add interface=br-lan list=LAN
add interface=wg0 list=LAN
/ip pool
add name=dhcp-pool ranges=192.168.88.10-192.168.88.254
/ip dhcp-server
add address-pool=dhcp-pool interface=br-lan name=dhcp1
/ip dhcp-server lease
add address=192.168.88.50 mac-address=AA:BB:CC:DD:EE:FF server=dhcp1
/ppp profile
add local-address=10.0.0.1 name=vpn remote-address=dhcp-pool
/ppp secret
add name=alice password=x profile=vpn
/ip firewall address-list
add address=10.0.0.0/8 list=trusted
/ip firewall filter
add action=accept chain=input src-address-list=trusted
add action=drop chain=input in-interface-list=!LAN
/ip address
add address=192.168.88.1/24 interface=br-lan
"""


def pos(text: str, needle: str, nth: int = 0, delta: int = 0) -> lsp.Position:
    """The position of the ``nth`` occurrence of ``needle`` (plus ``delta`` characters)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    return lsp.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1))


def rng_text(text: str, r: lsp.Range) -> str:
    index = LineIndex(text)
    return text[index.offset(r.start) : index.offset(r.end)]


def labels(items) -> list[str]:
    return [i.label for i in items]


def complete(text: str, needle: str | None = None) -> list[lsp.CompletionItem]:
    """Completions at the end of ``text`` (or right after ``needle``)."""
    analysis = analyze(text, "t.rsc")
    at = pos(text, needle, delta=len(needle)) if needle else analysis.index.position(len(text))
    return completions(analysis, at)


# --------------------------------------------------------------------------- positions


def test_line_index_utf16_utf8_utf32():
    text = "# héllo 😀 x\n/ip address\r\nadd\n"
    for enc, col in ((UTF16, 11), (UTF8, 14), (UTF32, 10)):
        index = LineIndex(text, enc)
        x = text.index("x")
        assert index.position(x) == lsp.Position(line=0, character=col)
        assert index.offset(lsp.Position(line=0, character=col)) == x
    index = LineIndex(text)
    # past the end of a line: the line end (before \r\n); past the last line: the end
    assert index.offset(lsp.Position(line=1, character=99)) == text.index("\r")
    assert index.offset(lsp.Position(line=9, character=0)) == len(text)
    assert index.position(len(text)) == lsp.Position(line=3, character=0)


def test_diagnostic_conversion_keeps_id_severity_notes_and_fix():
    text = "# ü\n/system identity set name=x\n"
    source = Source(text, "t.rsc")
    start = text.index("name")
    d = Diagnostic("SEC001", Severity.WARNING, "weak", "t.rsc", source.span(start, start + 4), ["first note"], "do this")
    out = to_lsp_diagnostic(d, LineIndex(text))
    assert out.code == "SEC001" and out.source == "rosc"
    assert out.severity == lsp.DiagnosticSeverity.Warning
    assert out.range == lsp.Range(start=lsp.Position(line=1, character=21), end=lsp.Position(line=1, character=25))
    assert out.message == "weak\nnote: first note\nfix: do this"
    assert out.data == {"notes": ["first note"], "fix": "do this"}
    assert SEVERITIES[Severity.ERROR] == lsp.DiagnosticSeverity.Error
    assert SEVERITIES[Severity.INFO] == lsp.DiagnosticSeverity.Information


def test_byte_order_mark_shifts_nothing_for_the_editor():
    text = "\ufeff/system identity set name=\"x\n"
    analysis = analyze(text, "t.rsc")
    diags = {d.code: d for d in analysis.lsp_diagnostics()}
    assert set(diags) == {"SYN007", "SYN002"}
    quote = text.index('"')
    assert diags["SYN002"].range.start == LineIndex(text).position(quote)


# --------------------------------------------------------------------------- incremental re-parse


def _dump(parse):
    extra = [(n.start, n.end, getattr(n, "path_end", None), getattr(n, "key_end", None)) for n in walk(parse.script)]
    return to_json(parse.script, parse.source), extra, [d.as_dict() for d in parse.diagnostics]


def test_incremental_reparse_equals_full_parse_on_random_edits():
    texts = [p.read_text(encoding="utf-8") for p in sample_files()[:4]] + [DEVICE]
    texts.append(
        '/ip address\nadd address=1.1.1.1/24 interface=ether1 ; add address=2.2.2.2/24 interface=ether2\n# c\n'
        '/system script add name=s source="/ip address add address=3.3.3.3/24 interface=ether3\\r\\n:put \\"x\\""\n'
        ":if (1=1) do={\n  /ip route add gateway=1.1.1.254\n  add gateway=2.2.2.254\n}\n"
        "/interface bridge add name=br \\\n    comment=x\n"
    )
    inserts = ["", "x", " ", "\n", "/ip route\n", "add a=1", '"', "[", "]", "{", "}", "\\\n", ";", "# c\n", "=", "$v"]
    rnd = random.Random(7)
    incremental = 0
    for text in texts:
        for _ in range(60):
            doc = Document("file:///t.rsc", "t.rsc", text)
            doc.parsed()
            current = text
            for _ in range(rnd.randint(1, 3)):
                a = rnd.randint(0, len(current))
                b = min(len(current), a + rnd.choice([0, 0, 1, 3, 20]))
                new = rnd.choice(inserts)
                doc.apply_change(lsp.TextDocumentContentChangePartial(range=LineIndex(current).range(a, b), text=new))
                current = current[:a] + new + current[b:]
            assert doc.text == current
            analysis = doc.parsed()
            incremental += analysis.incremental
            assert _dump(analysis.parse) == _dump(parse_text(current, "t.rsc")), repr(current)
    assert incremental > 100  # most edits did take the incremental path


@pytest.mark.parametrize(
    "typed",
    [
        '/ip address add address=10.0.0.1/24 interface=ether1 comment="hi there"\n',
        ':if ($x = 1) do={ :put "a" }\n',
        "add chain=input action=drop \\\n    in-interface=ether1\n",
        '/system script add name=s source="/ip route add gateway=1.1.1.1"\n',
    ],
)
def test_incremental_reparse_while_typing(typed):
    """Type a line one character at a time, in the middle of a file and right
    after the end of a statement on its own line (where what is typed
    continues that statement)."""
    for base, at in ((DEVICE, DEVICE.index("/ip pool")), (":if ($x = 1) \n/ip pool\nadd name=p\n", 13)):
        doc = Document("file:///t.rsc", "t.rsc", base)
        doc.parsed()
        current = base
        for k, char in enumerate(typed):
            p = at + k
            doc.apply_change(lsp.TextDocumentContentChangePartial(range=LineIndex(current).range(p, p), text=char))
            current = current[:p] + char + current[p:]
            assert _dump(doc.parsed().parse) == _dump(parse_text(current, "t.rsc")), repr(current)


def test_incremental_falls_back_when_an_edit_changes_later_menus():
    doc = Document("file:///t.rsc", "t.rsc", "/ip address\nadd address=1.1.1.1/24 interface=ether1\n")
    doc.parsed()
    doc.apply_change(lsp.TextDocumentContentChangePartial(range=lsp.Range(start=lsp.Position(line=0, character=4), end=lsp.Position(line=0, character=11)), text="route"))
    analysis = doc.parsed()
    assert not analysis.incremental
    assert analysis.parse.script.body[1].menu == ("ip", "route")
    doc.apply_change(lsp.TextDocumentContentChangePartial(range=lsp.Range(start=lsp.Position(line=1, character=12), end=lsp.Position(line=1, character=13)), text="2"))
    assert doc.parsed().incremental


def test_edit_composition():
    e = Edit(10, 12, 15)  # old[10:12] became new[10:15]
    e2 = e.then(20, 22, 0)  # later: delete current[20:22] (= old[17:19])
    assert (e2.start, e2.old_end, e2.new_end) == (10, 19, 20)
    e3 = e.then(5, 5, 2)  # insert 2 before
    assert (e3.start, e3.old_end, e3.new_end) == (5, 12, 17)


# --------------------------------------------------------------------------- features (unit)


def test_definition_and_references_of_named_objects():
    a = analyze(DEVICE, "t.rsc")
    cases = [
        ("interface=br-lan", 10, "br-lan", 1, 3),  # bridge: list member, dhcp-server, address
        ("interface=wg0", 10, "wg0", 1, 1),  # WireGuard interface
        ("list=LAN", 5, "LAN", 1, 3),  # interface list, incl. `!LAN`
        ("address-pool=dhcp-pool", 13, "dhcp-pool", 1, 2),  # pool: dhcp-server and PPP profile
        ("profile=vpn", 8, "vpn", 1, 1),  # PPP profile
        ("server=dhcp1", 7, "dhcp1", 1, 1),  # DHCP server
        ("src-address-list=trusted", 17, "trusted", 1, 1),  # address list
    ]
    for needle, delta, name, n_defs, n_refs in cases:
        at = pos(DEVICE, needle, delta=delta + 1)
        defs = definition(a, at)
        assert [rng_text(DEVICE, r) for r in defs] == [name] * n_defs, needle
        refs = references(a, at, include_declaration=False)
        assert [rng_text(DEVICE, r) for r in refs] == [name] * n_refs, needle
        assert len(references(a, at)) == n_defs + n_refs
    # an address is not a pool name, `all`-like enum values are not references
    assert definition(a, pos(DEVICE, "address=192.168.88.50", delta=10)) == []
    # from the definition itself
    assert len(references(a, pos(DEVICE, "name=br-lan", delta=6))) == 4


def test_hover_object_and_parameter():
    a = analyze(DEVICE, "t.rsc")
    text = hover(a, pos(DEVICE, "address-pool=dhcp-pool", delta=15)).contents.value
    assert "**pool** `dhcp-pool`" in text
    assert "defined on line 11" in text and "used 2 times" in text and "line 13: `address-pool=`" in text
    text = hover(a, pos(DEVICE, "name=br-lan", delta=7)).contents.value
    assert "(bridge)" in text and "used 3 times" in text
    param = hover(a, pos(DEVICE, "address-pool=", delta=3))
    assert "**`address-pool`** — parameter of `/ip dhcp-server`" in param.contents.value
    assert rng_text(DEVICE, param.range) == "address-pool"
    p = menu_param("/ip dhcp-server", "address-pool")
    if p is not None:  # the vocabulary's type, default and meaning
        assert "**Type:**" in param.contents.value
        if p.default:
            assert f"**Default:** `{p.default}`" in param.contents.value
        if p.doc:
            assert p.doc.strip()[:20] in param.contents.value
    menu = hover(a, pos(DEVICE, "/ip pool", delta=2))
    assert "`/ip pool`" in menu.contents.value


def test_hover_undefined_name():
    text = "/interface list member\nadd interface=ether7 list=NOPE\n"
    a = analyze(text, "t.rsc")
    assert "built-in interface" in hover(a, pos(text, "ether7")).contents.value
    assert "not defined in this file" in hover(a, pos(text, "NOPE")).contents.value


def test_document_symbols():
    a = analyze(DEVICE + ":global answer 42\n", "t.rsc")
    symbols = document_symbols(a)
    names = [(s.name, s.kind) for s in symbols]
    assert ("/interface bridge", lsp.SymbolKind.Namespace) in names
    assert ("answer", lsp.SymbolKind.Variable) in [(c.name, c.kind) for s in symbols for c in s.children or []]
    by_name = {s.name: s for s in symbols}
    assert [(c.name, c.kind) for c in by_name["/interface bridge"].children] == [("br-lan", lsp.SymbolKind.Interface)]
    assert [c.name for c in by_name["/ip pool"].children] == ["dhcp-pool"]
    assert [c.name for c in by_name["/ip firewall address-list"].children] == ["trusted"]
    assert by_name["/ip firewall filter"].children == []
    for s in symbols:  # children lie inside their section
        for c in s.children or []:
            assert (s.range.start.line, s.range.start.character) <= (c.range.start.line, c.range.start.character)
            assert (c.range.end.line, c.range.end.character) <= (s.range.end.line, s.range.end.character)


def test_complete_menu_paths_commands_and_submenus():
    items = complete(DEVICE + "/ip fi")
    assert "firewall" in labels(items)
    item = next(i for i in items if i.label == "firewall")
    assert rng_text(DEVICE + "/ip fi", item.text_edit.range) == "fi" and item.text_edit.new_text == "firewall"
    items = complete(DEVICE + "/")
    assert "/ip address" in labels(items) and "/ip firewall filter" in labels(items)
    items = complete(DEVICE + "/ip address ")
    assert {"add", "set", "remove", "print"} <= set(labels(items))
    items = complete(DEVICE + "/ip/firewall/fi")
    assert "filter" in labels(items)
    # relative to the current menu (the last header is /ip address)
    items = complete(DEVICE + "a")
    assert "add" in labels(items)
    assert ":put" in labels(complete(DEVICE + ":"))


def test_complete_parameter_names():
    items = complete(DEVICE + "/ip address add ")
    assert {"address", "interface"} <= set(labels(items))
    item = next(i for i in items if i.label == "interface")
    assert item.text_edit.new_text == "interface=" and item.kind == lsp.CompletionItemKind.Property
    # the ones already written are not offered again
    items = complete(DEVICE + "/ip address add interface=br-lan ")
    assert "interface" not in labels(items) and "address" in labels(items)
    # a continued line is one command
    items = complete(DEVICE + "/ip address add interface=br-lan \\\n    ")
    assert "interface" not in labels(items) and "address" in labels(items)
    # completing inside a written name replaces all of it, `=` included
    text = "/ip address add inter" + "face=ether1\n"
    analysis = analyze(text, "t.rsc")
    item = next(i for i in completions(analysis, pos(text, "inter", delta=5)) if i.label == "interface")
    assert rng_text(text, item.text_edit.range) == "interface="


def test_complete_enum_values_and_object_names():
    text = DEVICE + "/ip dhcp-server add address-pool="
    items = complete(text)
    assert "dhcp-pool" in labels(items)
    if menu_param("/ip dhcp-server", "address-pool") is not None:
        assert "static-only" in labels(items)  # ref:pool|enum(static-only)
    assert {"br-lan", "wg0"} <= set(labels(complete(DEVICE + "/ip address add interface=")))
    assert set(labels(complete(DEVICE + "/ip firewall filter add in-interface-list=!"))) >= {"LAN", "all", "none"}
    assert "trusted" in labels(complete(DEVICE + "/ip firewall filter add src-address-list=tr"))
    assert "vpn" in labels(complete(DEVICE + "/ppp secret add profile="))
    assert "dhcp1" in labels(complete(DEVICE + "/ip dhcp-server lease add server="))
    # only bridges where a bridge is wanted
    assert labels(complete(DEVICE + "/interface bridge port add bridge=")) == ["br-lan"]
    # list values: complete after the last comma
    text = DEVICE + "/interface list member add interface=br-lan,w"
    item = next(i for i in complete(text) if i.label == "wg0")
    assert rng_text(text, item.text_edit.range) == "w"
    # an enum found in the vocabulary, whichever it is
    enum = _some_enum_param()
    if enum is not None:
        menu, name, values = enum
        assert set(values) <= set(labels(complete(f"{menu} add {name}=")))
    # item names after set/remove
    assert "br-lan" in labels(complete(DEVICE + "/interface bridge set "))
    assert complete(DEVICE + '/ip address add comment="abc') == []  # inside a string


def _some_enum_param():
    vocab = vocabulary()
    if vocab is None:
        return None
    for path in vocab.menus:
        for name, param in menu_params(path).items():
            t = param_type(param)
            if type(t).__name__ == "Enum" and menu_commands(path) and "add" in menu_commands(path):
                return path, name, enum_values(t)
    return None


def test_complete_inside_substitution_and_block():
    text = DEVICE + ":foreach i in=[/interface bridge find ] do={ /ip address add interface="
    assert "br-lan" in labels(complete(text))
    text = DEVICE + "/ip address set [ find interface="
    assert "br-lan" in labels(complete(text))


def test_format_document_edits():
    text = "/ip address add interface=ether1 address=1.1.1.1/24\n/ip route\nadd gateway=1.1.1.254\n"
    edits = format_document(text)
    assert edits and all(isinstance(e, lsp.TextEdit) for e in edits)
    assert _apply(text, edits) == "/ip address\nadd address=1.1.1.1/24 interface=ether1\n/ip route\nadd gateway=1.1.1.254\n"
    assert format_document(_apply(text, edits)) == []
    assert format_document('/ip address add comment="x\n') is None


def test_format_range_formats_only_the_selected_commands():
    text = "/ip address\nadd interface=ether1   address=1.1.1.1/24\nadd interface=ether2 address=2.2.2.2/24\n"
    sel = lsp.Range(start=lsp.Position(line=2, character=0), end=lsp.Position(line=2, character=5))
    edits = format_range(text, sel)
    assert _apply(text, edits) == "/ip address\nadd interface=ether1   address=1.1.1.1/24\nadd address=2.2.2.2/24 interface=ether2\n"
    # a continued command is formatted whole even when one of its lines is selected
    text2 = "/ip address\nadd interface=ether1 \\\n    address=1.1.1.1/24\n/ip route\nadd   gateway=1.1.1.254\n"
    edits = format_range(text2, lsp.Range(start=lsp.Position(line=2, character=0), end=lsp.Position(line=2, character=3)))
    assert _apply(text2, edits) == "/ip address\nadd address=1.1.1.1/24 interface=ether1\n/ip route\nadd   gateway=1.1.1.254\n"
    # already formatted: nothing to do
    assert format_range("/ip address\nadd address=1.1.1.1/24\n", sel) == []


def test_format_range_refuses_when_the_output_cannot_be_isolated():
    # Formatting line 2 alone would give it its own `/ip address` header,
    # which changes the menu of line 3: nothing is changed.
    text = "/ip route\n/ip address add address=1.1.1.1/24 interface=ether1\nadd gateway=1.1.1.254\n"
    sel = lsp.Range(start=lsp.Position(line=1, character=0), end=lsp.Position(line=1, character=5))
    edits = format_range(text, sel)
    if edits is not None:  # if isolated, the meaning must be kept
        from rosc.format.equivalence import signature

        assert signature(parse_text(_apply(text, edits)).script) == signature(parse_text(text).script)
    assert format_range('/ip address add comment="x\n', sel) is None


def _apply(text: str, edits: list[lsp.TextEdit]) -> str:
    index = LineIndex(text)
    spans = sorted(((index.offset(e.range.start), index.offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


# --------------------------------------------------------------------------- lab diagnostics (in process)


def test_lab_diagnostics_are_published_for_the_files_they_concern(tmp_path, monkeypatch):
    from rosc.lsp import server as lsp_server

    (tmp_path / "lab.toml").write_text("[devices]\n")
    r1 = tmp_path / "r1.rsc"
    r2 = tmp_path / "r2.rsc"
    r1.write_text("/system identity set name=r1\n")
    r2.write_text("/system identity set name=r2\n")
    source = Source(r2.read_text(), str(r2))

    def fake_check_lab(folder):
        assert Path(folder) == tmp_path
        return [Diagnostic("LAB001", Severity.ERROR, "duplicate identity", "r2.rsc", source.span(26, 28))]

    monkeypatch.setattr(lsp_server, "_lab_checker", lambda: fake_check_lab)
    server = lsp_server.create_server(debounce_ms=0)
    published: list[lsp.PublishDiagnosticsParams] = []
    monkeypatch.setattr(server, "text_document_publish_diagnostics", published.append)
    uri = r1.as_uri()
    server.open(uri, r1.read_text(), 1)
    asyncio.run(server.check_lab(uri))
    lab = [p for p in published if p.uri.endswith("r2.rsc")]
    assert lab and [d.code for d in lab[-1].diagnostics] == ["LAB001"]
    assert lab[-1].diagnostics[0].range.start == lsp.Position(line=0, character=26)


def test_lab_module_missing_is_silent(tmp_path, monkeypatch):
    from rosc.lsp import server as lsp_server

    (tmp_path / "lab.toml").write_text("")
    (tmp_path / "r1.rsc").write_text("/system identity set name=r1\n")
    monkeypatch.setattr(lsp_server, "_lab_checker", lambda: None)
    server = lsp_server.create_server(debounce_ms=0)
    server.open((tmp_path / "r1.rsc").as_uri(), "x\n", 1)
    asyncio.run(server.check_lab((tmp_path / "r1.rsc").as_uri()))
    assert server.lab_diagnostics == {}


# --------------------------------------------------------------------------- the real server over stdio

try:
    import pytest_lsp
    from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
except ImportError:  # pragma: no cover
    pytest_lsp = None

WARN = "/system identity set \\ \n    name=x\n"  # SYN009 warning
ERR = '/system identity set name="x\n'  # SYN002 error
DEBOUNCE_MS = 60


def make_client():
    client = LanguageClient()
    client.published = []

    def on_publish(c: LanguageClient, params: lsp.PublishDiagnosticsParams):
        c.diagnostics[params.uri] = params.diagnostics
        c.published.append((params.uri, params.version, params.diagnostics, time.perf_counter()))

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: on_publish})
    return client


async def wait_published(client, uri: str, version: int | None = None, after: int = 0, timeout: float = 10.0):
    """The first diagnostics published for ``uri`` (and ``version``) after
    the ``after``-th publication."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for u, v, diags, _ in client.published[after:]:
            if u == uri and (version is None or v == version):
                return diags
        await asyncio.sleep(0.005)
    raise AssertionError(f"no diagnostics for {uri} version {version}")


if pytest_lsp is not None:

    @pytest_lsp.fixture(
        scope="module",
        config=ClientServerConfig(server_command=[sys.executable, "-m", "rosc", "lsp"], client_factory=make_client),
    )
    async def client(lsp_client: LanguageClient, tmp_path_factory):
        root = tmp_path_factory.mktemp("lsp")
        lsp_client.root = root
        lsp_client.init_result = await lsp_client.initialize_session(
            lsp.InitializeParams(
                capabilities=client_capabilities("visual-studio-code"),
                root_uri=root.as_uri(),
                initialization_options={"debounce": DEBOUNCE_MS},
            )
        )
        yield
        await lsp_client.shutdown_session()

    served = pytest.mark.asyncio(loop_scope="module")
else:  # pragma: no cover
    served = pytest.mark.skip(reason="pytest-lsp is not installed (pip install pytest-lsp)")

    @pytest.fixture
    def client():
        pytest.skip("pytest-lsp is not installed")


def open_doc(client, name: str, text: str, version: int = 1, folder: Path | None = None) -> str:
    path = (folder or client.root) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=uri, language_id="routeros", version=version, text=text))
    )
    return uri


def change(client, uri: str, version: int, text: str, rng: lsp.Range | None = None) -> None:
    event = (
        lsp.TextDocumentContentChangePartial(range=rng, text=text)
        if rng is not None
        else lsp.TextDocumentContentChangeWholeDocument(text=text)
    )
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[event]
        )
    )


@served
async def test_server_capabilities(client: LanguageClient):
    caps = client.init_result.capabilities
    assert client.init_result.server_info.name == "rosc"
    assert caps.position_encoding == lsp.PositionEncodingKind.Utf16
    assert caps.text_document_sync.change == lsp.TextDocumentSyncKind.Incremental
    assert set(caps.completion_provider.trigger_characters) >= {"/", "="}
    assert caps.hover_provider and caps.definition_provider and caps.references_provider
    assert caps.document_symbol_provider and caps.document_formatting_provider and caps.document_range_formatting_provider


@served
async def test_diagnostics_on_open_change_and_save(client: LanguageClient):
    mark = len(client.published)
    uri = open_doc(client, "diag.rsc", WARN)
    diags = await wait_published(client, uri, 1, mark)
    assert [(d.code, d.severity, d.source) for d in diags] == [("SYN009", lsp.DiagnosticSeverity.Warning, "rosc")]
    assert diags[0].range.start == lsp.Position(line=0, character=21)

    mark = len(client.published)
    change(client, uri, 2, ERR)
    diags = await wait_published(client, uri, 2, mark)
    assert [(d.code, d.severity) for d in diags] == [("SYN002", lsp.DiagnosticSeverity.Error)]

    # an incremental edit: close the quote
    mark = len(client.published)
    change(client, uri, 3, '"', lsp.Range(start=lsp.Position(line=0, character=28), end=lsp.Position(line=0, character=28)))
    assert list(await wait_published(client, uri, 3, mark)) == []

    mark = len(client.published)
    (client.root / "diag.rsc").write_text(WARN)
    change(client, uri, 4, WARN)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    diags = await wait_published(client, uri, 4, mark)
    assert [d.code for d in diags] == ["SYN009"]

    mark = len(client.published)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert list(await wait_published(client, uri, None, mark)) == []


@served
async def test_changes_are_debounced(client: LanguageClient):
    uri = open_doc(client, "debounce.rsc", WARN)
    await wait_published(client, uri, 1)
    mark = len(client.published)
    sent = time.perf_counter()
    for version in range(2, 7):
        change(client, uri, version, WARN if version % 2 else ERR)
    diags = await wait_published(client, uri, 6, mark)
    waited = time.perf_counter() - sent
    assert [d.code for d in diags] == ["SYN002"]
    await asyncio.sleep(DEBOUNCE_MS / 1000 * 2)
    versions = [v for u, v, _, _ in client.published[mark:] if u == uri]
    assert versions == [6]  # one lint for the burst of changes
    assert waited >= DEBOUNCE_MS / 1000 * 0.9


@served
async def test_configuration_from_the_nearest_rosc_toml(client: LanguageClient):
    folder = client.root / "configured"
    folder.mkdir()
    (folder / "rosc.toml").write_text('ignore = ["SYN009"]\n')
    uri = open_doc(client, "a.rsc", WARN, folder=folder)
    assert list(await wait_published(client, uri, 1)) == []


@served
async def test_completion_over_stdio(client: LanguageClient):
    text = DEVICE + "/ip address add interface="
    uri = open_doc(client, "complete.rsc", text)
    end = LineIndex(text).position(len(text))
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=end)
    )
    assert {"br-lan", "wg0"} <= set(labels(result.items))
    # after an edit the completion sees the new text at once (no debounce wait)
    change(client, uri, 2, "/", lsp.Range(start=end, end=end))
    change(client, uri, 3, "\n/ip fi", lsp.Range(start=end, end=end))
    lines = (text + "\n/ip fi").split("\n")
    result = await client.text_document_completion_async(
        lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=len(lines) - 1, character=len(lines[-1])),
        )
    )
    assert "firewall" in labels(result.items)


@served
async def test_hover_definition_references_symbols_over_stdio(client: LanguageClient):
    uri = open_doc(client, "nav.rsc", DEVICE)
    doc = lsp.TextDocumentIdentifier(uri=uri)
    at = pos(DEVICE, "address-pool=dhcp-pool", delta=15)
    hover = await client.text_document_hover_async(lsp.HoverParams(text_document=doc, position=at))
    assert "**pool** `dhcp-pool`" in hover.contents.value
    hover = await client.text_document_hover_async(lsp.HoverParams(text_document=doc, position=pos(DEVICE, "address-pool", delta=2)))
    assert "parameter of `/ip dhcp-server`" in hover.contents.value
    locations = await client.text_document_definition_async(lsp.DefinitionParams(text_document=doc, position=at))
    assert [(loc.uri, loc.range.start.line) for loc in locations] == [(uri, 10)]
    refs = await client.text_document_references_async(
        lsp.ReferenceParams(text_document=doc, position=at, context=lsp.ReferenceContext(include_declaration=True))
    )
    assert sorted(r.range.start.line for r in refs) == [10, 12, 16]
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=doc))
    assert "/interface bridge" in [s.name for s in symbols]
    assert any(c.name == "br-lan" for s in symbols for c in s.children or [])


@served
async def test_formatting_over_stdio(client: LanguageClient):
    text = "/ip address add interface=ether1 address=1.1.1.1/24\n/ip route\nadd   gateway=1.1.1.254\n"
    uri = open_doc(client, "fmt.rsc", text)
    doc = lsp.TextDocumentIdentifier(uri=uri)
    options = lsp.FormattingOptions(tab_size=4, insert_spaces=True)
    edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(text_document=doc, options=options))
    assert _apply(text, edits) == "/ip address\nadd address=1.1.1.1/24 interface=ether1\n/ip route\nadd gateway=1.1.1.254\n"
    sel = lsp.Range(start=lsp.Position(line=2, character=0), end=lsp.Position(line=2, character=3))
    edits = await client.text_document_range_formatting_async(
        lsp.DocumentRangeFormattingParams(text_document=doc, range=sel, options=options)
    )
    assert _apply(text, edits) == "/ip address add interface=ether1 address=1.1.1.1/24\n/ip route\nadd gateway=1.1.1.254\n"
    bad = open_doc(client, "bad-fmt.rsc", ERR)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(text_document=lsp.TextDocumentIdentifier(uri=bad), options=options)
    )
    assert not edits


@served
async def test_bad_config_is_reported_and_defaults_used(client: LanguageClient):
    folder = client.root / "badconfig"
    folder.mkdir()
    (folder / "rosc.toml").write_text("select = 5\n")
    uri = open_doc(client, "b.rsc", WARN, folder=folder)
    assert [d.code for d in await wait_published(client, uri, 1)] == ["SYN009"]
    assert any("rosc.toml" in m.message and m.type == lsp.MessageType.Warning for m in client.messages)


def _rpc(stream, message: dict) -> None:
    body = json.dumps(message).encode()
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stream.flush()


def _read(stream) -> dict:
    length = None
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("the server closed its output")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length))


def test_rosc_lsp_command_answers_initialize_and_exits():
    """What an editor does first, with the `rosc` command itself: initialize,
    initialized, shutdown, exit — read and written as raw JSON-RPC."""
    import shutil
    import subprocess

    exe = shutil.which("rosc") or str(Path(sys.executable).with_name("rosc"))
    command = [exe, "lsp"] if Path(exe).exists() else [sys.executable, "-m", "rosc", "lsp"]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _rpc(proc.stdin, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        reply = _read(proc.stdout)
        assert reply["id"] == 1 and reply["result"]["serverInfo"]["name"] == "rosc"
        assert reply["result"]["capabilities"]["textDocumentSync"]["change"] == 2
        _rpc(proc.stdin, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        _rpc(proc.stdin, {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
        while (reply := _read(proc.stdout)).get("id") != 2:
            pass
        assert reply["result"] is None
        _rpc(proc.stdin, {"jsonrpc": "2.0", "method": "exit", "params": None})
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# Neovim's own capabilities (as recorded by pytest-lsp): it prefers UTF-8
# positions, so columns count bytes.
if pytest_lsp is not None:

    @pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "rosc", "lsp"], client_factory=make_client))
    async def nvim_client(lsp_client: LanguageClient, tmp_path):
        lsp_client.root = tmp_path
        lsp_client.init_result = await lsp_client.initialize_session(
            lsp.InitializeParams(capabilities=client_capabilities("neovim"), initialization_options={"debounce": 0})
        )
        yield
        await lsp_client.shutdown_session()

    nvim = pytest.mark.asyncio(loop_scope="function")
else:  # pragma: no cover
    nvim = served


@nvim
async def test_neovim_utf8_positions(nvim_client: LanguageClient):
    assert nvim_client.init_result.capabilities.position_encoding == lsp.PositionEncodingKind.Utf8
    text = '# Привет\n/ip pool add comment="Привет" name="x\n'
    uri = open_doc(nvim_client, "utf8.rsc", text)
    diags = await wait_published(nvim_client, uri, 1)
    assert [d.code for d in diags] == ["SYN002"]
    line = text.split("\n")[1]
    quote = line.rindex('"')
    column = len(line[:quote].encode("utf-8"))
    assert diags[0].range.start == lsp.Position(line=1, character=column)
    # an incremental edit in byte columns: close the quote
    at = lsp.Position(line=1, character=column + 2)
    change(nvim_client, uri, 2, '"', lsp.Range(start=at, end=at))
    assert list(await wait_published(nvim_client, uri, 2)) == []
    # completion right after the multi-byte characters
    change(nvim_client, uri, 3, "/ip address add interface=", lsp.Range(start=lsp.Position(line=2, character=0), end=lsp.Position(line=2, character=0)))
    result = await nvim_client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=2, character=26))
    )
    assert result is not None
    result = await nvim_client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=2, character=16))
    )
    assert "interface" in labels(result.items)
