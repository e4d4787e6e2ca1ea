"""Benchmark: build, lint and fmt of one big device, and change scripts.

    python bench/scale.py [--quick] [--json] [--only build,change-build]

Input: a generated single-device configuration (``bench/generate_device.py``:
VLANs with their addresses, DHCP servers, pools and leases, firewall rules,
address lists, NAT and routes, in export order) of 10,000, 100,000 and
1,000,000 commands (``--quick`` stops at 100,000), and change scripts: the
device of N commands followed by N ``set [ find ... ]`` / ``remove [ find
... ]`` commands, N = 8,000, 16,000 and 32,000.

Each measurement runs in a fresh child process (``--child``), which
generates the input, loads rosc and warms it on a two-line file, then
times the task alone in CPU seconds (``time.process_time``: user + system
of that process) and reports its peak resident set size
(``resource.getrusage``, the whole child's peak, the input text included).

- ``build``: ``rosc build`` of a lab (``lab.toml`` + one device file in a
  temporary folder) in process: ``rosc.lab.build.build_lab(..., force=True)``,
  which reads and lints the file, runs the lab rules, the sessions and the
  routing simulation, and writes the canonical script and ``REPORT.md``.
- ``lint``: ``rosc.lint.engine.lint_bytes`` of the file.
- ``fmt``: ``rosc.format.formatter.format_bytes`` of the file.
- ``change-build`` / ``change-lint``: the same for a change script.

``--json`` prints ``{"rows": [{"what", "size", "seconds", "peak_rss_mb"}...]}``
(``seconds`` is null, and ``error`` says why, when the child ran out of
``--timeout`` or failed: a 1,000,000-command file is about 84 MB, more than
the 64 MiB rosc reads of one input, so its build is refused).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_device import generate_changes, generate_device  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
CHANGE_SIZES = (8_000, 16_000, 32_000)
TASKS = ("build", "lint", "fmt", "change-build", "change-lint")


def _lab(folder: Path, text: str) -> None:
    (folder / "lab.toml").write_text('[lab]\nname = "scale"\n\n[devices]\nr1 = "r1.rsc"\n')
    (folder / "r1.rsc").write_text(text)


def child(task: str, size: int) -> dict:
    text = generate_changes(size) if task.startswith("change-") else generate_device(size)
    data = text.encode()
    kind = task.removeprefix("change-")
    with tempfile.TemporaryDirectory(prefix="rosc-scale-") as tmp:
        folder = Path(tmp)
        if kind == "build":
            from rosc.lab.build import build_lab

            warm = folder / "warm"
            warm.mkdir()
            _lab(warm, "/system identity set name=warm\n")
            build_lab(warm, folder / "warm-out", force=True)
            _lab(folder, text)
            run = lambda: build_lab(folder, folder / "out", force=True)  # noqa: E731
        elif kind == "lint":
            from rosc.lint.engine import lint_bytes

            lint_bytes(b"/system identity set name=warm\n", "warm.rsc")
            run = lambda: lint_bytes(data, "r1.rsc")  # noqa: E731
        else:
            from rosc.format.formatter import format_bytes

            format_bytes(b"/system identity set name=warm\n", "warm.rsc")
            run = lambda: format_bytes(data, "r1.rsc")  # noqa: E731
        start = time.process_time()
        result = run()
        seconds = time.process_time() - start
        if kind == "build":
            from rosc.diagnostics import Severity

            errors = [d for d in result.diagnostics if d.severity >= Severity.ERROR]
            unread = next((d.message for d in errors if d.code == "LAB001" and d.message.startswith("cannot read")), None)
            if unread is not None:  # forced builds still write REPORT.md: no time to report for a device never read
                raise SystemExit(f"the build did not read the device: {unread}")
            if result.refused:
                raise SystemExit(f"the build was refused: {errors[0].message if errors else 'errors'}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"what": task, "size": size, "seconds": round(seconds, 3), "peak_rss_mb": round(peak / 2**20, 1)}


def measure(task: str, size: int, timeout: float) -> dict:
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--child", task, "--size", str(size)],
            check=True, capture_output=True, text=True, timeout=timeout,
        ).stdout
    except subprocess.TimeoutExpired:
        return {"what": task, "size": size, "seconds": None, "peak_rss_mb": None, "error": f"over {timeout:.0f} s"}
    except subprocess.CalledProcessError as exc:
        last = (exc.stderr or "").strip().splitlines()[-1:] or ["failed"]
        return {"what": task, "size": size, "seconds": None, "peak_rss_mb": None, "error": last[0]}
    return json.loads(out)


def ratios(rows: list[dict]) -> list[tuple[str, int, int, float]]:
    """(task, size, next size, time ratio) for each pair of consecutive sizes."""
    out = []
    for task in TASKS:
        got = [r for r in rows if r["what"] == task and r["seconds"]]
        for a, b in zip(got, got[1:]):
            out.append((task, a["size"], b["size"], b["seconds"] / a["seconds"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip the 1,000,000-command runs")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--only", default=",".join(TASKS), help="comma-separated tasks")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per measurement")
    ap.add_argument("--child", choices=TASKS)
    ap.add_argument("--size", type=int)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.size)))
        return
    rows = []
    for task in args.only.split(","):
        sizes = CHANGE_SIZES if task.startswith("change-") else SIZES
        for size in sizes:
            if args.quick and size >= 1_000_000:
                continue
            row = measure(task, size, args.timeout)
            rows.append(row)
            if not args.json:
                shown = f"{row['seconds']:.2f}" if row["seconds"] is not None else "-"
                rss = f"{row['peak_rss_mb']:.0f}" if row["peak_rss_mb"] is not None else "-"
                print(f"{task:<14}{size:>11,}{shown:>10} s{rss:>8} MiB  {row.get('error', '')}", flush=True)
    if args.json:
        print(json.dumps({"rows": rows}))
        return
    print(f"\npython {sys.version.split()[0]}; {os.cpu_count()} cpus; CPU seconds in process, one child per row")
    for task, a, b, ratio in ratios(rows):
        print(f"{task:<14}{a:>11,} -> {b:<11,}{ratio:>7.2f}x per {b // a}x")


if __name__ == "__main__":
    main()
