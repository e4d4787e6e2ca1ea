"""The lab commands of the ``rosc`` command line: ``build``, ``route``,
``routes`` and ``graph``.  ``rosc.cli.main`` registers them on its group::

    from rosc.cli.lab import build, graph, route, routes
    for _command in (build, route, routes, graph):
        main.add_command(_command)

Exit codes as ``rosc lint``: 0 fine, 1 findings at or above the fail-on
severity (``route``: some path is dropped), 2 usage or input errors.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

import click
from rich.table import Table

from rosc.cli.options import apply_target_version, target_version_option
from rosc.cli.output import EXIT_FINDINGS, EXIT_OK, console, error, fail, plain
from rosc.diagnostics import Severity


def _console(stderr: bool = False):
    return console(stderr=stderr, width=160)


def _fail(message: str) -> None:
    fail(message)


def _load(lab_dir: str, config=None, allow_outside: bool = False):
    from rosc.lab.loader import load_lab
    from rosc.lab.manifest import ManifestError
    from rosc.report.text import print_diagnostics

    try:
        lab, diagnostics = load_lab(lab_dir, config, allow_outside)
    except ManifestError as exc:
        _fail(str(exc))
    if lab is None:
        print_diagnostics(_console(), diagnostics, _sources_of(diagnostics))
        error(_console(stderr=True), "the lab cannot be loaded: fix lab.toml first")
        sys.exit(EXIT_FINDINGS)
    return lab


def _options_outside(fn):
    return click.option(
        "--allow-outside-lab", "allow_outside", is_flag=True,
        help="Read device files lab.toml names outside the lab folder (by default refused).",
    )(fn)


def _sources_of(diagnostics) -> dict:
    from rosc.syntax.source import Source

    sources: dict[str, Source] = {}
    for d in diagnostics:
        if d.path in sources:
            continue
        try:
            sources[d.path] = Source(Path(d.path).read_text(encoding="utf-8"), d.path)
        except (OSError, UnicodeDecodeError):
            pass
    return sources


def _variants(lab, values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for text in values:
        for part in (p for p in text.split(",") if p.strip()):
            try:
                device, variant = lab.resolve_variant(part.strip())
                lab.choice({device: variant})
            except KeyError as exc:
                _fail(str(exc.args[0]))
            out[device] = variant
    return out


def _down(lab, values: tuple[str, ...]) -> tuple[set[tuple[str, str]], list[str]]:
    ports: set[tuple[str, str]] = set()
    shown: list[str] = []
    for text in values:
        try:
            ends = lab.resolve_port(text)
        except KeyError as exc:
            _fail(str(exc.args[0]))
        ports.update(ends)
        cable = lab.manifest.cable_of(ends[0])
        if cable is not None:
            shown.append(f"{text} (the cable {cable.a} — {cable.b})")
        else:
            shown.append(text)
    return ports, shown


def _options_variant(fn):
    return click.option(
        "--variant", "variants", multiple=True, metavar="[DEVICE=]VARIANT",
        help="Use this variant of a device (DEVICE= may be left out when one device has it); repeatable.",
    )(fn)


def _options_down(fn):
    return click.option(
        "--down", "down", multiple=True, metavar="DEVICE:PORT[=DEVICE:PORT]",
        help="Break this port, or this cable, before computing; repeatable.",
    )(fn)


# --- build ---------------------------------------------------------------------------------------


@click.command(name="build")
@click.argument("lab_dir", metavar="LAB")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), help="Write here instead of LAB/build.")
@click.option("--force", is_flag=True, help="Write the scripts even when there are errors.")
@click.option("--select", multiple=True, help="Rules to run: ids, id prefixes or areas; repeat or comma-separate.")
@click.option("--ignore", multiple=True, help="Rules to skip, as for --select.")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error"]), default=None,
              help="Exit 1 (and refuse to write) when a finding is at least this severe (default: error).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="rosc.toml or pyproject.toml to use.")
@_options_outside
@target_version_option
def build(lab_dir, out_dir, force, select, ignore, fail_on, config_path, allow_outside, target_version) -> None:
    """Check the lab in LAB (its lab.toml) and write one script per device and variant.

    The output folder (default LAB/build) is replaced as a whole, all at
    once; it must not hold the lab's files, nor files rosc did not write."""
    from rosc.cli.options import apply_options
    from rosc.lint.config import ConfigError, find_config, load_config
    from rosc.lab.build import BuildError, build_lab
    from rosc.lab.manifest import ManifestError
    from rosc.report.text import print_diagnostics

    try:
        config = load_config(Path(config_path) if config_path else find_config(Path(lab_dir)))
        config = apply_options(config, select, ignore)
    except ConfigError as exc:
        _fail(str(exc))
    apply_target_version(config, target_version)
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    config.fail_on = threshold
    try:
        report = build_lab(lab_dir, out_dir, force=force, config=config, allow_outside=allow_outside)
    except (ManifestError, BuildError) as exc:
        _fail(str(exc))
    except OSError as exc:
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        _fail(f"cannot write the build{where}: {exc.strerror or exc}: nothing written")
    out, err = _console(), _console(stderr=True)
    sources = report.lab.sources() if report.lab is not None else _sources_of(report.diagnostics)
    print_diagnostics(out, report.diagnostics, sources)
    counts = {sev: sum(1 for d in report.diagnostics if d.severity == sev) for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    summary = ", ".join(f"{n} {sev.label}{'s' if n != 1 else ''}" for sev, n in counts.items())
    if report.lab is None:
        plain(out, f"lab {lab_dir}: {summary}")
        error(err, "lab.toml cannot be used: nothing written")
        sys.exit(EXIT_FINDINGS)
    n_files = len(report.lab.files)
    plain(out, f"lab {report.lab.name}: {n_files} file{'s' if n_files != 1 else ''} checked: {summary}")
    failing = any(d.severity >= threshold for d in report.diagnostics)
    if report.refused:
        error(err, f"{report.errors or 'some'} finding(s) at or above {threshold.label}: nothing written "
                   "(--force writes anyway)")
        sys.exit(EXIT_FINDINGS)
    where = report.out_dir
    plain(err, f"wrote {len(report.written)} files to {where}")
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


# --- route ------------------------------------------------------------------------------------------


@click.command(name="route")
@click.argument("lab_dir", metavar="LAB")
@click.option("--from", "source", required=True, metavar="DEVICE", help="The device the packet starts from.")
@click.option("--to", "target", required=True, metavar="ADDRESS", help="The destination address.")
@click.option("--src", "src", metavar="ADDRESS",
              help="Source address (a host of a LAN of the device); default: the router's own address.")
@_options_variant
@_options_down
@_options_outside
@click.option("--proto", help="Protocol the firewalls on the way see (tcp, udp, icmp... or a number).")
@click.option("--dport", type=click.IntRange(0, 65535), help="Destination port (needs --proto).")
@click.option("--format", "fmt_", type=click.Choice(["text", "svg"]), default="text", show_default=True,
              help="text: hop by hop; svg: the lab's topology with the paths highlighted and where they end.")
def route(lab_dir, source, target, src, variants, down, allow_outside, proto, dport, fmt_) -> None:
    """Follow a packet from a device of LAB to ADDRESS, hop by hop across the lab."""
    from rosc.lab.describe import hop_text, outcome_text

    from rosc.lab.sim_firewall import Probe
    from rosc.model.firewall.values import protocol

    if proto is not None and protocol(proto) is None:
        _fail(f"unknown protocol {proto!r}")
    if dport is not None and proto is None:
        _fail("--dport needs --proto")
    lab = _load(lab_dir, allow_outside=allow_outside)
    if source not in lab.manifest.devices:
        _fail(f"no device {source!r} in the lab (devices: {', '.join(lab.manifest.devices)})")
    try:
        dst = ipaddress.IPv4Address(target)
    except ValueError:
        _fail(f"{target!r} is not an IPv4 address")
    src_ip = None
    if src:
        try:
            src_ip = ipaddress.IPv4Address(src)
        except ValueError:
            _fail(f"{src!r} is not an IPv4 address")
    overrides = _variants(lab, variants)
    ports, shown = _down(lab, down)
    network = lab.network(overrides, ports)
    sim = network.simulation
    out = _console()
    dev = network.devices[source]
    in_iface = None
    if src_ip is not None:
        in_iface = next((a.interface for a in dev.facts.addresses if a.iface.version == 4 and src_ip in a.network), None)
        if in_iface is None:
            _fail(f"{src_ip} is in no network of {source}")
    title = f"{dev.label} → {dst}"
    if src_ip is not None:
        title += f" from {src_ip} ({in_iface})"
    if shown:
        title += ", with " + ", ".join(shown) + " down"
    paths = sim.trace(source, dst, src_ip, in_interface=in_iface, probe=Probe(proto, dport))
    ok = [p for p in paths if p.ok]
    if fmt_ == "svg":
        from rosc.lab.svg import render_svg

        click.echo(render_svg(network, paths, title), nl=False)
        sys.exit(EXIT_OK if len(ok) == len(paths) else EXIT_FINDINGS)
    out.print(title, highlight=False)
    if len(paths) > 1:
        good = sum((p.share for p in ok), start=0)
        out.print(
            f"ECMP: {len(paths)} paths; {len(ok)} reach{'es' if len(ok) == 1 else ''} the destination "
            f"({_percent(good)} of the flows), {len(paths) - len(ok)} dropped ({_percent(1 - good)} of the flows)",
            highlight=False,
        )
    for n, path in enumerate(paths, 1):
        out.print("", highlight=False)
        if len(paths) > 1:
            out.print(f"path {n} of {len(paths)} ({_percent(path.share)} of the flows):", highlight=False)
        width = max(len(h.device) for h in path.hops)
        for hop in path.hops:
            out.print(f"  {hop.device.ljust(width)}  {hop_text(hop)}", highlight=False)
        mark = "✓" if path.ok else "✗"
        out.print(f"  {mark} {outcome_text(path)}", highlight=False)
    notes = sim.explain(source, dst)
    pppoe_up = [
        s for s in network.sessions.pppoe
        if s.client.device == source and any(h.out_interface == s.client.name for p in paths if not p.ok for h in p.hops[:1])
    ]
    if notes or pppoe_up:
        out.print("", highlight=False)
        out.print(f"on {source}:", highlight=False)
        for note in notes:
            out.print(f"  - {note}", highlight=False)
        for s in pppoe_up:
            out.print(
                f"  - {s.client.name} stays up: its PPPoE session with {s.server.device} does not depend on "
                f"what is behind {s.server.device}, so routes through it stay active",
                highlight=False,
            )
    if not sim.converged:
        out.print("note: check-gateway results did not settle (they flip each round); the tables shown are the last round",
                  highlight=False)
    sys.exit(EXIT_OK if len(ok) == len(paths) else EXIT_FINDINGS)


def _percent(share) -> str:
    value = float(share) * 100
    return f"{value:.0f}%" if abs(value - round(value)) < 0.05 else f"{value:.1f}%"


# --- routes ------------------------------------------------------------------------------------------


@click.command(name="routes")
@click.argument("lab_dir", metavar="LAB")
@click.option("--device", "device", required=True, metavar="DEVICE", help="The device whose table to print.")
@_options_variant
@_options_down
@_options_outside
def routes(lab_dir, device, variants, down, allow_outside) -> None:
    """Print the routing table a device of LAB computes, like /ip route print."""
    from rosc.lab.describe import flags, gateway_text, immediate_text, route_status

    lab = _load(lab_dir, allow_outside=allow_outside)
    if device not in lab.manifest.devices:
        _fail(f"no device {device!r} in the lab (devices: {', '.join(lab.manifest.devices)})")
    overrides = _variants(lab, variants)
    ports, shown = _down(lab, down)
    network = lab.network(overrides, ports)
    sim = network.simulation
    table = sim.tables[device]
    title = f"{network.devices[device].label}: routing table"
    if shown:
        title += ", with " + ", ".join(shown) + " down"
    out = _console()
    grid = Table(title=title, title_justify="left", header_style="bold", box=None, pad_edge=False)
    for col in ("#", "Flags", "Dst-Address", "Gateway", "Distance", "Scope", "Target-Scope", "Immediate-Gw"):
        grid.add_column(col, no_wrap=True, justify="right" if col == "#" else "left")
    rows = sorted(table.routes, key=lambda r: (int(r.dst.network_address), r.dst.prefixlen, r.fact.distance))
    notes = []
    for n, r in enumerate(rows):
        status = route_status(r)
        grid.add_row(
            str(n), flags(r), str(r.dst), gateway_text(r), str(r.fact.distance), str(r.fact.scope),
            str(r.fact.target_scope), immediate_text(r),
        )
        if status != "active":
            notes.append(f"  {n}: {status}")
    out.print(grid)
    out.print("Flags: D - dynamic, X - disabled, I - inactive, A - active; c - connect, s - static, d - dhcp, "
              "v - vpn (PPP); + - ECMP", highlight=False)
    if notes:
        out.print("Not active, or not on every gateway:", highlight=False)
        for note in notes:
            out.print(note, highlight=False)


# --- graph ------------------------------------------------------------------------------------------


@click.command(name="graph")
@click.argument("lab_dir", metavar="LAB")
@click.option("--format", "fmt_", type=click.Choice(["mermaid", "dot", "svg"]), default="mermaid", show_default=True,
              help="Mermaid (for Markdown) or Graphviz DOT.")
@_options_variant
@_options_outside
def graph(lab_dir, fmt_, variants, allow_outside) -> None:
    """Print the topology of LAB: cables, uplinks, PPPoE sessions, WireGuard tunnels."""
    from rosc.lab.graph import render

    lab = _load(lab_dir, allow_outside=allow_outside)
    network = lab.network(_variants(lab, variants))
    click.echo(render(network, fmt_), nl=False)


COMMANDS = (build, route, routes, graph)
