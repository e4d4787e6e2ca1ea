"""Pool checks on one device: IP pool ranges, the DHCP servers that lease
from them, their ``/ip dhcp-server network`` entries, and PPP profiles.
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from rosc.checks.addressing import Bad, parse_prefix, parse_v4
from rosc.checks.addressing import parse_range as parse_addr_range
from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.device import Item
from rosc.model.facts import parse_ip
from rosc.model.list_values import list_elements as _elements

V4 = ipaddress.IPv4Address
V4Net = ipaddress.IPv4Network




@dataclass(slots=True, eq=False)
class Range:
    pool: str
    text: str
    first: V4
    last: V4
    item: Item
    node: object

    @property
    def label(self) -> str:
        return f"{self.pool} ({self.text})"




def _line(ctx, node) -> int:
    return ctx.source.line_col(node.start)[0] if node is not None else 0


def _v4(text: str | None) -> V4 | None:
    try:
        return parse_v4(text) if text else None
    except Bad:
        return None


class _Intervals:
    """Ranges sorted by start, answering "which range contains x" in log time."""

    def __init__(self, ranges: list[Range]):
        self.ranges = sorted(ranges, key=lambda r: (int(r.first), int(r.last)))
        self.starts = [int(r.first) for r in self.ranges]
        self.reach: list[int] = []  # index of the range reaching furthest among ranges[:i+1]
        best = -1
        for i, r in enumerate(self.ranges):
            if best < 0 or int(r.last) > int(self.ranges[best].last):
                best = i
            self.reach.append(best)

    def containing(self, x) -> Range | None:
        i = bisect_right(self.starts, int(x)) - 1
        if i < 0:
            return None
        r = self.ranges[self.reach[i]]
        return r if int(r.last) >= int(x) else None


class _Pools:
    """The device's pools, DHCP servers, DHCP networks and addresses.

    Built once per device and shared by the POOL checks (``_pools``)."""

    def __init__(self, device, facts):
        self.facts = facts
        self.pool_items: dict[str, Item] = {}
        self.ranges: dict[str, list[Range]] = {}
        self.all_ranges: list[Range] = []
        for item in device.items("/ip pool"):
            name = item.name
            if not name or name in self.pool_items:
                continue
            self.pool_items[name] = item
            out = self.ranges.setdefault(name, [])
            for text, node in _elements(item, "ranges"):
                try:
                    first, last = parse_addr_range(text, 4, check_order=False)
                except Bad:
                    continue  # ADDR001
                if first <= last:
                    r = Range(name, text, first, last, item, node)
                    out.append(r)
                    self.all_ranges.append(r)
        self.index = _Intervals(self.all_ranges)
        # the router's IPv4 addresses
        self.addresses = [a for a in facts.router_addresses if a.iface.version == 4]
        self.by_ip = {}
        for a in self.addresses:
            self.by_ip.setdefault(a.ip, a)
        self.sorted_ips = sorted(self.by_ip)
        self.networks = []  # (network, item) of the enabled /ip dhcp-server network entries
        for item in device.items("/ip dhcp-server network"):
            if item.disabled:
                continue
            try:
                net = parse_prefix(item.get("address") or "", 4).network
            except Bad:
                continue
            self.networks.append((net, item))
        self.servers = []
        for item in device.items("/ip dhcp-server"):
            pool = item.get("address-pool")
            if item.disabled or not pool or pool not in self.ranges:
                continue
            self.servers.append((item, pool))

    def router_ips_in(self, net: V4Net) -> list:
        lo = bisect_left(self.sorted_ips, net.network_address)
        hi = bisect_right(self.sorted_ips, net.broadcast_address)
        return self.sorted_ips[lo:hi]


def _pools(ctx) -> _Pools:
    """The _Pools of ``ctx.device``, built once for all the POOL checks of one lint run."""
    return ctx.shared(_build_pools)


def _build_pools(run) -> _Pools:
    return _Pools(run.device, run.facts)


def _relay(item: Item) -> bool:
    relay = item.get("relay")
    return bool(relay) and relay != "0.0.0.0"


# --- POOL001 ------------------------------------------------------------------------


@rule("POOL001", "reversed-pool-range", area="pools", severity=Severity.ERROR,
      summary="An IP pool range whose first address is above its last")
def reversed_pool_range(ctx):
    for item in ctx.device.items("/ip pool"):
        for text, node in _elements(item, "ranges"):
            if "-" not in text:
                continue
            try:
                first, last = parse_addr_range(text, 4, check_order=False)
            except Bad:
                continue
            if first > last:
                yield ctx.finding(
                    node,
                    f"range {text} of pool {item.name or '(unnamed)'} starts above its end",
                    notes=["A pool range is written first-last with the lower address first; RouterOS refuses "
                           "a range whose start is above its end, so the pool is not created."],
                    fix=f"write it as {last}-{first}",
                )


# --- POOL002 ------------------------------------------------------------------------


@rule("POOL002", "overlapping-pools", area="pools", severity=Severity.WARNING,
      summary="Two IP pools (or two ranges of one pool) that share addresses")
def overlapping_pools(ctx):
    pools = _pools(ctx)
    best: Range | None = None
    for r in pools.index.ranges:
        if best is not None and int(best.last) >= int(r.first):
            a, b = sorted((best, r), key=lambda x: x.node.start)
            lo, hi = max(a.first, b.first), min(a.last, b.last)
            shared = str(lo) if lo == hi else f"{lo}-{hi}"
            if a.pool == b.pool:
                message = f"range {b.text} of pool {b.pool} overlaps its range {a.text} ({shared})"
            else:
                message = (f"pool {b.pool} ({b.text}) overlaps pool {a.label} on line {_line(ctx, a.node)}: "
                           f"{shared} are in both")
            yield ctx.finding(
                b.node,
                message,
                notes=[
                    "Each pool hands out its addresses on its own: an address in two pools can be given to two "
                    "clients at once (a DHCP lease and a PPP session, or two DHCP servers), and both lose "
                    "connectivity.",
                    "To let one pool continue in another when it runs out, use next-pool= instead of overlapping "
                    "ranges.",
                ],
                fix="make the ranges disjoint",
            )
        if best is None or int(r.last) > int(best.last):
            best = r


# --- POOL003 ------------------------------------------------------------------------


@rule("POOL003", "dhcp-pool-outside-subnet", area="pools", severity=Severity.ERROR,
      summary="A DHCP server's pool outside the subnets of the interface it serves")
def dhcp_pool_outside_subnet(ctx):
    pools = _pools(ctx)
    device = ctx.device
    if any(c.menu_path == "/ip address" for c in device.unresolved):
        return
    dhcp_clients = {i.get("interface") for i in device.items("/ip dhcp-client") if not i.disabled}
    by_iface: dict[str, list] = {}
    for a in pools.addresses:
        by_iface.setdefault(a.interface, []).append(a)
    for item, pool in pools.servers:
        iface = item.get("interface")
        if not iface or _relay(item) or iface in pools.facts.bridge_of:
            continue  # a relayed server serves remote subnets; a bridge port is REF011
        subnets = by_iface.get(iface, [])
        node = item.node("address-pool")
        pool_line = _line(ctx, pools.pool_items[pool].node())
        name = item.name or "(unnamed)"
        if not subnets:
            if iface in dhcp_clients:
                continue  # its address comes from a DHCP client at run time
            yield ctx.finding(
                node,
                f"DHCP server {name} leases from pool {pool} (line {pool_line}) on {iface}, "
                f"which has no IPv4 address",
                notes=[
                    "A DHCP server answers from, and hands out addresses of, a subnet of its interface; "
                    f"without an address on {iface} the server cannot work.",
                ],
                fix=f"add the router's address on {iface} (`/ip address add address=... interface={iface}`)",
            )
            continue
        outside, beyond = [], []
        for r in pools.ranges[pool]:
            if any(r.first in a.network and r.last in a.network for a in subnets):
                continue
            touched = next(
                (a for a in subnets if a.network.network_address <= r.last and r.first <= a.network.broadcast_address),
                None,
            )
            (beyond if touched is not None else outside).append((r, touched))
        if not outside and not beyond:
            continue
        shown = ", ".join(f"{a.network}" for a in subnets[:4]) + (", ..." if len(subnets) > 4 else "")
        bad = outside + beyond
        texts = ", ".join(r.text for r, _ in bad)
        if not beyond:
            where = "lies outside every subnet"
        elif not outside and len(beyond) == 1:
            where = f"extends beyond {beyond[0][1].network}"
        else:
            where = "is partly outside the subnets"
        yield ctx.finding(
            node,
            f"pool {pool} ({texts}) of DHCP server {name} {where} of {iface} ({shown})",
            notes=[
                f"The DHCP server on {iface} hands out addresses from its pool; addresses outside the "
                f"subnets of {iface} are unreachable for the clients that get them (no connected route, "
                "no matching gateway), so those clients have no working network.",
                "This is fine only for a server serving remote clients through a DHCP relay (relay= set).",
            ],
            fix=f"make pool {pool} a range inside {subnets[0].network}, or attach the server to the interface "
            "that has that subnet",
        )


# --- POOL004 / POOL005 ------------------------------------------------------------


@rule("POOL004", "pool-includes-router-address", area="pools", severity=Severity.ERROR,
      summary="An IP pool that includes the router's own address or the gateway it hands out")
def pool_includes_router_address(ctx):
    pools = _pools(ctx)
    if not pools.all_ranges:
        return
    for ip in pools.sorted_ips:
        r = pools.index.containing(ip)
        if r is None:
            continue
        a = pools.by_ip[ip]
        yield ctx.finding(
            r.node,
            f"pool {r.label} includes {ip}, this router's own address on {a.interface} "
            f"(line {_line(ctx, a.item.node('address'))})",
            notes=[
                "The pool can give the router's own address to a client: that client gets an address that is "
                "already in use, and traffic to the router's address breaks for the whole subnet.",
            ],
            fix=f"shrink the range so it leaves out {ip} (e.g. start the pool after the router's address)",
        )
    seen = set(pools.by_ip)
    for net, item in pools.networks:
        for text in (item.get("gateway") or "").split(","):
            gw = _v4(text)
            if gw is None or gw in seen or int(gw) == 0:
                continue
            seen.add(gw)
            r = pools.index.containing(gw)
            if r is None:
                continue
            yield ctx.finding(
                r.node,
                f"pool {r.label} includes {gw}, the gateway the DHCP network {net} "
                f"(line {_line(ctx, item.node())}) hands to clients",
                notes=["A client leased the gateway's address takes it over: the other clients then send their "
                       "traffic to that client instead of the gateway."],
                fix=f"shrink the range so it leaves out {gw}",
            )


@rule("POOL005", "pool-includes-network-or-broadcast", area="pools", severity=Severity.WARNING,
      summary="An IP pool that includes the network or broadcast address of a subnet")
def pool_includes_network_or_broadcast(ctx):
    pools = _pools(ctx)
    if not pools.all_ranges:
        return
    subnets: dict[V4Net, str] = {}
    for a in pools.addresses:
        if a.network.prefixlen <= 30:
            subnets.setdefault(a.network, f"the subnet of {a.interface}")
    # DHCP networks count where the router has no address (relayed networks);
    # elsewhere the router's own subnet is the truth (a DHCP network that
    # does not match it is POOL006's).
    own = sorted(subnets, key=lambda n: int(n.network_address))
    starts = [int(n.network_address) for n in own]
    reach = []  # the furthest broadcast address among own[:i+1]
    for n in own:
        reach.append(max(reach[-1], int(n.broadcast_address)) if reach else int(n.broadcast_address))
    for net, item in pools.networks:
        if net.prefixlen > 30 or net in subnets:
            continue
        i = bisect_right(starts, int(net.broadcast_address)) - 1
        if i >= 0 and reach[i] >= int(net.network_address):
            continue  # overlaps one of the router's subnets
        subnets[net] = f"the DHCP network on line {_line(ctx, item.node())}"
    reported: set[tuple[int, V4]] = set()
    for net in sorted(subnets):
        for point, which in ((net.network_address, "network"), (net.broadcast_address, "broadcast")):
            r = pools.index.containing(point)
            if r is None or (id(r), point) in reported:
                continue
            reported.add((id(r), point))
            yield ctx.finding(
                r.node,
                f"pool {r.label} includes {point}, the {which} address of {net} ({subnets[net]})",
                notes=[
                    f"{point} is not a host address in {net}: a client leased it cannot communicate normally "
                    "(packets to it are treated as addressed to the whole network).",
                ],
                fix=f"start and end the range inside {net[1]}-{net[-2]}",
            )


# --- POOL006 / POOL007: /ip dhcp-server network ----------------------------------


class _Networks:
    """The DHCP networks, for "which network contains this range" lookups."""

    def __init__(self, networks):
        self.by_net: dict[V4Net, Item] = {}
        for net, item in networks:
            self.by_net.setdefault(net, item)
        self.lengths = sorted({n.prefixlen for n in self.by_net}, reverse=True)
        self.sorted = sorted(self.by_net, key=lambda n: int(n.network_address))
        self.starts = [int(n.network_address) for n in self.sorted]

    def containing(self, first: V4, last: V4):
        """The most specific network containing first..last, else one overlapping it partly."""
        partial = None
        for length in self.lengths:
            net = ipaddress.IPv4Network(f"{first}/{length}", strict=False)
            if net in self.by_net:
                if last in net:
                    return net, True
                partial = partial or net
        if partial is None:
            i = bisect_left(self.starts, int(first))
            if i < len(self.starts) and self.starts[i] <= int(last):
                partial = self.sorted[i]
        return partial, False


@rule("POOL006", "dhcp-network-misses-pool", area="pools", severity=Severity.WARNING,
      summary="A DHCP server's pool that no /ip dhcp-server network fully covers")
def dhcp_network_misses_pool(ctx):
    pools = _pools(ctx)
    if any(c.menu_path == "/ip dhcp-server network" for c in ctx.device.unresolved):
        return
    networks = _Networks(pools.networks)
    for item, pool in pools.servers:
        name = item.name or "(unnamed)"
        uncovered = []
        for r in pools.ranges[pool]:
            net, full = networks.containing(r.first, r.last)
            if full:
                continue
            if net is None:
                uncovered.append(r)
            else:
                net_item = networks.by_net[net]
                yield ctx.finding(
                    net_item.node("address"),
                    f"DHCP network {net} covers only part of pool {r.label} of DHCP server {name} "
                    f"(line {_line(ctx, item.node())})",
                    notes=[
                        "The DHCP server takes the gateway, DNS servers and netmask for a lease from the "
                        "/ip dhcp-server network entry that contains the leased address: clients leased an "
                        "address outside this network get none of them.",
                    ],
                    fix=f"widen the network to the subnet the pool is in, or shrink pool {r.pool} into {net}",
                )
        if uncovered:
            texts = ", ".join(r.text for r in uncovered)
            yield ctx.finding(
                item.node("address-pool"),
                f"no /ip dhcp-server network covers pool {pool} ({texts}) of DHCP server {name}: clients "
                "get an address but no gateway or DNS server",
                notes=[
                    "The DHCP server takes the gateway, DNS servers and netmask for a lease from the "
                    "/ip dhcp-server network entry that contains the leased address; with none, clients "
                    "get a bare address and cannot reach anything beyond their subnet.",
                ],
                fix="add `/ip dhcp-server network add address=<subnet of the pool> gateway=<router's "
                "address there> dns-server=...`",
            )


@rule("POOL007", "dhcp-gateway-not-router", area="pools", severity=Severity.WARNING,
      summary="A DHCP network whose gateway is outside the network or is not this router's address there")
def dhcp_gateway_not_router(ctx):
    pools = _pools(ctx)
    for net, item in pools.networks:
        for text, node in _elements(item, "gateway"):
            gw = _v4(text)
            if gw is None or int(gw) == 0:
                continue
            if gw not in net:
                yield ctx.finding(
                    node,
                    f"gateway {gw} is outside the DHCP network {net}: clients there cannot reach it",
                    notes=["A client sends to its gateway directly, so the gateway must be an address in the "
                           "client's own subnet; an address outside it is not reachable and the client has no "
                           "working default route."],
                    fix=f"use the router's address in {net} as gateway",
                )
                continue
            own = pools.router_ips_in(net)
            if not own or gw in pools.by_ip:
                continue
            mine = ", ".join(f"{ip} on {pools.by_ip[ip].interface}" for ip in own[:3])
            yield ctx.finding(
                node,
                f"gateway {gw} of DHCP network {net} is not this router's address there ({mine})",
                notes=[
                    "Clients of this network send all off-subnet traffic to the gateway; when it is not this "
                    "router, they bypass it (its NAT, firewall and routes), or reach nothing if no host has that "
                    "address.",
                    "Ignore this when another router on that network is meant to be the gateway.",
                ],
                fix=f"set gateway={own[0]} (or the address of the router that should route for {net})",
            )


# --- POOL008 ------------------------------------------------------------------------


@rule("POOL008", "ppp-local-address-in-pool", area="pools", severity=Severity.ERROR,
      summary="A PPP profile or secret whose local-address is one of the addresses it hands to clients")
def ppp_local_address_in_pool(ctx):
    pools = _pools(ctx)
    profiles = {}
    for item in ctx.device.items("/ppp profile"):
        if item.name and item.name not in profiles:
            profiles[item.name] = item
    for item in profiles.values():
        yield from _ppp_check(ctx, pools, item, item.get("local-address"), item.get("remote-address"), item)
    for secret in ctx.device.items("/ppp secret"):
        if secret.disabled or (secret.arg("local-address") is None and secret.arg("remote-address") is None):
            continue
        profile = profiles.get(secret.get("profile") or "default")
        local = secret.get("local-address") or (profile.get("local-address") if profile is not None else None)
        remote = secret.get("remote-address") or (profile.get("remote-address") if profile is not None else None)
        yield from _ppp_check(ctx, pools, secret, local, remote, profile)


def _ppp_check(ctx, pools: _Pools, item: Item, local: str | None, remote: str | None, profile: Item | None):
    local_ip = _v4(local)
    if local_ip is None or not remote:
        return
    who = f"PPP profile {item.name}" if item.menu == "/ppp profile" else f"PPP secret {item.name}"
    node = item.node("local-address") if item.arg("local-address") is not None else item.node("remote-address")
    remote_ip = parse_ip(remote)
    if remote_ip is not None:
        if remote_ip == local_ip:
            yield ctx.finding(
                node,
                f"{who} gives the client remote-address {remote}, the same as its local-address",
                notes=["Both ends of the PPP link get the same address, so neither can reach the other and the "
                       "session carries no traffic."],
                fix="give the router's end (local-address) and the client's end (remote-address) different addresses",
            )
        return
    ranges = pools.ranges.get(remote)
    if not ranges:
        return
    hit = next((r for r in ranges if r.first <= local_ip <= r.last), None)
    if hit is None:
        return
    yield ctx.finding(
        node,
        f"local-address {local_ip} of {who} is inside its remote-address pool {hit.label} "
        f"on line {_line(ctx, hit.node)}",
        notes=[
            f"The pool can give {local_ip} to a client as its remote address while the router uses it as its "
            "own end of every session: that client's link has the same address at both ends and does not work.",
            "local-address is usually the first address of the block and the pool the rest (for example "
            "local-address=10.0.0.1 with a pool 10.0.0.2-10.0.0.254).",
        ],
        fix=f"take {local_ip} out of pool {hit.pool}, or use a local-address outside it",
    )
