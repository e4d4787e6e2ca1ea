"""Benchmark: `rosc lint` of one small file as a whole process, wall time,
against `python -c pass` (issue 9's goal: at most 60 ms).

    python bench/startup.py [FILE...] [--runs N] [--base OTHER] [--no-bytecode] [--json]
    python bench/startup.py --breakdown [FILE]
    python bench/startup.py --instructions [--base OTHER] [FILE...]

Runs `python -m rosc lint FILE` with this checkout first on PYTHONPATH, in
an empty folder (so no rosc.toml is found), and `python -c pass`, in turn,
after one warm-up run of each, and prints the median wall time of each and
their difference.  With --base it also runs the same lint from another
checkout in the same rotation (A, base, pass, A, base, pass ...), so a
machine whose speed drifts still gives a fair comparison.

It measures the case of an installed rosc: *with* bytecode caches (the
warm-up writes them; PYTHONDONTWRITEBYTECODE is removed from the
children's environment).  --no-bytecode measures the other case, every
module compiled from source on every run, as a sandbox that sets
PYTHONDONTWRITEBYTECODE=1 runs rosc; the output says which case it is.

Without FILE it measures a three-command file.  --json prints one JSON
object per file with the keys bench/run_all.py reads (``lint``, ``pass``,
``runs``, ``command``; seconds).  --breakdown runs one lint in process and
says where its time goes: the interpreter's own start-up, imports, the
dataclasses created at import, regular expressions compiled, rule
discovery, the lint, the output.  --instructions counts the instructions
each process executes under valgrind instead: the same from run to run, so
it compares checkouts fairly on a machine too busy for wall times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

SMALL = "/ip address\nadd address=192.168.1.1/24 interface=ether1\n/system identity\nset name=gw\n/ip dns\nset servers=9.9.9.9\n"


def _env(checkout: Path, bytecode: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed rosc runs: with bytecode caches
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _wall(cmd: list[str], env: dict, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def measure(file: str, runs: int, base: Path | None = None, bytecode: bool = True) -> dict:
    """Median wall seconds of `rosc lint file` (this checkout, and ``base``
    when given) and of `python -c pass`, alternated, after a warm-up."""
    folder = Path(tempfile.mkdtemp(prefix="rosc-startup-cwd-"))
    lint = [sys.executable, "-m", "rosc", "lint", file]
    jobs = [("lint", lint, _env(HERE, bytecode))]
    if base is not None:
        jobs.append(("base", lint, _env(base.resolve(), bytecode)))
    jobs.append(("pass", [sys.executable, "-c", "pass"], _env(HERE, bytecode)))
    for _, cmd, env in jobs:
        _wall(cmd, env, folder)  # warm-up: bytecode and grammar caches, file cache
    times: dict[str, list[float]] = {key: [] for key, _, _ in jobs}
    for _ in range(runs):
        for key, cmd, env in jobs:
            times[key].append(_wall(cmd, env, folder))
    result = {key: statistics.median(values) for key, values in times.items()}
    result.update(runs=runs, command="python -m rosc lint " + Path(file).name,
                  bytecode="with bytecode caches" if bytecode else "without bytecode caches (PYTHONDONTWRITEBYTECODE=1)",
                  lint_min=min(times["lint"]), pass_min=min(times["pass"]))
    return result


# ------------------------------------------------------------------ --breakdown

_PROBE = r'''
import sys, time
t0 = time.perf_counter()
import dataclasses, json, re._compiler
acc = {"the probe's own imports (dataclasses, json, re; rosc imports them too)": (time.perf_counter() - t0, 3)}
def timed(owner, name, key):
    orig = getattr(owner, name)
    depth = [0]
    def wrapper(*a, **k):
        if depth[0]:
            return orig(*a, **k)
        depth[0] += 1
        start = time.perf_counter()
        try:
            return orig(*a, **k)
        finally:
            depth[0] -= 1
            took, n = acc.get(key, (0.0, 0))
            acc[key] = (took + time.perf_counter() - start, n + 1)
    setattr(owner, name, wrapper)
timed(dataclasses, "_process_class", "dataclasses created")
timed(re._compiler, "compile", "regular expressions compiled")
timed(json.decoder.JSONDecoder, "decode", "JSON documents decoded")
sys.argv = ["rosc", "lint", sys.argv[1]]
start = time.perf_counter()
import rosc.cli.main as cli
acc["import rosc.cli.main (click, syntax, vocabulary, lint engine)"] = (time.perf_counter() - start, 1)
import rosc.checks.registry as registry, rosc.lint.engine as engine
timed(engine, "device_rules", "rule discovery (imports the check modules)")
timed(engine, "lint_bytes", "lint_bytes (discovery, parse, model, checks)")
before = set(sys.modules)
start = time.perf_counter()
try:
    cli.main()
except SystemExit:
    pass
acc["main() (config, lint, output)"] = (time.perf_counter() - start, 1)
acc["modules imported in all"] = (0.0, len(sys.modules))
acc["modules imported by main()"] = (0.0, len(set(sys.modules) - before))
print(json.dumps({"in_process": time.perf_counter() - t0, "parts": acc}), file=sys.stderr)
'''


def breakdown(file: str, runs: int = 5) -> None:
    folder = Path(tempfile.mkdtemp(prefix="rosc-startup-cwd-"))
    env = _env(HERE, True)
    cmd = [sys.executable, "-c", _PROBE, file]
    subprocess.run(cmd, env=env, cwd=folder, capture_output=True, check=False)  # warm-up
    samples = []
    for _ in range(runs):
        done = subprocess.run(cmd, env=env, cwd=folder, capture_output=True, text=True, check=False)
        samples.append(json.loads(done.stderr.strip().splitlines()[-1]))
    print(f"in process, with bytecode caches, medians of {runs} runs (the timers add a little):")
    print(f"  {'everything after the interpreter started':62s} {statistics.median(s['in_process'] for s in samples) * 1000:6.1f} ms")
    for key in samples[0]["parts"]:
        took = statistics.median(s["parts"][key][0] for s in samples)
        count = samples[0]["parts"][key][1]
        shown = f"{took * 1000:6.1f} ms" if took else " " * 9
        print(f"  {key:62s} {shown}  ({count})")
    empty = statistics.median(_wall([sys.executable, "-c", "pass"], env, folder) for _ in range(runs))
    print(f"  {'python -c pass, wall':62s} {empty * 1000:6.1f} ms")


def instructions(file: str, base: Path | None = None) -> dict:
    """Instructions each process executes (valgrind's callgrind; the same
    from run to run, so a comparison holds on a busy machine), with
    bytecode caches: {"lint": ..., "base": ..., "pass": ...}."""
    import re
    import shutil

    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("--instructions needs valgrind")
    folder = Path(tempfile.mkdtemp(prefix="rosc-startup-cwd-"))
    jobs = [("lint", [sys.executable, "-m", "rosc", "lint", file], HERE)]
    if base is not None:
        jobs.append(("base", [sys.executable, "-m", "rosc", "lint", file], base.resolve()))
    jobs.append(("pass", [sys.executable, "-c", "pass"], HERE))
    out = {}
    for key, cmd, checkout in jobs:
        env = _env(checkout, True)
        _wall(cmd, env, folder)  # bytecode and grammar caches
        done = subprocess.run([valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd], env=env, cwd=folder,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        found = re.search(r"Collected : (\d+)", done.stderr)
        out[key] = int(found.group(1)) if found else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--base", type=Path, help="another checkout (its folder holds rosc/) to compare with")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--no-bytecode", action="store_true", help="measure without bytecode caches")
    parser.add_argument("--json", action="store_true", help="print JSON (seconds) instead of text")
    parser.add_argument("--breakdown", action="store_true", help="say where the time of one lint goes")
    parser.add_argument("--instructions", action="store_true",
                        help="count the instructions executed (valgrind) instead of timing")
    args = parser.parse_args()
    files = args.files
    if not files:
        folder = Path(tempfile.mkdtemp(prefix="rosc-startup-"))
        (folder / "small.rsc").write_text(SMALL)
        files = [str(folder / "small.rsc")]
    if args.breakdown:
        breakdown(str(Path(files[0]).resolve()))
        return
    if args.instructions:
        for file in files:
            counts = instructions(str(Path(file).resolve()), args.base)
            print(f"{Path(file).name}, with bytecode caches, instructions executed (valgrind callgrind): "
                  + ", ".join(f"{'rosc lint' if k == 'lint' else 'base' if k == 'base' else 'python -c pass'} "
                              f"{v / 1e6:.0f} M" for k, v in counts.items() if v is not None))
        return
    for file in files:
        r = measure(str(Path(file).resolve()), args.runs, args.base, not args.no_bytecode)
        if args.json:
            print(json.dumps(r))
            continue
        line = (f"{Path(file).name}, {r['bytecode']}, wall, medians of {r['runs']} alternated runs: "
                f"rosc lint {r['lint'] * 1000:.0f} ms, python -c pass {r['pass'] * 1000:.0f} ms "
                f"(difference {(r['lint'] - r['pass']) * 1000:.0f} ms; fastest {r['lint_min'] * 1000:.0f} / {r['pass_min'] * 1000:.0f} ms)")
        if "base" in r:
            line += f"; base {r['base'] * 1000:.0f} ms ({(r['lint'] - r['base']) * 1000:+.0f} ms)"
        print(line)


if __name__ == "__main__":
    main()
