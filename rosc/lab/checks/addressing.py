"""Lab checks on addressing across devices: the same address twice on a segment, the two ends
of a cable in different subnets, customer pools the upstream does not route back."""

from __future__ import annotations

import ipaddress

from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.lab.checks.common import item_line


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
                f"({ctx.devices[other_dev].file} line {item_line(ctx, other_dev, other.item)}), on the same segment",
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
