"""Benchmark: lint (parse + model + every check) on the generated export.

Reports seconds, MB/s and peak memory for parse alone and for the whole
lint, and the ratio lint/parse measured in the same run.

    python bench/lint.py [--commands N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_export  # noqa: E402


def parse(text: str):
    from rosc.syntax.parser import parse_text

    return parse_text(text, "bench.rsc")


def lint(text: str):
    from rosc.lint.engine import lint_parsed

    return lint_parsed(parse(text))


TASKS = {"parse": parse, "lint": lint}


def _status(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def child(task: str, commands: int) -> None:
    text = generate_export(commands)
    lint("/system identity set name=warm\n")  # tables, vocabulary, rule modules
    before = _status("VmRSS")
    result = TASKS[task](text)
    peak = _status("VmHWM")
    del result
    print(json.dumps({"peak": max(0, peak - before)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commands", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", choices=TASKS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.commands)
        return
    text = generate_export(args.commands)
    size = len(text.encode())
    lint("/system identity set name=warm\n")
    times = {}
    for name, fn in TASKS.items():
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = fn(text)
            best = min(best, time.perf_counter() - start)
            del result
        times[name] = best
    peaks = {}
    for name in TASKS:
        out = subprocess.run(
            [sys.executable, __file__, "--child", name, "--commands", str(args.commands)],
            check=True, capture_output=True, text=True,
        ).stdout
        peaks[name] = json.loads(out)["peak"]
    print(f"input: {args.commands:,} commands, {size / 1e6:.1f} MB; best of {args.repeat}")
    print(f"{'task':<8}{'seconds':>9}{'MB/s':>8}{'peak MB':>9}{'peak/file':>10}")
    for name in TASKS:
        print(f"{name:<8}{times[name]:>9.2f}{size / 1e6 / times[name]:>8.2f}{peaks[name] / 1e6:>9.0f}{peaks[name] / size:>9.1f}x")
    print(f"lint / parse = {times['lint'] / times['parse']:.2f}x (target: at most 2x)")


if __name__ == "__main__":
    main()
