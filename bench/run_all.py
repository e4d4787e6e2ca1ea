"""Run every benchmark and rewrite bench/RESULTS.md with what one run measured.

    python bench/run_all.py [--quick] [--out bench/RESULTS.md] [--no-write]

Measures, on this machine, in one run (so the ratios compare like with
like on a noisy machine):

* lint ÷ parse on the generated firewall export (``generate.py``) and on a
  mixed one-router export (``mixed.py``): CPU time, medians, parse and lint
  of the same text alternated;
* fmt ÷ parse, the same way;
* ``rosc lint`` of a small file as a whole process, wall time, against
  ``python -c pass``;
* the language server: one-line edit → fresh diagnostics at 5k and 50k
  lines (``lsp_latency.py``'s in-process server path, no debounce);
* the scaling runs of ``scale.py`` (``python bench/scale.py --json``:
  build, lint and fmt at 10k/100k/1M commands, the change script of
  ``set [find ...]`` commands), when that file exists;
* the other benchmarks (``parse.py``, ``routing.py`` and any optional one
  such as ``firewall.py`` that exists), whose own output is kept as printed.

Then it writes RESULTS.md whole: machine, date, every goal of issue 9 with
the measured value and whether it is met.  ``--quick`` uses smaller inputs
and passes ``--quick`` to scale.py (which then skips 1M): for development,
not for the file that is committed.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import generate_export  # noqa: E402
from mixed import generate_mixed  # noqa: E402

# optional benchmarks: run when the file exists, their output kept as printed
OTHER = [
    ("parse.py", ["--repeat", "3"], "Parse speed against a regex tokenization, and peak memory"),
    ("routing.py", [], "Next-hop resolution on routes whose gateways lie inside each other's destinations"),
    ("firewall.py", [], "Firewall analysis"),
    ("firewall_nat.py", [], "Firewall NAT and port-forward checks"),
]


# ------------------------------------------------------------------ helpers


def cpu(fn) -> float:
    gc.collect()
    start = time.process_time()
    result = fn()
    took = time.process_time() - start
    del result
    return took


def paired(a, b, runs: int) -> tuple[float, float, float]:
    """Medians of CPU seconds of ``a`` and ``b`` run alternately, and the
    median of the per-pair ratios a/b."""
    xs, ys = [], []
    for _ in range(runs):
        xs.append(cpu(a))
        ys.append(cpu(b))
    return statistics.median(xs), statistics.median(ys), statistics.median(x / y for x, y in zip(xs, ys))


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        load = ", load average at start %.1f" % os.getloadavg()[0]
    except OSError:
        load = ""
    import lark

    return (f"{os.cpu_count()} CPUs ({model or platform.processor() or 'unknown'}){mem}, {platform.system()}, "
            f"CPython {platform.python_version()}, lark {lark.__version__}{load}")


# ------------------------------------------------------------------ measurements


def lint_vs_parse(text: str, runs: int) -> dict:
    from rosc.lint.engine import lint_bytes
    from rosc.syntax.parser import parse_bytes

    data = text.encode()
    lint_bytes(b"/system identity set name=warm\n", "warm.rsc")
    found = len(lint_bytes(data, "bench.rsc").diagnostics)
    lint_s, parse_s, ratio = paired(lambda: lint_bytes(data, "bench.rsc"), lambda: parse_bytes(data, "bench.rsc"), runs)
    return {"commands": text.count("\nadd ") + text.count("\nset "), "bytes": len(data), "lint": lint_s,
            "parse": parse_s, "ratio": ratio, "findings": found}


def fmt_vs_parse(text: str, runs: int) -> dict:
    from rosc.format.formatter import format_text
    from rosc.syntax.parser import parse_text

    format_text("/system identity set name=warm\n", "warm.rsc")
    fmt_s, parse_s, ratio = paired(lambda: format_text(text, "bench.rsc"), lambda: parse_text(text, "bench.rsc"), runs)
    return {"fmt": fmt_s, "parse": parse_s, "ratio": ratio}


SMALL = "/ip address\nadd address=192.168.1.1/24 interface=ether1\n"


def _rosc_command() -> list[str]:
    script = Path(sys.executable).with_name("rosc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rosc"]


def _wall(cmd: list[str], env: dict, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def startup(runs: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="rosc-startup-"))
    small = folder / "small.rsc"
    small.write_text(SMALL)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed rosc runs: with bytecode caches
    lint = _rosc_command() + ["lint", str(small)]
    empty = [sys.executable, "-c", "pass"]
    # in the file's own folder, as bench/startup.py: no rosc.toml or pyproject.toml of this checkout is read
    for cmd in (lint, empty):
        _wall(cmd, env, folder)  # warm-up: bytecode and grammar caches, file cache
    a, b = [], []
    for _ in range(runs):
        a.append(_wall(lint, env, folder))
        b.append(_wall(empty, env, folder))
    return {"lint": statistics.median(a), "pass": statistics.median(b), "runs": runs, "command": " ".join(lint[:1] + ["lint", "small.rsc"])}


def lsp(lines: int, edits: int) -> dict:
    import lsp_latency

    text = lsp_latency.make_text(lines)
    result = lsp_latency.server_path(text, edits, True)
    result["lines"] = text.count("\n")
    return result


def scale(quick: bool) -> dict:
    script = HERE / "scale.py"
    if not script.exists():
        return {"missing": True}
    cmd = [sys.executable, str(script), "--json"] + (["--quick"] if quick else [])
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        return {"error": f"exit {proc.returncode}: {proc.stderr.strip()[-2000:]}", "seconds": took}
    try:
        rows = json.loads(proc.stdout)["rows"]
    except (ValueError, KeyError, TypeError) as exc:
        return {"error": f"unreadable output ({exc}): {proc.stdout[-2000:]}", "seconds": took}
    return {"rows": rows, "seconds": took}


def other(name: str, args: list[str]) -> dict | None:
    script = HERE / name
    if not script.exists():
        return None
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, cwd=ROOT)
    out = proc.stdout.strip() or proc.stderr.strip()[-2000:]
    return {"output": out, "rc": proc.returncode, "seconds": time.perf_counter() - start}


# ------------------------------------------------------------------ report


def verdict(met: bool, off: str = "") -> str:
    return "**met**" if met else f"**not met**{': ' + off if off else ''}"


def scale_rows(data: dict, what: str) -> dict[int, float]:
    """Size → CPU seconds of the rows of ``what`` that ran to the end."""
    return {int(r["size"]): float(r["seconds"]) for r in data.get("rows", [])
            if r.get("what") == what and r.get("seconds") is not None}


def scale_errors(data: dict, what: str) -> dict[int, str]:
    """Size → why the row of ``what`` has no time (a timeout, a refused input)."""
    return {int(r["size"]): r.get("error") or "failed" for r in data.get("rows", [])
            if r.get("what") == what and r.get("seconds") is None}


def growth_line(points: dict[int, float], errors: dict[int, str] | None = None) -> str:
    sizes = sorted(points)
    parts = [f"{s:,}: {points[s]:.2f} s" for s in sizes]
    for a, b in zip(sizes, sizes[1:]):
        parts.append(f"{b // a}x the size: {points[b] / points[a]:.1f}x the time")
    parts.extend(f"{s:,}: no time ({why})" for s, why in sorted((errors or {}).items()))
    return "; ".join(parts)


def report(r: dict, args) -> str:
    out: list[str] = []
    w = out.append
    w("# Benchmark results\n")
    w("Written by `python bench/run_all.py" + (" --quick" if args.quick else "") + "`; every number below comes from that one run.")
    w(f"Machine: {r['machine']}. Date: {r['date']}. Whole run: {r['took'] / 60:.1f} min.")
    w("CPU times are `time.process_time()` medians of runs alternated with their")
    w("baseline, and each ratio is the median of the per-pair ratios, so a machine")
    w("whose speed drifts (these are shared and noisy) still compares like with like.\n")
    w("## Goals of issue 9\n")
    w("| what | measured | goal | verdict |")
    w("|---|---|---|---|")
    lb, lm = r["lint_bench"], r["lint_mixed"]
    w(f"| lint ÷ parse, bench export ({lb['bytes'] / 1e6:.1f} MB) / mixed export ({lm['bytes'] / 1e6:.1f} MB) "
      f"| {lb['ratio']:.2f}x / {lm['ratio']:.2f}x | ≤ 1.5x | "
      + verdict(lb["ratio"] <= 1.5 and lm["ratio"] <= 1.5, f"{max(lb['ratio'], lm['ratio']) / 1.5:.2f} times the goal; see below") + " |")
    sc = r["scale"]
    build, build_errors = scale_rows(sc, "build"), scale_errors(sc, "build")
    lint_points = scale_rows(sc, "lint")
    change = scale_rows(sc, "change-build")
    if sc.get("missing"):
        w("| `rosc build`, single big device, 10k → 100k → 1M | `bench/scale.py` does not exist on this branch: not measured | ≤ 11x per 10x; 1M < 3 min | not measured |")
        w("| change script of 16k `set [find ...]` | not measured (no `bench/scale.py`) | linear | not measured |")
    elif "error" in sc:
        w(f"| `rosc build` at scale, change script | `bench/scale.py` failed: {sc['error'][:300]!r} | linear | not measured |")
    else:
        if build:
            sizes = sorted(build)
            per10 = [build[b] / build[a] for a, b in zip(sizes, sizes[1:]) if b == 10 * a]
            million = build.get(1_000_000)
            ok = all(x <= 11 for x in per10) and (million is None or million < 180)
            why = [f"{x:.1f}x per 10x" for x in per10 if x > 11]
            if million is not None and million >= 180:
                why.append(f"1M took {million:.0f} s")
            elif million is None and 1_000_000 in build_errors:
                why.append("1M has no time (see the row)")
                if lint_points.get(1_000_000) is not None:
                    why.append(f"the lint of that file alone took {lint_points[1_000_000]:.0f} s")
            elif million is None:
                why.append("1M not run (--quick)")
            off = "; ".join(why) + ("; see below" if why else "")
            w(f"| `rosc build`, single big device | {growth_line(build, build_errors)} | ≤ 11x per 10x; 1M < 3 min | "
              + verdict(ok and million is not None, off) + " |")
        if change:
            sizes = sorted(change)
            per2 = [change[b] / change[a] for a, b in zip(sizes, sizes[1:])]
            ok = all(x <= 2.4 for x in per2)
            w(f"| change script of `set [find ...]` commands | {growth_line(change)} | linear (≤ 2.4x per doubling) | {verdict(ok)} |")
    st = r["startup"]
    w(f"| `rosc lint` of one small file (wall) | {st['lint'] * 1000:.0f} ms; `python -c pass` {st['pass'] * 1000:.0f} ms | ≤ 60 ms | "
      + verdict(st["lint"] <= 0.060, f"{(st['lint'] - 0.060) * 1000:.0f} ms over; see below") + " |")
    l5, l50 = r["lsp5"], r["lsp50"]
    w(f"| LSP one-line edit → fresh diagnostics, {l5['lines']:,} / {l50['lines']:,} lines | "
      f"{l5['median']:.1f} ms / {l50['median']:.1f} ms (p95 {l5['p95']:.1f} / {l50['p95']:.1f}) | ≤ 30 ms / ≤ 150 ms | "
      + verdict(l5["median"] <= 30 and l50["median"] <= 150,
                f"{max(l5['median'] / 30, l50['median'] / 150):.1f} times the goal; see below") + " |")
    f = r["fmt"]
    w(f"| fmt ÷ parse (bench export) | {f['ratio']:.2f}x | ≤ 2x | " + verdict(f["ratio"] <= 2, f"{f['ratio'] / 2:.2f} times the goal") + " |")
    w("")
    if r.get("lint_notes"):
        w(r["lint_notes"].strip() + "\n")
    w("## Lint ÷ parse\n")
    w("`lint_bytes` (parse, device model, every check, suppressions) against `parse_bytes` of the same bytes,")
    w(f"in one process, {args.runs} runs each alternated, CPU seconds, medians:\n")
    w("| input | bytes | parse s | lint s | lint ÷ parse | findings |")
    w("|---|---:|---:|---:|---:|---:|")
    for name, d in (("bench export (`generate.py`)", lb), ("mixed export (`mixed.py`)", lm)):
        w(f"| {name}, {d['commands']:,} commands | {d['bytes']:,} | {d['parse']:.2f} | {d['lint']:.2f} | {d['ratio']:.2f}x | {d['findings']} |")
    w("")
    w("## fmt ÷ parse\n")
    w(f"`format_text` (parse, emit, safety check) against `parse_text`, bench export, {args.runs} runs alternated, "
      f"CPU seconds: fmt {f['fmt']:.2f} s, parse {f['parse']:.2f} s, **{f['ratio']:.2f}x**.\n")
    w("## Start-up\n")
    w(f"`{st['command']}` of a two-line file as a whole process against `python -c pass`, wall time, medians of "
      f"{st['runs']} alternated runs after a warm-up: **{st['lint'] * 1000:.0f} ms** against {st['pass'] * 1000:.0f} ms "
      f"(difference {(st['lint'] - st['pass']) * 1000:.0f} ms).\n")
    w("## Language server\n")
    w("`lsp_latency.py`'s server path in process: apply a one-line edit (toggling a SYN009 warning), lint with the")
    w("incremental re-parse, convert and encode the publishDiagnostics message; no debounce.\n")
    w("| lines | edits | median ms | p95 ms | max ms | a full parse alone, ms |")
    w("|---:|---:|---:|---:|---:|---:|")
    for d in (l5, l50):
        w(f"| {d['lines']:,} | {d['n']} | {d['median']:.1f} | {d['p95']:.1f} | {d['max']:.1f} | {d['full_parse_median']:.1f} |")
    w("")
    if "phases_median" in l5:
        w("Where the time goes (medians, ms; `lsp_latency.PHASES`): the local rules run on the edited statements")
        w("only; \"other rules\" are those that could not be kept from the last lint and ran again.\n")
        w("| lines | re-parse | local rules | model | other rules | rest | rules run again |")
        w("|---:|---:|---:|---:|---:|---:|---:|")
        for d in (l5, l50):
            p = d["phases_median"]
            w(f"| {d['lines']:,} | {p['re-parse']:.1f} | {p['local rules']:.1f} | {p['model']:.1f} | {p['other rules']:.1f} "
              f"| {p['rest']:.1f} | {p['rules re-run']:.0f} |")
        w("")
    w("## Scaling runs (`bench/scale.py --json`)\n")
    if sc.get("missing"):
        w("`bench/scale.py` does not exist on this branch yet, so build, lint and fmt at 10k/100k/1M commands and")
        w("the change script were not measured by this run.\n")
    elif "error" in sc:
        w(f"`bench/scale.py` failed after {sc['seconds']:.0f} s:\n\n```\n{sc['error']}\n```\n")
    else:
        w(f"{sc['seconds']:.0f} s in all.\n")
        w("| what | size | CPU seconds | peak RSS MiB |")
        w("|---|---:|---:|---:|")
        for row in sc["rows"]:
            if row.get("seconds") is None:
                w(f"| {row['what']} | {int(row['size']):,} | no time: {row.get('error') or 'failed'} | |")
            else:
                rss = row.get("peak_rss_mb")
                w(f"| {row['what']} | {int(row['size']):,} | {float(row['seconds']):.2f} | {'' if rss is None else f'{rss:,.0f}'} |")
        w("")
    for name, _args, title in OTHER:
        d = r["other"].get(name)
        if d is None:
            continue
        w(f"## {title} (`python bench/{name}`)\n")
        if d["rc"] != 0:
            w(f"Exited with status {d['rc']}.\n")
        w("```\n" + d["output"] + "\n```\n")
    return "\n".join(out).rstrip() + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller inputs; scale.py skips 1M")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--no-write", action="store_true", help="print the report instead of writing it")
    ap.add_argument("--notes", type=Path, default=HERE / "results_notes.md",
                    help="Markdown explaining the results (what was done, why a goal is not met), put after the table")
    ap.add_argument("--save", type=Path, help="also write the raw measurements to this JSON file")
    ap.add_argument("--render", type=Path, help="measure nothing: write the report from measurements --save wrote")
    args = ap.parse_args()
    commands = 20_000 if args.quick else 100_000
    args.runs = 3
    if args.render is not None:
        r = json.loads(args.render.read_text())
        args.quick, args.runs = r["quick"], r["runs"]
        _finish(r, args)
        return
    started = time.perf_counter()
    r: dict = {"machine": machine(), "date": datetime.date.today().isoformat(), "other": {}}

    def step(name: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {name}", file=sys.stderr, flush=True)

    step("lint ÷ parse, bench export")
    r["lint_bench"] = lint_vs_parse(generate_export(commands), args.runs)
    step("lint ÷ parse, mixed export")
    r["lint_mixed"] = lint_vs_parse(generate_mixed(commands), args.runs)
    step("fmt ÷ parse")
    r["fmt"] = fmt_vs_parse(generate_export(commands), args.runs)
    step("start-up")
    r["startup"] = startup(7 if args.quick else 21)
    step("LSP, 5k lines")
    r["lsp5"] = lsp(5000, 10 if args.quick else 25)
    step("LSP, 50k lines")
    r["lsp50"] = lsp(50000, 4 if args.quick else 8)
    step("bench/scale.py --json")
    r["scale"] = scale(args.quick)
    for name, extra, _title in OTHER:
        if (HERE / name).exists():
            step(f"bench/{name}")
            r["other"][name] = other(name, (["--commands", "20000"] if args.quick and name == "parse.py" else []) + extra)
    r["took"] = time.perf_counter() - started
    r["quick"], r["runs"] = args.quick, args.runs
    if args.save is not None:
        args.save.write_text(json.dumps(r, indent=1))
    _finish(r, args)


def _finish(r: dict, args) -> None:
    if args.notes is not None and args.notes.exists():
        r["lint_notes"] = args.notes.read_text()
    text = report(r, args)
    if args.no_write:
        sys.stdout.write(text)
    else:
        args.out.write_text(text)
        print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
