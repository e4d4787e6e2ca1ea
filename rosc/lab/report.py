"""REPORT.md of a lab build: devices, links, sessions and tunnels, internet
access, findings."""

from __future__ import annotations

import ipaddress

from rosc.diagnostics import Diagnostic, Severity
from rosc.lab.describe import outcome_text
from rosc.lab.graph import to_mermaid
from rosc.lab.loader import Lab
from rosc.lab.manifest import MANIFEST
from rosc.lab.network import Network

INTERNET_PROBE = "9.9.9.9"
TOPOLOGY_SVG = "topology.svg"


def _relative(lab: Lab, path: str) -> str:
    prefix = lab.shown.rstrip("/") + "/"
    return path[len(prefix):] if path.startswith(prefix) else path


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_report(lab: Lab, diagnostics: list[Diagnostic], built: list[str]) -> str:
    """REPORT.md: devices, links, sessions, tunnels, internet access, findings."""
    m = lab.manifest
    net = lab.configured(lab.default_choice())
    out = [f"# Lab {m.name}", "", f"Built by rosc from {MANIFEST}.", ""]
    out += ["## Devices", "", "| device | variant | source | built |", "|---|---|---|---|"]
    for name, entry in m.devices.items():
        for variant, file in entry.files.items():
            target = f"{name}-{variant}.rsc" if variant else f"{name}.rsc"
            shown_variant = "" if variant is None else variant + (" (default)" if variant == entry.default else "")
            done = target if target in built else "not built"
            out.append(f"| {name} | {shown_variant} | {file} | {done} |")
    out += ["", "## Topology", "", f"Cables, uplinks, PPPoE sessions and WireGuard tunnels of the default configuration "
            f"(with ports and addresses: [{TOPOLOGY_SVG}]({TOPOLOGY_SVG})).", "", "```mermaid", to_mermaid(net).rstrip("\n"), "```"]
    out += ["", "## Links", ""]
    topo = net.topology
    for a, b, _cable in topo.cables:
        ends = []
        for dev_name, port in (a, b):
            dev = net.devices[dev_name]
            l3 = topo.l3_interface(dev_name, port)
            addrs = [str(x.iface) for x in dev.facts.addresses if x.interface == l3 and x.iface.version == 4]
            where = f"{dev_name}:{port}" + (f" (bridge {l3})" if l3 != port else "")
            ends.append(where + (f" {', '.join(addrs)}" if addrs else ""))
        out.append(f"- cable {ends[0]} — {ends[1]}")
    for uplink in m.uplinks:
        out.append(f"- uplink {uplink.port} → {uplink.network}")
    if not topo.cables and not m.uplinks:
        out.append("- none")
    default_rows = None
    for choice in lab.configurations():
        label = _choice_label(lab, choice)
        network = lab.configured(choice)
        rows = _session_rows(network)
        if default_rows is None:
            default_rows = rows
            out += ["", f"## Sessions and tunnels{label}", ""]
            out += rows or ["- none"]
        elif rows != default_rows:
            out += ["", f"## Sessions and tunnels{label}", ""]
            out += [r for r in rows if r not in default_rows] or ["- none"]
    out += ["", f"## Internet access ({INTERNET_PROBE})", ""]
    for choice in lab.configurations():
        network = lab.configured(choice)
        if choice == lab.default_choice():
            names = list(network.devices)
        else:
            names = [n for n, v in choice.items() if v != lab.default_choice()[n]]
        for name in names:
            dev = network.devices[name]
            paths = network.simulation.trace(name, ipaddress.ip_address(INTERNET_PROBE))
            for p in paths:
                via = " → ".join(h.device for h in p.hops)
                share = f", {p.share} of the flows" if len(paths) > 1 else ""
                out.append(f"- {dev.label}{share}: {via}: {outcome_text(p)}")
    counts = {sev: sum(1 for d in diagnostics if d.severity == sev) for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    out += ["", "## Findings", "", ", ".join(f"{n} {sev.label}{'s' if n != 1 else ''}" for sev, n in counts.items()), ""]
    if diagnostics:
        out += ["| where | severity | rule | message |", "|---|---|---|---|"]
        for d in diagnostics:
            where = f"{_relative(lab, d.path)}:{d.span.line}:{d.span.column}"
            out.append(f"| {where} | {d.severity.label} | {d.code} | {_cell(d.message)} |")
    return "\n".join(out) + "\n"


def _session_rows(network: Network) -> list[str]:
    s = network.sessions
    rows = []
    for session in s.pppoe:
        addr = str(session.remote) if session.remote is not None else "no address"
        source = f"pool {session.pool}" if session.pool else "fixed"
        rows.append(
            f"- PPPoE {session.client.device} {session.client.name} ({session.client.interface}) → "
            f"{session.server.device} ({session.server.interface}), user {session.client.user}: "
            f"{addr} ({source}), gateway {session.local}"
        )
    for failure in s.pppoe_failures:
        rows.append(f"- PPPoE {failure.client.device} {failure.client.name}: no session ({failure.reason})")
    for lease in s.dhcp:
        if lease.server_device:
            rows.append(f"- DHCP {lease.device} {lease.interface} ← {lease.server_device}: {lease.address}, gateway {lease.gateway}")
        else:
            rows.append(f"- DHCP {lease.device} {lease.interface} ← uplink {lease.uplink.network}")
    sim = network.simulation
    for t in s.tunnels:
        up, why = sim.tunnel_up(t)
        ends = []
        for side in (t.a, t.b):
            addr = ", ".join(str(x.iface) for x in side.addresses) or "no address"
            ends.append(f"{side.device} {side.name} ({addr})")
        starts = [
            f"{loc.device} starts it ({peer.get('endpoint-address')}:{peer.get('endpoint-port') or remote.listen_port})"
            for loc, peer, remote, _ in t.sides() if peer is not None and peer.get("endpoint-address")
        ]
        state = "up" if up else f"down: {why}"
        rows.append(f"- WireGuard {ends[0]} ⇄ {ends[1]}; {'; '.join(starts) or 'no side starts it'}; {state}")
    return rows


def _choice_label(lab: Lab, choice: dict) -> str:
    if choice == lab.default_choice():
        multi = [n for n, e in lab.manifest.devices.items() if e.variants]
        if not multi:
            return ""
        return " (" + ", ".join(f"{n} {choice[n]}" for n in multi) + ")"
    changed = [f"{n} {v}" for n, v in choice.items() if v != lab.default_choice()[n]]
    return " (" + ", ".join(changed) + ")"
