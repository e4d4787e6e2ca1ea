"""WireGuard checks on the paths around a tunnel: networks a peer allows
that no route sends into the tunnel, a tunnel MTU too large for the link the
encrypted packets leave by, an endpoint that is the router itself, a peer
that allows nothing.

help.mikrotik.com: WireGuard.
"""

from __future__ import annotations

from rosc.checks.names import line_of
from rosc.checks.registry import rule
from rosc.checks.routing_analysis import analyse
from rosc.diagnostics import Severity
from rosc.model.facts import parse_ip, parse_network, to_int
from rosc.model.list_values import list_elements

PEERS = "/interface wireguard peers"
WG_DOC = "help.mikrotik.com: WireGuard"
DEFAULT_MTU = 1420
# Outer IP header + UDP + WireGuard header and tag: 20 + 8 + 32 for IPv4, 40 + 8 + 32 for IPv6.
OVERHEAD = {4: 60, 6: 80}


def _wireguard(facts) -> dict:
    return {name: d.item for name, d in facts.interfaces.items() if d.kind == "wireguard" and d.item is not None}


def _live_peers(device, interfaces: dict):
    for peer in device.items(PEERS):
        iface = peer.get("interface")
        wg = interfaces.get(iface or "")
        if peer.disabled or wg is None or wg.disabled:
            continue
        yield peer, iface


@rule("WG006", "allowed-address-without-route", area="wireguard", severity=Severity.WARNING,
      summary="A network a WireGuard peer allows, but no route sends it into the tunnel")
def allowed_address_without_route(ctx):
    analysis = analyse(ctx)
    facts = analysis.facts
    interfaces = _wireguard(facts)
    if not interfaces or any(c.menu_path == PEERS for c in ctx.device.unresolved):
        return
    into: dict[str, list] = {}  # wireguard interface -> destinations of the routes that lead into it
    for result in analysis.results:
        route = result.route
        if route.disabled:
            continue
        if route.kind == "connected" and route.interface in interfaces:
            into.setdefault(route.interface, []).append(route.dst)
            continue
        for iface in result.interfaces:
            if iface in interfaces:
                into.setdefault(iface, []).append(route.dst)
        for gw in result.gateways:  # gateway=wg1 even when rosc cannot resolve the rest
            if gw.interface in interfaces:
                into.setdefault(gw.interface, []).append(route.dst)
    computed = any(r.kind == "static" and r.item is not None and r.item.get("gateway") is None and
                   r.item.arg("gateway") is not None for r in analysis.routes)
    for peer, iface in _live_peers(ctx.device, interfaces):
        routes = into.get(iface, [])
        for text, node in list_elements(peer, "allowed-address"):
            net = parse_network(text)
            if net is None or net.prefixlen == 0 or computed:
                continue  # ::/0 and 0.0.0.0/0: "accept anything from this peer", no route implied
            if any(net.version == dst.version and (net.subnet_of(dst) or dst.subnet_of(net)) for dst in routes):
                continue
            yield ctx.finding(
                node,
                f"allowed-address {text} of the peer on {iface}: no route sends {net} into {iface}, so traffic "
                "for it never enters the tunnel",
                notes=[
                    "allowed-address says which destinations WireGuard sends to this peer and which sources it "
                    "accepts from it; it adds no route. Packets for the network follow the routing table, so "
                    f"they leave by the default route (unencrypted) or are dropped ({WG_DOC}: the examples add "
                    "the routes to the remote networks through the WireGuard interface).",
                ],
                fix=f"add the route: `/ip{'v6' if net.version == 6 else ''} route add dst-address={net} "
                f"gateway={iface}`",
            )


def _underlay(ctx, analysis, endpoint) -> tuple[str, int, str] | None:
    """(interface, MTU, what sets it) of the link packets to ``endpoint`` leave by."""
    facts = analysis.facts
    best = None
    for result in analysis.results:
        route = result.route
        if not result.active or route.dst.version != endpoint.version or endpoint not in route.dst:
            continue
        if best is None or route.dst.prefixlen > best.route.dst.prefixlen:
            best = result
    if best is None:
        return None
    iface = next(iter(best.interfaces), None)
    found = facts.interfaces.get(iface or "")
    if found is None or found.item is None:
        return (iface, 1500, "the Ethernet default") if iface and facts.broadcast_kind(iface) else None
    item = found.item
    if found.kind == "pppoe-client":
        mtu = item.get("max-mtu")
        if mtu and mtu.isdigit():
            return iface, int(mtu), f"its max-mtu={mtu}"
        carrier = facts.interfaces.get(item.get("interface") or "")
        base = to_int(carrier.item.get("mtu"), 1500) if carrier is not None and carrier.item is not None else 1500
        return iface, base - 8, f"PPPoE over a {base}-byte link"
    if facts.broadcast_kind(iface) is None:
        return None  # a tunnel or an LTE link: rosc does not know its MTU
    mtu = item.get("mtu")
    if mtu and mtu.isdigit():
        return iface, int(mtu), f"its mtu={mtu}"
    return iface, 1500, "the Ethernet default"


@rule("WG007", "tunnel-mtu-too-large", area="wireguard", severity=Severity.WARNING,
      summary="A WireGuard MTU too large for the link its encrypted packets leave by")
def tunnel_mtu_too_large(ctx):
    analysis = analyse(ctx)
    facts = analysis.facts
    interfaces = _wireguard(facts)
    for name, item in interfaces.items():
        if item.disabled:
            continue
        mtu = to_int(item.get("mtu"), DEFAULT_MTU)
        seen = set()
        for peer, iface in _live_peers(ctx.device, interfaces):
            if iface != name:
                continue
            endpoint = parse_ip(peer.get("endpoint-address"))
            if endpoint is None or endpoint.version in seen:
                continue
            under = _underlay(ctx, analysis, endpoint)
            if under is None:
                continue
            link, link_mtu, why = under
            need = mtu + OVERHEAD[endpoint.version]
            if need <= link_mtu:
                continue
            seen.add(endpoint.version)
            node = item.node("mtu") if item.arg("mtu") is not None else item.node("name")
            yield ctx.finding(
                node,
                f"WireGuard {name} has MTU {mtu}{'' if item.arg('mtu') is not None else ' (the default)'}: with "
                f"the IPv{endpoint.version} endpoint {endpoint} its packets need {need} bytes on {link}, which "
                f"carries {link_mtu} ({why})",
                notes=[
                    f"Each packet in the tunnel gets an outer IPv{endpoint.version} header, UDP and WireGuard's "
                    f"own header and tag: {OVERHEAD[endpoint.version]} bytes. The default MTU 1420 fits a 1500-byte "
                    "link even with an IPv6 outer header, not a PPPoE link; larger packets are fragmented or lost, "
                    f"and TCP sessions through the tunnel stall ({WG_DOC}: mtu).",
                ],
                fix=f"set mtu={link_mtu - OVERHEAD[endpoint.version]} on {name} (and the same on the other side)",
            )


@rule("WG008", "endpoint-is-own-address", area="wireguard", severity=Severity.ERROR,
      summary="A WireGuard peer whose endpoint address is one of the router's own addresses")
def endpoint_is_own_address(ctx):
    own = {a.ip: a for a in ctx.facts.router_addresses}
    if not own:
        return
    for peer in ctx.device.items(PEERS):
        endpoint = parse_ip(peer.get("endpoint-address"))
        if peer.disabled or endpoint is None or endpoint not in own:
            continue
        fact = own[endpoint]
        yield ctx.finding(
            peer.node("endpoint-address"),
            f"the peer's endpoint-address {endpoint} is this router's own address on {fact.interface} (line "
            f"{line_of(ctx, fact.item.node())}): the handshake is sent to itself",
            notes=[
                "endpoint-address is where the other side of the tunnel listens; with the router's own address the "
                f"handshake never leaves the router and the tunnel never comes up ({WG_DOC}). It is usually this "
                "side's public address copied from the other router's configuration.",
            ],
            fix="use the other router's public address (or leave the endpoint out and let that side connect)",
        )


@rule("WG009", "peer-without-allowed-address", area="wireguard", severity=Severity.ERROR,
      summary="A WireGuard peer with no allowed-address: it can carry no traffic")
def peer_without_allowed_address(ctx):
    for peer in ctx.device.items(PEERS):
        if peer.disabled or peer.arg("allowed-address") is not None and peer.get("allowed-address") is None:
            continue  # computed by the script
        if peer.get("allowed-address"):
            continue
        yield ctx.finding(
            peer.node("public-key") if peer.arg("public-key") is not None else peer.node(),
            "the WireGuard peer has no allowed-address: no packet is sent to it and every packet from it is "
            "dropped",
            notes=[
                "allowed-address lists the addresses WireGuard sends to this peer and accepts from it; with none, "
                f"the handshake may succeed but no traffic passes ({WG_DOC}).",
            ],
            fix="set allowed-address to the peer's tunnel address (/32 or /128) and the networks behind it",
        )


