"""Benchmark: the firewall policy analysis (FW001–FW005) on one long chain,
against parsing the same file (issue 14: the analysis must stay within 2x of
parse time, so no unindexed pairwise comparison of rules).

    python bench/firewall.py [--rules 10000] [--repeat 3]

The export holds ``--rules`` forward rules in one chain, the kinds a large
rule set has: per-host accepts (a /32 and a port each), per-subnet drops,
port-range accepts per interface, rules with a rate limit or a connection
mark, a few duplicates and rules covered by an earlier subnet rule, and a
defconf-like input chain.  It prints the best time of parsing (text to
syntax tree), of building the device model, and of the analysis: the
policy model plus every FW rule's check, and the ratio analysis ÷ parse.
The analysis runs with the cyclic garbage collector paused, as ``rosc
lint`` runs every check (``rosc.lint.engine.gc_paused``; the parser and
the model builder pause it themselves), so both sides are timed the way
the linter runs them.
"""

from __future__ import annotations

import argparse
import time


def generate(n: int) -> str:
    lines = [
        "# 2026-12-02 12:00:00 by RouterOS 7.16",
        "/interface list add name=WAN",
        "/interface list add name=LAN",
        "/interface list member add interface=ether1 list=WAN",
        "/interface list member add interface=bridge list=LAN",
        "/interface bridge add name=bridge",
        "/ip address add address=192.168.88.1/24 interface=bridge",
        "/ip firewall filter",
        "add action=accept chain=input connection-state=established,related,untracked",
        "add action=drop chain=input connection-state=invalid",
        "add action=accept chain=input protocol=icmp",
        "add action=drop chain=input in-interface-list=!LAN",
        "add action=accept chain=forward connection-state=established,related,untracked",
        "add action=drop chain=forward connection-state=invalid",
    ]
    for i in range(n):
        kind = i % 10
        a, b, c = 10 + i // 65536 % 200, i // 256 % 256, i % 256
        if kind < 4:
            lines.append(f"add action=accept chain=forward src-address=10.{b}.{c}.{kind + 1}/32 protocol=tcp "
                         f"dst-port={1000 + i % 5000} comment=host{i}")
        elif kind == 4:
            lines.append(f"add action=drop chain=forward src-address=172.{16 + i % 16}.{b}.0/24 in-interface=ether1")
        elif kind == 5:
            lines.append(f"add action=accept chain=forward in-interface=vlan{i % 300} protocol=udp "
                         f"dst-port={2000 + i % 1000}-{3000 + i % 1000}")
        elif kind == 6:
            lines.append(f"add action=accept chain=forward src-address={a}.{b}.{c}.0/24 limit=100,5:packet")
        elif kind == 7:
            lines.append(f"add action=accept chain=forward connection-mark=m{i % 50} dst-address=192.0.{c}.0/24")
        elif kind == 8:  # covered by the /24 drop of kind 4 above
            j = i - 4
            lines.append(f"add action=accept chain=forward src-address=172.{16 + j % 16}.{j // 256 % 256}.9 "
                         "in-interface=ether1 protocol=tcp dst-port=22")
        else:  # a duplicate of the host accept before it
            j = i - 9
            lines.append(f"add action=accept chain=forward src-address=10.{j // 256 % 256}.{j % 256}.1/32 "
                         f"protocol=tcp dst-port={1000 + j % 5000}")
    lines.append("add action=drop chain=forward")
    return "\n".join(lines) + "\n"


def best(fn, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    from rosc.checks.context import CheckContext, DeviceRun
    from rosc.checks.registry import device_rules
    from rosc.lint.engine import gc_paused
    from rosc.model.builder import build_device
    from rosc.syntax.parser import parse_text

    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = generate(args.rules)
    parse_s, parsed = best(lambda: parse_text(text, "bench.rsc"), args.repeat)
    build_s, device = best(lambda: build_device(parsed), args.repeat)
    rules = [r for r in device_rules().values() if r.id.startswith("FW") and r.check is not None]

    def analyse():
        with gc_paused():
            run = DeviceRun(device)
            found = []
            for rule in rules:
                found.extend(rule.check(CheckContext(run, rule, rule.severity)))
            return found

    analysis_s, found = best(analyse, args.repeat)
    counts: dict[str, int] = {}
    for d in found:
        counts[d.code] = counts.get(d.code, 0) + 1
    print(f"rules in the chain: {args.rules}, file {len(text) / 1e6:.2f} MB, best of {args.repeat}")
    print(f"parse:    {parse_s:7.3f} s")
    print(f"model:    {build_s:7.3f} s")
    print(f"analysis: {analysis_s:7.3f} s  (policy model + {', '.join(r.id for r in rules)})")
    print(f"analysis / parse: {analysis_s / parse_s:.2f}")
    print("findings: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
