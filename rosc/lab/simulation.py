"""Routing across the devices of a lab, as RouterOS would do it.

Each device's routing table holds its connected networks (addresses on
interfaces that are up), its static routes, and the dynamic routes of its
sessions: a PPPoE client gets its address, a /32 to its peer and, with
``add-default-route=yes``, a default route through the PPPoE interface; a
PPPoE server gets a /32 to each client on the session's dynamic interface;
a DHCP client gets the network of its lease and a default route to the
lease's gateway (on an uplink, out of the lab).  Gateways are resolved with
``rosc.model.nexthop`` (scope and target-scope, recursion, ECMP,
distance).

``check-gateway=ping`` is simulated: the gateway is pinged along the path
its resolution gives, across the lab, and the reply must come back; a
gateway that does not answer makes its route inactive.  Since pings cross
other devices whose own routes may depend on pings, the tables are computed
again until nothing changes (a fixpoint, at most ``MAX_ROUNDS`` rounds).
WireGuard tunnels work when the initiator's handshake reaches the responder
and comes back, computed the same way.

Packets are forwarded hop by hop: the longest active prefix at each device,
every ECMP next hop as its own branch; out of an Ethernet interface the
next hop is the device of the segment that holds the gateway address (or
the destination, for a connected network); out of a PPPoE interface, the
other end of the session; out of a WireGuard interface, the peer whose
allowed-address contains the destination, then the other end of its
tunnel, which checks the source against its peer's allowed-address.  A
static route naming an Ethernet-like interface as gateway sends each packet
to its own destination on that link: it reaches only a device there that
has that address, never an uplink (Routing Decision).
Source NAT (``masquerade``, ``src-nat``) rewrites the source as the packet
leaves; replies undo it in reverse order.  Not simulated: firewall filters,
policy routing (routing marks, ``/routing rule``), IPv6, dynamic routing
protocols, L2TP/SSTP/OpenVPN/GRE tunnels.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass
from fractions import Fraction

from rosc.lab.describe import _route_text, route_status
from rosc.lab.nat import SourceNat
from rosc.lab.paths import Hop, Path
from rosc.lab.sessions import Sessions, WgTunnel
from rosc.lab.sim_firewall import Probe, dst_nat, filter_drop, rule_text
from rosc.lab.sim_routes import device_routes
from rosc.lab.tables import SimRoute, Table, UplinkAddress, immediate
from rosc.lab.topology import LabDevice, Topology
from rosc.model.facts import parse_ip, parse_network, split_list
from rosc.model.nexthop import resolve_routes

MAX_ROUNDS = 12


MAX_HOPS = 255  # the largest TTL an IP packet can carry; a loop is found by its state, not by this


MAX_PATHS = 64


@dataclass(slots=True)
class _State:
    failed: dict[tuple[str, int], dict[str, str]]  # (device, route index) -> gateway -> why
    wg_down: dict[int, str]  # id(tunnel) -> why

    def key(self):
        return (
            tuple(sorted((k, tuple(sorted(v.items()))) for k, v in self.failed.items())),
            tuple(sorted(self.wg_down.items())),
        )


class Simulation:
    """Routing tables of every device of a network, and packet traces."""

    def __init__(self, devices: dict[str, LabDevice], topology: Topology, sessions: Sessions):
        self.devices = devices
        self.topology = topology
        self.sessions = sessions
        self.rounds = 0
        self.converged = True
        self._routes = {name: self._routes_of(name) for name in self.devices}
        self._nat = {name: SourceNat(lab_device.device) for name, lab_device in self.devices.items()}
        self.state = _State({}, {})
        self.tables = self._tables(self.state)
        seen = {self.state.key()}
        for _ in range(MAX_ROUNDS):
            self.rounds += 1
            nxt = self._probe()
            if nxt.key() == self.state.key():
                break
            self.state = nxt
            self.tables = self._tables(nxt)
            if nxt.key() in seen:
                self.converged = False
                break
            seen.add(nxt.key())
        else:
            self.converged = False

    # --- building tables ------------------------------------------------------------

    def _iface_exists(self, dev: str):
        device = self.devices[dev]
        clients = {s.client.name for s in self.sessions.pppoe if s.client.device == dev}
        server_ifaces = {s.server_interface for s in self.sessions.pppoe if s.server.device == dev}

        def exists(name: str) -> bool:
            kind = device.interface_kind(name)
            if kind == "pppoe-client":
                return name in clients
            if name in server_ifaces:
                return True
            if kind in ("ethernet", "bridge", "vlan", "wireless", "wifi", "bonding"):
                return self.topology.interface_up(dev, name)
            if kind is None:
                return name in server_ifaces
            item = device.interface_item(name)
            return item is None or not item.disabled

        return exists

    def _routes_of(self, dev: str) -> list[SimRoute]:
        """Every route of ``dev`` (before resolution, with ``base`` as if
        every check-gateway passed), in the order /ip route print shows them."""
        device = self.devices[dev]
        exists = self._iface_exists(dev)
        routes = device_routes(device, dev, self.sessions, exists)
        base = resolve_routes([r.fact for r in routes], exists, version=device.facts.routeros_major)
        for r, res in zip(routes, base):
            r.base = res
        return routes

    def _tables(self, state: _State) -> dict[str, Table]:
        tables = {}
        for dev, base_routes in self._routes.items():
            exists = self._iface_exists(dev)
            routes = [SimRoute(r.fact, r.origin, None, r.base) for r in base_routes]
            facts = []
            for i, r in enumerate(routes):
                failed = dict(state.failed.get((dev, i), {}))
                r.failed = failed
                fact = r.fact
                if failed:
                    keep = [g for g in fact.gateways if g not in failed]
                    fact = dataclasses.replace(fact, gateways=keep, disabled=fact.disabled or not keep)
                facts.append(fact)
            for r, res in zip(routes, resolve_routes(facts, exists, version=self.devices[dev].facts.routeros_major)):
                r.resolution = res
            table = Table(dev, routes)
            table.local, table.sources = self._addresses(dev)
            tables[dev] = table
        return tables

    def _addresses(self, dev: str) -> tuple[dict, dict[str, object]]:
        device = self.devices[dev]
        exists = self._iface_exists(dev)
        local: dict = {}
        sources: dict[str, object] = {}
        for a in device.facts.addresses:
            if a.iface.version == 4 and exists(a.interface):
                local.setdefault(a.ip, a.interface)
                sources.setdefault(a.interface, a.ip)
        for s in self.sessions.pppoe:
            if s.client.device == dev and s.remote is not None:
                local.setdefault(s.remote, s.client.name)
                sources.setdefault(s.client.name, s.remote)
            if s.server.device == dev and s.local is not None:
                local.setdefault(s.local, s.server_interface)
                sources.setdefault(s.server_interface, s.local)
        for lease in self.sessions.dhcp:
            if lease.device != dev:
                continue
            if lease.address is not None:
                local.setdefault(lease.address, lease.interface)
                sources.setdefault(lease.interface, lease.address)
            elif lease.uplink is not None:
                marker = UplinkAddress(dev, lease.interface)
                local[marker] = lease.interface
                sources.setdefault(lease.interface, marker)
        return local, sources

    # --- forwarding ---------------------------------------------------------------------------

    def trace(self, device: str, dst, src=None, in_interface: str | None = None, first_hop=None,
              probe: Probe | None = None) -> list[Path]:
        """Every path a packet from ``device`` (sent by the router itself, or
        forwarded from ``in_interface``) to ``dst`` takes: one per ECMP branch.
        ``probe``: protocol, port and connection state the firewalls on the way see."""
        dst = ipaddress.ip_address(dst) if isinstance(dst, str) else dst
        paths: list[Path] = []
        start = _Walk(device, in_interface, src, [], [], Fraction(1), first_hop, set(), None, probe or Probe())
        stack = [start]
        while stack:
            walk = stack.pop()
            if len(paths) + len(stack) > MAX_PATHS:
                paths.append(Path(walk.hops, "dropped", "too many ECMP branches to follow", walk.device))
                continue
            self._step(walk, dst, stack, paths)
        paths.sort(key=lambda p: [h.out_interface or "" for h in p.hops])
        return paths

    def _step(self, walk: "_Walk", dst, stack: list, paths: list[Path]) -> None:
        dev = walk.device
        table = self.tables[dev]
        hop = Hop(dev, walk.in_interface)
        hops = walk.hops + [hop]
        src = walk.src
        dst = walk.dst or dst
        if walk.in_interface is not None:
            rewritten = dst_nat(self.devices[dev], walk.probe, walk.in_interface, src, dst)
            if rewritten is not None:
                hop.notes.append(f"dst-nat {dst} → {rewritten[0]} (line {rewritten[2].line})")
                dst, walk = rewritten[0], dataclasses.replace(walk, dst=rewritten[0], natted=True, probe=dataclasses.replace(
                    walk.probe, dst_port=rewritten[1]))
            chain = "input" if dst in table.local else "forward"
            if chain == "input":
                dropping = filter_drop(self.devices[dev], walk.probe, chain, walk.in_interface, None, src, dst,
                                       walk.natted)
                if dropping is not None:
                    paths.append(Path(hops, "dropped", f"{dev} drops it: {rule_text(dropping)}", dev, src, walk.nat,
                                      walk.share))
                    return
        if dst in table.local:
            paths.append(Path(hops, "delivered", f"{dst} is an address of {dev}", dev, src, walk.nat, walk.share,
                              end_interface=table.local[dst]))
            return
        # a loop is a state the packet was in before: the same device, entered
        # the same way, with the same source; a long path is not a loop
        key = (dev, walk.in_interface, src)
        if key in walk.seen:
            paths.append(Path(hops, "loop", f"routing loop: the packet comes back to {dev}", dev, src, walk.nat, walk.share))
            return
        if len(hops) > MAX_HOPS:
            paths.append(Path(hops, "dropped", f"more than {MAX_HOPS} hops: no packet's TTL lasts that long", dev, src,
                              walk.nat, walk.share))
            return
        seen = walk.seen | {key}
        if walk.first_hop is not None:
            route, choices = walk.first_hop
            options = [(route, c) for c in choices]
        else:
            routes = table.lookup(dst)
            if not routes:
                paths.append(Path(hops, "dropped", f"{dev} has no route to {dst}", dev, src, walk.nat, walk.share))
                return
            options = []
            for r in routes:
                nh = r.next_hops()
                if not nh and r.blackhole:
                    hop.route = r
                    paths.append(Path(hops, "dropped", f"{dev} drops it: {_route_text(r)} is a blackhole", dev, src,
                                      walk.nat, walk.share))
                    return
                options.extend((r, h) for h in nh)
            if not options:
                hop.route = routes[0]
                paths.append(Path(hops, "dropped", f"{dev}: {_route_text(routes[0])} has no usable gateway", dev, src,
                                  walk.nat, walk.share))
                return
        share = walk.share / len(options)
        for route, (out_iface, gateway) in options:
            this = Hop(dev, walk.in_interface, out_iface, route, gateway)
            this.notes.extend(hop.notes)  # a dst-nat on arrival
            if len(options) > 1:
                this.notes.append(f"ECMP: one of {len(options)} next hops")
            branch_hops = walk.hops + [this]
            if walk.in_interface is not None:
                dropping = filter_drop(self.devices[dev], walk.probe, "forward", walk.in_interface, out_iface, src,
                                       dst, walk.natted)
                if dropping is not None:
                    paths.append(Path(branch_hops, "dropped", f"{dev} drops it: {rule_text(dropping)}", dev, src,
                                      walk.nat, share))
                    continue
            new_src = src
            nat = list(walk.nat)
            if new_src is None:
                new_src = table.sources.get(out_iface)
            translated = self._nat[dev].translate(out_iface, new_src, self.tables[dev].sources) if new_src is not None else None
            if translated is not None and translated != new_src:
                this.notes.append(f"src-nat {new_src} → {translated}")
                nat.append((dev, new_src, translated))
                new_src = translated
            on_link = self._interface_gateway(dev, route, out_iface, gateway, dst)
            if on_link:
                this.notes.append(on_link)
            result = self._cross(dev, out_iface, gateway if gateway is not None else dst, dst, new_src, bool(on_link))
            kind = result[0]
            if kind == "next":
                _, nxt, in_iface, note = result
                if note:
                    this.notes.append(note)
                stack.append(_Walk(nxt, in_iface, new_src, branch_hops, nat, share, None, seen, walk.dst, walk.probe,
                                   walk.natted))
            else:
                _, outcome, reason, extra = result
                paths.append(Path(branch_hops, outcome, reason, dev if outcome != "internet" else None, new_src, nat,
                                  share, uplink=extra))

    def _interface_gateway(self, dev: str, route, out_iface: str, gateway, dst) -> str:
        """A note when ``route`` sends ``dst`` out of an Ethernet-like
        interface named as its gateway although ``dst`` is not on that link:
        RouterOS then ARPs for ``dst`` itself (help.mikrotik.com: Routing
        Decision), so only a device on the link that has ``dst`` can take it."""
        if gateway is not None or route.origin != "static" or not route.fact.gateways:
            return ""
        device = self.devices[dev]
        what = device.facts.broadcast_kind(out_iface)
        if what is None:
            return ""
        l3 = self.topology.l3_interface(dev, out_iface)
        for a in device.facts.addresses:
            if a.interface in (out_iface, l3) and a.iface.version == dst.version and dst in a.network:
                return ""
        return f"gateway={out_iface} is {'an' if what[0] in 'AEIOU' else 'a'} {what}, not point-to-point: ARP for {dst}"

    def _cross(self, dev: str, out_iface: str, target, dst, src, on_link: bool = False):
        """Where a packet leaving ``dev`` by ``out_iface`` towards ``target``
        arrives: ("next", device, in-interface, note) or ("end", outcome, reason, uplink).
        ``on_link``: the route names the interface as gateway for a destination
        off the link, so only a device that has ``target`` answers."""
        device = self.devices[dev]
        kind = device.interface_kind(out_iface)
        for s in self.sessions.pppoe:
            if s.client.device == dev and s.client.name == out_iface:
                return ("next", s.server.device, s.server_interface, f"PPPoE session {s.client.user}")
            if s.server.device == dev and s.server_interface == out_iface:
                return ("next", s.client.device, s.client.name, f"PPPoE session {s.client.user}")
        if kind == "pppoe-client":
            return ("end", "dropped", f"{dev}'s PPPoE client {out_iface} has no session", None)
        if kind == "wireguard":
            return self._cross_wireguard(dev, out_iface, dst, src)
        seg = self.topology.segment_of(dev, out_iface)
        if seg is None:
            if kind in ("ethernet", "bridge", "vlan", "bonding"):
                return ("end", "dropped", f"{dev}'s {out_iface} is down", None)
            return ("end", "dropped", f"rosc does not follow packets into {dev}'s {kind or 'unknown'} interface {out_iface}", None)
        owner = self._owner(seg, target, dev)
        if owner is not None:
            return ("next", owner[0], owner[1], "")
        if on_link:
            others = [d for d in seg.devices() if d != dev] + [f"the uplink to {u.network}" for u in seg.uplinks]
            beyond = f" ({', '.join(others)} there)" if others else ""
            return ("end", "dropped",
                    f"{dev} sends it out of {out_iface} as if {dst} were on that link (gateway={out_iface} is not "
                    f"point-to-point): no device on it has {dst}{beyond}, so ARP gets no answer", None)
        if seg.uplinks:
            uplink = seg.uplinks[0]
            return ("end", "internet", f"leaves the lab by {uplink.port} ({uplink.network})", uplink)
        if isinstance(target, ipaddress.IPv4Address):
            for a in device.facts.addresses:
                if a.interface == self.topology.l3_interface(dev, out_iface) and a.iface.version == 4 and target in a.network:
                    if len(seg.devices()) <= 1:
                        return ("end", "lan", f"to the LAN on {dev}'s {out_iface} ({a.network}; hosts are not modelled)", None)
        others = [d for d in seg.devices() if d != dev]
        where = f"the segment of {dev}'s {out_iface}" + (f" (with {', '.join(others)})" if others else " (no other device)")
        return ("end", "dropped", f"no device on {where} has {target}: ARP gets no answer", None)

    def _owner(self, seg, target, dev: str):
        if not isinstance(target, ipaddress.IPv4Address):
            return None
        for name, iface in seg.nodes:
            if name == dev:
                continue
            device = self.devices[name]
            l3 = self.topology.l3_interface(name, iface)
            for a in device.facts.addresses:
                if a.ip == target and a.interface in (iface, l3) and self.topology.interface_up(name, a.interface):
                    return (name, a.interface)
        for lease in self.sessions.dhcp:
            if lease.address == target and lease.device != dev and self.topology.segment_of(lease.device, lease.interface) is seg:
                return (lease.device, lease.interface)
        return None

    def _cross_wireguard(self, dev: str, out_iface: str, dst, src):
        wg = self.sessions.wg_interface(dev, out_iface)
        if wg is None:
            return ("end", "dropped", f"{dev}'s WireGuard interface {out_iface} is disabled", None)
        best = None
        for peer in wg.peers:
            for text in split_list(peer.get("allowed-address")):
                net = parse_network(text.strip())
                if net is not None and net.version == 4 and isinstance(dst, ipaddress.IPv4Address) and dst in net:
                    if best is None or net.prefixlen > best[0]:
                        best = (net.prefixlen, peer)
        if best is None:
            return ("end", "dropped", f"no peer of {dev}'s {out_iface} has {dst} in its allowed-address: WireGuard drops it", None)
        peer = best[1]
        tunnel = self.sessions.tunnel_of(wg, peer)
        if tunnel is None:
            return ("end", "dropped", f"the peer of {dev}'s {out_iface} that allows {dst} is no device of the lab", None)
        why = self.state.wg_down.get(id(tunnel))
        other = tunnel.other(wg)
        if why:
            return ("end", "dropped", f"the WireGuard tunnel {dev} ⇄ {other.device} is down: {why}", None)
        back = tunnel.peer_of(other)
        if back is None:
            return ("end", "dropped", f"{other.device} has no peer for {dev} on {other.name}: it drops the packet", None)
        if isinstance(src, ipaddress.IPv4Address) and not _allowed(back, src):
            return ("end", "dropped",
                    f"{other.device} drops it: source {src} is not in the allowed-address of its peer for {dev}", None)
        return ("next", other.device, other.name, f"WireGuard to {other.device}")

    # --- probes ------------------------------------------------------------------------------

    def round_trip(self, device: str, dst, src=None, first_hop=None) -> tuple[bool, str, list[Path]]:
        """Does ``dst`` answer a ping from ``device``?  (ok, why not, forward paths)"""
        paths = self.trace(device, dst, src, first_hop=first_hop)
        for p in paths:
            if p.outcome == "lan":
                continue  # a host the lab does not model: assume it answers
            if p.outcome not in ("delivered", "internet"):
                return False, p.reason, paths
            ok, why = self._reply(device, p, src)
            if not ok:
                return False, why, paths
        return True, "", paths

    def _reply(self, origin: str, path: Path, src) -> tuple[bool, str]:
        nat = list(path.nat)
        dst = path.src
        if path.outcome == "internet":
            uplink_dev = path.hops[-1].device
            current = uplink_dev
            in_iface = path.hops[-1].out_interface
        else:
            current = path.end_device
            in_iface = None
        for _ in range(8):
            if dst is None:
                return False, "the packet has no source address to answer to"
            if isinstance(dst, UplinkAddress):
                if not nat or nat[-1][2] != dst:
                    return False, f"no reply comes back for {dst}"
                current, _, _ = nat[-1]
                dst = nat.pop()[1]
                in_iface = None
                continue
            replies = self.trace(current, dst, in_interface=in_iface, probe=Probe(state="established"))
            end = None
            for r in replies:
                if r.outcome != "delivered":
                    return False, f"the reply to {dst} is lost: {r.reason}"
                end = r
            if end is None:
                return False, f"no reply to {dst}"
            if nat and nat[-1][0] == end.end_device and nat[-1][2] == dst:
                current = end.end_device
                dst = nat.pop()[1]
                in_iface = None
                continue
            if end.end_device == origin:
                return True, ""
            return False, f"the reply to {dst} goes to {end.end_device}, not {origin}"
        return False, "the reply does not come back"

    def _probe(self) -> _State:
        failed: dict[tuple[str, int], dict[str, str]] = {}
        for dev, routes in self._routes.items():
            for i, r in enumerate(routes):
                check = (r.fact.check_gateway or "").lower()
                if check not in ("ping", "arp") or r.fact.disabled or r.base is None:
                    continue
                for gw in r.base.gateways:
                    if not gw.ok or gw.address is None:
                        continue
                    hop = immediate(gw)
                    if check == "arp":
                        if hop[1] is None:
                            continue
                        seg = self.topology.segment_of(dev, hop[0]) if hop[0] else None
                        if seg is None or self._owner(seg, hop[1], dev) is None:
                            failed.setdefault((dev, i), {})[gw.text] = f"no ARP answer from {hop[1]}"
                        continue
                    ok, why, _ = self.round_trip(dev, gw.address, first_hop=(r, [hop]))
                    if not ok:
                        failed.setdefault((dev, i), {})[gw.text] = f"check-gateway=ping to {gw.address} fails: {why}"
        wg_down: dict[int, str] = {}
        for tunnel in self.sessions.tunnels:
            why = self._handshake(tunnel)
            if why:
                wg_down[id(tunnel)] = why
        return _State(failed, wg_down)

    def _handshake(self, tunnel: WgTunnel) -> str:
        """Why the tunnel's handshake fails ('' when it works)."""
        reasons = []
        for local, peer, remote, back in tunnel.sides():
            if peer is None:
                continue
            endpoint = parse_ip(peer.get("endpoint-address"))
            if endpoint is None:
                continue
            if back is None:
                reasons.append(f"{remote.device} has no peer for {local.device}")
                continue
            paths = self.trace(local.device, endpoint)
            bad = next((p for p in paths if p.outcome != "delivered" or p.end_device != remote.device), None)
            if bad is not None:
                if bad.ok:
                    reasons.append(f"{local.device}'s handshake to {endpoint} reaches {bad.end_device or 'the internet'}, not {remote.device}")
                else:
                    reasons.append(f"{local.device}'s handshake to {endpoint} is lost: {bad.reason}")
                continue
            ok, why, _ = self.round_trip(local.device, endpoint)
            if not ok:
                reasons.append(f"{local.device}'s handshake reaches {remote.device}, but {why}")
                continue
            return ""
        if not reasons:
            return "neither side has an endpoint-address to start it"
        return "; ".join(reasons)

    # --- questions ----------------------------------------------------------------------------

    def tunnel_up(self, tunnel: WgTunnel) -> tuple[bool, str]:
        why = self.state.wg_down.get(id(tunnel), "")
        return not why, why

    def explain(self, device: str, dst) -> list[str]:
        """Why routes of ``device`` that contain ``dst`` are not used."""
        table = self.tables[device]
        out = []
        used = table.lookup(dst)
        for r in table.covering(dst):
            if r in used:
                continue
            if r.active:
                if used:
                    out.append(f"{_route_text(r)} is active, but {used[0].dst} is more specific for {dst}")
                continue
            out.append(f"{_route_text(r)} is not used: {route_status(r)}")
        return out


@dataclass(slots=True)
class _Walk:
    device: str
    in_interface: str | None
    src: object
    hops: list[Hop]
    nat: list
    share: Fraction
    first_hop: object
    seen: set
    dst: object = None  # after a dst-nat on the way (None: the traced destination)
    probe: Probe = Probe()
    natted: bool = False


def _allowed(peer, ip) -> bool:
    for text in split_list(peer.get("allowed-address")):
        net = parse_network(text.strip())
        if net is not None and net.version == ip.version and ip in net:
            return True
    return False
