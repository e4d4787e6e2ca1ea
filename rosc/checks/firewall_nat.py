"""NAT against the networks the router has: masquerade of a source that is
no LAN, dst-nat to an address on no network, port forwards the forward
chain drops, hairpin NAT missing (FW022–FW025).

help.mikrotik.com: NAT (masquerade, dst-nat, port forwarding, "Hairpin
NAT"), Filter (the defconf forward rules), Packet Flow in RouterOS (dst-nat
happens before routing and the forward filter, src-nat after).
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_right

from rosc.checks.firewall_lookup import (
    address_set, lan_index, lan_networks, lan_networks_of_run, line_of, rules, uplinks, uplinks_of_run,
)
from rosc.checks.firewall_probe import Packet, ports_of, walk
from rosc.checks.registry import rule
from rosc.checks.routing_analysis import analyse
from rosc.diagnostics import Severity
from rosc.model.facts import parse_ip, parse_network, split_list
from rosc.model.firewall import values

NAT = "/ip firewall nat"
FILTER = "/ip firewall filter"
MANGLE = "/ip firewall mangle"
SOURCE_NAT = frozenset({"masquerade", "src-nat", "same", "netmap", "endpoint-independent-nat"})
DROPS = frozenset({"drop", "reject", "tarpit"})
# Menus that learn routes at run time: destinations rosc cannot see.
DYNAMIC_ROUTING = ("/routing ospf instance", "/routing bgp connection", "/routing bgp peer", "/routing rip instance",
                   "/routing ospf network", "/routing rip interface-template", "/routing bgp instance")
MARK_ACTIONS = frozenset({"mark-connection", "mark-packet", "mark-routing"})


def _nat_rules(ctx, chain: str, actions) -> list:
    table = rules(ctx).table(NAT)
    if not table.decidable:
        return []
    return [i for i in table.chains.get(chain, ()) if i.get("action", "accept") in actions]


def _dynamic_routing(device) -> bool:
    return any(device.items(menu) for menu in DYNAMIC_ROUTING)


def _known_networks(ctx) -> "Intervals":
    """Networks this router knows hosts in: connected, routed (static routes
    other than defaults), PPP and IPsec pools and peers, WireGuard peers'
    allowed addresses, IPsec policies, address lists (IPv4)."""
    return ctx.shared(_known)


class Intervals:
    """Merged IPv4 intervals (``(first, last)`` integer pairs): ``overlaps(lo, hi)`` by bisection."""

    __slots__ = ("starts", "ends")

    def __init__(self, pairs):
        merged: list[list[int]] = []
        for lo, hi in sorted(pairs):
            if merged and lo <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        self.starts = [m[0] for m in merged]
        self.ends = [m[1] for m in merged]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def overlaps(self, lo: int, hi: int) -> bool:
        at = bisect_right(self.starts, hi) - 1
        return at >= 0 and self.ends[at] >= lo


def _known(run) -> Intervals:
    device = run.device
    ups = run.shared(uplinks_of_run)
    nets = [net for net, _ in run.shared(lan_networks_of_run)]
    nets += [a.network for a in run.facts.addresses if a.iface.version == 4 and a.interface in ups]
    for route in analyse(run).routes:
        if route.dst.version == 4 and route.dst.prefixlen > 0 and route.kind != "connected":
            nets.append(route.dst)
    out = [(int(n.network_address), int(n.broadcast_address)) for n in nets]
    for pool in run.facts.pools.values():
        for lo, hi in pool.ranges:
            if lo <= hi:  # a reversed range is POOL's finding, and holds no address
                out.append((int(lo), int(hi)))  # the range itself: the networks that summarize it cover just it
    for menu, params in (("/ppp secret", ("remote-address",)), ("/ppp profile", ("remote-address",)),
                         ("/interface wireguard peers", ("allowed-address",)),
                         ("/ip ipsec policy", ("src-address", "dst-address")),
                         ("/ip firewall address-list", ("address",))):
        for item in device.items(menu):
            for param in params:
                for part in split_list(item.get(param)):
                    span = values.v4_network(part)  # the common case, without ipaddress
                    if span is not None:
                        if span != (0, values.TOP[4]):  # not a /0
                            out.append(span)
                        continue
                    net = parse_network(part)
                    if net is not None and net.version == 4 and net.prefixlen > 0:
                        out.append((int(net.network_address), int(net.broadcast_address)))
    return Intervals(out)


def _unmarked(ctx) -> bool:
    return not any(i.get("action") in MARK_ACTIONS for i in rules(ctx).table(MANGLE).items)


@rule(
    "FW022", "masquerade-source-not-local", area="firewall", severity=Severity.WARNING,
    summary="A masquerade or src-nat rule whose src-address holds none of the router's networks",
)
def masquerade_source_not_local(ctx):
    device = ctx.device
    candidates = [i for i in _nat_rules(ctx, "srcnat", SOURCE_NAT) if i.get("src-address")]
    if not candidates or _dynamic_routing(device) or (not rules(ctx).export and not ctx.facts.addresses):
        return  # routes learnt at run time, or a script fragment: the router's networks are not in the file
    known = _known_networks(ctx)
    if not known:
        return
    for item in candidates:
        value = item.get("src-address")
        if not value or value.startswith("!"):
            continue
        got = address_set(value)
        if got is None or got[0] != 4:
            continue
        _, lo, hi = got
        if known.overlaps(lo, hi):
            continue
        lans = ", ".join(f"{n} ({i})" for n, i in lan_networks(ctx)[:4]) or "none"
        yield ctx.finding(
            item.node("src-address"),
            f"{item.get('action')} for src-address={value}, but no network of this router holds such an "
            "address: the rule never translates anything",
            notes=[
                "A srcnat rule translates packets whose source it matches; hosts behind this router have the "
                "addresses of its connected networks, routed networks, pools and tunnels "
                "(help.mikrotik.com: NAT, masquerade).",
                f"The router's LAN networks: {lans}.",
            ],
            fix="set src-address to the LAN network (e.g. "
            + (f"src-address={lan_networks(ctx)[0][0]}" if lan_networks(ctx) else "the LAN's prefix")
            + "), or leave src-address out and match out-interface-list=WAN",
        )


@rule(
    "FW023", "dst-nat-to-unknown-network", area="firewall", severity=Severity.WARNING,
    summary="A dst-nat rule whose to-addresses is on no network the router is connected or routed to",
)
def dst_nat_to_unknown_network(ctx):
    device = ctx.device
    forwards = _nat_rules(ctx, "dstnat", {"dst-nat"})
    if not forwards or _dynamic_routing(device):
        return
    analysis = analyse(ctx)
    known = _known_networks(ctx)
    if not rules(ctx).export and not ctx.facts.addresses:
        return  # a script fragment: the router's networks are not in the file
    own = {a.ip for a in ctx.facts.addresses}
    for item in forwards:
        value = item.get("to-addresses")
        got = address_set(value)
        if got is None or got[0] != 4:
            continue
        first = ipaddress.IPv4Address(got[1])
        # the bisection first: runtime_reachable reads every PPP pool and peer, once per forward
        if known.overlaps(got[1], got[1]) or first in own or first.is_loopback or analysis.runtime_reachable(first):
            continue
        yield ctx.finding(
            item.node("to-addresses"),
            f"dst-nat to {value}: no connected network or route of this router holds {first}, so the "
            "forwarded connections follow the default route back out, or nowhere",
            notes=[
                "dst-nat rewrites the destination before the routing decision (help.mikrotik.com: Packet Flow in "
                "RouterOS); the packet then goes where the routing table sends the new address.",
                f"Connected networks here: {', '.join(str(n) for n, _ in lan_networks(ctx)[:4]) or 'none'}.",
            ],
            fix="correct to-addresses to the server's address on the LAN, or add the route to its network",
        )


def _probe_interfaces(ctx, item) -> list[str]:
    """Where the traffic a dst-nat rule catches arrives: its in-interface,
    the uplinks in its in-interface-list, else the uplinks."""
    ups = list(uplinks(ctx))
    iface = item.get("in-interface")
    if iface and not iface.startswith("!"):
        return [iface]
    name = item.get("in-interface-list")
    if name and not name.startswith("!"):
        members = rules(ctx).lists.get(name)
        return [] if members is None else [u for u in ups if u in members]
    return [] if iface or name else ups


def _interface_of(lans, address) -> str | None:
    found = lans.first(address)
    return found[1] if found is not None else None


def _first_port(item) -> int | None:
    for param in ("to-ports", "dst-port"):
        ports = ports_of(item.get(param) or "")
        if ports:
            return ports[0][0]
    return None


@rule(
    "FW024", "port-forward-dropped", area="firewall", severity=Severity.WARNING,
    summary="A dst-nat port forward whose connections the forward filter drops",
)
def port_forward_dropped(ctx):
    firewall = rules(ctx)
    table = firewall.table(FILTER)
    forwards = _nat_rules(ctx, "dstnat", {"dst-nat"})
    if not forwards or not table.decidable or not table.chains.get("forward"):
        return
    unmarked = _unmarked(ctx)
    lans = lan_index(ctx)
    for item in forwards:
        target = parse_ip(item.get("to-addresses"))
        if target is None or target.version != 4:
            continue
        protocol = item.get("protocol")
        if protocol not in (None, "tcp", "udp"):
            continue
        for iface in _probe_interfaces(ctx, item)[:1]:
            packet = Packet(
                in_interface=iface, out_interface=_interface_of(lans, target), src=None,
                dst=(4, int(target), int(target)), protocol=protocol, dst_port=_first_port(item),
                nat=frozenset({"dstnat"}), unmarked=unmarked,
            )
            verdict = walk(table, "forward", packet, firewall.lists)
            if not verdict.certain or verdict.action not in DROPS:
                continue
            yield ctx.finding(
                item.node("to-addresses"),
                f"this port forward to {item.get('to-addresses')} is dropped by the forward filter: the rule at "
                f"line {line_of(ctx, verdict.item)} ({verdict.item.get('action')}) decides a new connection from "
                f"{iface} first",
                notes=[
                    "dst-nat only rewrites the destination; the connection still passes the forward chain of the "
                    "filter (help.mikrotik.com: Packet Flow in RouterOS). RouterOS's default configuration lets "
                    "port forwards through with `connection-nat-state=!dstnat` on its WAN drop rule.",
                ],
                fix="add `connection-nat-state=!dstnat` to the forward drop rule, or accept the forwarded "
                "connections before it: `/ip firewall filter add chain=forward connection-nat-state=dstnat "
                "action=accept` above the drop",
            )


@rule(
    "FW025", "hairpin-nat-missing", area="firewall", severity=Severity.WARNING,
    summary="A dst-nat to a LAN host that LAN clients reach, with no src-nat for that LAN-to-LAN traffic",
)
def hairpin_nat_missing(ctx):
    firewall = rules(ctx)
    nat = firewall.table(NAT)
    forwards = _nat_rules(ctx, "dstnat", {"dst-nat"})
    if not forwards or not nat.decidable:
        return
    own = {a.ip for a in ctx.facts.addresses}
    unmarked = _unmarked(ctx)
    lans = lan_index(ctx)
    for item in forwards:
        target = parse_ip(item.get("to-addresses"))
        if target is None or target.version != 4:
            continue
        lan = lans.first(target)
        if lan is None:
            continue
        net, iface = lan
        dst = parse_ip(item.get("dst-address"))
        if dst is not None:
            if dst.version != 4 or dst in net:
                continue
            to_router = (4, int(dst), int(dst))
        elif item.get("dst-address-type") == "local":
            to_router = None
        else:
            continue
        protocol = item.get("protocol")
        if protocol not in (None, "tcp", "udp"):
            continue
        port = ports_of(item.get("dst-port") or "")
        src = (4, int(net[0]), int(net[-1]))
        inbound = Packet(in_interface=iface, src=src, dst=to_router, protocol=protocol,
                         dst_port=port[0][0] if port else None, dst_local=dst is None or dst in own, unmarked=unmarked)
        verdict = walk(nat, "dstnat", inbound, firewall.lists)
        if not verdict.certain or verdict.item is not item:
            continue
        back = Packet(in_interface=iface, out_interface=iface, src=src, dst=(4, int(target), int(target)),
                      protocol=protocol, dst_port=_first_port(item), nat=frozenset({"dstnat"}), unmarked=unmarked)
        verdict = walk(nat, "srcnat", back, firewall.lists)
        if not verdict.certain or verdict.action in SOURCE_NAT:
            continue
        yield ctx.finding(
            item.node("to-addresses"),
            f"LAN clients on {net} that connect to {item.get('dst-address') or 'the router'} are sent to "
            f"{target} on their own network, but no srcnat rule translates that traffic: the server answers "
            "them directly and the connection fails",
            notes=[
                "The server sees the client's own LAN address as the source and replies to it directly; the "
                "client expects the reply from the public address it connected to and drops it "
                "(help.mikrotik.com: NAT, \"Hairpin NAT\").",
            ],
            fix=f"add a hairpin rule: `/ip firewall nat add chain=srcnat src-address={net} dst-address={target} "
            f"out-interface={iface} action=masquerade`",
        )
