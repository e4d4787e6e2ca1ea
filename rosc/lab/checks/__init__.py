"""Checks across the devices of a lab (area ``lab``, scope ``lab``).

Each check takes a :class:`rosc.lab.runner.LabContext`: ``ctx.devices`` (name →
``LabDevice``), ``ctx.topology`` (segments), ``ctx.sessions`` (PPPoE
sessions, DHCP leases, WireGuard tunnels), ``ctx.network.simulation``
(routing across the lab), and ``ctx.finding(device, node, message, ...)`` /
``ctx.manifest_finding(span, ...)`` to report.  ``rosc.lab.network`` runs them on
every configuration of the lab (each variant of a device) and reports each
finding once.
"""

from __future__ import annotations

import difflib
import ipaddress
from dataclasses import dataclass

from rosc.diagnostics import Severity
from rosc.model.facts import parse_ip, parse_network, split_list
from rosc.lab.manifest import Cable
from rosc.model.device import Item
from rosc.checks.registry import rule
from rosc.lab.sessions import PppoeSession, WgInterface, pool_size
from rosc.syntax.tree import Word

PPPOE_DOC = "help.mikrotik.com: PPPoE"
AAA_DOC = "help.mikrotik.com: PPP AAA"
WG_DOC = "help.mikrotik.com: WireGuard"


@dataclass(slots=True, eq=False)
class _Span:
    start: int
    end: int


def _elements(item: Item, name: str) -> list[tuple[str, object]]:
    """The elements of a comma-separated value, each with a node to point at."""
    arg = item.arg(name)
    text = item.get(name)
    if arg is None or text is None:
        return []
    out = []
    pos = 0
    for part in text.split(","):
        if part:
            node = _Span(arg.value.start + pos, arg.value.start + pos + len(part)) if type(arg.value) is Word else item.node(name)
            out.append((part.strip(), node))
        pos += len(part) + 1
    return out


def _line(ctx, device, item: Item | None) -> int:
    node = item.node() if item is not None else None
    return ctx.line(device, node) if node is not None else 0


def _client_label(client) -> str:
    return f"{client.device}'s PPPoE client {client.name} (on {client.interface})"


def _which_run(names: list[str]) -> str:
    return f"{', '.join(names)}, which run{'s' if len(names) == 1 else ''}"


# --- LAB001 -------------------------------------------------------------------------------------


@rule(
    "LAB001", "manifest-error", area="lab", severity=Severity.ERROR, scope="lab",
    summary="lab.toml cannot be used as written: bad syntax, unknown device, missing file, port cabled twice",
)
def manifest_error(ctx):
    for d in ctx.lab.diagnostics:
        if d.code == "LAB001":
            d.severity = ctx.severity
            yield d


# --- LAB002 -------------------------------------------------------------------------------------


@rule(
    "LAB002", "cable-to-unused-port", area="lab", severity=Severity.WARNING, scope="lab",
    summary="A cable ends in a port the device's configuration does not use",
)
def cable_to_unused_port(ctx):
    from rosc.lab.topology import port_uses

    cabled = {}
    for a, b, cable in ctx.topology.cables:
        cabled[a] = cable
        cabled[b] = cable
    for uplink in ctx.lab.manifest.uplinks:
        dev = ctx.devices.get(uplink.port.device)
        if dev is not None:
            name = dev.port_name(uplink.port.port)
            if name:
                cabled[(uplink.port.device, name)] = uplink
    uses = {name: port_uses(dev) for name, dev in ctx.devices.items()}
    for (device, port), cable in cabled.items():
        used = uses[device]
        if port in used:
            continue
        dev = ctx.devices[device]
        bridged = dev.facts.bridge_of
        idle = sorted(
            (p for p in used if dev.interface_kind(p) == "ethernet" and (device, p) not in cabled and dev.port_name(p) == p),
            key=lambda p: (p in bridged, p),
        )
        if any(p not in bridged for p in idle):
            idle = [p for p in idle if p not in bridged]
        idle = idle[:3]
        if len(idle) == 1:
            hint = f" (it is configured for {idle[0]}, which has no cable)"
        elif idle:
            hint = f" (it is configured for {', '.join(idle)}, which have no cable)"
        else:
            hint = ""
        is_cable = isinstance(cable, Cable)
        yield ctx.manifest_finding(
            cable.span,
            f"the {'cable' if is_cable else 'uplink'} {cable if is_cable else cable.port} ends in {device}:{port}, which "
            f"{dev.file} does not use{hint}",
            notes=[
                f"Nothing in {dev.file} gives {port} an address, puts it in a bridge, or runs a PPPoE or DHCP "
                f"client or server on it, so {device} ignores whatever comes in on it.",
            ],
            fix=f"plug the cable into the port {device} is configured for"
            + (f" ({idle[0]})" if len(idle) == 1 else "") + f", or configure {port}",
        )


# --- PPPoE ----------------------------------------------------------------------------------------


def _failures(ctx, reasons):
    for failure in ctx.sessions.pppoe_failures:
        if failure.reason in reasons:
            yield failure


@rule(
    "LAB010", "pppoe-no-server", area="lab", severity=Severity.ERROR, scope="lab",
    summary="A PPPoE client reaches no PPPoE server over its segment",
)
def pppoe_no_server(ctx):
    topo = ctx.topology
    for failure in _failures(ctx, {"no-server"}):
        client = failure.client
        dev = ctx.devices[client.device]
        seg = topo.segment_of(client.device, client.interface)
        servers = ", ".join(f"{s.device} ({s.interface})" for s in ctx.sessions.servers) or "none in the lab"
        if seg is None:
            where = f"{client.interface} is down or is not an Ethernet interface"
        else:
            others = [d for d in seg.devices() if d != client.device]
            cable = ctx.lab.manifest.cable_of((client.device, client.interface))
            if others:
                where = f"{client.interface} reaches {_which_run(others)} no PPPoE server there"
            elif cable is None:
                where = f"{client.interface} has no cable in lab.toml"
            else:
                where = f"nothing behind {client.interface} runs a PPPoE server"
        yield ctx.finding(
            dev,
            client.item.node("interface"),
            f"{_client_label(client)} reaches no PPPoE server: {where}",
            notes=[
                "A PPPoE client finds its server by broadcast (PADI) on the Ethernet segment of its interface; "
                "only a server whose interface is on the same segment (directly, or through bridges) answers "
                f"({PPPOE_DOC}).",
                f"PPPoE servers in the lab: {servers}.",
            ],
            fix="cable the client's port to a port of the server's segment (or put the client on the right port)",
        )


@rule(
    "LAB011", "pppoe-service-name-mismatch", area="lab", severity=Severity.ERROR, scope="lab",
    summary="A PPPoE client asks for a service name no server on its segment offers",
)
def pppoe_service_name_mismatch(ctx):
    for failure in _failures(ctx, {"service-name"}):
        client = failure.client
        offers = sorted({s.service for s in failure.servers if s.service})
        offered = ", ".join(f"{s.device} offers {s.service!r}" for s in failure.servers)
        close = difflib.get_close_matches(client.service, offers, n=1)
        yield ctx.finding(
            client.device,
            client.item.node("service-name"),
            f"{_client_label(client)} asks for service {client.service!r}, but no PPPoE server it reaches offers it "
            f"({offered})",
            notes=[
                "A client with a service-name only accepts servers that offer that service; a client with no "
                f"service-name takes any server ({PPPOE_DOC}).",
            ],
            fix=f"set service-name={close[0] if close else (offers[0] if offers else '')}"
            + (" (or remove service-name to accept any server)"),
        )


@rule(
    "LAB012", "pppoe-authentication-fails", area="lab", severity=Severity.ERROR, scope="lab",
    summary="A PPPoE client's user is not a secret of its server, or the password does not match",
)
def pppoe_authentication_fails(ctx):
    for failure in _failures(ctx, {"unknown-user", "wrong-password", "service-not-allowed", "secret-disabled"}):
        client = failure.client
        servers = failure.servers
        names = ", ".join(dict.fromkeys(s.device for s in servers))
        if failure.reason == "unknown-user":
            known = []
            for s in servers:
                known += [i.get("name") for i in ctx.devices[s.device].device.items("/ppp secret") if i.get("name")]
            close = difflib.get_close_matches(client.user, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            yield ctx.finding(
                client.device,
                client.item.node("user"),
                f"{_client_label(client)} logs in as {client.user!r}, which is no PPP secret on {names}{hint}: "
                "authentication fails",
                notes=[
                    "The server looks the user up among its /ppp secret entries (or RADIUS, which the lab does "
                    f"not model); an unknown user is refused ({AAA_DOC}).",
                ],
                fix=f"use a user that has a secret on {names}, or add `/ppp secret add name={client.user} "
                "service=pppoe ...` there",
            )
            continue
        secret, where = failure.secret, failure.secret_device
        line = _line(ctx, where, secret)
        ref = f"the secret {client.user} on {where} ({ctx.devices[where].file} line {line})"
        if failure.reason == "wrong-password":
            yield ctx.finding(
                client.device,
                client.item.node("password") if client.item.arg("password") else client.item.node("user"),
                f"the password of {_client_label(client)} does not match {ref}: authentication fails",
                notes=["rosc compares the two passwords and never prints them."],
                fix=f"set the password of {client.name} to the one of the secret (or change the secret)",
            )
        elif failure.reason == "service-not-allowed":
            yield ctx.finding(
                client.device,
                client.item.node("user"),
                f"{ref} allows service={secret.get('service')} only: the PPPoE login of {client.name} is refused",
                notes=[f"A secret's `service` limits which PPP servers accept it; the default is `any` ({AAA_DOC})."],
                fix=f"set service=pppoe (or any) on the secret {client.user} on {where}",
            )
        else:
            yield ctx.finding(
                client.device,
                client.item.node("user"),
                f"{ref} is disabled: the PPPoE login of {client.name} is refused",
                fix=f"enable the secret {client.user} on {where}",
            )


@rule(
    "LAB013", "pppoe-shared-secret", area="lab", severity=Severity.WARNING, scope="lab",
    summary="Two PPPoE clients of the lab log in with the same secret",
)
def pppoe_shared_secret(ctx):
    by_secret: dict[int, list[PppoeSession]] = {}
    for session in ctx.sessions.pppoe:
        by_secret.setdefault(id(session.secret), []).append(session)
    for sessions in by_secret.values():
        if len(sessions) < 2:
            continue
        first = sessions[0]
        for other in sessions[1:]:
            client = other.client
            profile = other.profile
            only_one = profile is not None and profile.get("only-one") == "yes"
            fixed = parse_ip(other.secret.get("remote-address"))
            notes = ["Each customer normally has its own secret: the server cannot tell the two apart, accounting "
                     "and limits are shared, and changing the password cuts both."]
            if only_one:
                consequence = f"profile {other.profile_name} has only-one=yes, so the second session is refused"
            elif fixed is not None:
                consequence = f"both would get the secret's remote-address {fixed}, so one of them loses it"
            else:
                consequence = "both sessions come up, but nothing tells them apart"
            yield ctx.finding(
                client.device,
                client.item.node("user"),
                f"{_client_label(client)} logs in as {client.user}, like {first.client.device}'s "
                f"{first.client.name}: {consequence}",
                notes=notes,
                fix=f"add a secret of its own for {client.device} on {other.server.device} and use it here",
            )


@rule(
    "LAB014", "pool-too-small", area="lab", severity=Severity.WARNING, scope="lab",
    summary="A pool has fewer addresses than the lab's clients that draw from it",
)
def pool_too_small(ctx):
    for (server, pool), users in ctx.sessions.pool_users.items():
        device = ctx.devices[server]
        size = pool_size(device, pool)
        if len(users) <= size:
            continue
        names = []
        for u in users:
            if isinstance(u, PppoeSession):
                names.append(f"{u.client.device} ({u.client.name})")
            else:
                names.append(f"{u.device} (DHCP on {u.interface})")
        fact = device.facts.pools.get(pool)
        node = fact.item.node("ranges") if fact is not None else None
        left = [n for n, u in zip(names, users) if (getattr(u, "remote", None) or getattr(u, "address", None)) is None]
        yield ctx.finding(
            device,
            node,
            f"pool {pool} on {server} has {size} address{'es' if size != 1 else ''}, but {len(users)} clients of the lab "
            f"draw from it: {', '.join(names)}",
            notes=[f"The last to connect gets no address; here: {', '.join(left)}."] if left else [],
            fix=f"widen the ranges of {pool} (or give it a next-pool)",
        )


@rule(
    "LAB015", "dhcp-no-server", area="lab", severity=Severity.WARNING, scope="lab",
    summary="A DHCP client finds no DHCP server (nor an uplink) on its segment",
)
def dhcp_no_server(ctx):
    for failure in ctx.sessions.dhcp_failures:
        dev = ctx.devices[failure.device]
        if failure.reason == "static-only":
            message = f"the DHCP server that answers the DHCP client on {failure.interface} has no address-pool: it leases nothing"
        else:
            seg = ctx.topology.segment_of(failure.device, failure.interface)
            others = [d for d in seg.devices() if d != failure.device] if seg is not None else []
            where = f"it reaches {_which_run(others)} no DHCP server there" if others else (
                f"{failure.interface} has no cable in lab.toml and is no uplink"
            )
            message = f"the DHCP client on {failure.interface} gets no address: {where}"
        yield ctx.finding(
            dev,
            failure.item.node("interface"),
            message,
            notes=["Mark a port that leads out of the lab (to a provider's DHCP server) in [uplinks] of lab.toml."],
            fix="cable the port to the DHCP server's segment, declare it an uplink, or disable the DHCP client",
        )


# --- WireGuard ----------------------------------------------------------------------------------


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
                    f"for it (line {_line(ctx, remote.device, other_peer)}): the tunnel never comes up",
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
            for text, node in _elements(peer, "allowed-address"):
                net = parse_network(text)
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


# --- addressing across devices --------------------------------------------------------------------


@rule(
    "LAB030", "duplicate-address-on-segment", area="lab", severity=Severity.ERROR, scope="lab",
    summary="Two devices of one segment have the same IP address",
)
def duplicate_address_on_segment(ctx):
    topo = ctx.topology
    seen: dict[tuple[int, object], tuple[str, object]] = {}
    for name, dev in ctx.devices.items():
        for a in dev.facts.addresses:
            seg = topo.segment_of(name, a.interface)
            if seg is None:
                continue
            key = (seg.id, a.ip)
            first = seen.get(key)
            if first is None:
                seen[key] = (name, a)
                continue
            other_dev, other = first
            if other_dev == name:
                continue
            yield ctx.finding(
                dev,
                a.item.node("address"),
                f"{a.ip} on {name}'s {a.interface} is also {other_dev}'s address on {other.interface} "
                f"({ctx.devices[other_dev].file} line {_line(ctx, other_dev, other.item)}), on the same segment",
                notes=["Both answer ARP for the address: traffic for it goes to one or the other at random."],
                fix=f"give {name} another address of {a.network}",
            )


@rule(
    "LAB031", "cable-subnet-mismatch", area="lab", severity=Severity.ERROR, scope="lab",
    summary="The two ends of a cable have addresses in different subnets",
)
def cable_subnet_mismatch(ctx):
    topo = ctx.topology
    for a, b, cable in topo.cables:
        ends = []
        for dev_name, port in (a, b):
            dev = ctx.devices[dev_name]
            l3 = topo.l3_interface(dev_name, port)
            ends.append([x for x in dev.facts.addresses if x.interface == l3 and x.iface.version == 4])
        left, right = ends
        if not left or not right:
            continue
        if any(x.network.overlaps(y.network) for x in left for y in right):
            continue
        y = right[0]
        yield ctx.finding(
            b[0],
            y.item.node("address"),
            f"{b[0]}:{b[1]} has {y.iface}, but the other end of its cable, {a[0]}:{a[1]}, has "
            f"{', '.join(str(x.iface) for x in left)}: the two ends are in different subnets",
            notes=["Without a common subnet neither side has a connected route to the other: routes through this "
                   "cable do not resolve. A cable in the wrong port looks the same."],
            fix=f"give the two ends addresses of one subnet, or check lab.toml's cable {cable}",
        )


@rule(
    "LAB032", "customer-pool-unrouted", area="lab", severity=Severity.WARNING, scope="lab",
    summary="The upstream router of a PPPoE server does not route the server's customer pool back to it",
)
def customer_pool_unrouted(ctx):
    sim = ctx.network.simulation
    by_server: dict[str, dict[str, list]] = {}
    for s in ctx.sessions.pppoe:
        if s.pool:
            by_server.setdefault(s.server.device, {}).setdefault(s.pool, []).append(s)
    for server, pools in by_server.items():
        probe = ipaddress.ip_address("198.51.100.1")  # an address out of the lab (TEST-NET-2)
        paths = sim.trace(server, probe)
        ups = {}
        for p in paths:
            if len(p.hops) >= 2:
                ups[p.hops[1].device] = p.hops[0]
        dev = ctx.devices[server]
        for upstream, hop in ups.items():
            table = sim.tables[upstream]
            for pool_name, users in pools.items():
                fact = dev.facts.pools.get(pool_name)
                if fact is None:
                    continue
                missing = []
                for lo, hi in fact.ranges:
                    for block in ipaddress.summarize_address_range(lo, hi):
                        if not _routed_back(sim, upstream, block, server):
                            missing.append(block)
                if not missing:
                    continue
                shown = _blocks_text(fact, missing)
                covering = ipaddress.collapse_addresses(missing)
                net = next(iter(covering))
                route = table.lookup(net.network_address)
                where = f"its {route[0].fact.dst} route" if route else "no route at all"
                notes = [
                    f"{upstream} is {server}'s upstream (its route to the internet goes through "
                    f"{hop.out_interface}); packets to {server}'s customers reach {upstream} first, which sends them "
                    f"by {where} instead of back to {server}.",
                ]
                if any(r.get("action") == "masquerade" for r in dev.device.items("/ip firewall nat")):
                    notes.append(
                        f"{server} masquerades its customers' traffic, so their own connections still work; what breaks "
                        "is everything that has to reach a customer's address: WireGuard endpoints, port forwards, servers."
                    )
                yield ctx.finding(
                    dev,
                    fact.item.node("ranges"),
                    f"{upstream} does not route {shown} (pool {pool_name}, handed out to {server}'s PPPoE customers) "
                    f"back to {server}",
                    notes=notes,
                    fix=f"add a route on {upstream}: `/ip route add dst-address={_summary(fact)} gateway="
                    f"{_gateway_for(sim, upstream, server)}`",
                )


def _blocks_text(fact, missing: list) -> str:
    """The missing part of a pool: its ranges as written when all of a range
    is missing, else the blocks."""
    out = []
    gone = set(missing)
    for lo, hi in fact.ranges:
        blocks = list(ipaddress.summarize_address_range(lo, hi))
        if all(b in gone for b in blocks):
            out.append(f"{lo}-{hi}" if lo != hi else str(lo))
        else:
            out.extend(str(b) for b in blocks if b in gone)
    return ", ".join(out[:4]) + (", ..." if len(out) > 4 else "")


def _routed_back(sim, upstream: str, block, server: str) -> bool:
    table = sim.tables[upstream]
    for ip in (block.network_address, block.broadcast_address):
        routes = table.lookup(ip)
        if not routes or routes[0].dst.prefixlen > block.prefixlen:
            return False
        paths = sim.trace(upstream, ip)
        if not paths or any(len(p.hops) < 2 or p.hops[1].device != server for p in paths):
            return False
    return True


def _summary(fact) -> str:
    nets = [n for lo, hi in fact.ranges for n in ipaddress.summarize_address_range(lo, hi)]
    if not nets:
        return "?"
    lo = min(int(n.network_address) for n in nets)
    hi = max(int(n.broadcast_address) for n in nets)
    length = 32
    while length > 0:
        net = ipaddress.ip_network(f"{ipaddress.IPv4Address(lo)}/{length}", strict=False)
        if int(net.broadcast_address) >= hi:
            return str(net)
        length -= 1
    return "0.0.0.0/0"


def _gateway_for(sim, upstream: str, server: str) -> str:
    dev = sim.devices[server]
    up = sim.devices[upstream]
    for a in dev.facts.addresses:
        seg = sim.topology.segment_of(server, a.interface)
        if seg is None or upstream not in seg.devices():
            continue
        if any(a.ip in b.network for b in up.facts.addresses):
            return str(a.ip)
    return f"<{server}'s address>"
