"""Generate a large, realistic `/export`-style script for the benchmarks."""

from __future__ import annotations

import random


def generate_export(commands: int = 100_000, seed: int = 7) -> str:
    """About 150 bytes a command: firewall filter rules and address-list
    entries with quoted comments and ``\\``-continued long lines."""
    rnd = random.Random(seed)
    lines = ["# 2026-11-28 12:00:00 by RouterOS 7.16", "# software id = BENCH-0001", "#"]
    actions = ["accept", "drop", "reject", "jump", "log"]
    chains = ["input", "forward", "output"]
    protocols = ["tcp", "udp", "icmp"]
    half = commands // 2
    lines.append("/ip firewall address-list")
    for i in range(half):
        a, b, c = rnd.randrange(1, 224), rnd.randrange(256), rnd.randrange(256)
        lines.append(
            f'add address={a}.{b}.{c}.0/24 comment="customer block {i} \\"site-{i % 97}\\"" '
            f"list=customers-{i % 50}"
        )
    lines.append("/ip firewall filter")
    for i in range(commands - half):
        action = actions[i % len(actions)]
        extra = " jump-target=custom" if action == "jump" else ""
        port = rnd.randrange(1, 65535)
        lines.append(
            f"add action={action} chain={chains[i % 3]} comment=\"rule {i}: allow service on port {port}\" \\\n"
            f"    connection-state=new dst-address-list=customers-{i % 50} dst-port={port},{port + 1} \\\n"
            f"    protocol={protocols[i % 3]} src-address=!10.{i % 256}.0.0/16{extra}"
        )
    return "\n".join(lines) + "\n"
