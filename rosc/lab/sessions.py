"""What the devices of a lab set up between them: PPPoE sessions, DHCP
leases and WireGuard tunnels.

PPPoE (help.mikrotik.com: PPPoE, PPP AAA): a client reaches the servers on
its segment; a server answers a PADI whose ``service-name`` matches its own
or that carries none (a client without one takes any server, a server
without one answers only such clients); the server's ``authentication`` and
the client's ``allow`` must share a method; the client's ``user`` must name
an enabled ``/ppp secret`` of that server whose ``service`` is ``pppoe`` or
``any``, with the same password.  The session's settings are composed from
the secret, its profile (``default`` unless set) and the server's
``default-profile``, in that priority, except that a single address always
wins over a pool wherever it is set.  The client gets ``remote-address`` and
sees ``local-address`` as its peer (its gateway).

RouterOS does not promise which address of a pool a client gets; rosc hands
them out from the top of the pool down, in the order of the devices in
lab.toml, except that an address another device expects (a WireGuard
endpoint inside the pool) goes to the device that endpoint belongs to.

WireGuard: the two interfaces of a tunnel are paired by keys when the
configurations hold private keys (the public key is derived with X25519,
RFC 7748), else by the endpoint address, else by the tunnel addresses.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import cached_property

from rosc.lab.session_addresses import AUTH_METHODS, next_free, pool_contains, session_address
from rosc.lab.session_addresses import methods as _methods
from rosc.lab.topology import Topology
from rosc.lab.wireguard_keys import public_key
from rosc.model.device import Item
from rosc.model.facts import AddressFact, parse_ip, parse_network, split_list, to_int

PPPOE_CLIENT = "/interface pppoe-client"


PPPOE_SERVER = "/interface pppoe-server server"


SECRET = "/ppp secret"


PROFILE = "/ppp profile"


WG = "/interface wireguard"


PEERS = "/interface wireguard peers"


DEFAULT_PROFILES = ("default", "default-encryption")





WG_DEFAULT_PORT = 13231


@dataclass(slots=True, eq=False)
class PppoeServer:
    device: str
    item: Item
    interface: str
    service: str
    default_profile: str
    authentication: tuple[str, ...] = AUTH_METHODS


@dataclass(slots=True, eq=False)
class PppoeClient:
    device: str
    item: Item
    name: str
    interface: str
    user: str
    password: str
    service: str
    add_default_route: bool
    distance: int
    allow: tuple[str, ...] = AUTH_METHODS


@dataclass(slots=True, eq=False)
class PppoeSession:
    client: PppoeClient
    server: PppoeServer
    secret: Item
    profile_name: str
    profile: Item | None
    local: ipaddress.IPv4Address | None  # the server's end: the client's gateway
    remote: ipaddress.IPv4Address | None  # the client's address
    pool: str | None  # where `remote` comes from, when not fixed
    local_pool: str | None = None

    @property
    def server_interface(self) -> str:
        """The dynamic interface the session is on the server (`<pppoe-USER>`)."""
        return f"<pppoe-{self.client.user}>"

    @property
    def fixed(self) -> bool:
        return self.pool is None


@dataclass(slots=True, eq=False)
class PppoeFailure:
    client: PppoeClient
    # no-server | service-name | no-common-auth | unknown-user | wrong-password | service-not-allowed | secret-disabled
    reason: str
    servers: list[PppoeServer] = field(default_factory=list)  # the servers the client reaches
    secret: Item | None = None  # the secret that matched the user name
    secret_device: str | None = None


@dataclass(slots=True, eq=False)
class DhcpLease:
    device: str
    item: Item
    interface: str
    server_device: str | None  # None: the lease comes from the uplink
    server: Item | None
    uplink: object | None  # rosc.lab.manifest.Uplink
    network: ipaddress.IPv4Network | None = None
    address: ipaddress.IPv4Address | None = None
    gateway: ipaddress.IPv4Address | None = None
    pool: str | None = None

    @property
    def add_default_route(self) -> bool:
        return self.item.flag("add-default-route", True)

    @property
    def distance(self) -> int:
        return to_int(self.item.get("default-route-distance"), 1)


@dataclass(slots=True, eq=False)
class DhcpFailure:
    device: str
    item: Item
    interface: str
    reason: str  # no-server | static-only


@dataclass(slots=True, eq=False)
class WgInterface:
    device: str
    item: Item
    name: str
    listen_port: int
    private_key: str | None
    public_key: str | None
    addresses: list[AddressFact]
    peers: list[Item]

    @property
    def label(self) -> str:
        return f"{self.device} {self.name}"


@dataclass(slots=True, eq=False)
class WgTunnel:
    a: WgInterface
    a_peer: Item | None  # a's peer for b
    b: WgInterface
    b_peer: Item | None  # b's peer for a
    how: str  # keys | endpoint | address | subnet

    def sides(self):
        """(local interface, its peer for the other side, the other interface, the other's peer)."""
        yield self.a, self.a_peer, self.b, self.b_peer
        yield self.b, self.b_peer, self.a, self.a_peer

    def peer_of(self, iface: WgInterface) -> Item | None:
        return self.a_peer if iface is self.a else self.b_peer

    def other(self, iface: WgInterface) -> WgInterface:
        return self.b if iface is self.a else self.a


@dataclass(slots=True)
class Possible:
    """How a device could hold an address."""

    device: str
    how: str  # static | fixed (a PPP secret's remote-address) | pool | dhcp
    interface: str | None = None
    pool: str | None = None
    server: str | None = None  # the device that hands it out


class Sessions:
    """PPPoE sessions, DHCP leases and WireGuard tunnels of a lab, with the
    topology given (some ports may be down)."""

    def __init__(self, topology: Topology):
        self.topology = topology
        self.devices = topology.devices
        self.order = list(self.devices)
        self.pppoe: list[PppoeSession] = []
        self.pppoe_failures: list[PppoeFailure] = []
        self.dhcp: list[DhcpLease] = []
        self.dhcp_failures: list[DhcpFailure] = []
        self.servers = self._pppoe_servers()
        self._connect_pppoe()
        self._connect_dhcp()
        self.wireguard = self._wg_interfaces()
        self.tunnels, self.unpaired = self._pair()
        self._allocate()

    # --- PPPoE ------------------------------------------------------------------

    def _pppoe_servers(self) -> list[PppoeServer]:
        out = []
        for name, device in self.devices.items():
            for item in device.device.items(PPPOE_SERVER):
                if item.disabled or not item.get("interface"):
                    continue
                out.append(
                    PppoeServer(
                        name, item, item.get("interface"), item.get("service-name", ""),
                        item.get("default-profile") or "default", _methods(item.get("authentication")),
                    )
                )
        return out

    def clients(self) -> list[PppoeClient]:
        out = []
        for name, device in self.devices.items():
            for item in device.device.items(PPPOE_CLIENT):
                if item.disabled or not item.get("interface"):
                    continue
                out.append(
                    PppoeClient(
                        name, item, item.name or "pppoe-out1", item.get("interface"), item.get("user", ""),
                        item.get("password", ""), item.get("service-name", ""), item.flag("add-default-route"),
                        to_int(item.get("default-route-distance"), 1), _methods(item.get("allow")),
                    )
                )
        return out

    def _connect_pppoe(self) -> None:
        topo = self.topology
        for client in self.clients():
            seg = topo.segment_of(client.device, client.interface)
            reachable = [
                s for s in self.servers
                if seg is not None and s.device != client.device and topo.segment_of(s.device, s.interface) is seg
            ]
            if not reachable:
                self.pppoe_failures.append(PppoeFailure(client, "no-server"))
                continue
            # PPPoE: "Server will accept clients that send a PADI message with service-names that match this
            # setting or if the service-name field in the PADI message is not set."
            matching = [s for s in reachable if not client.service or s.service == client.service]
            if not matching:
                self.pppoe_failures.append(PppoeFailure(client, "service-name", reachable))
                continue
            failure = None
            for server in matching:
                result = self._authenticate(client, server)
                if isinstance(result, PppoeSession):
                    self.pppoe.append(result)
                    failure = None
                    break
                if failure is None or _RANK[result.reason] > _RANK[failure.reason]:
                    failure = result
            if failure is not None:
                failure.servers = matching
                self.pppoe_failures.append(failure)

    def _authenticate(self, client: PppoeClient, server: PppoeServer):
        device = self.devices[server.device]
        if not set(client.allow) & set(server.authentication):
            return PppoeFailure(client, "no-common-auth")  # LCP agrees on no method: no login is even tried
        secrets = [s for s in device.device.items(SECRET) if s.get("name") == client.user]
        if not secrets:
            return PppoeFailure(client, "unknown-user")
        enabled = [s for s in secrets if not s.disabled]
        if not enabled:
            return PppoeFailure(client, "secret-disabled", secret=secrets[0], secret_device=server.device)
        allowed = [s for s in enabled if (s.get("service") or "any") in ("any", "pppoe")]
        if not allowed:
            return PppoeFailure(client, "service-not-allowed", secret=enabled[0], secret_device=server.device)
        secret = allowed[0]
        if (secret.get("password") or "") != client.password:
            return PppoeFailure(client, "wrong-password", secret=secret, secret_device=server.device)
        profile_name = secret.get("profile") or "default"
        profiles = {p.get("name"): p for p in device.device.items(PROFILE)}
        profile = profiles.get(profile_name)
        layers = [secret, profile, profiles.get(server.default_profile)]
        local, local_pool = session_address(layers, "local-address", device)
        remote, pool = session_address(layers, "remote-address", device)
        return PppoeSession(client, server, secret, profile_name, profile, local, remote, pool, local_pool)

    # --- DHCP -------------------------------------------------------------------

    def _connect_dhcp(self) -> None:
        topo = self.topology
        servers = []
        for name, device in self.devices.items():
            for item in device.device.items("/ip dhcp-server"):
                if not item.disabled and item.get("interface"):
                    servers.append((name, item))
        for name, device in self.devices.items():
            for item in device.device.items("/ip dhcp-client"):
                iface = item.get("interface")
                if item.disabled or not iface:
                    continue
                seg = topo.segment_of(name, iface)
                if seg is None:
                    self.dhcp_failures.append(DhcpFailure(name, item, iface, "no-server"))
                    continue
                found = next(
                    ((d, s) for d, s in servers if d != name and topo.segment_of(d, s.get("interface")) is seg), None
                )
                if found is not None:
                    server_dev, server = found
                    lease = self._lease(name, item, iface, server_dev, server)
                    if lease is None:
                        self.dhcp_failures.append(DhcpFailure(name, item, iface, "static-only"))
                    else:
                        self.dhcp.append(lease)
                    continue
                if seg.uplinks:
                    self.dhcp.append(DhcpLease(name, item, iface, None, None, seg.uplinks[0]))
                    continue
                self.dhcp_failures.append(DhcpFailure(name, item, iface, "no-server"))

    def _lease(self, name, item, iface, server_dev, server) -> DhcpLease | None:
        device = self.devices[server_dev]
        pool = server.get("address-pool")
        if not pool or pool == "static-only":
            return None
        network = gateway = None
        for fact in device.facts.addresses:
            if fact.interface == server.get("interface") and fact.iface.version == 4:
                network = fact.network
                break
        for net_item in device.device.items("/ip dhcp-server network"):
            net = parse_network(net_item.get("address"))
            if net is not None and (network is None or net.overlaps(network)):
                network = network or net
                gateway = parse_ip(net_item.get("gateway"))
                break
        return DhcpLease(name, item, iface, server_dev, server, None, network, None, gateway, pool)

    # --- WireGuard ----------------------------------------------------------------

    def _wg_interfaces(self) -> list[WgInterface]:
        out = []
        for name, device in self.devices.items():
            peers_by_iface: dict[str, list[Item]] = {}
            for peer in device.device.items(PEERS):
                if not peer.disabled and peer.get("interface"):
                    peers_by_iface.setdefault(peer.get("interface"), []).append(peer)
            for item in device.device.items(WG):
                if item.disabled or not item.name:
                    continue
                private = item.get("private-key") or None
                addresses = [a for a in device.facts.addresses if a.interface == item.name and a.iface.version == 4]
                out.append(
                    WgInterface(
                        name, item, item.name, to_int(item.get("listen-port"), WG_DEFAULT_PORT), private,
                        public_key(private), addresses, peers_by_iface.get(item.name, []),
                    )
                )
        return out

    def possible_owners(self, ip) -> list[Possible]:
        """Every way a device of the lab could hold ``ip``."""
        out = [Possible(name, "static", interface) for name, interface in self._static_owners.get(ip, ())]
        for session in self.pppoe:
            if session.remote == ip and session.pool is None:
                out.append(Possible(session.client.device, "fixed", session.client.name, server=session.server.device))
            elif session.pool and pool_contains(self.devices[session.server.device], session.pool, ip):
                out.append(
                    Possible(session.client.device, "pool", session.client.name, session.pool, session.server.device)
                )
        for lease in self.dhcp:
            if lease.pool and lease.server_device and pool_contains(self.devices[lease.server_device], lease.pool, ip):
                out.append(Possible(lease.device, "dhcp", lease.interface, lease.pool, lease.server_device))
        return out

    @cached_property
    def _static_owners(self) -> dict:
        """Address → (device, interface) of every address configured in the
        lab, in device and address order: built once, not per question."""
        out: dict = {}
        for name, device in self.devices.items():
            for fact in device.facts.addresses:
                out.setdefault(fact.ip, []).append((name, fact.interface))
        return out

    def _pair(self) -> tuple[list[WgTunnel], list[tuple[WgInterface, Item]]]:
        links: dict[tuple[int, int], tuple[WgInterface, str]] = {}  # (iface, peer) -> (remote iface, how)
        by_id = {}
        for iface in self.wireguard:
            for peer in iface.peers:
                by_id[id(peer)] = (iface, peer)
                remote = self._match(iface, peer)
                if remote is not None:
                    links[(id(iface), id(peer))] = remote
        tunnels: list[WgTunnel] = []
        done: set[int] = set()
        unpaired: list[tuple[WgInterface, Item]] = []
        for iface in self.wireguard:
            for peer in iface.peers:
                if id(peer) in done:
                    continue
                match = links.get((id(iface), id(peer)))
                if match is None:
                    unpaired.append((iface, peer))
                    continue
                remote, how = match
                back = next(
                    (p for p in remote.peers if id(p) not in done and links.get((id(remote), id(p)), (None,))[0] is iface),
                    None,
                )
                done.add(id(peer))
                if back is not None:
                    done.add(id(back))
                    how = how if _HOW[how] >= _HOW[links[(id(remote), id(back))][1]] else links[(id(remote), id(back))][1]
                tunnels.append(WgTunnel(iface, peer, remote, back, how))
        return tunnels, unpaired

    def _match(self, iface: WgInterface, peer: Item) -> tuple[WgInterface, str] | None:
        others = [w for w in self.wireguard if w.device != iface.device]
        key = peer.get("public-key")
        for other in others:
            if other.public_key and key and other.public_key == key:
                return other, "keys"
        endpoint = parse_ip(peer.get("endpoint-address"))
        if endpoint is not None:
            owners = {p.device for p in self.possible_owners(endpoint)}
            cands = [w for w in others if w.device in owners]
            port = to_int(peer.get("endpoint-port"), 0)
            cands.sort(key=lambda w: w.listen_port != port)
            if cands:
                return cands[0], "endpoint"
        allowed = [n for n in (parse_network(t.strip()) for t in split_list(peer.get("allowed-address"))) if n]
        local_nets = [a.network for a in iface.addresses]
        for other in others:
            for a in other.addresses:
                if any(a.ip in n for n in local_nets) and any(a.ip in n and n.prefixlen > 0 for n in allowed):
                    return other, "address"
        for other in others:
            for a in other.addresses:
                if any(a.ip in n and n.prefixlen > 0 for n in allowed):
                    return other, "address"
        same = [w for w in others if any(a.network == b.network for a in w.addresses for b in iface.addresses)]
        if len(same) == 1:
            return same[0], "subnet"
        return None

    def tunnel_of(self, iface: WgInterface, peer: Item) -> WgTunnel | None:
        for t in self.tunnels:
            if (t.a is iface and t.a_peer is peer) or (t.b is iface and t.b_peer is peer):
                return t
        return None

    def wg_interface(self, device: str, name: str) -> WgInterface | None:
        return next((w for w in self.wireguard if w.device == device and w.name == name), None)

    # --- addresses from pools -----------------------------------------------------------

    def _allocate(self) -> None:
        """Give the sessions and leases that draw from pools an address."""
        # addresses other devices expect a client to have: WireGuard endpoints
        hints: dict[str, ipaddress.IPv4Address] = {}
        for t in self.tunnels:
            for local, peer, remote, _ in t.sides():
                ip = parse_ip(peer.get("endpoint-address")) if peer is not None else None
                if ip is not None:
                    hints.setdefault(remote.device, ip)
        taken: dict[str, set[int]] = {}
        for name, device in self.devices.items():
            taken[name] = {int(a.ip) for a in device.facts.addresses if a.iface.version == 4}
        for s in self.pppoe:
            for ip in (s.local, s.remote if s.pool is None else None):
                if ip is not None:
                    taken[s.server.device].add(int(ip))
        draws: list[tuple[str, str, object, str]] = []  # (server device, pool, owner object, client device)
        for s in self.pppoe:
            if s.pool:
                draws.append((s.server.device, s.pool, s, s.client.device))
        for lease in self.dhcp:
            if lease.pool and lease.server_device:
                draws.append((lease.server_device, lease.pool, lease, lease.device))
        order = {name: i for i, name in enumerate(self.order)}
        draws.sort(key=lambda d: order.get(d[3], 0))
        # pinned first
        pending = []
        for server, pool, owner, client in draws:
            hint = hints.get(client)
            device = self.devices[server]
            if hint is not None and int(hint) not in taken[server] and pool_contains(device, pool, hint):
                taken[server].add(int(hint))
                _assign(owner, hint)
            else:
                pending.append((server, pool, owner))
        for server, pool, owner in pending:
            ip = next_free(self.devices[server], pool, taken[server])
            if ip is not None:
                taken[server].add(int(ip))
                _assign(owner, ip)

    @cached_property
    def pool_users(self) -> dict[tuple[str, str], list]:
        """(server device, pool) → the sessions and leases that draw from it."""
        out: dict[tuple[str, str], list] = {}
        for s in self.pppoe:
            if s.pool:
                out.setdefault((s.server.device, s.pool), []).append(s)
        for lease in self.dhcp:
            if lease.pool and lease.server_device:
                out.setdefault((lease.server_device, lease.pool), []).append(lease)
        return out


_RANK = {
    "no-common-auth": 0,
    "unknown-user": 1,
    "service-not-allowed": 2,
    "secret-disabled": 3,
    "wrong-password": 4,
}


_HOW = {"subnet": 0, "address": 1, "endpoint": 2, "keys": 3}


def _assign(owner, ip) -> None:
    if isinstance(owner, PppoeSession):
        owner.remote = ip
    else:
        owner.address = ip


