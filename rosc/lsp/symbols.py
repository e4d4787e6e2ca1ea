"""Document symbols (the outline): menu headers, with the named items under them."""

from __future__ import annotations

from lsprotocol import types as lsp

from rosc.lsp.document import Analysis
from rosc.lsp.symbol_index import DEFINING_VERBS, value_range
from rosc.lsp.vocabulary_queries import NAMING
from rosc.model.device import literal
from rosc.syntax.tree import (
    Command,
    Word,
)

_SYMBOL_KIND = {
    "interface": lsp.SymbolKind.Interface,
    "pool": lsp.SymbolKind.Array,
    "address-list": lsp.SymbolKind.Array,
    "interface-list": lsp.SymbolKind.Array,
    "script": lsp.SymbolKind.Function,
}


def _named_symbol(analysis: Analysis, cmd: Command) -> lsp.DocumentSymbol | None:
    if cmd.verb is None or cmd.verb.text not in DEFINING_VERBS:
        return None
    menu = cmd.menu_path
    kind, param = NAMING.get(menu, ("object", "name"))
    arg = cmd.get(param)
    if arg is None or arg.value is None:
        return None
    name = literal(arg)
    if not name:
        return None
    start, end = value_range(arg.value, name)
    return lsp.DocumentSymbol(
        name=name,
        detail=f"{menu} {cmd.verb.text}",
        kind=_SYMBOL_KIND.get(kind, lsp.SymbolKind.Object),
        range=analysis.range(cmd.start, cmd.end),
        selection_range=analysis.range(start, end),
    )


def document_symbols(analysis: Analysis) -> list[lsp.DocumentSymbol]:
    """Menu headers as namespaces, with the named items added under them."""
    out: list[lsp.DocumentSymbol] = []
    section: lsp.DocumentSymbol | None = None
    section_end = 0
    section_start = 0

    def close() -> None:
        if section is not None:
            section.range = analysis.range(section_start, section_end)

    for stmt in analysis.parse.script.body:
        if type(stmt) is not Command:
            continue
        if stmt.is_menu_change:
            close()
            section_start, section_end = stmt.start, stmt.end
            section = lsp.DocumentSymbol(
                name=stmt.menu_path,
                kind=lsp.SymbolKind.Namespace,
                range=analysis.range(stmt.start, stmt.end),
                selection_range=analysis.range(stmt.start, stmt.end),
                children=[],
            )
            out.append(section)
            continue
        symbol = _named_symbol(analysis, stmt)
        if stmt.verb is not None and stmt.verb.text in (":global", ":local") and stmt.args:
            first = stmt.args[0]
            if type(first) is Word:
                symbol = lsp.DocumentSymbol(
                    name=first.text, detail=stmt.verb.text, kind=lsp.SymbolKind.Variable,
                    range=analysis.range(stmt.start, stmt.end), selection_range=analysis.range(first.start, first.end),
                )
        if section is not None:
            section_end = stmt.end
            if symbol is not None:
                section.children.append(symbol)
        elif symbol is not None:
            out.append(symbol)
    close()
    return out
