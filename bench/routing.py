"""Benchmark: next-hop resolution and the routing checks on routes whose
gateways lie inside each other's destinations (issue 10 measured the previous
resolver at 0.8 s for 1k such routes, 2.6 s for 2k, 52-75 s for 4k and over
10 minutes for 8k).

    python bench/routing.py [--sizes 1000,2000,4000,8000] [--repeat R]

For each size it generates an export (``generate_routes``), then reports the
best time of ``resolve_routes`` on its routes and of a whole ``rosc lint`` of
the file, and the growth factor between sizes (2.0 is linear when the size
doubles).
"""

from __future__ import annotations

import argparse
import time


def generate_routes(n: int) -> str:
    """An export with ``n`` static routes in five kinds: routes to one /8 at
    many distances through the connected /24 inside it; routes to the same /8
    through gateways elsewhere inside it, which cannot resolve (every one needs
    another route to the /8, and their scopes forbid it); /24s inside the /8
    and host routes inside those, through gateways inside the /8; and each /24
    of 172.16.0.0/12 through the next one with the default scopes (a chain
    that cannot resolve, which the checks explain)."""
    lines = [
        "# 2026-11-28 12:00:00 by RouterOS 7.16",
        "/ip address",
        "add address=10.0.0.254/24 interface=ether1",
        "/ip route",
    ]
    for i in range(n):
        kind = i % 5
        if kind == 0:
            lines.append(f"add dst-address=10.0.0.0/8 gateway=10.0.0.{1 + i % 250} scope=10 distance={1 + i % 200}")
        elif kind == 1:
            lines.append(
                f"add dst-address=10.0.0.0/8 gateway=10.{1 + i % 250}.{i // 250 % 256}.1 target-scope=30 "
                f"distance={1 + i % 250}"
            )
        elif kind == 2:
            lines.append(f"add dst-address=10.{1 + i % 250}.{i % 256}.0/24 gateway=10.{i % 250}.7.1 target-scope=30")
        elif kind == 3:
            lines.append(
                f"add dst-address=10.{i % 250}.{i % 256}.{i % 200}/32 gateway=10.{i % 250}.{i % 256}.9 target-scope=11"
            )
        else:
            j = i // 5
            lines.append(
                f"add dst-address=172.{16 + j // 256 % 16}.{j % 256}.0/24 "
                f"gateway=172.{16 + (j + 1) // 256 % 16}.{(j + 1) % 256}.1"
            )
    return "\n".join(lines) + "\n"


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,2000,4000,8000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from rosc.checks.context import DeviceRun
    from rosc.checks.routing_analysis import _analyse
    from rosc.lint.engine import lint_bytes
    from rosc.model.builder import build_device
    from rosc.model.nexthop import resolve_routes
    from rosc.syntax.parser import parse_text

    lint_bytes(b"/system identity set name=warm\n", "warm.rsc")
    print(f"{'routes':>7}{'resolve s':>11}{'growth':>8}{'lint s':>9}{'growth':>8}{'findings':>10}")
    previous = None
    for n in (int(x) for x in args.sizes.split(",")):
        text = generate_routes(n)
        run = DeviceRun(build_device(parse_text(text, "bench.rsc")))
        routes = _analyse(run).routes
        resolve = _best(lambda: resolve_routes(routes), args.repeat)
        found = []
        lint = _best(lambda: found.append(len(lint_bytes(text.encode(), "bench.rsc").diagnostics)), args.repeat)
        growth = ("", "") if previous is None else (f"{resolve / previous[0]:.1f}x", f"{lint / previous[1]:.1f}x")
        print(f"{n:>7}{resolve:>11.3f}{growth[0]:>8}{lint:>9.2f}{growth[1]:>8}{found[-1]:>10}")
        previous = (resolve, lint)


if __name__ == "__main__":
    main()
