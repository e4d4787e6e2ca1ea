"""WireGuard checks on one device: peers' allowed-address, routes into a
WireGuard interface, endpoints and keys.

WireGuard chooses the peer of an outgoing packet by its destination address
among the peers' ``allowed-address`` prefixes (cryptokey routing), and
accepts a packet from a peer only if its source is in that peer's prefixes.
"""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_right
from dataclasses import dataclass

from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.device import Item
from rosc.model.facts import parse_ip, parse_network
from rosc.model.list_values import TextSpan as _Span
from rosc.syntax.tree import Word

PEERS = "/interface wireguard peers"
WG_MENU = "/interface wireguard"

# 32 bytes of base64: 42 free characters, one whose low 2 bits are zero, `=`.
_KEY = re.compile(r"[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=\Z")
_B64 = re.compile(r"[A-Za-z0-9+/]*=*\Z")




@dataclass(slots=True, eq=False)
class _Allowed:
    net: ipaddress.IPv4Network | ipaddress.IPv6Network
    text: str
    peer: Item
    node: object


def _line(ctx, node) -> int:
    return ctx.source.line_col(node.start)[0] if node is not None else 0


def _peer_label(ctx, peer: Item) -> str:
    name = peer.get("name")
    if name:
        return f'peer "{name}" (line {_line(ctx, peer.node())})'
    key = peer.get("public-key")
    if key:
        return f"peer {key[:8]}... (line {_line(ctx, peer.node())})"
    return f"the peer on line {_line(ctx, peer.node())}"


def _elements(item: Item, name: str) -> list[tuple[str, object]] | None:
    """The comma-separated elements of a list argument, each with the node to
    point at (the element itself when the value is a bare word).  None when
    the value is computed by the script."""
    arg = item.arg(name)
    if arg is None:
        return []
    text = item.get(name)
    if text is None:
        return None
    value = arg.value
    out = []
    pos = 0
    for part in text.split(","):
        if part:
            if type(value) is Word:
                node = _Span(value.start + pos, value.start + pos + len(part))
            else:
                node = item.node(name)
            out.append((part.strip(), node))
        pos += len(part) + 1
    return out


class _Peers:
    """The WireGuard interfaces and their peers, computed once per check."""

    def __init__(self, ctx):
        self.device = ctx.device
        self.facts = ctx.facts
        self.interfaces = {
            name: d.item for name, d in self.facts.interfaces.items() if d.kind == "wireguard"
        }
        self.undecidable = any(c.menu_path == PEERS for c in self.device.unresolved)
        self.by_interface: dict[str, list[Item]] = {}
        self.unknown: set[str] = set()  # interfaces with a computed allowed-address
        for peer in self.device.items(PEERS):
            iface = peer.get("interface")
            if not iface:
                continue
            self.by_interface.setdefault(iface, []).append(peer)
            if _elements(peer, "allowed-address") is None:
                self.unknown.add(iface)

    def allowed(self, peer: Item) -> list[_Allowed]:
        out = []
        for text, node in _elements(peer, "allowed-address") or ():
            net = parse_network(text)
            if net is not None:
                out.append(_Allowed(net, text, peer, node))
        return out


@rule(
    "WG001", "duplicate-allowed-address", area="wireguard", severity=Severity.ERROR,
    summary="Two peers of one WireGuard interface allow the same prefix",
)
def duplicate_allowed_address(ctx):
    yield from _overlaps(ctx, want_equal=True)


@rule(
    "WG002", "overlapping-allowed-address", area="wireguard", severity=Severity.WARNING,
    summary="A peer's allowed-address contains another peer's on the same interface",
)
def overlapping_allowed_address(ctx):
    yield from _overlaps(ctx, want_equal=False)


def _overlaps(ctx, want_equal: bool):
    peers = _Peers(ctx)
    for iface, items in peers.by_interface.items():
        if iface in peers.unknown:
            continue
        entries = [a for p in items if not p.disabled for a in peers.allowed(p)]
        # Prefixes are nested or disjoint: sort so that a prefix comes right
        # after the ones containing it, and keep the chain of enclosing
        # prefixes on a stack (at most 129 deep).
        entries.sort(key=lambda a: (a.net.version, int(a.net.network_address), a.net.prefixlen))
        stack: list[_Allowed] = []
        for entry in entries:
            while stack and (
                stack[-1].net.version != entry.net.version
                or int(stack[-1].net.broadcast_address) < int(entry.net.network_address)
            ):
                stack.pop()
            other = next((s for s in reversed(stack) if s.peer is not entry.peer), None)
            if other is not None:
                if other.net == entry.net and want_equal:
                    yield ctx.finding(
                        entry.node,
                        f"{entry.net} is already allowed for {_peer_label(ctx, other.peer)} on {iface}: "
                        f"WireGuard routes a prefix to one peer only",
                        notes=[
                            "WireGuard keeps each allowed prefix on a single peer of an interface: when two "
                            "peers list the same prefix, one of them silently loses it, so its traffic goes "
                            "to the other peer and packets it sends from that prefix are dropped.",
                            "Allowed-address ranges cannot overlap on one interface (help.mikrotik.com: WireGuard).",
                        ],
                        fix=f"give each peer of {iface} its own prefix (usually the peer's tunnel address as /32 "
                        "plus the networks behind it)",
                    )
                elif other.net != entry.net and not want_equal:
                    yield ctx.finding(
                        entry.node,
                        f"{entry.net} lies inside {other.net}, which is allowed for {_peer_label(ctx, other.peer)} "
                        f"on {iface}",
                        notes=[
                            "WireGuard sends a packet to the peer with the most specific allowed prefix, so "
                            f"{_peer_label(ctx, other.peer)} no longer gets traffic for {entry.net}, and packets "
                            f"it sends from {entry.net} are dropped.",
                            "Allowed-address ranges cannot overlap on one interface (help.mikrotik.com: WireGuard).",
                            "Ignore this when it is intended, for example a peer that is the exit to the internet "
                            "(0.0.0.0/0) next to peers for single sites.",
                        ],
                        fix=f"remove {other.net} or {entry.net}, or split the wider prefix so the two do not overlap",
                    )
            stack.append(entry)


class _Coverage:
    """The union of allowed prefixes of one interface, for containment tests."""

    def __init__(self, nets):
        self.by_version: dict[int, tuple[list[int], list]] = {}
        for version in (4, 6):
            merged = sorted(
                ipaddress.collapse_addresses([n for n in nets if n.version == version]),
                key=lambda n: int(n.network_address),
            )
            self.by_version[version] = ([int(n.network_address) for n in merged], merged)

    def covered(self, dst) -> tuple[bool, list]:
        """(fully covered, the allowed parts of ``dst`` when only partly)."""
        starts, nets = self.by_version[dst.version]
        first, last = int(dst.network_address), int(dst.broadcast_address)
        i = bisect_right(starts, first) - 1
        if i >= 0 and int(nets[i].broadcast_address) >= last:
            return True, []
        parts = []
        j = bisect_right(starts, first - 1)
        while j < len(nets) and starts[j] <= last:
            parts.append(nets[j])
            j += 1
        return False, parts


def _wireguard_of_gateway(gateway: str, peers: _Peers, wg_nets: dict) -> str | None:
    if gateway in peers.interfaces:
        return gateway
    ip_text, _, iface = gateway.partition("%")
    if iface:
        return iface if iface in peers.interfaces else None
    ip = parse_ip(ip_text)
    if ip is None:
        return None
    for prefixlen, nets in wg_nets.get(ip.version, {}).items():
        net = ipaddress.ip_network(f"{ip}/{prefixlen}", strict=False)
        iface = nets.get(net)
        if iface is not None:
            return iface
    return None


@rule(
    "WG003", "route-not-allowed", area="wireguard", severity=Severity.WARNING,
    summary="A route into a WireGuard interface towards a prefix no peer allows",
)
def route_not_allowed(ctx):
    peers = _Peers(ctx)
    if not peers.interfaces or peers.undecidable:
        return
    # The networks of the WireGuard interfaces' own addresses: a gateway
    # address in one of them is reached through that interface.
    wg_nets: dict[int, dict[int, dict]] = {}
    for fact in peers.facts.addresses:
        if fact.interface in peers.interfaces:
            wg_nets.setdefault(fact.network.version, {}).setdefault(fact.network.prefixlen, {})[fact.network] = (
                fact.interface
            )
    coverage: dict[str, tuple[_Coverage, _Coverage]] = {}
    for route in peers.facts.routes:
        if route.kind != "static" or route.disabled or route.item is None:
            continue
        seen: set[str] = set()
        for gateway in route.gateways:
            iface = _wireguard_of_gateway(gateway, peers, wg_nets)
            if iface is None or iface in seen or iface in peers.unknown:
                continue
            seen.add(iface)
            wg_item = peers.interfaces[iface]
            if wg_item is not None and wg_item.disabled:
                continue
            if iface not in coverage:
                items = peers.by_interface.get(iface, [])
                enabled = [a.net for p in items if not p.disabled for a in peers.allowed(p)]
                disabled = [a.net for p in items if p.disabled for a in peers.allowed(p)]
                coverage[iface] = (_Coverage(enabled), _Coverage(disabled))
            live, off = coverage[iface]
            dst = route.dst
            full, parts = live.covered(dst)
            if full:
                continue
            node = route.item.node("dst-address") if route.item.arg("dst-address") else route.item.node("gateway")
            into = f"{iface} (gateway {gateway})" if gateway != iface else iface
            notes = [
                "WireGuard sends a packet to the peer whose allowed-address contains the packet's destination; "
                "when no peer's does, the packet is dropped without any error (the gateway address does not "
                "choose the peer).",
            ]
            if parts:
                shown = ", ".join(str(p) for p in parts[:4]) + (", ..." if len(parts) > 4 else "")
                message = (
                    f"the route to {dst} goes into {into}, but the peers of {iface} allow only part of it "
                    f"({shown}): packets to the rest are dropped"
                )
            elif off.covered(dst)[0] or off.covered(dst)[1]:
                message = (
                    f"the route to {dst} goes into {into}, but only a disabled peer of {iface} allows "
                    f"{dst}: packets are dropped"
                )
            elif not peers.by_interface.get(iface):
                message = f"the route to {dst} goes into {into}, but {iface} has no peers: packets are dropped"
            else:
                message = (
                    f"the route to {dst} goes into {into}, but no peer of {iface} allows {dst} "
                    f"in allowed-address: packets are dropped"
                )
            yield ctx.finding(
                node,
                message,
                notes=notes,
                fix=f"add {dst} to the allowed-address of the peer that leads there, or route {dst} elsewhere",
            )


@rule(
    "WG004", "incomplete-endpoint", area="wireguard", severity=Severity.WARNING,
    summary="A WireGuard peer with an endpoint address but no port, or a port but no address",
)
def incomplete_endpoint(ctx):
    for peer in ctx.device.items(PEERS):
        if peer.disabled:
            continue
        address_arg, port_arg = peer.arg("endpoint-address"), peer.arg("endpoint-port")
        address, port = peer.get("endpoint-address"), peer.get("endpoint-port")
        if address_arg is not None and address is None or port_arg is not None and port is None:
            continue  # computed by the script
        has_address = bool(address)
        has_port = bool(port) and port != "0"
        if has_address and not has_port:
            yield ctx.finding(
                peer.node("endpoint-address"),
                f"{_peer_label(ctx, peer)} has endpoint-address {address} but no endpoint-port: "
                "this router cannot start the tunnel",
                notes=[
                    "endpoint-port has no default (the 13231 default is the local listen-port): without it "
                    "RouterOS has no port to send the handshake to, and the tunnel comes up only if the other "
                    "side connects first.",
                    "endpoint-address and endpoint-port can both be left blank to accept the peer from any "
                    "address and port (help.mikrotik.com: WireGuard).",
                ],
                fix="add endpoint-port= with the peer's listen-port (13231 unless changed there), or remove "
                "endpoint-address to make this side only answer",
            )
        elif has_port and not has_address:
            yield ctx.finding(
                peer.node("endpoint-port"),
                f"{_peer_label(ctx, peer)} has endpoint-port {port} but no endpoint-address: the port is not used",
                notes=[
                    "Without endpoint-address this router never sends to the peer first; it learns the peer's "
                    "address and port from the peer's own handshake, so the port given here has no effect.",
                ],
                fix="add endpoint-address= with the peer's address or host name, or remove endpoint-port",
            )


_KEYS = [
    (WG_MENU, "private-key", False),
    (PEERS, "public-key", False),
    (PEERS, "preshared-key", True),
    (PEERS, "private-key", True),
]


@rule(
    "WG005", "invalid-key", area="wireguard", severity=Severity.ERROR,
    summary="A WireGuard key that is not 32 bytes of base64",
)
def invalid_key(ctx):
    for menu, name, auto_ok in _KEYS:
        for item in ctx.device.items(menu):
            if item.arg(name) is None:
                continue
            key = item.get(name)
            if key is None or key == "" and name != "public-key" or auto_ok and key == "auto":
                continue
            if _KEY.match(key):
                continue
            what = "the WireGuard interface" if menu == WG_MENU else _peer_label(ctx, item)
            if len(key) != 44:
                problem = f"is {len(key)} characters long, not 44"
            elif not _B64.match(key) or not key.endswith("="):
                problem = "is not base64 ending in `=`"
            else:
                problem = "does not encode exactly 32 bytes (its character before `=` must be one of AEIMQUYcgkosw048)"
            yield ctx.finding(
                item.node(name),
                f"the {name} of {what} is not a WireGuard key: it {problem}",
                notes=[
                    "A WireGuard key is 32 bytes written in base64: 44 characters, the last one `=`. "
                    "RouterOS refuses any other value, so this command fails.",
                    "A truncated copy and paste is the usual cause.",
                ],
                fix=f"copy the whole {name} again (`/interface wireguard print` shows the public key)",
            )
