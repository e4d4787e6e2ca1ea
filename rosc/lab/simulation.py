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
tunnel, which checks the source against its peer's allowed-address.
Source NAT (``masquerade``, ``src-nat``) rewrites the source as the packet
leaves; replies undo it in reverse order.  Not simulated: firewall filters,
policy routing (routing marks, ``/routing rule``), IPv6, dynamic routing
protocols, L2TP/SSTP/OpenVPN/GRE tunnels.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass, field
from fractions import Fraction

from rosc.model.facts import RouteFact, parse_ip, parse_network, split_list, to_int
from rosc.model.nexthop import GatewayResolution, RouteResolution, resolve_routes
from rosc.lab.sessions import Sessions, WgTunnel
from rosc.lab.topology import LabDevice, Topology

MAX_ROUNDS = 12
MAX_HOPS = 40
MAX_PATHS = 64
DEFAULT = ipaddress.ip_network("0.0.0.0/0")


@dataclass(slots=True, frozen=True)
class UplinkAddress:
    """The address a device gets from the network behind an uplink (a DHCP
    lease from outside the lab): unknown, but it is that device's."""

    device: str
    interface: str

    def __str__(self) -> str:
        return f"{self.device}'s address on {self.interface}"


@dataclass(slots=True, eq=False)
class SimRoute:
    fact: RouteFact
    origin: str  # connected | static | pppoe | pppoe-server | dhcp
    resolution: RouteResolution | None = None  # as forwarding uses it (check-gateway failures applied)
    base: RouteResolution | None = None  # every gateway, as if all checks passed
    failed: dict[str, str] = field(default_factory=dict)  # gateway text -> why check-gateway failed
    ecmp: bool = False

    @property
    def active(self) -> bool:
        return self.resolution is not None and self.resolution.active

    @property
    def resolved(self) -> bool:
        return self.resolution is not None and self.resolution.resolved

    @property
    def dst(self):
        return self.fact.dst

    @property
    def dynamic(self) -> bool:
        return self.origin != "static"

    @property
    def blackhole(self) -> bool:
        return not self.fact.gateways and not self.fact.interface

    def next_hops(self) -> list[tuple[str | None, object]]:
        """(out interface, immediate gateway address or None) for each
        gateway that forwarding uses."""
        res = self.resolution
        if res is None or not res.resolved:
            return []
        if not self.fact.gateways:
            return [(self.fact.interface, None)] if self.fact.interface else []
        out = []
        for gw in res.gateways:
            if not gw.ok or gw.text in self.failed:
                continue
            hop = immediate(gw)
            if hop not in out:
                out.append(hop)
        return out


def immediate(gw: GatewayResolution) -> tuple[str | None, object]:
    """Out interface and immediate gateway of a resolved gateway: recursion
    followed down to the route whose gateway is an interface or lies in a
    connected network."""
    if gw.address is None:
        return gw.interface, None
    if gw.via is None:  # ADDRESS%INTERFACE
        return gw.interface, gw.address
    address = gw.address
    for route in gw.chain:
        if route.kind == "connected":
            return gw.interface, address
        if not route.gateways:
            return gw.interface or route.interface, None
        nxt = None
        for text in route.gateways:
            ip = parse_ip(text.split("%")[0].split("@")[0])
            if ip is None:
                return gw.interface, None  # through an interface: no address to ARP for
            nxt = ip
            break
        address = nxt
    return gw.interface, address


@dataclass(eq=False)
class Table:
    device: str
    routes: list[SimRoute]
    local: dict = field(default_factory=dict)  # own address -> interface
    sources: dict[str, object] = field(default_factory=dict)  # interface -> preferred source address

    def __post_init__(self) -> None:
        self._index: dict[int, dict[int, list[SimRoute]]] = {}
        for r in self.routes:
            if r.active and r.dst.version == 4:
                self._index.setdefault(r.dst.prefixlen, {}).setdefault(int(r.dst.network_address), []).append(r)
        self._lengths = sorted(self._index, reverse=True)
        for group in (g for by in self._index.values() for g in by.values()):
            hops = sum(len(r.next_hops()) or 1 for r in group)
            for r in group:
                r.ecmp = hops > 1

    def lookup(self, ip) -> list[SimRoute]:
        """The active routes forwarding uses for ``ip``: the longest prefix
        (several routes when they share it: ECMP)."""
        value = int(ip)
        for length in self._lengths:
            mask = ((1 << length) - 1) << (32 - length) if length else 0
            found = self._index[length].get(value & mask)
            if found:
                return found
        return []

    def covering(self, ip) -> list[SimRoute]:
        """Every route (active or not) that contains ``ip``, longest first."""
        out = [r for r in self.routes if r.dst.version == 4 and ip in r.dst]
        out.sort(key=lambda r: (-r.dst.prefixlen, r.fact.distance))
        return out


@dataclass(slots=True)
class Hop:
    device: str
    in_interface: str | None
    out_interface: str | None = None
    route: SimRoute | None = None
    gateway: object = None
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Path:
    hops: list[Hop]
    outcome: str  # delivered | internet | lan | dropped | loop
    reason: str = ""
    end_device: str | None = None
    src: object = None  # the source as the packet arrives
    nat: list[tuple[str, object, object]] = field(default_factory=list)  # (device, before, after)
    share: Fraction = Fraction(1)
    uplink: object = None  # the Uplink the packet left by
    end_interface: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("delivered", "internet", "lan")


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
        self._masq = {name: self._nat_rules(name) for name in self.devices}
        self._lists = {name: self._interface_lists(name) for name in self.devices}
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
        """Every route of ``dev`` (before resolution), in the order
        /ip route print shows them: dynamic first."""
        device = self.devices[dev]
        exists = self._iface_exists(dev)
        routes: list[SimRoute] = []
        for a in device.facts.addresses:
            if a.iface.version != 4 or not exists(a.interface):
                continue
            peer = parse_ip(a.item.get("network"))
            if a.network.prefixlen == 32 and peer is not None and peer != a.ip:
                dst = ipaddress.ip_network(f"{peer}/32")
            else:
                dst = a.network
            routes.append(SimRoute(RouteFact(dst, [a.interface], 0, 10, 10, "connected", a.item, a.interface), "connected"))
        for s in self.sessions.pppoe:
            if s.client.device == dev:
                if s.local is not None and s.remote is not None:
                    dst = ipaddress.ip_network(f"{s.local}/32")
                    routes.append(
                        SimRoute(
                            RouteFact(dst, [s.client.name], 0, 10, 10, "connected", s.client.item, s.client.name,
                                      note=f"PPPoE session to {s.server.device}"),
                            "connected",
                        )
                    )
                if s.client.add_default_route:
                    routes.append(
                        SimRoute(
                            RouteFact(DEFAULT, [s.client.name], s.client.distance, 30, 10, "dynamic", s.client.item,
                                      s.client.name, note=f"added by PPPoE client {s.client.name}"),
                            "pppoe",
                        )
                    )
            if s.server.device == dev and s.remote is not None and s.local is not None:
                dst = ipaddress.ip_network(f"{s.remote}/32")
                routes.append(
                    SimRoute(
                        RouteFact(dst, [s.server_interface], 0, 10, 10, "connected", s.secret, s.server_interface,
                                  note=f"PPPoE session of {s.client.device}"),
                        "connected",
                    )
                )
        for lease in self.sessions.dhcp:
            if lease.device != dev or not exists(lease.interface):
                continue
            if lease.network is not None and lease.address is not None:
                routes.append(
                    SimRoute(
                        RouteFact(lease.network, [lease.interface], 0, 10, 10, "connected", lease.item, lease.interface,
                                  note=f"DHCP lease from {lease.server_device}"),
                        "connected",
                    )
                )
            if lease.add_default_route and (lease.uplink is not None or lease.gateway is not None):
                gateways = [str(lease.gateway)] if lease.gateway is not None else []
                routes.append(
                    SimRoute(
                        RouteFact(DEFAULT, gateways, lease.distance, 30, 10, "dynamic", lease.item, lease.interface,
                                  note=f"added by the DHCP client on {lease.interface}"),
                        "dhcp",
                    )
                )
        for item in device.device.items("/ip route"):
            dst = parse_network(item.get("dst-address", "0.0.0.0/0"))
            if dst is None or dst.version != 4:
                continue
            gateways = split_list(item.get("gateway"))
            kind = (item.get("type") or "").lower()
            if kind in ("blackhole", "unreachable", "prohibit"):
                gateways = []
            routes.append(
                SimRoute(
                    RouteFact(
                        dst, gateways, to_int(item.get("distance"), 1), to_int(item.get("scope"), 30),
                        to_int(item.get("target-scope"), 10), "static", item,
                        check_gateway=item.get("check-gateway"),
                        table=item.get("routing-table") or item.get("routing-mark") or "main",
                        disabled=item.disabled,
                    ),
                    "static",
                )
            )
        base = resolve_routes([r.fact for r in routes], exists)
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
            for r, res in zip(routes, resolve_routes(facts, exists)):
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

    # --- NAT ------------------------------------------------------------------------------

    def _interface_lists(self, dev: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for item in self.devices[dev].device.items("/interface list member"):
            if not item.disabled and item.get("list") and item.get("interface"):
                out.setdefault(item.get("list"), set()).add(item.get("interface"))
        return out

    def _nat_rules(self, dev: str) -> list:
        return [
            i for i in self.devices[dev].device.items("/ip firewall nat")
            if not i.disabled and i.get("chain") == "srcnat"
        ]

    def _snat(self, dev: str, out_iface: str, src) -> object | None:
        """The new source address when a packet from ``src`` leaves ``dev``
        by ``out_iface``, or None when srcnat leaves it alone."""
        for rule in self._masq[dev]:
            if not self._matches(dev, rule, out_iface, src):
                continue
            action = rule.get("action") or "accept"
            if action == "masquerade":
                return self.tables[dev].sources.get(out_iface)
            if action == "src-nat":
                ip = parse_ip((rule.get("to-addresses") or "").split("-")[0])
                return ip
            if action in ("accept", "return", "passthrough", "log"):
                if action in ("accept", "return"):
                    return None
                continue
            return None
        return None

    def _matches(self, dev: str, rule, out_iface: str, src) -> bool:
        def neg(value: str, test) -> bool:
            if value.startswith("!"):
                return not test(value[1:])
            return test(value)

        out = rule.get("out-interface")
        if out and not neg(out, lambda v: v == out_iface):
            return False
        lst = rule.get("out-interface-list")
        if lst and not neg(lst, lambda v: v == "all" or out_iface in self._lists[dev].get(v, set())):
            return False
        src_rule = rule.get("src-address")
        if src_rule:
            if not isinstance(src, ipaddress.IPv4Address):
                return False
            if not neg(src_rule, lambda v: _in(src, v)):
                return False
        for unsupported in ("in-interface", "in-interface-list", "src-address-list", "dst-address-list",
                            "routing-mark", "connection-mark", "packet-mark", "protocol", "dst-port", "ipsec-policy"):
            if rule.get(unsupported):
                return False
        dst_rule = rule.get("dst-address")
        if dst_rule:
            return False  # depends on the packet; rosc does not guess
        return True

    # --- forwarding ---------------------------------------------------------------------------

    def trace(self, device: str, dst, src=None, in_interface: str | None = None, first_hop=None) -> list[Path]:
        """Every path a packet from ``device`` (sent by the router itself, or
        forwarded from ``in_interface``) to ``dst`` takes: one per ECMP branch."""
        dst = ipaddress.ip_address(dst) if isinstance(dst, str) else dst
        paths: list[Path] = []
        start = _Walk(device, in_interface, src, [], [], Fraction(1), first_hop, set())
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
        if dst in table.local:
            paths.append(Path(hops, "delivered", f"{dst} is an address of {dev}", dev, src, walk.nat, walk.share,
                              end_interface=table.local[dst]))
            return
        key = (dev, walk.in_interface)
        if key in walk.seen or len(hops) > MAX_HOPS:
            paths.append(Path(hops, "loop", f"routing loop: the packet comes back to {dev}", dev, src, walk.nat, walk.share))
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
            if len(options) > 1:
                this.notes.append(f"ECMP: one of {len(options)} next hops")
            branch_hops = walk.hops + [this]
            new_src = src
            nat = list(walk.nat)
            if new_src is None:
                new_src = table.sources.get(out_iface)
            translated = self._snat(dev, out_iface, new_src) if new_src is not None else None
            if translated is not None and translated != new_src:
                this.notes.append(f"src-nat {new_src} → {translated}")
                nat.append((dev, new_src, translated))
                new_src = translated
            result = self._cross(dev, out_iface, gateway if gateway is not None else dst, dst, new_src)
            kind = result[0]
            if kind == "next":
                _, nxt, in_iface, note = result
                if note:
                    this.notes.append(note)
                stack.append(_Walk(nxt, in_iface, new_src, branch_hops, nat, share, None, seen))
            else:
                _, outcome, reason, extra = result
                paths.append(Path(branch_hops, outcome, reason, dev if outcome != "internet" else None, new_src, nat,
                                  share, uplink=extra))

    def _cross(self, dev: str, out_iface: str, target, dst, src):
        """Where a packet leaving ``dev`` by ``out_iface`` towards ``target``
        arrives: ("next", device, in-interface, note) or ("end", outcome, reason, uplink)."""
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
            replies = self.trace(current, dst, in_interface=in_iface)
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


def _in(ip, text: str) -> bool:
    net = parse_network(text)
    if net is not None:
        return net.version == ip.version and ip in net
    if "-" in text:
        lo, _, hi = text.partition("-")
        a, b = parse_ip(lo), parse_ip(hi)
        return a is not None and b is not None and a <= ip <= b
    return False


def _allowed(peer, ip) -> bool:
    for text in split_list(peer.get("allowed-address")):
        net = parse_network(text.strip())
        if net is not None and net.version == ip.version and ip in net:
            return True
    return False


def _route_text(r: SimRoute) -> str:
    f = r.fact
    via = ",".join(f.gateways) if f.gateways else (f.interface or "")
    what = "connected route" if r.origin == "connected" else "dynamic route" if r.dynamic else "route"
    text = f"{what} {f.dst}" + (f" via {via}" if via else "")
    return text if r.origin == "connected" else f"{text} (distance {f.distance})"


def route_text(r: SimRoute) -> str:
    return _route_text(r)


def route_status(r: SimRoute) -> str:
    f = r.fact
    if f.disabled and not r.failed:
        return "disabled"
    res = r.resolution
    if r.failed and (res is None or not res.resolved):
        return "; ".join(f"gateway {gw}: {why}" for gw, why in r.failed.items())
    if res is None:
        return "not resolved"
    if not res.resolved:
        reasons = []
        for gw in res.gateways:
            if gw.ok:
                continue
            reasons.append(f"gateway {gw.text} does not resolve ({_why(gw)})")
        if not reasons and f.interface:
            reasons.append(f"{f.interface} is down")
        return "; ".join(reasons) or "its gateway does not resolve"
    if not res.active:
        return "a route with a smaller distance is active"
    notes = [f"gateway {gw}: {why}" for gw, why in r.failed.items()]
    return "active" + (f" ({'; '.join(notes)})" if notes else "")


def _why(gw: GatewayResolution) -> str:
    from rosc.model import nexthop as rr

    return {
        rr.NO_ROUTE: "no route contains it",
        rr.SCOPE: "the route that contains it has a scope above this route's target-scope",
        rr.SELF: "only this route contains it",
        rr.LOOP: "the routes it needs need this route again",
        rr.VIA_INACTIVE: "the route it needs is not resolved",
        rr.UNKNOWN_INTERFACE: "the interface is down or does not exist",
        rr.DISABLED: "disabled",
    }.get(gw.reason, gw.reason)


def flags(r: SimRoute) -> str:
    """The flags /ip route print shows (RouterOS 7)."""
    out = ""
    if r.dynamic:
        out += "D"
    if r.fact.disabled and not r.failed:
        out += "X"
    elif r.active:
        out += "A"
    else:
        out += "I"
    out += {"connected": "c", "static": "s", "pppoe": "v", "dhcp": "d"}.get(r.origin, "")
    if r.active and r.ecmp:
        out += "+"
    return out


# --- wording for people ---------------------------------------------------------------------------


def gateway_text(r: SimRoute) -> str:
    f = r.fact
    if f.gateways:
        return ",".join(f.gateways)
    if r.origin == "dhcp":
        return f"the DHCP gateway on {f.interface}"
    return f.interface or ""


def immediate_text(r: SimRoute) -> str:
    """The immediate gateway column: ADDRESS%INTERFACE, or INTERFACE."""
    parts = []
    for iface, gw in r.next_hops():
        parts.append(f"{gw}%{iface}" if gw is not None else (iface or ""))
    if not parts and r.origin == "connected" and r.resolved:
        parts.append(r.fact.interface or "")
    return ",".join(parts)


def hop_text(hop: Hop) -> str:
    """``in ether3; route 0.0.0.0/0 via 123.1.1.5 (distance 1) → out ether1 ...``"""
    parts = []
    if hop.in_interface:
        parts.append(f"in {hop.in_interface}")
    r = hop.route
    if r is not None:
        desc = f"{r.fact.dst} via {gateway_text(r)}" if r.origin != "connected" else f"{r.fact.dst} connected"
        if r.origin in ("pppoe", "dhcp"):
            desc = "dynamic " + desc
        if r.origin != "connected":
            desc += f", distance {r.fact.distance}"
        recursive = [g for g in (r.resolution.gateways if r.resolution else []) if g.ok and g.via is not None and g.via.kind != "connected"]
        if recursive:
            g = recursive[0]
            desc += f", {g.address} resolved through {g.via.dst}"
        parts.append(f"route {desc}")
    if hop.out_interface:
        out = f"→ out {hop.out_interface}"
        if hop.gateway is not None:
            out += f" to {hop.gateway}"
        parts.append(out)
    text = "; ".join(parts[:-1]) + (" " if len(parts) > 1 else "") + parts[-1] if parts else ""
    if hop.notes:
        text += " (" + "; ".join(hop.notes) + ")"
    return text


def outcome_text(path: Path) -> str:
    if path.outcome == "internet":
        return f"reaches the internet: {path.reason}"
    if path.outcome == "delivered":
        return f"delivered to {path.end_device} ({path.end_interface})"
    if path.outcome == "lan":
        return f"delivered {path.reason}"
    if path.outcome == "loop":
        return f"dropped: {path.reason}"
    return f"dropped at {path.end_device}: {path.reason}"
