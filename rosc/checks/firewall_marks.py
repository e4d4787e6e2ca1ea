"""Mangle marks: routing marks set after the routing decision, FastTrack
next to policy routing or queues, marks matched that nothing sets
(FW029–FW032).

Tables without routes and routes in tables nothing marks for are ROUTE013
(``rosc.checks.routing_policy``); these rules do not repeat it.

help.mikrotik.com: Mangle (mark-routing), Per connection classifier
("mark-routing can be used only in mangle chain output and prerouting"),
Packet Flow in RouterOS (FastTrack: fast-tracked packets bypass the
firewall, connection tracking, simple queues and queue trees with
parent=global; FastTrack works only with the main routing table).
"""

from __future__ import annotations

from rosc.checks.firewall_lookup import line_of, rules
from rosc.checks.firewall_probe import TERMINAL, Packet, match
from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.device import literal

MANGLES = ("/ip firewall mangle", "/ipv6 firewall mangle")
ROUTING_CHAINS = frozenset({"prerouting", "output"})
# Matchers of a fasttrack rule that leave it covering every established connection (any other matcher,
# an interface or list among them, may exclude the marked or queued traffic: rosc stays silent).
BROAD = frozenset({"chain", "action", "comment", "disabled", "log", "log-prefix", "connection-state", "hw-offload",
                   "protocol"})


def _callers(table) -> dict[str, set[str]]:
    """chain -> the chains that jump to it."""
    callers: dict[str, set[str]] = {}
    for item in table.items:
        if item.get("action") == "jump" and item.get("jump-target"):
            callers.setdefault(item.get("jump-target"), set()).add(item.get("chain"))
    return callers


def _entered_from(table, callers, chain: str) -> set[str]:
    """The built-in chains whose packets can reach ``chain`` through jumps."""
    if chain in table.builtin:
        return {chain}
    out, todo, seen = set(), [chain], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in table.builtin:
            out.add(current)
        todo.extend(callers.get(current, ()))
    return out


@rule(
    "FW029", "mark-routing-after-routing", area="firewall", severity=Severity.ERROR,
    summary="action=mark-routing in a mangle chain the routing decision has already passed",
)
def mark_routing_after_routing(ctx):
    firewall = rules(ctx)
    for menu in MANGLES:
        table = firewall.table(menu)
        if not table.decidable:
            continue
        callers: dict[str, set[str]] | None = None
        for item in table.items:
            if item.get("action") != "mark-routing":
                continue
            if callers is None:
                callers = _callers(table)
            entered = _entered_from(table, callers, item.get("chain"))
            if not entered or entered & ROUTING_CHAINS:
                continue
            where = ", ".join(sorted(entered))
            via = "" if item.get("chain") in table.builtin else f" (chain {item.get('chain')} is entered from {where})"
            yield ctx.finding(
                item.node("chain"),
                f"mark-routing in chain {item.get('chain')}{via}: the routing decision for these packets is "
                "already made, so the routing mark changes nothing",
                notes=[
                    "RouterOS chooses the route between prerouting and forward/input for packets passing "
                    "through, and before the output chain's end for its own packets; mark-routing works only in "
                    "mangle chains prerouting and output (help.mikrotik.com: Per connection classifier; Packet "
                    "Flow in RouterOS).",
                ],
                fix="move the rule to chain=prerouting (traffic passing through) or chain=output (the router's "
                "own traffic)",
            )


def _fasttracks(ctx):
    """Enabled fasttrack-connection rules that cover every established
    connection of the traffic they see."""
    out = []
    lists = rules(ctx).lists
    for menu in ("/ip firewall filter", "/ip firewall mangle"):
        table = rules(ctx).table(menu)
        if not table.decidable:
            continue
        chain = table.chains.get("forward", [])
        for index, item in enumerate(chain):
            if item.get("action") != "fasttrack-connection":
                continue
            if _taken_before(chain[:index], lists):
                continue  # an earlier rule decides for every established packet: this one never runs (FW001)
            if all(name in BROAD for name in item.props) and not any(
                (item.get(p) or "").startswith("!") for p in item.props
            ):
                out.append(item)
    return out


def _taken_before(earlier, lists) -> bool:
    packet = Packet(state="established")
    return any(i.get("action", "accept") in TERMINAL and match(i, packet, lists) is True for i in earlier)


def _mangle_marks(ctx, action: str, chains=None):
    table = rules(ctx).table("/ip firewall mangle")
    return [i for i in table.items if i.get("action") == action and (chains is None or i.get("chain") in chains)]


@rule(
    "FW030", "fasttrack-with-policy-routing", area="firewall", severity=Severity.WARNING,
    summary="FastTrack of all established connections while mangle marks forwarded traffic for other routing tables",
)
def fasttrack_with_policy_routing(ctx):
    fasttracks = _fasttracks(ctx)
    if not fasttracks:
        return
    marks = [i for i in _mangle_marks(ctx, "mark-routing", {"prerouting"})
             if i.get("new-routing-mark") not in (None, "main") and i.get("dst-address-type") != "local"]
    if not marks:
        return
    item = fasttracks[0]
    mark = marks[0]
    yield ctx.finding(
        item.node("action"),
        f"this rule fast-tracks every established connection, but line {line_of(ctx, mark)} marks forwarded "
        f"traffic for routing table {mark.get('new-routing-mark')}: fast-tracked packets skip mangle and are "
        "routed by the main table",
        notes=[
            "FastTrack looks routes up before routing marks are set and works only with the main routing table; "
            "do not fast-track connections that mark-routing rules steer elsewhere (help.mikrotik.com: Packet Flow "
            "in RouterOS, FastTrack; Mangle, mark-routing).",
        ],
        fix="fast-track only unmarked connections: add connection-mark=no-mark to the fasttrack rule (and mark "
        "the policy-routed connections with mark-connection), or remove the fasttrack rule",
    )


@rule(
    "FW031", "fasttrack-bypasses-queues", area="firewall", severity=Severity.WARNING,
    summary="FastTrack of all established connections while simple queues or global queue trees shape them",
)
def fasttrack_bypasses_queues(ctx):
    fasttracks = _fasttracks(ctx)
    if not fasttracks:
        return
    device = ctx.device
    queues = [i for i in device.items("/queue simple") if not i.disabled]
    trees = [i for i in device.items("/queue tree") if not i.disabled and (i.get("parent") == "global"
                                                                            or i.get("packet-mark"))]
    if not queues and not trees:
        return
    shown = queues[0] if queues else trees[0]
    what = (f"{len(queues)} simple queue{'s' if len(queues) != 1 else ''}" if queues else
            f"{len(trees)} queue tree entr{'ies' if len(trees) != 1 else 'y'} on packet marks")
    yield ctx.finding(
        fasttracks[0].node("action"),
        f"this rule fast-tracks every established connection, but the file shapes traffic with {what} (line "
        f"{line_of(ctx, shown)}): fast-tracked packets bypass them",
        notes=[
            "Fast-tracked packets bypass the firewall (mangle marks too), connection tracking, simple queues and "
            "queue trees with parent=global (help.mikrotik.com: Packet Flow in RouterOS, FastTrack): after the "
            "first packets, a connection is no longer limited.",
        ],
        fix="remove the fasttrack rule, or exclude the shaped traffic from it (e.g. connection-mark=no-mark, with "
        "the shaped connections marked in mangle)",
    )


# mark matcher -> the mangle action and parameter that set it
SETTERS = {
    "connection-mark": ("mark-connection", "new-connection-mark"),
    "packet-mark": ("mark-packet", "new-packet-mark"),
    "routing-mark": ("mark-routing", "new-routing-mark"),
}
SPECIAL_MARKS = frozenset({"no-mark", "main"})


def _set_marks(ctx, family_menu: str):
    """kind -> marks the mangle table sets; None when some are computed or a
    script changes the mangle rules."""
    firewall = rules(ctx)
    if family_menu in firewall.scripted:
        return None
    out: dict[str, set[str]] = {k: set() for k in SETTERS}
    for item in ctx.device.items(family_menu):
        for kind, (action, param) in SETTERS.items():
            if item.get("action") != action:
                continue
            arg = item.arg(param)
            if arg is not None and literal(arg) is None:
                return None
            if item.get(param):
                out[kind].add(item.get(param))
    return out


@rule(
    "FW032", "mark-never-set", area="firewall", severity=Severity.WARNING,
    summary="A firewall rule or queue matches a connection or packet mark that no mangle rule sets",
)
def mark_never_set(ctx):
    device = ctx.device
    v4, v6 = _set_marks(ctx, "/ip firewall mangle"), _set_marks(ctx, "/ipv6 firewall mangle")
    checks = []  # (the marks that exist, users)
    for prefix, marks in (("/ip", v4), ("/ipv6", v6)):
        if marks is None:
            continue
        users = [(item, kind, kind) for table in ("filter", "nat", "mangle", "raw")
                 for item in rules(ctx).table(f"{prefix} firewall {table}").items
                 for kind in ("connection-mark", "packet-mark")]
        checks.append((marks, users, f"{prefix} firewall mangle"))
    if v4 is not None and v6 is not None:
        # queues see the packet marks of both families, and those HotSpot profiles set
        marks = {k: v4[k] | v6[k] for k in SETTERS}
        for item in device.items("/ip hotspot user profile"):
            marks["packet-mark"].update(v for v in (item.get("incoming-packet-mark"), item.get("outgoing-packet-mark")) if v)
        users = [(i, "packet-mark", "packet-mark") for i in device.items("/queue tree") if not i.disabled]
        users += [(i, "packet-marks", "packet-mark") for i in device.items("/queue simple") if not i.disabled]
        checks.append((marks, users, "mangle"))
    export = rules(ctx).export
    for marks, users, where in checks:
        for item, param, kind in users:
            value = item.get(param)
            if not value or (not export and not marks[kind]):
                continue  # a script fragment: the router may set marks the file does not show
            for mark in value.lstrip("!").split(","):
                if not mark or mark in SPECIAL_MARKS or mark in marks[kind]:
                    continue
                action, setter = SETTERS[kind]
                known = sorted(marks[kind])
                yield ctx.finding(
                    item.node(param),
                    f"{param}={value}: no {where} rule sets {kind} {mark}, so "
                    + ("this never matches" if not value.startswith("!") else "this matches everything"),
                    notes=[
                        f"Marks exist only inside the router: a mangle rule with action={action} {setter}={mark} "
                        "puts them on connections or packets (help.mikrotik.com: Mangle).",
                        f"Marks of this kind the file sets: {', '.join(known)}." if known else
                        f"The file sets no {kind}.",
                    ],
                    fix=f"correct the name, or add the mangle rule: `/ip firewall mangle add chain=forward "
                    f"... action={action} {setter}={mark}`",
                )
                break
