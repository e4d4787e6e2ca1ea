"""Variables and functions in the language server (rosc.lsp.variables):
definition, references, rename, hover and completion after `$`, as unit
tests and over stdio against the real server (pytest-lsp)."""

from __future__ import annotations

import sys

import pytest
from lsprotocol import types as lsp

from rosc.lsp import variables
from rosc.lsp.document import analyze
from rosc.lsp.positions import LineIndex

# A backup script as it is written: a global shared by the file and a stored
# script (where `$` is written `\$`), a local, a function and its call.
SCRIPT = """\
:global backupCount 0
:global makeName do={ :return ("backup-" . $1) }
{
  :local stamp [/system clock get date]
  :local name [$makeName $stamp]
  /system backup save name=$name
  :set backupCount ($backupCount + 1)
  :log info "saved $name, $backupCount so far"
}
/system script add name=report source=":global backupCount\\r\\n:log info \\"backups: \\$backupCount\\""
/system scheduler add name=nightly interval=1d on-event="{\\r\\n  :local keep 7\\r\\n  :put \\$keep\\r\\n}"
"""


def pos(text: str, needle: str, nth: int = 0, delta: int = 0) -> lsp.Position:
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    return lsp.Position(line=text.count("\n", 0, at), character=at - (text.rfind("\n", 0, at) + 1))


def texts(text: str, ranges) -> list[str]:
    index = LineIndex(text)
    return [text[index.offset(r.start) : index.offset(r.end)] for r in ranges]


def lines(ranges) -> list[int]:
    return [r.start.line for r in ranges]


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    index = LineIndex(text)
    for edit in sorted(edits, key=lambda e: index.offset(e.range.start), reverse=True):
        text = text[: index.offset(edit.range.start)] + edit.new_text + text[index.offset(edit.range.end) :]
    return text


# --------------------------------------------------------------------------- units


def test_definition_of_a_local_and_of_a_global_in_a_stored_script():
    a = analyze(SCRIPT, "t.rsc")
    at = variables.definition(a, pos(SCRIPT, "name=$name", delta=7))
    assert lines(at) == [4] and texts(SCRIPT, at) == ["name"]
    # from `\$backupCount` inside the stored script to its own `:global backupCount`
    at = variables.definition(a, pos(SCRIPT, "\\$backupCount", delta=4))
    assert lines(at) == [9] and texts(SCRIPT, at) == ["backupCount"]
    # not on a variable: other navigation answers
    assert variables.definition(a, pos(SCRIPT, "/system backup", delta=3)) is None


def test_references_of_a_global_span_the_scripts_of_the_file():
    a = analyze(SCRIPT, "t.rsc")
    refs = variables.references(a, pos(SCRIPT, "backupCount", delta=1))
    assert lines(refs) == [0, 6, 6, 7, 9, 9]
    assert set(texts(SCRIPT, refs)) == {"backupCount"}
    no_decl = variables.references(a, pos(SCRIPT, "backupCount", delta=1), include_declaration=False)
    assert lines(no_decl) == [6, 6, 7, 9]


def test_references_of_a_function_include_its_calls():
    a = analyze(SCRIPT, "t.rsc")
    refs = variables.references(a, pos(SCRIPT, "$makeName", delta=3))
    assert lines(refs) == [1, 4] and texts(SCRIPT, refs) == ["makeName", "makeName"]


def test_rename_edits_code_strings_and_stored_scripts():
    a = analyze(SCRIPT, "t.rsc")
    edits = variables.rename(a, pos(SCRIPT, "backupCount", delta=2), "backups")
    out = apply(SCRIPT, edits)
    assert "backupCount" not in out
    assert ':log info "saved $name, $backups so far"' in out
    assert 'source=":global backups\\r\\n:log info \\"backups: \\$backups\\""' in out
    # the result still means the same: the stored script reads the renamed global
    b = analyze(out, "t.rsc")
    scripts = variables.scripts_of(b)
    decls, uses = scripts.same_variable(scripts.globals_named("backups")[0])
    assert len(decls) == 2 and len(uses) == 4


def test_rename_refuses_what_would_break_the_script():
    a = analyze(SCRIPT, "t.rsc")
    at = pos(SCRIPT, "$stamp", delta=2)
    with pytest.raises(variables.RenameError, match="not a variable name"):
        variables.rename(a, at, "my-stamp")
    with pytest.raises(variables.RenameError, match="keyword"):
        variables.rename(a, at, "in")
    with pytest.raises(variables.RenameError, match="already declared"):
        variables.rename(a, at, "name")
    assert variables.prepare_rename(a, pos(SCRIPT, "/system backup", delta=3)) is None
    assert texts(SCRIPT, [variables.prepare_rename(a, at)]) == ["stamp"]


def test_hover_says_what_a_name_is():
    a = analyze(SCRIPT, "t.rsc")
    text = variables.hover(a, pos(SCRIPT, "$name", delta=2)).contents.value
    assert "**local variable `name`**" in text and "declared at line 5" in text and "read 2 times" in text
    text = variables.hover(a, pos(SCRIPT, "makeName", delta=2)).contents.value
    assert "**function `makeName`** (global)" in text and "arguments it reads: `$1`" in text
    text = variables.hover(a, pos(SCRIPT, "backupCount", delta=2)).contents.value
    assert "declared in 2 places" in text and "the script `report` (line 10)" in text
    hook = '/ip dhcp-server add name=d interface=ether2 lease-script=":log info \\$leaseActIP"\n'
    text = variables.hover(analyze(hook, "t.rsc"), pos(hook, "leaseActIP", delta=2)).contents.value
    assert "provided by `/ip dhcp-server` to its `lease-script=` script" in text


def test_completion_offers_the_names_in_scope_after_dollar():
    text = SCRIPT.replace('  :log info "saved', '  :put $\n  :log info "saved')
    a = analyze(text, "t.rsc")
    items = variables.completions(a, pos(text, ":put $\n", delta=6))
    assert [i.label for i in items] == ["name", "stamp", "makeName", "backupCount"]
    assert items[0].kind == lsp.CompletionItemKind.Variable and items[2].kind == lsp.CompletionItemKind.Function
    # a prefix filters, and the edit replaces it
    text2 = SCRIPT.replace('  :log info "saved', '  :put $st\n  :log info "saved')
    items = variables.completions(analyze(text2, "t.rsc"), pos(text2, "$st\n", delta=3))
    assert [i.label for i in items] == ["stamp"] and texts(text2, [items[0].text_edit.range]) == ["st"]
    # inside a scheduler's script only its own names (and never the file's locals)
    text3 = SCRIPT.replace(":put \\$keep", ":put \\$")
    items = variables.completions(analyze(text3, "t.rsc"), pos(text3, ":put \\$\\r", delta=7))
    assert [i.label for i in items] == ["keep"]
    # not after `$`: the other completions answer
    assert variables.completions(a, pos(text, "/system backup", delta=4)) is None


def test_completion_in_a_hook_offers_its_variables():
    text = '/ppp profile add name=p on-up=":log info \\$"\n'
    items = variables.completions(analyze(text, "t.rsc"), pos(text, '\\$"', delta=2))
    assert {"user", "remote-address", "caller-id"} <= {i.label for i in items}
    quoted = next(i for i in items if i.label == "remote-address")
    assert quoted.text_edit.new_text == '"remote-address"'


# --------------------------------------------------------------------------- over stdio

try:
    import pytest_lsp
    from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
except ImportError:  # pragma: no cover
    pytest_lsp = None

if pytest_lsp is not None:

    @pytest_lsp.fixture(
        scope="module",
        config=ClientServerConfig(server_command=[sys.executable, "-m", "rosc", "lsp"]),
    )
    async def client(lsp_client: LanguageClient, tmp_path_factory):
        root = tmp_path_factory.mktemp("lsp-variables")
        lsp_client.root = root
        lsp_client.init_result = await lsp_client.initialize_session(
            lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"), root_uri=root.as_uri())
        )
        yield
        await lsp_client.shutdown_session()

    served = pytest.mark.asyncio(loop_scope="module")
else:  # pragma: no cover
    served = pytest.mark.skip(reason="pytest-lsp is not installed")

    @pytest.fixture
    def client():
        pytest.skip("pytest-lsp is not installed")


def _open(client, name: str, text: str) -> lsp.TextDocumentIdentifier:
    path = client.root / name
    path.write_text(text, encoding="utf-8")
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=path.as_uri(), language_id="routeros", version=1, text=text))
    )
    return lsp.TextDocumentIdentifier(uri=path.as_uri())


@served
async def test_rename_is_advertised(client):
    caps = client.init_result.capabilities
    assert caps.rename_provider.prepare_provider is True
    assert "$" in caps.completion_provider.trigger_characters


@served
async def test_definition_and_references_over_stdio(client):
    doc = _open(client, "vars.rsc", SCRIPT)
    at = pos(SCRIPT, "\\$backupCount", delta=4)
    locations = await client.text_document_definition_async(lsp.DefinitionParams(text_document=doc, position=at))
    assert [(loc.uri, loc.range.start.line) for loc in locations] == [(doc.uri, 9)]
    assert texts(SCRIPT, [loc.range for loc in locations]) == ["backupCount"]
    refs = await client.text_document_references_async(
        lsp.ReferenceParams(text_document=doc, position=at, context=lsp.ReferenceContext(include_declaration=True))
    )
    assert lines(r.range for r in refs) == [0, 6, 6, 7, 9, 9]
    # named objects still navigate as before
    text = "/ip pool add name=p1 ranges=10.0.0.2-10.0.0.9\n/ip dhcp-server add address-pool=p1 interface=ether2 name=d1\n"
    doc2 = _open(client, "objects.rsc", text)
    locations = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=doc2, position=pos(text, "address-pool=p1", delta=14))
    )
    assert [loc.range.start.line for loc in locations] == [0]


@served
async def test_rename_over_stdio(client):
    doc = _open(client, "rename.rsc", SCRIPT)
    at = pos(SCRIPT, "$stamp", delta=3)
    prepared = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(text_document=doc, position=at))
    assert texts(SCRIPT, [prepared]) == ["stamp"]
    edit = await client.text_document_rename_async(lsp.RenameParams(text_document=doc, position=at, new_name="today"))
    out = apply(SCRIPT, edit.changes[doc.uri])
    assert ":local today [/system clock get date]" in out and "[$makeName $today]" in out
    with pytest.raises(Exception, match="not a variable name"):
        await client.text_document_rename_async(lsp.RenameParams(text_document=doc, position=at, new_name="to-day"))


@served
async def test_completion_and_hover_over_stdio(client):
    text = SCRIPT.replace('  :log info "saved', '  :put $\n  :log info "saved')
    doc = _open(client, "complete-vars.rsc", text)
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=doc, position=pos(text, ":put $\n", delta=6))
    )
    assert [i.label for i in result.items] == ["name", "stamp", "makeName", "backupCount"]
    doc = _open(client, "hover-vars.rsc", SCRIPT)
    hover = await client.text_document_hover_async(lsp.HoverParams(text_document=doc, position=pos(SCRIPT, "$stamp", delta=2)))
    assert "**local variable `stamp`**" in hover.contents.value
