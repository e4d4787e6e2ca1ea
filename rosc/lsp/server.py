"""``rosc lsp``: the language server (LSP over stdio) for editors.

What it does, per open ``.rsc`` file:

* diagnostics — the findings of ``rosc lint`` (same rule ids as ``code``,
  ``source: "rosc"``, notes and suggested fix appended to the message) on
  open, on save, and while typing, ``debounce`` milliseconds after the last
  change (150 by default).  Settings come from the nearest ``rosc.toml`` or
  ``pyproject.toml`` with ``[tool.rosc]``, as for ``rosc lint``.  When a
  ``lab.toml`` is found in a parent folder, the cross-device findings of
  ``rosc.lab.runner.check_lab`` are published too (on open and save: the lab
  checks read the saved files);
* completion — menu paths, commands, parameter names, enum values and the
  names of defined objects;
* hover, go to definition, find references, document symbols; for the
  variables and functions of scripts also rename, and completion of the
  names in scope after ``$`` (``rosc.lsp.variables``);
* formatting (whole document and range) through ``rosc fmt``'s formatter.

The logic lives in one module per feature (``rosc.lsp.completion``,
``hover``, ``navigation``, ``symbols``, ``formatting``, ``diagnostics``) over
``rosc.lsp.document``; this module wires them to pygls.

Initialization options (all optional)::

    {"debounce": 150,        # ms to wait after the last change before linting
     "incremental": true,    # re-parse only the changed statements
     "lab": true}            # publish lab.toml cross-device findings

``ROSC_LSP_DEBOUNCE_MS`` in the environment sets the default debounce.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import time
from dataclasses import replace
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from rosc import __version__
from rosc.lint.config import Config, ConfigError, find_config, load_config
from rosc.lsp.completion import completions
from rosc.lsp.diagnostics import to_lsp_diagnostic
from rosc.lsp.document import Document
from rosc.lsp.formatting import format_document, format_range
from rosc.lsp.hover import hover as hover_at
from rosc.lsp.navigation import definition as definition_at, references as references_at
from rosc.lsp.positions import LineIndex, UTF16
from rosc.lsp.protocol import RoscProtocol
from rosc.lsp.symbols import document_symbols
from rosc.lsp import variables

log = logging.getLogger("rosc.lsp")

DEFAULT_DEBOUNCE_MS = 150
GC_IDLE_SECONDS = 3.0
TRIGGER_CHARACTERS = ["/", "=", ",", " ", "$"]


def _lab_checker():
    """``rosc.lab.runner.check_lab`` when that module exists, else None."""
    try:
        from rosc.lab.runner import check_lab
    except ImportError:
        return None
    return check_lab


class RoscLanguageServer(LanguageServer):
    def __init__(self, debounce_ms: float | None = None, incremental: bool = True, target_version=None) -> None:
        super().__init__(
            "rosc", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental, protocol_cls=RoscProtocol
        )
        if debounce_ms is None:
            try:
                debounce_ms = float(os.environ.get("ROSC_LSP_DEBOUNCE_MS", DEFAULT_DEBOUNCE_MS))
            except ValueError:
                debounce_ms = DEFAULT_DEBOUNCE_MS
        self.debounce = max(0.0, debounce_ms) / 1000
        self.incremental = incremental
        self.target_version = target_version  # `rosc lsp --target-version`: wins over the settings
        self.lab_enabled = True
        self.docs: dict[str, Document] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._configs: dict[Path | None, tuple[float, Config]] = {}
        self._config_warned: set[tuple[Path, float]] = set()
        self.lab_diagnostics: dict[str, list[lsp.Diagnostic]] = {}  # uri → lab findings
        self._lab_uris: dict[Path, set[str]] = {}  # lab folder → uris it published to
        self.lint_times: list[float] = []  # seconds per lint-and-publish, newest last
        self.manage_gc = False  # serve() turns it on: it changes the whole process
        self._gc_timer: asyncio.TimerHandle | None = None

    # -- documents
    @property
    def encoding(self) -> str:
        caps = getattr(self.protocol, "server_capabilities", None)
        encoding = getattr(caps, "position_encoding", None) if caps is not None else None
        return str(encoding or UTF16)

    def open(self, uri: str, text: str, version: int | None) -> Document:
        path = _path_of(uri)
        doc = Document(uri, path or uri, text, version, self.encoding, self.incremental)
        self.docs[uri] = doc
        return doc

    def config_for(self, doc: Document) -> Config:
        """The settings of the nearest rosc.toml / pyproject.toml (cached by mtime)."""
        start = Path(doc.path).parent if _path_of(doc.uri) else Path.cwd()
        try:
            path = find_config(start)
        except OSError:
            path = None
        try:
            mtime = path.stat().st_mtime if path is not None else 0.0
        except OSError:
            mtime = 0.0
        cached = self._configs.get(path)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        try:
            config = load_config(path)
        except ConfigError as exc:
            config = Config()
            if (path, mtime) not in self._config_warned:
                self._config_warned.add((path, mtime))
                self.window_show_message(
                    lsp.ShowMessageParams(type=lsp.MessageType.Warning, message=f"rosc: {exc}; using the default settings")
                )
        if self.target_version is not None:
            config = replace(config, target_version=self.target_version, target_origin="--target-version")
        self._configs[path] = (mtime, config)
        return config

    # -- diagnostics
    def lint_and_publish(self, uri: str) -> None:
        self._timers.pop(uri, None)
        doc = self.docs.get(uri)
        if doc is None:
            return
        started = time.perf_counter()
        paused = self.manage_gc and gc.isenabled()
        if paused:  # no collection in the middle; at the end, the lint's objects are frozen before one can start
            gc.disable()
        try:
            diagnostics = doc.lsp_diagnostics(self.config_for(doc))
        except Exception:  # never let one file's bug take the server down
            log.exception("rosc: linting %s failed", uri)
            return
        finally:
            if paused:
                gc.freeze()
                gc.enable()
        self.publish(uri, diagnostics, doc.version)
        self.lint_times.append(time.perf_counter() - started)
        del self.lint_times[:-100]
        self._after_lint()

    def _after_lint(self) -> None:
        """Keep the garbage collector's full passes away from typing.

        A 5,000-line file is some 30,000 long-lived tree nodes; each full
        (generation 2) pass over them costs ~50 ms, and the allocations of a
        lint trigger one every few edits.  So after each lint the live
        objects are frozen (moved out of the collector's sight; the tree is
        acyclic and freed by reference counting anyway), and a real
        collection runs once the editor has been quiet for a few seconds."""
        if not self.manage_gc:
            return
        gc.freeze()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if self._gc_timer is not None:
            self._gc_timer.cancel()
        self._gc_timer = loop.call_later(GC_IDLE_SECONDS, self._collect_when_idle)

    def _collect_when_idle(self) -> None:
        self._gc_timer = None
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def apply_changes(self, params: lsp.DidChangeTextDocumentParams) -> str | None:
        """Bring the server's copy of a document up to date, applying the
        changes at exactly the positions the editor sent; returns its uri
        (None for a document that was never opened: there is no text to
        change, and pygls's workspace copy is not kept in step)."""
        uri = params.text_document.uri
        doc = self.docs.get(uri)
        if doc is None:
            log.warning("rosc: a change to %s, which is not open", uri)
            return None
        for change in params.content_changes:
            doc.apply_change(change)
        doc.version = params.text_document.version
        return uri

    def publish(self, uri: str, own: list[lsp.Diagnostic], version: int | None = None) -> None:
        lab = self.lab_diagnostics.get(uri, [])
        if lab:
            seen = {(d.code, d.range.start.line, d.message) for d in own}
            own = own + [d for d in lab if (d.code, d.range.start.line, d.message) not in seen]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=own, version=version))

    def schedule(self, uri: str, delay: float | None = None) -> None:
        """Lint ``uri`` after ``delay`` seconds (the debounce), cancelling any
        lint already waiting for it."""
        old = self._timers.pop(uri, None)
        if old is not None:
            old.cancel()
        loop = asyncio.get_running_loop()
        self._timers[uri] = loop.call_later(self.debounce if delay is None else delay, self.lint_and_publish, uri)

    def cancel(self, uri: str) -> None:
        old = self._timers.pop(uri, None)
        if old is not None:
            old.cancel()

    # -- lab
    async def check_lab(self, uri: str) -> None:
        check_lab = _lab_checker()
        path = _path_of(uri)
        if check_lab is None or not self.lab_enabled or not path:
            return
        folder = _find_lab(Path(path))
        if folder is None:
            return
        try:
            found = await asyncio.to_thread(check_lab, folder)
        except Exception:
            log.exception("rosc: lab checks of %s failed", folder)
            return
        by_uri: dict[str, list[lsp.Diagnostic]] = {}
        indexes: dict[str, LineIndex] = {}
        for d in found or ():
            target = Path(d.path)
            if not target.is_absolute():
                target = folder / target if (folder / target).exists() else Path.cwd() / target
            target_uri = from_fs_path(str(target.resolve())) or str(target)
            doc = self.docs.get(target_uri)
            index = indexes.get(target_uri)
            if index is None:
                if doc is not None:
                    index = doc.index
                else:
                    try:
                        index = LineIndex(target.read_text(encoding="utf-8", errors="surrogateescape"), self.encoding)
                    except OSError:
                        index = LineIndex("", self.encoding)
                indexes[target_uri] = index
            by_uri.setdefault(target_uri, []).append(to_lsp_diagnostic(d, index))
        before = self._lab_uris.get(folder, set())
        self._lab_uris[folder] = set(by_uri)
        for target_uri in before | set(by_uri):
            self.lab_diagnostics[target_uri] = by_uri.get(target_uri, [])
            doc = self.docs.get(target_uri)
            if doc is not None:
                self.lint_and_publish(target_uri)
            else:
                self.publish(target_uri, [], None)


def _path_of(uri: str) -> str | None:
    if not uri.startswith("file:"):
        return None
    try:
        return to_fs_path(uri)
    except Exception:
        return None


def _find_lab(path: Path) -> Path | None:
    for folder in path.resolve().parents:
        if (folder / "lab.toml").is_file():
            return folder
    return None


def create_server(debounce_ms: float | None = None, incremental: bool = True, target_version=None) -> RoscLanguageServer:
    server = RoscLanguageServer(debounce_ms, incremental, target_version)

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: RoscLanguageServer, params: lsp.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict):
            if "debounce" in options:
                try:
                    ls.debounce = max(0.0, float(options["debounce"])) / 1000
                except (TypeError, ValueError):
                    pass
            if "incremental" in options:
                ls.incremental = bool(options["incremental"])
            if "lab" in options:
                ls.lab_enabled = bool(options["lab"])

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: RoscLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        ls.open(item.uri, item.text, item.version)
        ls.lint_and_publish(item.uri)
        await ls.check_lab(item.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: RoscLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        uri = ls.apply_changes(params)
        if uri is not None:
            ls.schedule(uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    async def did_save(ls: RoscLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if params.text is not None and uri in ls.docs:
            ls.docs[uri].set_text(params.text)
        ls.cancel(uri)
        ls.lint_and_publish(uri)
        await ls.check_lab(uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: RoscLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.cancel(uri)
        ls.docs.pop(uri, None)
        ls.publish(uri, [], None)  # keeps only lab findings, as for any file not open

    def _doc(ls: RoscLanguageServer, uri: str) -> Document | None:
        return ls.docs.get(uri)

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS))
    def completion(ls: RoscLanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        doc = _doc(ls, params.text_document.uri)
        if doc is None:
            return None
        analysis = doc.parsed()
        items = variables.completions(analysis, params.position)
        if items is None:
            items = completions(analysis, params.position)
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: RoscLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        doc = _doc(ls, params.text_document.uri)
        if doc is None:
            return None
        analysis = doc.parsed()
        return variables.hover(analysis, params.position) or hover_at(analysis, params.position)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: RoscLanguageServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
        doc = _doc(ls, params.text_document.uri)
        if doc is None:
            return None
        analysis = doc.parsed()
        ranges = variables.definition(analysis, params.position)
        if ranges is None:
            ranges = definition_at(analysis, params.position)
        return [lsp.Location(uri=doc.uri, range=r) for r in ranges] or None

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls: RoscLanguageServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
        doc = _doc(ls, params.text_document.uri)
        if doc is None:
            return None
        include = params.context.include_declaration if params.context is not None else True
        analysis = doc.parsed()
        ranges = variables.references(analysis, params.position, include)
        if ranges is None:
            ranges = references_at(analysis, params.position, include)
        return [lsp.Location(uri=doc.uri, range=r) for r in ranges] or None

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: RoscLanguageServer, params: lsp.PrepareRenameParams) -> lsp.Range | None:
        doc = _doc(ls, params.text_document.uri)
        return variables.prepare_rename(doc.parsed(), params.position) if doc is not None else None

    @server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
    def rename(ls: RoscLanguageServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        doc = _doc(ls, params.text_document.uri)
        if doc is None:
            return None
        try:
            edits = variables.rename(doc.parsed(), params.position, params.new_name)
        except variables.RenameError as exc:
            raise JsonRpcInvalidParams(f"rosc: {exc}") from None
        return lsp.WorkspaceEdit(changes={doc.uri: edits})

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: RoscLanguageServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        doc = _doc(ls, params.text_document.uri)
        return document_symbols(doc.parsed()) if doc is not None else []

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: RoscLanguageServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        doc = _doc(ls, params.text_document.uri)
        if doc is None:
            return None
        edits = format_document(doc.text, doc.path, ls.encoding)
        if edits is None:
            ls.window_log_message(
                lsp.LogMessageParams(type=lsp.MessageType.Warning, message="rosc: not formatted: fix the syntax errors first")
            )
        return edits

    @server.feature(lsp.TEXT_DOCUMENT_RANGE_FORMATTING)
    def range_formatting(ls: RoscLanguageServer, params: lsp.DocumentRangeFormattingParams) -> list[lsp.TextEdit] | None:
        doc = _doc(ls, params.text_document.uri)
        if doc is None:
            return None
        edits = format_range(doc.text, params.range, doc.path, ls.encoding)
        if edits is None:
            ls.window_log_message(
                lsp.LogMessageParams(
                    type=lsp.MessageType.Info,
                    message="rosc: the selection cannot be formatted on its own (syntax errors, or formatting it "
                    "would change the menu of the lines after it); format the whole document instead",
                )
            )
        return edits

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: RoscLanguageServer, params: None) -> None:
        for uri in list(ls._timers):
            ls.cancel(uri)

    return server


def serve(target_version=None) -> None:
    """Run the server over stdin/stdout until the editor says exit
    (``target_version``: check every document against this RouterOS version)."""
    logging.basicConfig(level=os.environ.get("ROSC_LSP_LOG", "WARNING").upper(), format="rosc-lsp %(levelname)s %(message)s")
    server = create_server(target_version=target_version)
    server.manage_gc = True
    server.start_io()
