"""Routing checks: gateways that cannot be resolved, recursion loops,
check-gateway that cannot probe, duplicate routes, what ECMP and failover
routes mean, and masquerade out of an interface no route uses.

Next-hop resolution itself lives in ``rosc.model.nexthop``.
"""

from __future__ import annotations

from rosc.checks.registry import rule
from rosc.checks.routing_analysis import (
    NO_ARP_KINDS,
    PPP_CLIENT_MENUS,
    PROBES,
    Analysis,
    analyse,
    chain_text,
    connected_summary,
    describe,
    gateway_node,
    ref,
    route_line,
    route_start,
    sorted_by_source,
    where_text,
)
from rosc.checks.routing_policy import backup_ties
from rosc.diagnostics import Severity
from rosc.model.facts import Facts, RouteFact, parse_ip
from rosc.model.nexthop import (
    BLACKHOLE,
    LOOP,
    NO_ROUTE,
    RECURSIVE,
    SCOPE,
    SELF,
    VIA_INACTIVE,
    RouteResolution,
    split_gateway,
)
from rosc.syntax.tree import Word

SCOPE_NOTE = (
    "RouterOS resolves a gateway address only through active routes whose scope is at most the target-scope of "
    "the route being resolved, and the most specific of them decides; connected routes have scope 10, static "
    "routes default to scope=30 and target-scope=10, so by default a gateway must be inside a connected network "
    "(help.mikrotik.com: Routing Decision, Nexthop Lookup)."
)


FIX_NOTE = (
    "RouterOS 7 fixes a scope that is not greater than the route's own target-scope: it uses target-scope + 1 "
    "instead (help.mikrotik.com: Routing Decision, \"Scope values that are invalid are fixed automatically\"; "
    "/routing/nexthop shows the values). A host route with scope=10 and the default target-scope=10 counts as "
    "scope 11, which is why the Failover (WAN Backup) page gives the default routes target-scope=11."
)


INACTIVE_NOTE = "A route whose gateway cannot be resolved stays inactive: RouterOS never uses it to forward packets."


@rule(
    "ROUTE001", "unresolvable-gateway", area="routing", severity=Severity.ERROR,
    summary="A route whose gateway RouterOS cannot resolve, so the route stays inactive",
)
def unresolvable_gateway(ctx):
    analysis = analyse(ctx)
    for route, gw in _failed_gateways(analysis):
        if gw.reason == NO_ROUTE:
            yield _no_route(ctx, analysis, route, gw)
        elif gw.reason == SCOPE:
            yield _scope(ctx, analysis, route, gw)
        elif gw.reason == VIA_INACTIVE:
            yield _via_inactive(ctx, analysis, route, gw)
        elif gw.reason == BLACKHOLE:
            yield _blackhole(ctx, route, gw)


def _failed_gateways(analysis):
    """(route, gateway) for each gateway address of an enabled static route
    that does not resolve and that no run-time address could reach."""
    for result in analysis.results:
        route = result.route
        if route.kind != "static" or route.disabled:
            continue
        for gw in result.gateways:
            if not (gw.ok or gw.address is None or analysis.runtime_reachable(gw.address)):
                yield route, gw


def _no_route(ctx, analysis, route, gw):
    summary = connected_summary(analysis, gw.address.version)
    notes = [summary + ("." if summary.startswith("This") else f"; {gw.address} is in none of them.")]
    if gw.via is not None:
        notes.append(
            f"Only {ref(ctx, gw.via)} contains {gw.address}, and it has scope {gw.via.scope} > target-scope "
            f"{route.target_scope} of this route: gateways are not resolved through a default route unless "
            "target-scope is raised, which is rarely what you want."
        )
    notes.append(INACTIVE_NOTE)
    return ctx.finding(
        gateway_node(route),
        f"no route reaches gateway {gw.text} of {describe(route)} (no connected network contains it)",
        notes=notes,
        fix="use a gateway address inside a connected network, name the interface instead "
        "(e.g. gateway=ether1 or gateway=pppoe-out1), or add a route to the gateway through its real next hop "
        "with scope=10",
    )


def _scope(ctx, analysis, route, gw):
    blocker = gw.via
    ts = gw.target_scope if gw.target_scope is not None else route.target_scope
    result = analysis.by_route.get(id(blocker))
    used = result.scope if result is not None else blocker.scope
    fixed = result is not None and result.scope_fixed
    shown = f"scope {blocker.scope} (RouterOS uses {used}: not above its target-scope {blocker.target_scope})" if (
        fixed) else f"scope {used}"
    advice, fix = _scope_advice(ctx, analysis, blocker, ts, used)
    notes = [SCOPE_NOTE]
    if fixed or analysis.version >= 7 and blocker.kind == "static":
        notes.append(FIX_NOTE)
    if gw.target_scope is not None and gw.target_scope != route.target_scope:
        notes.append(
            f"RouterOS 6 keeps one gateway object per address: {gw.address} is resolved with the smallest "
            f"target-scope of the routes that use it, {gw.target_scope} (help.mikrotik.com: Moving from ROSv6 "
            "to ROSv7, Nexthop lookup)."
        )
    if not _resolved(analysis, blocker):
        notes.append(
            f"{ref(ctx, blocker)} cannot be resolved either: {chain_text(ctx, analysis, gw.chain)}; fix that too."
        )
    notes.append(INACTIVE_NOTE)
    return ctx.finding(
        gateway_node(route),
        f"gateway {gw.text} of {describe(route)} cannot be resolved: {ref(ctx, blocker)} has {shown} > "
        f"target-scope {ts} of this route; {advice}",
        notes=notes,
        fix=fix,
    )


def _scope_advice(ctx, analysis, blocker: RouteFact, ts: int, used: int) -> tuple[str, str]:
    """What to change so that the blocker's effective scope is at most this
    route's target-scope, as RouterOS computes scopes (RouterOS 7: a scope
    not above the route's own target-scope becomes target-scope + 1)."""
    here = f"target-scope={used} here"
    if blocker.kind != "static":
        return f"set {here}", f"set target-scope={used} on this route"
    scope10 = 10 if analysis.version < 7 or 10 > blocker.target_scope else blocker.target_scope + 1
    if scope10 >= used:  # it already has the smallest scope the documented layout gives it
        return f"set {here}", f"set target-scope={used} on this route"
    if scope10 <= ts:
        return (f"set scope=10 on it or {here}",
                f"set scope=10 on {ref(ctx, blocker)}, or target-scope={used} on this route")
    return (
        f"set scope=10 on it and target-scope={scope10} here, or {here}",
        f"set scope=10 on {ref(ctx, blocker)} and target-scope={scope10} on this route (the Failover (WAN Backup) "
        f"layout), or target-scope={used} on this route",
    )


def _blackhole(ctx, route, gw):
    return ctx.finding(
        gateway_node(route),
        f"gateway {gw.text} of {describe(route)} cannot be resolved: the most specific active route to it is "
        f"{ref(ctx, gw.via)}, a blackhole",
        notes=[
            "RouterOS looks a gateway up in the routing table like a packet: the most specific active route "
            "decides, and a blackhole makes the gateway unreachable; a less specific route is not tried "
            "(help.mikrotik.com: Routing Decision).",
            INACTIVE_NOTE,
        ],
        fix=f"give {gw.address} a more specific route through its real next hop, or narrow the blackhole",
    )


def _resolved(analysis: Analysis, route: RouteFact) -> bool:
    result = analysis.by_route.get(id(route))
    return result is not None and result.resolved


def _via_inactive(ctx, analysis, route, gw):
    return ctx.finding(
        gateway_node(route),
        f"gateway {gw.text} of {describe(route)} cannot be resolved: it is reached only through "
        f"{ref(ctx, gw.via)}, which is inactive itself",
        notes=[
            f"Resolution tried: gateway {gw.text} → {chain_text(ctx, analysis, gw.chain)}.",
            SCOPE_NOTE,
            INACTIVE_NOTE,
        ],
        fix=f"make {ref(ctx, gw.via)} resolvable first (see the finding on it)",
    )


@rule(
    "ROUTE002", "recursive-gateway-loop", area="routing", severity=Severity.ERROR,
    summary="A gateway reachable only through the route itself, or through routes that need it again",
)
def recursive_gateway_loop(ctx):
    analysis = analyse(ctx)
    for route, gw in _failed_gateways(analysis):
        if gw.reason == SELF:
            yield ctx.finding(
                gateway_node(route),
                f"gateway {gw.text} of {describe(route)} is reachable only through this route itself",
                notes=[
                    f"RouterOS looks the gateway up in the routing table, and the only route that contains "
                    f"{gw.address} is this one: it can never become active.",
                ] + ([
                    "For recursive failover, give the monitored address a host route through the real next "
                    "hop with scope=10, and keep this route's target-scope at or above it "
                    "(help.mikrotik.com: Failover (WAN Backup)).",
                ] if route.dst.prefixlen == 0 else []),
                fix=f"add a route to {gw.address} through the real next hop, e.g. "
                f"`/{'ipv6' if gw.address.version == 6 else 'ip'} route add dst-address={gw.address} "
                "gateway=<next hop or interface> scope=10`",
            )
        elif gw.reason == LOOP:
            yield ctx.finding(
                gateway_node(route),
                f"gateway {gw.text} of {describe(route)} resolves in a loop: it needs "
                f"{chain_text(ctx, analysis, gw.chain)}, which needs this route again",
                notes=[
                    "Each route in the loop can only be resolved once another one of them is, so none ever "
                    "becomes active.",
                    SCOPE_NOTE,
                ],
                fix="give one route of the loop a gateway inside a connected network (or an interface name)",
            )


@rule(
    "ROUTE003", "check-gateway-cannot-probe", area="routing", severity=Severity.WARNING,
    summary="check-gateway on a route whose gateway it cannot probe",
)
def check_gateway_cannot_probe(ctx):
    analysis = analyse(ctx)
    facts = analysis.facts
    for result in analysis.results:
        route = result.route
        probe = route.check_gateway
        if route.kind != "static" or route.disabled or probe not in PROBES or not result.gateways:
            continue
        node = route.item.node("check-gateway")
        if all(g.is_interface for g in result.gateways):
            names = _join([g.text for g in result.gateways])
            what = f"gateway {names} is an interface" if len(result.gateways) == 1 else (
                f"gateways {names} are interfaces"
            )
            yield ctx.finding(
                node,
                f"check-gateway={probe} has no address to probe on {describe(route)}: its {what}",
                notes=[
                    "check-gateway sends its probes (ARP requests, ICMP echo requests or BFD) to the gateway "
                    "address; a route through an interface name has none, and it already goes inactive when "
                    "the interface goes down.",
                    "To test the path beyond the link, point the route at an address reached through the "
                    "interface (recursive routing, help.mikrotik.com: Failover (WAN Backup)).",
                ],
                fix="remove check-gateway, or use a gateway address with check-gateway=ping",
            )
            continue
        if probe != "arp":
            continue
        for gw in result.gateways:
            if gw.address is None or not gw.ok:
                continue
            if gw.reason == RECURSIVE and not _on_link(analysis, gw.via):
                yield ctx.finding(
                    node,
                    f"check-gateway=arp cannot probe gateway {gw.address} of {describe(route)}: it is not on a "
                    f"connected network but resolves through {ref(ctx, gw.via)}",
                    notes=[
                        "ARP only reaches hosts on the same link, so the check always fails and the route never "
                        "stays active; a recursively resolved gateway is checked with ping."
                    ],
                    fix="use check-gateway=ping",
                )
                break
            kind = facts.interfaces.get(gw.interface).kind if gw.interface in facts.interfaces else None
            if kind in NO_ARP_KINDS:
                yield ctx.finding(
                    node,
                    f"check-gateway=arp cannot probe gateway {gw.address} of {describe(route)}: it is reached "
                    f"over {gw.interface}, and {NO_ARP_KINDS[kind]} links carry no ARP",
                    notes=[
                        f"{NO_ARP_KINDS[kind]} is a point-to-point or layer-3 link: there are no ARP requests on "
                        "it, so an ARP check never gets an answer and the route never stays active."
                    ],
                    fix="use check-gateway=ping",
                )
                break


def _on_link(analysis: Analysis, via: RouteFact) -> bool:
    """A route through interface names only (``dst-address=10.0.0.0/24
    gateway=ether1``): addresses it contains are on that link."""
    result = analysis.by_route.get(id(via))
    return result is not None and all(g.is_interface for g in result.gateways if g.ok) and bool(via.gateways)


def _gateway_key(text: str) -> str:
    addr, iface, table = split_gateway(text)
    ip = parse_ip(addr)
    out = str(ip) if ip is not None else addr
    if iface:
        out += f"%{iface}"
    if table:
        out += f"@{table}"
    return out


@rule(
    "ROUTE004", "duplicate-route", area="routing", severity=Severity.WARNING,
    summary="Two routes with the same destination, gateway, distance and routing table",
)
def duplicate_route(ctx):
    analysis = analyse(ctx)
    seen: dict[tuple, RouteFact] = {}
    candidates = [r for r in analysis.routes if r.kind != "connected" and not r.disabled and r.gateways]
    for route in sorted_by_source(candidates):
        gateways = tuple(sorted({_gateway_key(g) for g in route.gateways}))
        key = (route.table, route.dst, gateways, route.distance)
        first = seen.setdefault(key, route)
        if first is route:
            continue
        via = ", ".join(gateways)
        if route.kind == "dynamic":
            message = (
                f"PPPoE client {route.interface} adds a default route via {via} at distance {route.distance}, "
                f"the same as {ref(ctx, first)}"
            )
            fix = f"remove {ref(ctx, first)}, or set add-default-route=no here"
        elif first.kind == "dynamic":
            message = (
                f"{describe(route)} via {via} at distance {route.distance} duplicates {ref(ctx, first)} "
                "(add-default-route=yes)"
            )
            fix = f"remove this route, or set add-default-route=no on PPPoE client {first.interface}"
        else:
            message = f"{describe(route)} via {via} at distance {route.distance} duplicates {ref(ctx, first)}"
            fix = "remove one of the two routes (or give the backup a larger distance)"
        yield ctx.finding(
            gateway_node(route),
            message,
            notes=[
                "Both entries sit in the routing table for the same destination, gateway and distance; the copy "
                "adds nothing but confusion: when one is changed later (a new gateway, a distance for failover) "
                "the other silently keeps the old behaviour."
            ],
            fix=fix,
        )


def _groups(analysis: Analysis) -> dict[tuple, list[RouteResolution]]:
    groups: dict[tuple, list[RouteResolution]] = {}
    for result in analysis.results:
        route = result.route
        if route.kind == "connected" or route.disabled or not result.resolved:
            continue
        groups.setdefault((route.table, route.dst), []).append(result)
    return groups


def _group_name(route: RouteFact) -> str:
    if route.dst.prefixlen == 0:
        return f"the default route{where_text(route)}"
    return f"the route to {route.dst}{where_text(route)}"


def _labels(ctx, result: RouteResolution, suffix: str = "") -> list[tuple[str, str]]:
    """(key, label) for each gateway of the route that resolves: the key
    tells the same gateway apart from another, the label is for people."""
    route = result.route
    line = route_line(ctx, route)
    at = f" (line {line}{suffix})" if line else (f" ({suffix[2:]})" if suffix else "")
    if not route.gateways:
        if route.kind == "dynamic":
            return [(f"dhcp:{route.interface}", f"the DHCP gateway on {route.interface}{at}")]
        kind = "blackhole" if _is_blackhole(route) else "no gateway"
        return [(kind, f"{kind}{at}")]
    out = []
    for gw in result.gateways:
        if not gw.ok:
            continue
        name = gw.text if gw.is_interface or not gw.interface else f"{gw.text} via {gw.interface}"
        out.append((_gateway_key(gw.text), f"{name}{at}"))
    return out


def _is_blackhole(route: RouteFact) -> bool:
    item = route.item
    if item is None:
        return False
    if item.flag("blackhole") or item.get("type") in ("blackhole", "unreachable", "prohibit"):
        return True
    return any(type(a) is Word and a.text == "blackhole" for cmd in item.commands for a in cmd.args)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _node(result: RouteResolution):
    return gateway_node(result.route) or (result.route.item.node() if result.route.item else None)


@rule(
    "ROUTE005", "ecmp-route", area="routing", severity=Severity.INFO,
    summary="Several gateways at the same distance for one destination: traffic is shared between them",
)
def ecmp_route(ctx):
    analysis = analyse(ctx)
    named = {id(route) for route, _ in backup_ties(analysis)}
    for results in _groups(analysis).values():
        best = min(r.route.distance for r in results)
        tier = sorted((r for r in results if r.route.distance == best), key=lambda r: route_start(r.route))
        kinds = {r.route.kind for r in tier}
        if tier[0].route.dst.prefixlen == 0 and kinds == {"static", "dynamic"}:
            continue  # a static default tied with a client's: ROUTE011 says so
        if any(id(r.route) in named for r in tier):
            continue  # a route named backup in the tie: ROUTE012 says so
        keys: dict[str, str] = {}
        for result in tier:
            for key, label in _labels(ctx, result):
                keys.setdefault(key, label)
        labels = list(keys.values())
        if len(labels) < 2:
            continue
        route = tier[0].route
        both = "both" if len(labels) == 2 else "all"
        yield ctx.finding(
            _node(tier[0]),
            f"ECMP: {_group_name(route)} is shared between {_join(labels)}, {both} at distance {best}",
            notes=[
                "RouterOS spreads traffic over equal-distance gateways by source and destination address, so "
                "one connection stays on one link while other connections use the other links; when a gateway "
                "stops resolving, its share moves to the others.",
                "For failover instead of sharing, give the backup a larger distance (on a PPPoE or DHCP client: "
                "default-route-distance=2).",
            ],
        )


@rule(
    "ROUTE006", "failover-routes", area="routing", severity=Severity.INFO,
    summary="The same destination through several distances: the larger distances are backups",
)
def failover_routes(ctx):
    analysis = analyse(ctx)
    for results in _groups(analysis).values():
        distances = sorted({r.route.distance for r in results})
        if len(distances) < 2:
            continue
        tiers = []
        notes = []
        for distance in distances:
            tier = sorted((r for r in results if r.route.distance == distance), key=lambda r: route_start(r.route))
            keys: dict[str, str] = {}
            for result in tier:
                probe = result.route.check_gateway
                suffix = f", check-gateway={probe}" if probe and probe != "none" else ""
                for key, label in _labels(ctx, result, suffix):
                    keys.setdefault(key, label)
                if distance == distances[0]:
                    note = _failover_note(ctx, result)
                    if note and note not in notes:
                        notes.append(note)
            labels = list(keys.values())
            tiers.append(f"{_join(labels)} at distance {distance}")
        primary = min(results, key=lambda r: (r.route.distance, route_start(r.route)))
        yield ctx.finding(
            _node(primary),
            f"failover: {_group_name(primary.route)} uses {tiers[0]}, then " + ", then ".join(tiers[1:]),
            notes=["RouterOS uses the route with the smallest distance whose gateway resolves; the others wait "
                   "until it goes inactive."] + notes,
        )


def _failover_note(ctx, result: RouteResolution) -> str | None:
    route = result.route
    probe = route.check_gateway if route.check_gateway not in (None, "none") else None
    if not route.gateways:
        return None
    if all(g.is_interface for g in result.gateways if g.ok):
        names = _join([g.text for g in result.gateways if g.ok])
        return (
            f"The primary route via {names} goes inactive when that link goes down (a PPP session drops, a "
            "cable is unplugged); that is what triggers the failover."
        )
    if probe:
        gws = _join([g.text for g in result.gateways if g.ok])
        return (
            f"The primary route (line {route_line(ctx, route)}) is checked with {probe}: {_probe_timing(probe, gws)}, "
            "and then the next distance takes over."
        )
    gws = _join([g.text for g in result.gateways if g.ok])
    return (
        f"The primary route (line {route_line(ctx, route)}) has no check-gateway: it stays active as long as {gws} "
        "resolves (the link is up), even when the network beyond it fails; add check-gateway=ping to fail over "
        "then."
    )


def _probe_timing(probe: str, gws: str) -> str:
    """What the manual says check-gateway does (help.mikrotik.com: Routing Decision)."""
    if probe in ("ping", "arp"):
        what = "an ICMP echo request" if probe == "ping" else "an ARP request"
        return (
            f"RouterOS sends {what} to {gws} every 10 s, and marks the gateway unreachable after two timeouts "
            "of 1 s each, so the route goes inactive some 20 s after the replies stop (intervals in "
            "/routing/settings; help.mikrotik.com: Routing Decision)"
        )
    return f"the route goes inactive when the BFD session to {gws} goes down (help.mikrotik.com: Routing Decision)"


@rule(
    "ROUTE007", "masquerade-without-route", area="routing", severity=Severity.WARNING,
    summary="A masquerade rule for an out-interface that no route leads out of",
)
def masquerade_without_route(ctx):
    analysis = analyse(ctx)
    device, facts = ctx.device, analysis.facts
    rules = [
        i for i in device.items("/ip firewall nat")
        if not i.disabled and i.get("chain") == "srcnat" and i.get("action") == "masquerade" and i.get("out-interface")
    ]
    if not rules:
        return
    out = _interfaces_with_routes(analysis)
    for item in rules:
        iface = item.get("out-interface")
        if iface.startswith("!") or iface in out or not facts.interface_exists(iface) or iface in facts.bridge_of:
            continue
        if iface in facts.interface_lists or iface.startswith(("lte", "*")):
            continue
        defined = facts.interfaces.get(iface)
        if defined is not None and defined.item is not None and defined.item.disabled:
            continue  # a disabled interface: nothing goes out of it anyway
        yield ctx.finding(
            item.node("out-interface"),
            f"masquerade on out-interface {iface} never applies: no route leads out of {iface}",
            notes=[
                f"{iface} has no IPv4 address, no route uses it as gateway or reaches a gateway through it, and "
                "no PPPoE or DHCP client adds a default route on it: the router never sends a packet out of it, "
                "so this rule never matches.",
                "Masquerade belongs on the interface the default route (or the route to the far network) "
                "leaves by.",
            ],
            fix=_masquerade_fix(facts, iface),
        )


def _interfaces_with_routes(analysis: Analysis) -> set[str]:
    out: set[str] = set()
    for result in analysis.results:
        route = result.route
        if route.disabled:
            continue
        if route.interface:
            out.add(route.interface)
        out.update(result.interfaces)
        for gw in result.gateways:
            if gw.interface:  # an interface named as gateway counts even if the route is inactive
                out.add(gw.interface)
    device = analysis.device
    for item in device.items("/ip dhcp-client"):
        if not item.disabled and item.get("interface"):
            out.add(item.get("interface"))  # it gets an address, and with it a connected network
    for menu in PPP_CLIENT_MENUS:
        for item in device.items(menu):
            if not item.disabled and item.name and item.flag("add-default-route"):
                out.add(item.name)
    return out


def _masquerade_fix(facts: Facts, iface: str) -> str:
    kind = facts.interfaces[iface].kind if iface in facts.interfaces else None
    menu = f"/interface {kind}" if kind else None
    if menu in PPP_CLIENT_MENUS:
        return (
            f"set add-default-route=yes on {PPP_CLIENT_MENUS[menu]} client {iface}, or add a route with "
            f"gateway={iface}; if the traffic leaves by another interface, put that one in out-interface"
        )
    return (
        f"add the route that should leave by {iface} (e.g. gateway={iface}), or put the interface the traffic "
        "really leaves by in out-interface"
    )
