"""Go to definition and find references for named objects."""

from __future__ import annotations

from lsprotocol import types as lsp

from rosc.lsp.document import Analysis


def definition(analysis: Analysis, position: lsp.Position) -> list[lsp.Range]:
    site = analysis.symbols.at(analysis.offset(position))
    if site is None:
        return []
    return [analysis.range(d.start, d.end) for d in analysis.symbols.definitions(site.kind, site.name)]


def references(analysis: Analysis, position: lsp.Position, include_declaration: bool = True) -> list[lsp.Range]:
    site = analysis.symbols.at(analysis.offset(position))
    if site is None:
        return []
    symbols = analysis.symbols
    sites = symbols.references(site.kind, site.name)
    if include_declaration:
        sites = sorted(sites + symbols.definitions(site.kind, site.name), key=lambda s: s.start)
    return [analysis.range(s.start, s.end) for s in sites]
