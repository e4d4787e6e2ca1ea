"""``rosc flow FILE --in IFACE --src A --dst B [--proto tcp --dport 22]``:
one packet through one device, chain by chain (``rosc.checks.flow``).

Exit status: 0 the packet reaches the router or leaves it, 1 it is dropped
(or has no route), 2 usage or input errors.
"""

from __future__ import annotations

import ipaddress
import json
import sys

import click

from rosc.cli.files import InputError, read
from rosc.cli.output import EXIT_FINDINGS, EXIT_OK, console, fail, json_text, plain

STATES = ("new", "established", "related", "invalid", "untracked")


@click.command(name="flow")
@click.argument("file")
@click.option("--in", "in_interface", required=True, help="The interface the packet arrives on.")
@click.option("--src", required=True, help="Source address.")
@click.option("--dst", required=True, help="Destination address.")
@click.option("--proto", help="Protocol: tcp, udp, icmp... or a number.")
@click.option("--dport", type=click.IntRange(0, 65535), help="Destination port.")
@click.option("--sport", type=click.IntRange(0, 65535), help="Source port.")
@click.option("--state", type=click.Choice(STATES), default="new", show_default=True, help="Connection state.")
@click.option("--format", "fmt_", type=click.Choice(["text", "json"]), default="text", show_default=True)
def flow(file, in_interface, src, dst, proto, dport, sport, state, fmt_) -> None:
    """Follow one packet through the device FILE configures: raw, mangle,
    dst-nat, routing, filter, src-nat, with the rule that decides each."""
    from rosc.checks.context import DeviceRun
    from rosc.checks.flow import device_flow
    from rosc.model.builder import build_device
    from rosc.model.firewall.values import protocol
    from rosc.syntax.parser import parse_bytes

    try:
        src_ip, dst_ip = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    except ValueError as exc:
        fail(str(exc))
    if src_ip.version != dst_ip.version:
        fail("--src and --dst are of different IP versions")
    if proto is not None and protocol(proto) is None:
        fail(f"unknown protocol {proto!r}")
    if (dport is not None or sport is not None) and proto is None:
        fail("--dport and --sport need --proto")
    try:
        data = read(file)
    except InputError as exc:
        fail(str(exc))
    name = "<stdin>" if file == "-" else file
    run = DeviceRun(build_device(parse_bytes(data, name)))
    result = device_flow(run, in_interface=in_interface, src=src_ip, dst=dst_ip, protocol=proto, dst_port=dport,
                         src_port=sport, state=state)
    if fmt_ == "json":
        doc = {
            "path": name, "outcome": result.outcome, "certain": result.certain,
            "destination": str(result.dst), "destination_port": result.dst_port,
            "out_interface": result.out_interface,
            "dropped_by_line": result.dropped_by.line if result.dropped_by is not None else None,
            "stages": [
                {
                    "stage": s.name, "text": s.text,
                    "action": s.verdict.action if s.verdict is not None else None,
                    "line": s.verdict.rule.line if s.verdict is not None and s.verdict.rule is not None else None,
                    "certain": s.verdict.certain if s.verdict is not None else True,
                }
                for s in result.stages
            ],
        }
        sys.stdout.write(json_text(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n")
    else:
        out = console()
        what = f"{src_ip} → {dst_ip}" + (f" {proto}" if proto else "") + (f" port {dport}" if dport is not None else "")
        plain(out, f"{name}: {what}, {state}, in {in_interface}")
        for s in result.stages:
            plain(out, f"  {s.name:<19} {s.text}")
        tail = {"accepted": "accepted: delivered to the router", "forwarded": f"forwarded out {result.out_interface}",
                "dropped": f"dropped at line {result.dropped_by.line if result.dropped_by else '?'}",
                "no route": "dropped: no route"}[result.outcome]
        if not result.certain:
            tail += " (not certain: some rules use matchers rosc cannot decide)"
        plain(out, "  => " + tail)
    sys.exit(EXIT_FINDINGS if result.dropped else EXIT_OK)
