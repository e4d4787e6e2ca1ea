"""Lab checks on WireGuard between devices: allowed addresses both ways, endpoints and listen
ports, one tunnel subnet, public keys derived from private keys, endpoints handed out
dynamically or unreachable."""

from __future__ import annotations

import ipaddress

from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.lab.checks.common import AAA_DOC, WG_DOC, item_line
from rosc.lab.sessions import WgInterface
from rosc.model.device import Item
from rosc.model.facts import parse_ip, parse_network, split_list
from rosc.model.list_values import list_elements


def _tunnel_net(iface: WgInterface):
    return [a.network for a in iface.addresses]


def _routes_into(ctx, iface: WgInterface) -> list:
    """Static routes of the interface's device into the tunnel."""
    dev = ctx.devices[iface.device]
    nets = _tunnel_net(iface)
    out = []
    for route in dev.facts.routes:
        if route.kind != "static" or route.disabled or route.dst.version != 4:
            continue
        for gw in route.gateways:
            ip = parse_ip(gw.split("%")[0])
            if gw == iface.name or gw.endswith("%" + iface.name) or (ip is not None and any(ip in n for n in nets)):
                if not any(route.dst.subnet_of(n) for n in nets if n.version == route.dst.version):
                    out.append(route)
                break
    return out


def _lans(ctx, device: str) -> list:
    """Networks of ``device`` its own hosts live in: connected networks on
    interfaces whose segment reaches no other device of the lab."""
    dev = ctx.devices[device]
    out = []
    for a in dev.facts.addresses:
        if a.iface.version != 4:
            continue
        kind = dev.interface_kind(a.interface)
        if kind not in ("ethernet", "bridge", "vlan", "bonding"):
            continue
        if a.interface in dev.facts.wan_interfaces:
            continue
        seg = ctx.topology.segment_of(device, a.interface)
        if seg is not None and any(d != device for d in seg.devices()):
            continue
        if seg is not None and seg.uplinks:
            continue
        if a.network not in out:
            out.append(a.network)
    return out


def _masquerades_into(ctx, iface: WgInterface) -> bool:
    for rule_item in ctx.devices[iface.device].device.items("/ip firewall nat"):
        if rule_item.disabled or rule_item.get("chain") != "srcnat":
            continue
        if rule_item.get("action") not in ("masquerade", "src-nat"):
            continue
        out = rule_item.get("out-interface")
        if out == iface.name or (out is None and rule_item.get("out-interface-list") is None and not rule_item.get("src-address")):
            return True
    return False


def _allowed(peer: Item | None) -> list:
    if peer is None:
        return []
    return [n for n in (parse_network(t.strip()) for t in split_list(peer.get("allowed-address"))) if n is not None]


def _covers(nets, target) -> bool:
    if isinstance(target, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return any(n.version == target.version and target in n for n in nets)
    return any(n.version == target.version and target.subnet_of(n) for n in nets)


def _peer_ref(ctx, iface: WgInterface, peer: Item, remote: WgInterface) -> str:
    return f"{iface.device}'s peer for {remote.device} on {iface.name}"


@rule(
    "LAB020", "wireguard-peer-misses-remote", area="lab", severity=Severity.ERROR, scope="lab",
    summary="A WireGuard peer's allowed-address misses the other side's tunnel address or the networks it sends from",
)
def wireguard_peer_misses_remote(ctx):
    for tunnel in ctx.sessions.tunnels:
        for local, peer, remote, back in tunnel.sides():
            if peer is None:
                other_peer = tunnel.peer_of(remote)
                yield ctx.finding(
                    local.device,
                    local.item.node("name"),
                    f"{local.device}'s {local.name} has no peer for {remote.device}, whose {remote.name} has a peer "
                    f"for it (line {item_line(ctx, remote.device, other_peer)}): the tunnel never comes up",
                    notes=["WireGuard answers only the peers it knows by public key."],
                    fix=f"add a peer with {remote.device}'s public key to {local.name} on {local.device}",
                )
                continue
            allowed = _allowed(peer)
            node = peer.node("allowed-address")
            ref = _peer_ref(ctx, local, peer, remote)
            for a in remote.addresses:
                if not _covers(allowed, a.ip):
                    yield ctx.finding(
                        local.device,
                        node,
                        f"the allowed-address of {ref} does not include {remote.device}'s tunnel address {a.ip}: "
                        f"packets from {remote.device} itself are dropped",
                        notes=[
                            "WireGuard accepts a packet from a peer only when its source is in that peer's "
                            f"allowed-address ({WG_DOC}); {remote.device} sends from {a.ip} on {remote.name}.",
                        ],
                        fix=f"add {a.ip}/32 to allowed-address",
                    )
            routes = _routes_into(ctx, remote)
            if not routes or _masquerades_into(ctx, remote):
                continue
            dsts = ", ".join(str(r.dst) for r in routes[:3])
            for lan in _lans(ctx, remote.device):
                if _covers(allowed, lan):
                    continue
                yield ctx.finding(
                    local.device,
                    node,
                    f"the allowed-address of {ref} does not include {lan}, the LAN of {remote.device}: "
                    f"{remote.device} routes {dsts} into {remote.name}, and what its LAN sends that way is dropped here",
                    notes=[
                        "WireGuard checks the source of every packet from a peer against that peer's "
                        f"allowed-address ({WG_DOC}); hosts of {lan} send from their own addresses.",
                    ],
                    fix=f"add {lan} to allowed-address (and route {lan} into {local.name} on {local.device})",
                )


@rule(
    "LAB021", "wireguard-peer-allows-local", area="lab", severity=Severity.WARNING, scope="lab",
    summary="A WireGuard peer's allowed-address holds the local side's own address or LAN",
)
def wireguard_peer_allows_local(ctx):
    for tunnel in ctx.sessions.tunnels:
        for local, peer, remote, _back in tunnel.sides():
            if peer is None:
                continue
            own = [a.ip for a in local.addresses]
            lans = _lans(ctx, local.device)
            for text, node in list_elements(peer, "allowed-address"):
                net = parse_network(text.strip())
                if net is None or net.version != 4 or net.prefixlen == 0:
                    continue
                mine = next((ip for ip in own if net.prefixlen == 32 and ip in net), None)
                lan = next((n for n in lans if net.subnet_of(n)), None)
                if mine is None and lan is None:
                    continue
                what = f"{local.device}'s own tunnel address {mine}" if mine is not None else f"{local.device}'s own LAN {lan}"
                yield ctx.finding(
                    local.device,
                    node,
                    f"{_peer_ref(ctx, local, peer, remote)} allows {net}, which is {what}, not {remote.device}'s",
                    notes=[
                        "allowed-address lists what is behind the peer: the addresses it may send from and the "
                        "networks packets go to it for. Listing this side's own addresses lets the peer send with "
                        "them, and is usually the other side's configuration copied by mistake.",
                    ],
                    fix=f"replace {net} with {remote.device}'s addresses (its tunnel address and its LAN)",
                )


@rule(
    "LAB022", "wireguard-endpoint-mismatch", area="lab", severity=Severity.ERROR, scope="lab",
    summary="A WireGuard endpoint that is not the other side's address and listen-port, or no endpoint on either side",
)
def wireguard_endpoint_mismatch(ctx):
    sessions = ctx.sessions
    for tunnel in sessions.tunnels:
        initiators = 0
        for local, peer, remote, _back in tunnel.sides():
            if peer is None:
                continue
            address = peer.get("endpoint-address")
            if not address:
                continue
            initiators += 1
            ip = parse_ip(address)
            ref = _peer_ref(ctx, local, peer, remote)
            if ip is not None:
                owners = [p for p in sessions.possible_owners(ip) if p.device == remote.device]
                if not owners:
                    has = _addresses_of(ctx, remote.device)
                    yield ctx.finding(
                        local.device,
                        peer.node("endpoint-address"),
                        f"the endpoint-address {ip} of {ref} is not an address {remote.device} can have "
                        f"({remote.device} has {has})",
                        notes=[f"The handshake goes to {ip}; {remote.device} never sees it."],
                        fix=f"set endpoint-address to {remote.device}'s address",
                    )
            port = peer.get("endpoint-port")
            if port and port.isdigit() and int(port) != remote.listen_port:
                yield ctx.finding(
                    local.device,
                    peer.node("endpoint-port"),
                    f"the endpoint-port {port} of {ref} is not the listen-port {remote.listen_port} of "
                    f"{remote.device}'s {remote.name}",
                    notes=["WireGuard on the other side listens on its listen-port only (13231 unless set)."],
                    fix=f"set endpoint-port={remote.listen_port}",
                )
        if initiators == 0 and tunnel.a_peer is not None and tunnel.b_peer is not None:
            yield ctx.finding(
                tunnel.a.device,
                tunnel.a_peer.node(),
                f"neither {tunnel.a.device} nor {tunnel.b.device} has an endpoint-address for the other: the tunnel "
                "between them never starts",
                notes=["One side (the one whose peer has a fixed address) needs endpoint-address and endpoint-port "
                       "to send the first handshake; the other can learn it from that handshake."],
                fix=f"give {tunnel.a.device}'s peer endpoint-address and endpoint-port of {tunnel.b.device}",
            )


def _addresses_of(ctx, device: str) -> str:
    dev = ctx.devices[device]
    parts = [f"{a.ip} on {a.interface}" for a in dev.facts.addresses if a.iface.version == 4][:4]
    for s in ctx.sessions.pppoe:
        if s.client.device == device:
            if s.pool:
                fact = ctx.devices[s.server.device].facts.pools.get(s.pool)
                ranges = fact.item.get("ranges") if fact is not None else s.pool
                parts.append(f"an address of {s.server.device}'s pool {s.pool} ({ranges}) on {s.client.name}")
            elif s.remote is not None:
                parts.append(f"{s.remote} on {s.client.name}")
    return ", ".join(parts) or "no address rosc knows"


@rule(
    "LAB023", "wireguard-endpoint-dynamic", area="lab", severity=Severity.WARNING, scope="lab",
    summary="A WireGuard endpoint is an address the other side only gets by chance from a pool",
)
def wireguard_endpoint_dynamic(ctx):
    sessions = ctx.sessions
    for tunnel in sessions.tunnels:
        for local, peer, remote, _back in tunnel.sides():
            if peer is None:
                continue
            ip = parse_ip(peer.get("endpoint-address"))
            if ip is None:
                continue
            owners = [p for p in sessions.possible_owners(ip) if p.device == remote.device]
            if not owners or any(p.how in ("static", "fixed") for p in owners):
                continue
            p = owners[0]
            server = ctx.devices[p.server]
            fact = server.facts.pools.get(p.pool)
            ranges = fact.item.get("ranges") if fact is not None else p.pool
            via = f"its PPPoE client {p.interface}" if p.how == "pool" else f"the DHCP client on {p.interface}"
            yield ctx.finding(
                local.device,
                peer.node("endpoint-address"),
                f"{_peer_ref(ctx, local, peer, remote)} points at {ip}, but {remote.device} gets its address through "
                f"{via} from {p.server}'s pool {p.pool} ({ranges}): the tunnel works only while {p.server} happens "
                f"to hand out {ip}",
                notes=[
                    f"{p.server} gives {remote.device} whichever address of the pool is free when it connects; "
                    "after a reconnect it can be another one.",
                    f"A fixed address needs `remote-address={ip}` in {remote.device}'s secret on {p.server} "
                    f"({AAA_DOC}), or a dynamic DNS name as endpoint-address.",
                ],
                fix=f"give {remote.device} a fixed address on {p.server} (remote-address= in its /ppp secret), "
                "or let this side only answer and start the tunnel from the other side",
            )


@rule(
    "LAB024", "wireguard-tunnel-subnet-mismatch", area="lab", severity=Severity.ERROR, scope="lab",
    summary="The two ends of a WireGuard tunnel have addresses in different subnets",
)
def wireguard_tunnel_subnet_mismatch(ctx):
    for tunnel in ctx.sessions.tunnels:
        a, b = tunnel.a, tunnel.b
        if not a.addresses or not b.addresses:
            continue
        if any(x.ip in y.network or y.ip in x.network for x in a.addresses for y in b.addresses):
            continue
        mine = b.addresses[0]
        other = ", ".join(str(x.iface) for x in a.addresses)
        yield ctx.finding(
            b.device,
            mine.item.node("address"),
            f"{b.device}'s {b.name} has {mine.iface}, but the other end of the tunnel, {a.device}'s {a.name}, has "
            f"{other}: the two are not in one subnet",
            notes=["Neither side has a connected route to the other's tunnel address, so routes with the other "
                   "side's tunnel address as gateway do not resolve."],
            fix=f"give both ends addresses of one subnet (e.g. {a.addresses[0].network})",
        )


@rule(
    "LAB025", "wireguard-key-mismatch", area="lab", severity=Severity.ERROR, scope="lab",
    summary="A WireGuard peer's public-key is not the public key of the other side's private key",
)
def wireguard_key_mismatch(ctx):
    for tunnel in ctx.sessions.tunnels:
        for local, peer, remote, _back in tunnel.sides():
            if peer is None:
                continue
            key = peer.get("public-key")
            if not key:
                continue
            ref = _peer_ref(ctx, local, peer, remote)
            if local.public_key and key == local.public_key:
                yield ctx.finding(
                    local.device,
                    peer.node("public-key"),
                    f"the public-key of {ref} is {local.device}'s own public key",
                    notes=["A peer's public-key is the other side's key (its `/interface wireguard print` shows it)."],
                    fix=f"use {remote.device}'s public key" + (f" {remote.public_key}" if remote.public_key else ""),
                )
                continue
            if remote.public_key and key != remote.public_key:
                yield ctx.finding(
                    local.device,
                    peer.node("public-key"),
                    f"the public-key of {ref} is {key}, but {remote.device}'s private key on {remote.name} gives "
                    f"{remote.public_key}: the handshake fails",
                    notes=[
                        "rosc derives the public key from the private key in the other configuration with X25519 "
                        "(RFC 7748), as WireGuard does; it never prints private keys.",
                    ],
                    fix=f"set public-key=\"{remote.public_key}\"",
                )


@rule(
    "LAB026", "wireguard-endpoint-unreachable", area="lab", severity=Severity.ERROR, scope="lab",
    summary="The handshake of a WireGuard tunnel does not reach the other side through the lab",
)
def wireguard_endpoint_unreachable(ctx):
    sim = ctx.network.simulation
    for tunnel in ctx.sessions.tunnels:
        up, why = sim.tunnel_up(tunnel)
        if up or tunnel.a_peer is None or tunnel.b_peer is None:
            continue
        side = next(
            ((local, peer, remote) for local, peer, remote, _ in tunnel.sides() if peer is not None and peer.get("endpoint-address")),
            None,
        )
        if side is None:
            continue  # LAB022
        local, peer, remote = side
        if parse_ip(peer.get("endpoint-address")) is None:
            continue
        endpoint = peer.get("endpoint-address")
        yield ctx.finding(
            local.device,
            peer.node("endpoint-address"),
            f"the WireGuard tunnel {local.device} ⇄ {remote.device} does not come up in the lab: {why}",
            notes=["rosc follows the handshake, and the answer, through the routing tables of the lab's devices."],
            fix=f"add the route that is missing where the handshake is lost (`rosc route LAB --from {local.device} "
            f"--to {endpoint}` shows the path)",
        )
