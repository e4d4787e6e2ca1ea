"""One open document: its text, the last parse and lint of it (``Analysis``), and
the edits since, applied as the client sends them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from lsprotocol import types as lsp

from rosc.lint.config import Config
from rosc.lint.engine import LintResult
from rosc.lint.incremental import lint_recorded, relint
from rosc.lsp.diagnostics import to_lsp_diagnostic
from rosc.lsp.incremental import reparse_region
from rosc.lsp.positions import UTF16, LineIndex
from rosc.lsp.symbol_index import SymbolIndex
from rosc.syntax.parser import ParseResult, parse_bytes, parse_text
from rosc.syntax.source import BOM, encode_text, wide_encoding


@dataclass(slots=True)
class Edit:
    """The text differs from the last parsed one only in ``old[start:old_end]``
    → ``new[start:new_end]``."""

    start: int
    old_end: int
    new_end: int

    def then(self, start: int, end: int, inserted: int) -> "Edit":
        """Compose with a later edit that replaced ``[start, end)`` of the
        current text by ``inserted`` characters."""
        shift = self.new_end - self.old_end
        top = max(self.new_end, end)
        return Edit(min(self.start, start), top - shift, top + inserted - (end - start))


def parse_full(text: str, path: str) -> tuple[ParseResult, int]:
    """Parse the whole text; the second item is 1 when the text starts with
    a byte order mark (rosc's offsets then start after it)."""
    if text.startswith(BOM) or "\0" in text:
        try:
            data = encode_text(text)
            # offsets must stay the editor's: never re-decode its text as UTF-16/32
            if wide_encoding(data) is None:
                return parse_bytes(data, path), 1 if text.startswith(BOM) else 0
        except UnicodeEncodeError:
            pass
    return parse_text(text, path), 0


class Analysis:
    """One parsed (and, once asked, linted) version of a document."""

    def __init__(self, text: str, path: str, parse: ParseResult, base: int = 0, encoding: str = UTF16):
        self.text = text
        self.path = path
        self.parse = parse
        self.base = base
        self.index = LineIndex(text, encoding, parse.source.line_starts if base == 0 else None)
        self.lint: LintResult | None = None
        self.config: Config | None = None
        self.incremental = False  # made by reparse()
        self.previous: LintResult | None = None  # the lint of the text before the edit, with its region
        self.region = None
        self.relinted = False  # the lint was made from the previous one (rosc.lint.incremental)
        self.lsp_cache: dict = {}  # finding -> (its protocol diagnostic, the text of its lines)

    # -- positions (document offsets include a byte order mark; rosc's do not)
    def offset(self, position: lsp.Position) -> int:
        return max(0, self.index.offset(position) - self.base)

    def range(self, start: int, end: int) -> lsp.Range:
        return self.index.range(start + self.base, end + self.base)

    def run_lint(self, config: Config | None = None) -> LintResult:
        if self.lint is None or self.config is not config:
            lint = None
            if self.previous is not None and self.region is not None:
                lint = relint(self.previous, self.parse, self.region, config)
            self.relinted = lint is not None
            self.lint = lint if lint is not None else lint_recorded(self.parse, config)
            self.previous = self.region = None
            self.config = config
            self.__dict__.pop("symbols", None)
        return self.lint

    @property
    def device(self):
        if self.lint is not None and self.lint.run is not None:
            return self.lint.device
        return self._device

    @cached_property
    def _device(self):
        from rosc.model.builder import build_device

        return build_device(self.parse)

    @property
    def target(self):
        """The RouterOS version the document is checked against (its settings'
        or its export header's; None: every version)."""
        if self.lint is not None and self.lint.run is not None:
            return self.lint.run.target
        from rosc.lint.engine import target_of

        return target_of(self.parse, self.config or Config())

    @cached_property
    def symbols(self) -> SymbolIndex:
        return SymbolIndex(self.parse, self.device)

    @cached_property
    def top_starts(self) -> list[int]:
        return [s.start for s in self.parse.script.body]

    def lsp_diagnostics(self, config: Config | None = None) -> list[lsp.Diagnostic]:
        """The lint's findings as protocol diagnostics.  Those the previous
        analysis converted already (``lsp_cache``: the same finding at the
        same line and column, on lines whose text is the same) are reused:
        after a one-line edit, nearly all of them."""
        diagnostics = self.run_lint(config).diagnostics
        if self.base:
            return [to_lsp_diagnostic(d, self.index, self.base) for d in diagnostics]
        old, new, out = self.lsp_cache, {}, []
        line_text = self.parse.source.line_text
        for d in diagnostics:
            span = d.span
            key = (d.code, d.severity, d.message, tuple(d.notes), d.fix, span.line, span.column, span.end_line, span.end_column)
            lines = (line_text(span.line), line_text(span.end_line))
            found = old.get(key)
            if found is None or found[1] != lines:
                found = (to_lsp_diagnostic(d, self.index), lines)
            new[key] = found
            out.append(found[0])
        self.lsp_cache = new
        return out


def analyze(text: str, path: str = "<buffer>", encoding: str = UTF16) -> Analysis:
    parse, base = parse_full(text, path)
    return Analysis(text, path, parse, base, encoding)


class Document:
    """The server's copy of one open file, kept in step with the editor."""

    def __init__(self, uri: str, path: str, text: str, version: int | None = None, encoding: str = UTF16, incremental: bool = True):
        self.uri = uri
        self.path = path
        self.text = text
        self.version = version
        self.encoding = str(encoding)
        self.incremental = incremental
        self.analysis: Analysis | None = None
        self._index: LineIndex | None = None
        self._edit: Edit | None = None  # since self.analysis, when known
        self._stale = True

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            if self.analysis is not None and self.analysis.text is self.text:
                self._index = self.analysis.index
            else:
                self._index = LineIndex(self.text, self.encoding)
        return self._index

    def apply_change(self, change, version: int | None = None) -> None:
        """Apply one ``TextDocumentContentChangeEvent`` (a range edit or the whole text)."""
        rng = getattr(change, "range", None)
        if rng is None:
            self.text = change.text
            self._edit = None
            self._stale = True
        else:
            index = self.index
            start, end = index.offset(rng.start), index.offset(rng.end)
            if end < start:
                start, end = end, start
            self.text = self.text[:start] + change.text + self.text[end:]
            if not self._stale or self._edit is not None:
                if self._edit is None:
                    self._edit = Edit(start, end, start + len(change.text))
                else:
                    self._edit = self._edit.then(start, end, len(change.text))
            self._stale = True
        self._index = None
        if version is not None:
            self.version = version

    def set_text(self, text: str, version: int | None = None) -> None:
        self.apply_change(lsp.TextDocumentContentChangeWholeDocument(text=text), version)

    def parsed(self) -> Analysis:
        """The analysis of the current text (parsing only what changed)."""
        if self.analysis is not None and not self._stale:
            return self.analysis
        analysis = None
        old = self.analysis
        if self.incremental and old is not None and self._edit is not None and old.base == 0:
            e = self._edit
            previous = old.lint if old.lint is not None and old.lint.record is not None else None
            found = reparse_region(old.parse, self.text, e.start, e.old_end, e.new_end)
            if found is not None:
                analysis = Analysis(self.text, self.path, found[0], 0, self.encoding)
                analysis.incremental = True
                analysis.lsp_cache = old.lsp_cache
                if previous is not None:
                    analysis.previous, analysis.region = previous, found[1]
        if analysis is None:
            analysis = analyze(self.text, self.path, self.encoding)
        self.analysis = analysis
        self._stale = False
        self._edit = None  # edits are tracked relative to this analysis from now on
        self._index = analysis.index
        return analysis

    def linted(self, config: Config | None = None) -> Analysis:
        analysis = self.parsed()
        analysis.run_lint(config)
        return analysis

    def lsp_diagnostics(self, config: Config | None = None) -> list[lsp.Diagnostic]:
        return self.linted(config).lsp_diagnostics(config)
