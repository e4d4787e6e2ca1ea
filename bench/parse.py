"""Benchmark: parse and fmt on a generated 100,000-command export.

Reports MB/s, commands/s and peak memory for parse-to-tree and for fmt,
beside a plain regular-expression tokenization of the same text timed in
the same run (the machines are noisy: the ratio is what to compare).

    python bench/parse.py [--commands N] [--repeat R]

Each timing is the best of R runs.  Peak memory is measured in a fresh
child process per task, as the growth of its peak resident set size
(VmHWM) over its size just before the task.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_export  # noqa: E402

# What a tokenizer of RouterOS text must at least recognise: comments,
# quoted strings with escapes, line continuations, `key=`, words, brackets.
BASELINE = re.compile(r'#[^\n]*|"(?:[^"\\]|\\.)*"|\\\r?\n|[^\s"=\[\]{}();]+=?|[\[\]{}();]|\n')


def tokenize_baseline(text: str) -> int:
    return len(BASELINE.findall(text))


def parse(text: str):
    from rosc.syntax.parser import parse_text

    return parse_text(text, "bench.rsc")


def fmt(text: str):
    from rosc.format.formatter import format_text

    return format_text(text, "bench.rsc")


TASKS = {"tokenize": tokenize_baseline, "parse": parse, "fmt": fmt}


def _status(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def child(task: str, commands: int) -> None:
    text = generate_export(commands)
    parse("")  # load tables and vocabulary outside the measurement
    before = _status("VmRSS")
    result = TASKS[task](text)
    peak = _status("VmHWM")
    del result
    print(json.dumps({"peak": max(0, peak - before)}))


def best_time(fn, text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(text)
        best = min(best, time.perf_counter() - start)
        del result
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commands", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", choices=TASKS)
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.commands)
        return
    text = generate_export(args.commands)
    size = len(text.encode())
    parse("")
    times = {name: best_time(fn, text, args.repeat) for name, fn in TASKS.items()}
    peaks = {}
    for name in ("parse", "fmt"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", name, "--commands", str(args.commands)],
            check=True, capture_output=True, text=True,
        ).stdout
        peaks[name] = json.loads(out)["peak"]
    results = {
        "commands": args.commands,
        "bytes": size,
        "seconds": times,
        "mb_per_s": {k: size / 1e6 / v for k, v in times.items()},
        "commands_per_s": {k: args.commands / v for k, v in times.items() if k != "tokenize"},
        "speed_vs_tokenize": {k: times["tokenize"] / times[k] for k in ("parse", "fmt")},
        "peak_bytes": peaks,
        "peak_vs_file": {k: v / size for k, v in peaks.items()},
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"input: {args.commands:,} commands, {size / 1e6:.1f} MB; best of {args.repeat}; python {sys.version.split()[0]}; {os.cpu_count()} cpus")
    print(f"{'task':<10}{'seconds':>9}{'MB/s':>8}{'cmd/s':>10}{'vs regex':>10}{'peak MB':>9}{'peak/file':>10}")
    for name in TASKS:
        cps = f"{results['commands_per_s'][name]:,.0f}" if name != "tokenize" else "-"
        ratio = f"1/{1 / results['speed_vs_tokenize'][name]:.1f}" if name != "tokenize" else "1"
        peak = f"{peaks[name] / 1e6:.0f}" if name in peaks else "-"
        pf = f"{results['peak_vs_file'][name]:.1f}x" if name in peaks else "-"
        print(f"{name:<10}{times[name]:>9.2f}{results['mb_per_s'][name]:>8.2f}{cps:>10}{ratio:>10}{peak:>9}{pf:>10}")


if __name__ == "__main__":
    main()
