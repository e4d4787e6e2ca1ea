"""Benchmark: how soon after a one-line edit fresh diagnostics are available.

A generated 5,000-line export (bench/generate.py) is opened; then, many
times, one line in it is edited (a space added after, or removed from, the
line-continuation backslash of a rule in the middle of the file: this turns
a SYN009 warning on and off, so every edit changes the diagnostics).

Two measurements:

* server path (in process): apply the change to the server's copy of the
  document, lint (re-parsing only the changed statements and re-linting
  from the last lint, rosc.lint.incremental; or the whole file with
  --no-incremental), convert to protocol diagnostics and encode the
  publishDiagnostics message as JSON.  No debounce.  The incremental
  path's time is split by phase (``PHASES``).
* end to end (over stdio): a pygls client runs ``python -m rosc lsp``,
  sends ``textDocument/didChange`` and waits for the
  ``textDocument/publishDiagnostics`` of that version.  Run with a debounce
  of 0 ms and of 150 ms (the default); "minus debounce" subtracts the delay.

    python bench/lsp_latency.py [--lines 5000] [--edits 40] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_export  # noqa: E402

from lsprotocol import types as lsp  # noqa: E402


def make_text(lines: int) -> str:
    # generate_export(n): n/2 one-line address-list entries, n/2 three-line rules
    return generate_export(max(2, round(lines / 2)))


def edit_lines(text: str, count: int) -> list[int]:
    """0-based lines ending with a continuation backslash, around the middle."""
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if line.endswith("\\")]
    middle = len(candidates) // 2
    return candidates[middle : middle + count] or candidates[:count]


def toggle(text_lines: list[str], line: int) -> lsp.TextDocumentContentChangePartial:
    """Add a space after the backslash of ``line``, or take it away."""
    current = text_lines[line]
    if current.endswith("\\ "):
        change = lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=line, character=len(current) - 1), end=lsp.Position(line=line, character=len(current))),
            text="",
        )
        text_lines[line] = current[:-1]
    else:
        change = lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=line, character=len(current)), end=lsp.Position(line=line, character=len(current))),
            text=" ",
        )
        text_lines[line] = current + " "
    return change


def summary(samples: list[float]) -> dict:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return {"median": statistics.median(ms), "p95": p95, "max": ms[-1], "n": len(ms)}


# ---------------------------------------------------------------- in process

# Where the server path's time goes (medians, ms): the incremental re-parse;
# the rules marked local, run on the edited statements; the model, rebuilt when
# some other rule must run again; those other rules (all of them when the lint
# could not be made from the last one); the rest: suppressions, sorting,
# conversion to protocol diagnostics, the JSON encoding; and how many rules
# ran again (-1: a whole lint).
PHASES = ("re-parse", "local rules", "model", "other rules", "rest", "rules re-run")


def server_path(text: str, edits: int, incremental: bool) -> dict:
    """The server's own didChange → lint → publish path, in this process,
    without the debounce: ``RoscLanguageServer.apply_changes`` then
    ``lint_and_publish``, with the publication encoded as JSON."""
    from pygls.protocol import default_converter

    from rosc.lsp.document import Document
    from rosc.lsp.server import create_server

    converter = default_converter()
    server = create_server(debounce_ms=0, incremental=incremental)
    server.manage_gc = True  # as `rosc lsp` runs
    sent: list[str] = []
    server.text_document_publish_diagnostics = lambda params: sent.append(json.dumps(converter.unstructure(params)))
    folder = Path(tempfile.mkdtemp(prefix="rosc-bench-"))
    uri = (folder / "bench.rsc").as_uri()
    server.open(uri, text, 1)
    server.lint_and_publish(uri)  # as on open
    lines = text.split("\n")
    samples, parse_only, used_incremental, relinted = [], [], 0, 0
    phases: dict[str, list[float]] = {k: [] for k in PHASES}
    for version, line in enumerate(edit_lines(text, edits) * 2, start=2):  # on, then off again
        change = toggle(lines, line)
        params = lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]
        )
        before = len(sent)
        started = time.perf_counter()
        server.apply_changes(params)
        server.docs[uri].parsed()  # what lint_and_publish does first, timed on its own
        parsed = time.perf_counter()
        server.lint_and_publish(uri)
        done = time.perf_counter()
        samples.append(done - started)
        assert len(sent) == before + 1 and f'"version": {version}' in sent[-1]
        doc = server.docs[uri]
        used_incremental += doc.analysis.incremental
        relinted += doc.analysis.relinted
        stats = (doc.analysis.lint.record.stats if doc.analysis.relinted else {}) or {}
        phases["re-parse"].append(parsed - started)
        phases["local rules"].append(stats.get("local", 0.0))
        phases["model"].append(stats.get("build", 0.0))
        phases["other rules"].append(stats.get("cross", 0.0))
        lint = sum(stats.get(k, 0.0) for k in ("local", "build", "cross"))
        if not doc.analysis.relinted:  # a whole lint: its time is all in "other rules"
            lint = 0.0
        phases["rest"].append(done - parsed - lint)
        phases["rules re-run"].append(stats.get("rerun", -1) / 1000)  # (a count, stored as "ms")
        other = Document("file:///b.rsc", "/b.rsc", doc.text, incremental=False)  # a full parse alone
        t = time.perf_counter()
        other.parsed()
        parse_only.append(time.perf_counter() - t)
    out = summary(samples)
    out["incremental_edits"] = used_incremental
    out["relinted_edits"] = relinted
    out["phases_median"] = {k: statistics.median(v) * 1000 for k, v in phases.items()}
    out["full_parse_median"] = statistics.median(parse_only) * 1000
    return out


# ---------------------------------------------------------------- over stdio


async def end_to_end(text: str, edits: int, debounce_ms: float, incremental: bool) -> dict:
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("rosc-bench", "1")
    arrived: dict[int, float] = {}
    waiting: dict[int, asyncio.Future] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(ls: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
        now = time.perf_counter()
        if params.version is not None:
            arrived.setdefault(params.version, now)
            future = waiting.pop(params.version, None)
            if future is not None and not future.done():
                future.set_result(now)

    folder = Path(tempfile.mkdtemp(prefix="rosc-bench-"))
    path = folder / "bench.rsc"
    path.write_text(text)
    uri = path.as_uri()
    env = dict(os.environ)
    await client.start_io(sys.executable, "-m", "rosc", "lsp", env=env)
    await client.initialize_async(
        lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(),
            initialization_options={"debounce": debounce_ms, "incremental": incremental, "lab": False},
        )
    )
    client.initialized(lsp.InitializedParams())
    loop = asyncio.get_running_loop()

    async def wait(version: int) -> float:
        if version in arrived:
            return arrived[version]
        future = loop.create_future()
        waiting[version] = future
        return await asyncio.wait_for(future, 30)

    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=uri, language_id="routeros", version=1, text=text))
    )
    await wait(1)
    lines = text.split("\n")
    samples = []
    for version, line in enumerate(edit_lines(text, edits) * 2, start=2):
        change = toggle(lines, line)
        sent = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]
            )
        )
        got = await wait(version)
        samples.append(got - sent)
        await asyncio.sleep(0.01)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    out = summary(samples)
    out["minus_debounce"] = summary([s - debounce_ms / 1000 for s in samples])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--edits", type=int, default=40, help="lines to edit (each is edited twice: on and off)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = ap.parse_args()
    text = make_text(args.lines)
    n_lines = text.count("\n")
    from rosc.lsp.document import analyze

    warm = analyze(text, "/bench.rsc")  # grammar tables, vocabulary, rule modules
    n_diags = len(warm.lsp_diagnostics())

    rows = []
    results: dict = {"lines": n_lines, "bytes": len(text.encode()), "diagnostics": n_diags}
    for incremental in (True, False):
        r = server_path(text, args.edits, incremental)
        results[f"server_{'incremental' if incremental else 'full'}"] = r
        rows.append((f"server path, {'incremental' if incremental else 'full'} re-parse", "0", r, None))
    for incremental, debounce in ((True, 0), (True, 150), (False, 0)):
        r = asyncio.run(end_to_end(text, args.edits, debounce, incremental))
        key = f"stdio_{'incremental' if incremental else 'full'}_debounce{debounce}"
        results[key] = r
        rows.append((f"end to end over stdio, {'incremental' if incremental else 'full'}", str(debounce), r, r["minus_debounce"] if debounce else None))

    print(f"rosc LSP latency: {n_lines} lines, {results['bytes'] / 1e3:.0f} kB, {n_diags} diagnostics; "
          f"one-line edit, time until fresh diagnostics (ms)")
    print(f"machine: {os.cpu_count()} CPUs (nproc), Python {platform.python_version()}, {platform.machine()}")
    header = f"{'path':44} {'debounce':>8} {'median':>8} {'p95':>8} {'max':>8} {'median-debounce':>16}"
    print(header)
    print("-" * len(header))
    for name, debounce, r, minus in rows:
        extra = f"{minus['median']:16.1f}" if minus else f"{'':16}"
        print(f"{name:44} {debounce:>8} {r['median']:8.1f} {r['p95']:8.1f} {r['max']:8.1f} {extra}")
    inc = results["server_incremental"]
    print(f"(server path: {inc['incremental_edits']}/{inc['n']} edits re-parsed incrementally, "
          f"{inc['relinted_edits']}/{inc['n']} re-linted from the last lint; "
          f"a full parse alone takes {inc['full_parse_median']:.1f} ms)")
    ph = inc["phases_median"]
    print("server path, incremental, median per phase (ms): " + ", ".join(
        f"{k} {v:.1f}" for k, v in ph.items() if k != "rules re-run") + f"; rules run again: {ph['rules re-run']:.0f}")
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
