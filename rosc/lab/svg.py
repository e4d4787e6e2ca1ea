"""The topology of a lab as an SVG picture, with no system dependency.

Devices are boxes on layers: the networks behind uplinks (the internet) at
the top, the devices that hold the uplinks under them, then each device one
layer below the nearest device it is cabled to, so customers end up at the
bottom.  Within a layer, devices are ordered to keep cables short and
uncrossed (barycentre sweeps).  Cables are straight lines with the port and
its addresses at each end; PPPoE sessions (dashed, client → server), DHCP
leases (dotted) and WireGuard tunnels (thick) are curves beside them with a
label in the middle.

Every label is placed where it overlaps no box and no other label: each
candidate position along its line is tried in turn (then a widening spiral
around the best one), so the picture stays readable whatever the lab.  Text
widths are fixed with ``textLength`` (a monospace estimate the renderer is
told to honour), so the layout does not depend on the fonts installed.

``render_svg(network, paths=...)`` also highlights the packet paths of a
``Simulation.trace``: the links each path crosses, and a badge at the device
where it ends (reached, or dropped and why).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

from rosc.lab.describe import outcome_text
from rosc.lab.paths import Path

FONT = 12  # px
CHAR_W = 7.2  # px per character of FONT (monospace)
LINE_H = 16  # px per line of a label
PAD = 5  # px around the text of a label
LAYER_GAP = 250  # px between the centres of two layers
NODE_GAP = 190  # px between two boxes of a layer
MARGIN = 30
FONT_FAMILY = "DejaVu Sans Mono, Liberation Mono, Menlo, Consolas, monospace"

STYLE = {
    "cable": 'stroke="#4b5563" stroke-width="2"',
    "uplink": 'stroke="#4b5563" stroke-width="2"',
    "pppoe": 'stroke="#7c3aed" stroke-width="1.6" stroke-dasharray="7 4"',
    "dhcp": 'stroke="#0f766e" stroke-width="1.6" stroke-dasharray="2 4"',
    "wireguard": 'stroke="#2563eb" stroke-width="4" stroke-opacity="0.8"',
}
LABEL_COLOUR = {"cable": "#111827", "uplink": "#111827", "pppoe": "#5b21b6", "dhcp": "#115e59", "wireguard": "#1d4ed8"}


def text_width(text: str) -> float:
    return max(1, len(text)) * CHAR_W


@dataclass(slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: "Rect", margin: float = 3.0) -> bool:
        return not (
            self.x + self.w + margin <= other.x
            or other.x + other.w + margin <= self.x
            or self.y + self.h + margin <= other.y
            or other.y + other.h + margin <= self.y
        )


@dataclass(slots=True, eq=False)
class Node:
    name: str
    lines: list[str]
    kind: str  # "device" | "cloud"
    layer: int = 0
    x: float = 0.0  # centre
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0

    @property
    def rect(self) -> Rect:
        return Rect(self.x - self.w / 2, self.y - self.h / 2, self.w, self.h)


@dataclass(slots=True, eq=False)
class Link:
    kind: str  # cable | uplink | pppoe | dhcp | wireguard
    a: str
    b: str
    a_lines: list[str] = field(default_factory=list)  # label at a's end
    b_lines: list[str] = field(default_factory=list)  # label at b's end
    mid_lines: list[str] = field(default_factory=list)  # label in the middle
    a_port: str | None = None
    b_port: str | None = None
    points: list[tuple[float, float]] = field(default_factory=list)
    highlighted: bool = False


@dataclass(slots=True)
class Label:
    lines: list[str]
    rect: Rect
    colour: str
    role: str  # "link" | "badge-ok" | "badge-bad"


# --- what the picture holds ---------------------------------------------------------------


def _port_lines(network, device: str, port: str) -> list[str]:
    dev = network.devices[device]
    l3 = network.topology.l3_interface(device, port)
    lines = [port if l3 == port else f"{port} (bridge {l3})"]
    lines += [str(a.iface) for a in dev.facts.addresses if a.interface == l3 and a.iface.version == 4]
    return lines


def _model(network) -> tuple[dict[str, Node], list[Link]]:
    nodes: dict[str, Node] = {}
    for name, dev in network.devices.items():
        lines = [name] + ([f"({dev.variant})"] if dev.variant else [])
        nodes[name] = Node(name, lines, "device")
    links: list[Link] = []
    for a, b, _cable in network.topology.cables:
        links.append(Link("cable", a[0], b[0], _port_lines(network, *a), _port_lines(network, *b), a_port=a[1], b_port=b[1]))
    for uplink in network.manifest.uplinks:
        cloud = "net:" + uplink.network
        if cloud not in nodes:
            nodes[cloud] = Node(cloud, [uplink.network], "cloud")
        links.append(Link("uplink", uplink.port.device, cloud, _port_lines(network, uplink.port.device, uplink.port.port),
                          a_port=uplink.port.port))
    sessions = network.sessions
    for s in sessions.pppoe:
        label = [f"PPPoE {s.client.user}"] + ([f"{s.client.name} {s.remote}"] if s.remote is not None else [s.client.name])
        links.append(Link("pppoe", s.client.device, s.server.device, mid_lines=label, a_port=s.client.name))
    for lease in sessions.dhcp:
        if lease.server_device:
            label = [f"DHCP {lease.interface}"] + ([str(lease.address)] if lease.address else [])
            links.append(Link("dhcp", lease.device, lease.server_device, mid_lines=label, a_port=lease.interface))
    for t in sessions.tunnels:
        ends = [", ".join(str(x.ip) for x in side.addresses) or side.name for side in (t.a, t.b)]
        links.append(Link("wireguard", t.a.device, t.b.device, mid_lines=["WireGuard", f"{ends[0]} ⇄ {ends[1]}"],
                          a_port=t.a.name, b_port=t.b.name))
    return nodes, links


# --- layout -------------------------------------------------------------------------------


def _layers(nodes: dict[str, Node], links: list[Link]) -> list[list[str]]:
    neighbours: dict[str, list[str]] = {n: [] for n in nodes}
    for link in links:
        if link.kind in ("cable", "uplink"):
            neighbours[link.a].append(link.b)
            neighbours[link.b].append(link.a)
    clouds = [n for n, node in nodes.items() if node.kind == "cloud"]
    layer: dict[str, int] = {c: 0 for c in clouds}
    queue = list(clouds)
    devices = [n for n, node in nodes.items() if node.kind == "device"]
    while True:
        while queue:
            current = queue.pop(0)
            for nxt in neighbours[current]:
                if nxt not in layer:
                    layer[nxt] = layer[current] + 1
                    queue.append(nxt)
        rest = [d for d in devices if d not in layer]
        if not rest:
            break
        # a part of the lab with no uplink: start at its most connected device
        start = max(rest, key=lambda d: (len(neighbours[d]), -devices.index(d)))
        layer[start] = 1 if clouds else 0
        queue.append(start)
    top = min(layer.values())
    out: list[list[str]] = [[] for _ in range(max(layer.values()) - top + 1)]
    for name in nodes:  # manifest order within a layer, to start with
        out[layer[name] - top].append(name)
    return out


def _adjacent(links: list[Link]) -> dict[str, set[str]]:
    adjacent: dict[str, set[str]] = {}
    for link in links:
        adjacent.setdefault(link.a, set()).add(link.b)
        adjacent.setdefault(link.b, set()).add(link.a)
    return adjacent


def _order(layers: list[list[str]], adjacent: dict[str, set[str]]) -> None:
    """Barycentre sweeps, down then up: each device moves towards the mean
    position of its neighbours in the layer before."""
    for _ in range(4):
        for rows in (range(1, len(layers)), range(len(layers) - 2, -1, -1)):
            for i in rows:
                ref = layers[i - 1] if rows.step == 1 else layers[i + 1]
                pos = {n: k for k, n in enumerate(ref)}
                current = {n: k for k, n in enumerate(layers[i])}

                def key(n: str) -> tuple[float, int]:
                    near = [pos[m] for m in adjacent.get(n, ()) if m in pos]
                    return (sum(near) / len(near) if near else current[n], current[n])

                layers[i].sort(key=key)


def _reach(links: list[Link]) -> dict[str, float]:
    """How wide the labels at each device's cable ends are."""
    out: dict[str, float] = {}
    for link in links:
        for end, lines in ((link.a, link.a_lines), (link.b, link.b_lines)):
            if lines:
                out[end] = max(out.get(end, 0.0), _label_size(lines)[0])
    return out


def _gap(nodes: dict[str, Node], reach: dict[str, float], a: str, b: str) -> float:
    """Centre-to-centre distance of two neighbours in a layer."""
    labels = (reach.get(a, 0.0) + reach.get(b, 0.0)) / 2 + 40
    return (nodes[a].w + nodes[b].w) / 2 + max(NODE_GAP, labels)


def _place(nodes: dict[str, Node], layers: list[list[str]], neighbours: dict[str, set[str]], reach: dict[str, float]) -> None:
    for node in nodes.values():
        width = max(text_width(line) for line in node.lines)
        if node.kind == "cloud":
            node.w, node.h = max(120.0, width + 50), 50.0
        else:
            node.w, node.h = max(96.0, width + 2 * 12), 16.0 + LINE_H * len(node.lines)
    widths = [nodes[row[0]].w / 2 + nodes[row[-1]].w / 2 + sum(_gap(nodes, reach, a, b) for a, b in zip(row, row[1:])) for row in layers]
    widest = max(widths)
    for i, row in enumerate(layers):
        x = MARGIN + (widest - widths[i]) / 2 + nodes[row[0]].w / 2
        for k, name in enumerate(row):
            node = nodes[name]
            if k:
                x += _gap(nodes, reach, row[k - 1], name)
            node.x = x
            node.y = MARGIN + 60 + i * LAYER_GAP
            node.layer = i
    # Then each layer moves toward the layer it hangs from, starting at the
    # widest: a device sits above (or below) the middle of its neighbours.
    pivot = widths.index(widest)
    order = list(range(pivot - 1, -1, -1)) + list(range(pivot + 1, len(layers)))
    for i in order:
        ref = i + 1 if i < pivot else i - 1
        _align(nodes, layers[i], set(layers[ref]), neighbours, reach)


def _align(nodes: dict[str, Node], row: list[str], ref: set[str], neighbours: dict[str, set[str]], reach: dict[str, float]) -> None:
    wanted = []
    for name in row:
        near = [nodes[m].x for m in neighbours.get(name, ()) if m in ref]
        wanted.append(sum(near) / len(near) if near else nodes[name].x)
    xs: list[float] = []
    for k, name in enumerate(row):  # keep the order and the gaps, as close to the wish as that allows
        x = wanted[k]
        if xs:
            x = max(x, xs[-1] + _gap(nodes, reach, row[k - 1], name))
        xs.append(x)
    shift = sum(w - x for w, x in zip(wanted, xs)) / len(xs)  # then centre the row on the wishes
    for name, x in zip(row, xs):
        nodes[name].x = x + shift


def _clip(node: Node, toward: tuple[float, float]) -> tuple[float, float]:
    """Where the line from ``node``'s centre toward a point leaves its box."""
    dx, dy = toward[0] - node.x, toward[1] - node.y
    if dx == 0 and dy == 0:
        return node.x, node.y
    if node.kind == "cloud":
        a, b = node.w / 2, node.h / 2
        scale = 1 / math.sqrt((dx / a) ** 2 + (dy / b) ** 2)
    else:
        scale = min(node.w / 2 / abs(dx) if dx else math.inf, node.h / 2 / abs(dy) if dy else math.inf)
    return node.x + dx * scale, node.y + dy * scale


def _route_links(nodes: dict[str, Node], links: list[Link]) -> None:
    overlay_count: dict[frozenset, int] = {}
    for link in links:
        a, b = nodes[link.a], nodes[link.b]
        if link.kind in ("cable", "uplink"):
            link.points = [_clip(a, (b.x, b.y)), _clip(b, (a.x, a.y))]
            continue
        pair = frozenset((link.a, link.b))
        k = overlay_count.get(pair, 0)
        overlay_count[pair] = k + 1
        mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
        if a.layer == b.layer:  # side by side: bow below the row, clear of the boxes in between
            cx, cy = mx, my + LAYER_GAP * (0.55 + 0.25 * k)
        else:
            length = math.hypot(b.x - a.x, b.y - a.y) or 1
            nx, ny = -(b.y - a.y) / length, (b.x - a.x) / length
            off = 70 + 45 * k
            cx, cy = mx + nx * off, my + ny * off
        samples = [_bezier((a.x, a.y), (cx, cy), (b.x, b.y), i / 48) for i in range(49)]
        inside_a, inside_b = a.rect, b.rect
        kept = [p for p in samples if not _inside(inside_a, p) and not _inside(inside_b, p)]
        link.points = kept or [(a.x, a.y), (b.x, b.y)]


def _bezier(p0, p1, p2, t: float) -> tuple[float, float]:
    u = 1 - t
    return (u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1])


def _inside(r: Rect, p: tuple[float, float]) -> bool:
    return r.x <= p[0] <= r.x + r.w and r.y <= p[1] <= r.y + r.h


def _along(points: list[tuple[float, float]], distance: float) -> tuple[float, float]:
    """The point ``distance`` px along the polyline (negative: from the end)."""
    if distance < 0:
        points = points[::-1]
        distance = -distance
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        step = math.hypot(x1 - x0, y1 - y0)
        if step >= distance and step > 0:
            f = distance / step
            return x0 + (x1 - x0) * f, y0 + (y1 - y0) * f
        distance -= step
    return points[-1]


def _length(points: list[tuple[float, float]]) -> float:
    return sum(math.hypot(x1 - x0, y1 - y0) for (x0, y0), (x1, y1) in zip(points, points[1:]))


# --- labels --------------------------------------------------------------------------------


def _label_size(lines: list[str]) -> tuple[float, float]:
    return max(text_width(line) for line in lines) + 2 * PAD, LINE_H * len(lines) + 2 * PAD - 4


class _Placer:
    """Puts each label where it overlaps nothing placed before it."""

    def __init__(self, taken: list[Rect]):
        self.taken = list(taken)

    def free(self, rect: Rect) -> bool:
        return not any(rect.overlaps(t) for t in self.taken)

    def place(self, lines: list[str], anchors: list[tuple[float, float]]) -> Rect:
        w, h = _label_size(lines)
        offsets = [(0, 0), (0, -(h / 2 + 6)), (0, h / 2 + 6), (w / 2 + 8, 0), (-(w / 2 + 8), 0),
                   (w / 2 + 8, -(h / 2 + 6)), (-(w / 2 + 8), h / 2 + 6), (w / 2 + 8, h / 2 + 6), (-(w / 2 + 8), -(h / 2 + 6))]
        for ax, ay in anchors:
            for ox, oy in offsets:
                rect = Rect(ax + ox - w / 2, ay + oy - h / 2, w, h)
                if self.free(rect):
                    self.taken.append(rect)
                    return rect
        ax, ay = anchors[0]
        for step in range(1, 4000):  # a widening spiral around the best anchor
            angle = step * 0.5
            radius = 6 + step * 1.5
            rect = Rect(ax + math.cos(angle) * radius - w / 2, ay + math.sin(angle) * radius - h / 2, w, h)
            if self.free(rect):
                self.taken.append(rect)
                return rect
        right = max((t.x + t.w for t in self.taken), default=0) + 20  # always free
        rect = Rect(right, ay - h / 2, w, h)
        self.taken.append(rect)
        return rect


def _end_anchors(points: list[tuple[float, float]], from_end: bool) -> list[tuple[float, float]]:
    total = _length(points)
    out = []
    for d in (34, 52, 72, 94, 118):
        d = min(d, total / 2.2)
        out.append(_along(points, -d if from_end else d))
    return out


def _mid_anchors(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    total = _length(points)
    return [_along(points, total * f) for f in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74)]


# --- paths ---------------------------------------------------------------------------------


def _highlight(network, nodes: dict[str, Node], links: list[Link], paths: list[Path]) -> list[tuple[str, list[str], bool]]:
    """Mark the links the paths cross; return the badges (device, lines, ok)."""
    badges = []
    for path in paths:
        hops = path.hops
        for hop, nxt in zip(hops, hops[1:]):
            link = _link_between(network, links, hop.device, nxt.device, hop.out_interface)
            if link is not None:
                link.highlighted = True
        last = hops[-1] if hops else None
        if last is None:
            continue
        if path.outcome == "internet" and path.uplink is not None:
            for link in links:
                if link.kind == "uplink" and link.a == last.device and link.b == "net:" + path.uplink.network:
                    link.highlighted = True
        share = f" ({path.share} of the flows)" if len(paths) > 1 else ""
        mark = "✓" if path.ok else "✗"
        text = f"{mark} {outcome_text(path)}{share}"
        badges.append((last.device, _wrap(text, 46), path.ok))
    return badges


def _link_between(network, links: list[Link], a: str, b: str, out_iface: str | None) -> Link | None:
    candidates = [link for link in links if {link.a, link.b} == {a, b}]
    if not candidates:
        return None
    for link in candidates:  # the session or tunnel the packet left by
        if link.kind in ("pppoe", "wireguard", "dhcp") and out_iface is not None:
            mine = link.a_port if link.a == a else link.b_port
            if mine == out_iface:
                return link
    for link in candidates:
        if link.kind == "cable" and out_iface is not None:
            port = link.a_port if link.a == a else link.b_port
            if port is not None and (port == out_iface or network.topology.l3_interface(a, port) == out_iface):
                return link
    cables = [link for link in candidates if link.kind == "cable"]
    return cables[0] if cables else candidates[0]


def _wrap(text: str, width: int) -> list[str]:
    words, lines, current = text.split(" "), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return lines + ([current] if current else [])


# --- drawing -------------------------------------------------------------------------------


def _text(x: float, y: float, line: str, colour: str, role: str, weight: str = "normal", anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" fill="{colour}" font-weight="{weight}" text-anchor="{anchor}" '
        f'textLength="{text_width(line):.1f}" lengthAdjust="spacingAndGlyphs" data-role="{role}">{escape(line)}</text>'
    )


def _label_svg(label: Label) -> list[str]:
    r = label.rect
    fill, stroke = "#ffffff", "#d1d5db"
    if label.role == "badge-ok":
        fill, stroke = "#ecfdf5", "#059669"
    elif label.role == "badge-bad":
        fill, stroke = "#fef2f2", "#dc2626"
    out = [f'<rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.w:.1f}" height="{r.h:.1f}" rx="3" fill="{fill}" '
           f'fill-opacity="0.92" stroke="{stroke}" stroke-width="0.8" data-role="label-box"/>']
    for i, line in enumerate(label.lines):
        out.append(_text(r.x + PAD, r.y + PAD + FONT - 1 + i * LINE_H, line, label.colour, label.role))
    return out


def render_svg(network, paths: list[Path] | None = None, title: str | None = None) -> str:
    """The topology of one configuration of a lab as SVG text."""
    nodes, links = _model(network)
    if not nodes:  # no device could be read (a file too large...): a picture that says so
        caption = escape(title or "lab") + ": no device to draw"
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40" viewBox="0 0 320 40">'
                f'<text x="8" y="24" font-family="sans-serif" font-size="{FONT}">{caption}</text></svg>\n')
    layers = _layers(nodes, links)
    adjacent = _adjacent(links)
    _order(layers, adjacent)
    _place(nodes, layers, adjacent, _reach(links))
    _route_links(nodes, links)
    badges = _highlight(network, nodes, links, paths) if paths else []

    placer = _Placer([n.rect for n in nodes.values()])
    labels: list[Label] = []
    for device, lines, ok in badges:  # badges first: they sit right by their device
        node = nodes[device]
        w, h = _label_size(lines)
        anchors = [(node.x, node.y + node.h / 2 + h / 2 + 8), (node.x + node.w / 2 + w / 2 + 8, node.y),
                   (node.x - node.w / 2 - w / 2 - 8, node.y), (node.x, node.y - node.h / 2 - h / 2 - 8)]
        labels.append(Label(lines, placer.place(lines, anchors), "#065f46" if ok else "#991b1b", "badge-ok" if ok else "badge-bad"))
    for link in links:
        colour = LABEL_COLOUR[link.kind]
        if link.a_lines:
            labels.append(Label(link.a_lines, placer.place(link.a_lines, _end_anchors(link.points, False)), colour, "link"))
        if link.b_lines:
            labels.append(Label(link.b_lines, placer.place(link.b_lines, _end_anchors(link.points, True)), colour, "link"))
        if link.mid_lines:
            labels.append(Label(link.mid_lines, placer.place(link.mid_lines, _mid_anchors(link.points)), colour, "link"))

    boxes = [n.rect for n in nodes.values()] + [l.rect for l in labels]
    for link in links:
        xs = [p[0] for p in link.points]
        ys = [p[1] for p in link.points]
        boxes.append(Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    min_x = min(b.x for b in boxes) - MARGIN
    min_y = min(b.y for b in boxes) - MARGIN - (24 if title else 0)
    width = max(b.x + b.w for b in boxes) + MARGIN - min_x
    height = max(b.y + b.h for b in boxes) + MARGIN - min_y

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="{min_x:.1f} {min_y:.1f} {width:.1f} {height:.1f}" font-family="{FONT_FAMILY}" font-size="{FONT}">',
        f"<title>{escape(title or 'lab ' + network.manifest.name)}</title>",
        f'<rect x="{min_x:.1f}" y="{min_y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="#ffffff"/>',
    ]
    if title:
        out.append(_text(min_x + MARGIN, min_y + MARGIN, title, "#111827", "title", "bold"))
    for link in links:
        d = "M " + " L ".join(f"{x:.1f} {y:.1f}" for x, y in link.points)
        out.append(f'<path d="{d}" {STYLE[link.kind]} fill="none" data-role="link" data-kind="{link.kind}"/>')
        if link.highlighted:
            out.append(f'<path d="{d}" stroke="#f97316" stroke-width="7" stroke-opacity="0.55" fill="none" '
                       f'stroke-linecap="round" data-role="path" data-kind="{link.kind}"/>')
    for node in nodes.values():
        r = node.rect
        if node.kind == "cloud":
            out.append(f'<ellipse cx="{node.x:.1f}" cy="{node.y:.1f}" rx="{node.w / 2:.1f}" ry="{node.h / 2:.1f}" '
                       f'fill="#f3f4f6" stroke="#6b7280" stroke-width="1.5" data-role="cloud"/>')
        else:
            out.append(f'<rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.w:.1f}" height="{r.h:.1f}" rx="6" fill="#eff6ff" '
                       f'stroke="#1e3a8a" stroke-width="1.5" data-role="device-box" data-device="{escape(node.name)}"/>')
        top = node.y - (len(node.lines) - 1) * LINE_H / 2 + FONT / 2 - 2
        for i, line in enumerate(node.lines):
            weight = "bold" if i == 0 else "normal"
            out.append(_text(node.x, top + i * LINE_H, line, "#111827", "device" if node.kind == "device" else "cloud", weight, "middle"))
    for label in labels:
        out.extend(_label_svg(label))
    out.append("</svg>")
    return "\n".join(out) + "\n"


__all__ = ["render_svg", "text_width", "Rect"]
