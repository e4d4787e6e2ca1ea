"""Benchmark: the NAT, chain and mark checks (FW020–FW032) on a large rule
set, against parsing the same file.

    python bench/firewall_nat.py [--rules 10000] [--forwards 500] [--repeat 3]

The export holds ``--rules`` forward filter rules in one chain (per-host
accepts, per-subnet drops, jumps into small custom chains, connection-mark
accepts), ``--forwards`` port forwards (dst-nat rules to LAN hosts, each
walked through the forward chain by FW024 and the dstnat/srcnat chains by
FW025) and mangle marks with queues.  It prints the best time of parsing
(text to syntax tree), of building the device model, of the whole lint run
of these rules, and the analysis (lint minus parse and model: interface
lists, routing analysis, rule tables, walks, checks) ÷ parse.
"""

from __future__ import annotations

import argparse
import time


def generate(n: int, forwards: int) -> str:
    lines = [
        "# 2026-12-02 12:00:00 by RouterOS 7.16",
        "/interface bridge add name=bridge",
        "/interface list add name=WAN",
        "/interface list add name=LAN",
        "/interface list member add interface=ether1 list=WAN",
        "/interface list member add interface=bridge list=LAN",
        "/ip address add address=192.168.0.1/16 interface=bridge",
        "/ip dhcp-client add interface=ether1",
        "/ip firewall mangle",
    ]
    for m in range(50):
        lines.append(f"add action=mark-connection chain=forward new-connection-mark=m{m} passthrough=yes "
                     f"src-address=192.168.{m}.0/24")
        lines.append(f"add action=mark-packet chain=forward connection-mark=m{m} new-packet-mark=p{m} passthrough=no")
    lines.append("/queue tree")
    for m in range(50):
        lines.append(f"add max-limit=10M name=q{m} packet-mark=p{m} parent=global")
    lines += [
        "/ip firewall filter",
        "add action=accept chain=input connection-state=established,related,untracked",
        "add action=drop chain=input in-interface-list=!LAN",
        "add action=accept chain=forward connection-state=established,related,untracked",
    ]
    for i in range(n):
        kind = i % 8
        b, c = i // 256 % 256, i % 256
        if kind < 4:
            lines.append(f"add action=accept chain=forward dst-address=192.168.{b}.{c} protocol=tcp "
                         f"dst-port={1000 + i % 5000} in-interface-list=WAN")
        elif kind == 4:
            lines.append(f"add action=drop chain=forward src-address=172.{16 + i % 16}.{b}.0/24 in-interface=ether1")
        elif kind == 5:
            lines.append(f"add action=jump chain=forward jump-target=c{i // 8 % 40} dst-address=10.{b}.{c}.0/24")
        elif kind == 6:
            lines.append(f"add action=drop chain=c{i // 8 % 40} protocol=udp dst-port={i % 60000}")
        else:
            lines.append(f"add action=accept chain=forward connection-mark=m{i % 50}")
    lines.append("add action=drop chain=forward connection-nat-state=!dstnat in-interface-list=WAN")
    lines.append("/ip firewall nat")
    lines.append("add action=masquerade chain=srcnat out-interface-list=WAN")
    lines.append("add action=masquerade chain=srcnat src-address=192.168.0.0/16 dst-address=192.168.0.0/16 "
                 "out-interface=bridge")
    for j in range(forwards):
        lines.append(f"add action=dst-nat chain=dstnat dst-address-type=local dst-port={20000 + j} protocol=tcp "
                     f"to-addresses=192.168.{j // 250 % 250}.{1 + j % 250} to-ports=443")
    return "\n".join(lines) + "\n"


def best(fn, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    from rosc.lint.config import Config
    from rosc.lint.engine import lint_bytes
    from rosc.model.builder import build_device
    from rosc.syntax.parser import parse_text

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=10000)
    parser.add_argument("--forwards", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = generate(args.rules, args.forwards)
    data = text.encode()
    rules = [f"FW0{n}" for n in range(20, 33)]
    parse, parsed = best(lambda: parse_text(text, "bench.rsc"), args.repeat)
    model, _ = best(lambda: build_device(parsed), args.repeat)
    lint, result = best(lambda: lint_bytes(data, "bench.rsc", Config(select=rules)), args.repeat)
    found = sum(1 for d in result.diagnostics if d.code in rules)
    print(f"{args.rules} filter rules, {args.forwards} port forwards, {len(text.splitlines())} lines")
    print(f"parse:                 {parse * 1000:8.1f} ms")
    print(f"device model:          {model * 1000:8.1f} ms")
    print(f"lint FW020-FW032:      {lint * 1000:8.1f} ms  (parse, model, lists, routing, checks)")
    analysis = lint - parse - model
    print(f"analysis (lint - parse - model): {analysis * 1000:8.1f} ms  = {analysis / parse:.2f} x parse")
    print(f"findings: {found}")


if __name__ == "__main__":
    main()
