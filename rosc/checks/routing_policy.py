"""Routing checks on intent: a static default route tied with the one a
PPPoE/DHCP client adds, a route meant as backup at the distance of the
primary, routing tables that traffic is marked for but that hold no route
(or that hold routes no traffic is steered to).

They read the shared routing analysis (``rosc.checks.routing_analysis``).
"""

from __future__ import annotations

import re

from rosc.checks.registry import rule
from rosc.checks.routing_analysis import analyse, describe, ref, route_start
from rosc.diagnostics import Severity
from rosc.model.device import literal
from rosc.model.facts import RouteFact

ROUTE_SELECTION = (
    "RouterOS makes the route with the smallest distance active; routes of the same distance are equally "
    "preferred, so traffic is spread over them (ECMP) or one of them is picked arbitrarily (help.mikrotik.com: "
    "Routing Decision, Route Selection and Multipath routes)."
)

BACKUP_WORDS = re.compile(
    r"(?<![a-z0-9])(backup|back-up|secondary|fail-?over|standby|stand-by|reserve|redundan\w*|respaldo|reserva|"
    r"резерв\w*|secundari[oa]|sekund\w*)(?![a-z0-9])",
    re.IGNORECASE,
)


def _label(route: RouteFact) -> str:
    """What names a route: its comment, or the client that adds it."""
    item = route.item
    if item is None:
        return ""
    parts = [item.get("comment") or ""]
    if route.kind == "dynamic":
        parts += [item.get("name") or "", item.get("interface") or ""]
    return " ".join(p for p in parts if p)


def _ties(analysis) -> list[list[RouteFact]]:
    """Enabled static and dynamic routes grouped by (table, destination,
    distance), groups of two or more, in source order."""
    groups: dict[tuple, list[RouteFact]] = {}
    for result in analysis.results:
        route = result.route
        if route.kind == "connected" or route.disabled or not result.resolved:
            continue
        groups.setdefault((route.table, route.dst, route.distance), []).append(route)
    return [sorted(g, key=route_start) for g in groups.values() if len(g) > 1]


def _distance_node(route: RouteFact):
    item = route.item
    if route.kind == "dynamic":
        return item.node("default-route-distance") if item.arg("default-route-distance") else item.node("add-default-route")
    return item.node("distance") if item.arg("distance") is not None else item.node("gateway")


def _distance_fix(route: RouteFact, distance: int) -> str:
    if route.kind == "dynamic":
        return f"set default-route-distance={distance} on the client"
    return f"set distance={distance} on {describe(route)}"


def backup_ties(analysis):
    """(backup route, the routes it ties with) for routes whose comment or
    name says backup but whose distance is the primary's."""
    out = []
    for tie in _ties(analysis):
        named = [r for r in tie if BACKUP_WORDS.search(_label(r))]
        if named and len(named) < len(tie):
            for route in named:
                out.append((route, [r for r in tie if r not in named]))
    return out


@rule(
    "ROUTE011", "static-default-beside-dynamic-default", area="routing", severity=Severity.WARNING,
    summary="A static default route at the same distance as the default route a PPPoE or DHCP client adds",
)
def static_default_beside_dynamic_default(ctx):
    analysis = analyse(ctx)
    named = {id(route) for route, _ in backup_ties(analysis)}
    for tie in _ties(analysis):
        if tie[0].dst.prefixlen != 0 or any(id(r) in named for r in tie):
            continue
        statics = [r for r in tie if r.kind == "static"]
        dynamics = [r for r in tie if r.kind == "dynamic"]
        if not statics or not dynamics:
            continue
        dynamic = dynamics[0]
        for route in statics:
            if _same_path(route, dynamic):
                continue  # the same gateway twice is ROUTE004
            yield ctx.finding(
                _distance_node(route),
                f"{describe(route)} via {', '.join(route.gateways) or 'no gateway'} has distance "
                f"{route.distance}, the same as {ref(ctx, dynamic)}",
                notes=[
                    ROUTE_SELECTION,
                    "A client's default route (add-default-route=yes) comes and goes with the session or lease; "
                    "next to a static default route of the same distance, which one carries the traffic is not "
                    "decided by the configuration.",
                ],
                fix=f"decide which is the backup: {_distance_fix(route, route.distance + 1)}, or "
                f"default-route-distance={route.distance + 1} on the client",
            )


def _same_path(route: RouteFact, dynamic: RouteFact) -> bool:
    return bool(dynamic.gateways) and set(route.gateways) == set(dynamic.gateways)


@rule(
    "ROUTE012", "backup-at-equal-distance", area="routing", severity=Severity.WARNING,
    summary="A route whose comment or name says backup, at the same distance as the primary",
)
def backup_at_equal_distance(ctx):
    analysis = analyse(ctx)
    for route, others in backup_ties(analysis):
        word = BACKUP_WORDS.search(_label(route)).group(0)
        named = f"{describe(route)} ({_label(route)!r})" if route.kind == "static" else describe(route)
        yield ctx.finding(
            _distance_node(route),
            f"{named} says {word!r} but has distance {route.distance}, the same as "
            f"{', '.join(ref(ctx, r) for r in others)}: it is used at the same time, not as a backup",
            notes=[
                ROUTE_SELECTION,
                "A backup route waits with a larger distance and takes over when the primary goes inactive.",
            ],
            fix=_distance_fix(route, max(r.distance for r in others) + 1),
        )


# --- routing tables: marked on one side only ---------------------------------------------------------------

MANGLES = ("/ip firewall mangle", "/ipv6 firewall mangle")
RULE_MENUS = ("/routing rule", "/ip route rule")
# Menus whose items put routes into a routing table RouterOS fills at run time.
DYNAMIC_TABLES = (
    ("/routing ospf instance", "routing-table"), ("/routing bgp connection", "routing-table"),
    ("/routing bgp template", "routing-table"), ("/routing rip instance", "routing-table"),
    ("/ip dhcp-client", "default-route-tables"), ("/routing bgp vpn", "vrf"),
)


def _table_users(device, facts):
    """(marks, steered, undecidable): table → the first mangle rule marking
    for it; tables routing rules or VRFs send traffic to; whether a script or
    a computed value could mark for any table."""
    marks: dict[str, object] = {}
    steered: set[str] = set()
    undecidable = False
    if any(cmd.verb is not None for cmd in facts.commands.nested_in(MANGLES + RULE_MENUS)):
        undecidable = True
    for menu in MANGLES:
        for item in device.items(menu):
            if item.get("action") != "mark-routing" or item.disabled:
                continue
            arg = item.arg("new-routing-mark")
            value = literal(arg)
            if arg is not None and value is None:
                undecidable = True
            elif value:
                marks.setdefault(value, item)
    for menu in RULE_MENUS:
        for item in device.items(menu):
            if not item.disabled and item.get("table"):
                steered.add(item.get("table"))
    for item in device.items("/ip vrf"):
        if item.name:
            steered.add(item.name)
    return marks, steered, undecidable


def _filled(device) -> set[str]:
    """Tables routes are put into at run time (OSPF, BGP, RIP, DHCP clients, VRFs)."""
    out: set[str] = set()
    for menu, param in DYNAMIC_TABLES:
        for item in device.items(menu):
            out.update(t for t in (item.get(param) or "").split(",") if t)
    out.update(i.name for i in device.items("/ip vrf") if i.name)
    return out


@rule(
    "ROUTE013", "routing-table-one-side", area="routing", severity=Severity.WARNING,
    summary="Traffic marked for a routing table that holds no route, or a table with routes no traffic is sent to",
)
def routing_table_one_side(ctx):
    analysis = analyse(ctx)
    device = ctx.device
    marks, steered, undecidable = _table_users(device, ctx.facts)
    tables: dict[str, RouteFact] = {}
    for route in sorted((r for r in analysis.routes if r.kind == "static"), key=route_start):
        tables.setdefault(route.table, route)
    # routes rosc leaves out of the analysis (a computed gateway) still fill their table
    filled = _filled(device) | {
        item.get("routing-table") or item.get("routing-mark") or "main"
        for menu in ("/ip route", "/ipv6 route") for item in device.items(menu)
    }
    computed_routes = any(
        item.arg(p) is not None and literal(item.arg(p)) is None
        for menu in ("/ip route", "/ipv6 route") for item in device.items(menu) for p in ("routing-table", "routing-mark")
    )
    for table, item in marks.items():
        if table == "main" or table in tables or table in filled or computed_routes:
            continue
        yield ctx.finding(
            item.node("new-routing-mark"),
            f"new-routing-mark={table}: no route of this file is in routing table {table}",
            notes=[
                "A routing mark only chooses the table the packet is looked up in; with no route in it the "
                "lookup fails and the packet goes on to the next policy rule (the main table), so the mark "
                "changes nothing (help.mikrotik.com: Policy Routing).",
            ],
            fix=f"add the routes for table {table} (`/ip route add gateway=... routing-table={table}`), or "
            "correct the table name",
        )
    if undecidable:
        return
    for table, route in tables.items():
        if table == "main" or table in marks or table in steered:
            continue
        node = route.item.node("routing-table") if route.item.arg("routing-table") is not None else (
            route.item.node("routing-mark"))
        count = sum(1 for r in analysis.routes if r.kind == "static" and r.table == table)
        yield ctx.finding(
            node,
            f"routing table {table} holds {count} route{'s' if count != 1 else ''}, but no mangle rule marks "
            f"traffic for it and no routing rule looks it up: {'they are' if count != 1 else 'it is'} never used",
            notes=[
                "Routes in a table other than main are used only for packets steered there: by a mangle rule "
                "with action=mark-routing new-routing-mark=TABLE, or a routing rule with table=TABLE "
                "(help.mikrotik.com: Policy Routing: \"the configuration above is not enough\").",
            ],
            fix=f"add the mangle rule or `/routing rule add ... action=lookup table={table}` that should send "
            "traffic there, or put the routes in main",
        )
