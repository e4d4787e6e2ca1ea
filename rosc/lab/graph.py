"""The topology of a lab as Mermaid or Graphviz DOT text: devices, cables
(solid, labelled with both ports), uplinks, PPPoE sessions (dashed, client →
server) and WireGuard tunnels (thick); as a picture, ``rosc.lab.svg``."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(slots=True)
class Edge:
    a: str
    b: str
    label: str
    kind: str  # cable | uplink | pppoe | wireguard | dhcp


def edges(network) -> tuple[list[str], list[str], list[Edge]]:
    """(devices, networks behind uplinks, edges) of one configuration."""
    devices = list(network.devices)
    clouds: list[str] = []
    out: list[Edge] = []
    for a, b, _cable in network.topology.cables:
        out.append(Edge(a[0], b[0], f"{a[1]} — {b[1]}", "cable"))
    for uplink in network.manifest.uplinks:
        if uplink.network not in clouds:
            clouds.append(uplink.network)
        out.append(Edge(uplink.port.device, uplink.network, uplink.port.port, "uplink"))
    s = network.sessions
    for session in s.pppoe:
        label = f"PPPoE {session.client.user}"
        if session.remote is not None:
            label += f" {session.remote}"
        out.append(Edge(session.client.device, session.server.device, label, "pppoe"))
    for lease in s.dhcp:
        if lease.server_device:
            label = f"DHCP {lease.address}" if lease.address else "DHCP"
            out.append(Edge(lease.device, lease.server_device, label, "dhcp"))
    for t in s.tunnels:
        ends = []
        for side in (t.a, t.b):
            ends.append(str(side.addresses[0].ip) if side.addresses else side.name)
        out.append(Edge(t.a.device, t.b.device, f"WireGuard {ends[0]} ⇄ {ends[1]}", "wireguard"))
    return devices, clouds, out


def _id(name: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return ident if ident and not ident[0].isdigit() else "n_" + ident


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def to_mermaid(network) -> str:
    devices, clouds, es = edges(network)
    lines = ["flowchart LR"]
    for name in devices:
        dev = network.devices[name]
        label = dev.label
        lines.append(f'    {_id(name)}["{_mermaid_text(label)}"]')
    for cloud in clouds:
        lines.append(f'    {_id("net_" + cloud)}(("{_mermaid_text(cloud)}"))')
    arrows = {"cable": "---", "uplink": "---", "pppoe": "-.->", "dhcp": "-.->", "wireguard": "<==>"}
    for e in es:
        b = _id("net_" + e.b) if e.kind == "uplink" else _id(e.b)
        lines.append(f'    {_id(e.a)} {arrows[e.kind]}|"{_mermaid_text(e.label)}"| {b}')
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def to_dot(network) -> str:
    devices, clouds, es = edges(network)
    name = network.manifest.name
    lines = [f'graph "{_dot_text(name)}" {{', "    rankdir=LR;", "    node [shape=box];"]
    for dev_name in devices:
        label = network.devices[dev_name].label
        lines.append(f'    "{_dot_text(dev_name)}" [label="{_dot_text(label)}"];')
    for cloud in clouds:
        lines.append(f'    "{_dot_text(cloud)}" [shape=ellipse];')
    style = {
        "cable": "",
        "uplink": "",
        "pppoe": ", style=dashed, dir=forward",
        "dhcp": ", style=dotted, dir=forward",
        "wireguard": ", style=bold, color=blue, dir=both",
    }
    for e in es:
        lines.append(f'    "{_dot_text(e.a)}" -- "{_dot_text(e.b)}" [label="{_dot_text(e.label)}"{style[e.kind]}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(network, fmt: str = "mermaid") -> str:
    if fmt == "dot":
        return to_dot(network)
    if fmt == "mermaid":
        return to_mermaid(network)
    if fmt == "svg":
        from rosc.lab.svg import render_svg

        return render_svg(network)
    raise ValueError(f"unknown graph format {fmt!r}: mermaid, dot or svg")


__all__ = ["render", "to_mermaid", "to_dot", "edges"]
