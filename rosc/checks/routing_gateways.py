"""Routing checks on what a gateway is: an interface that cannot run, an
Ethernet-like interface used as the gateway of far destinations, the
router's own address.

They read the shared routing analysis (``rosc.checks.routing_analysis``).
"""

from __future__ import annotations

from rosc.checks.names import with_article
from rosc.checks.registry import rule
from rosc.checks.routing_analysis import analyse, describe, gateway_node
from rosc.diagnostics import Severity
from rosc.model.nexthop import INTERFACE, INTERFACE_DOWN

CONNECTED_NOTE = (
    "RouterOS creates a connected route only for an address on an enabled interface (help.mikrotik.com: Routing "
    "Decision, Connected Networks), and an interface gateway that cannot run makes the route unreachable: the "
    "route stays inactive until the interface is enabled."
)


@rule(
    "ROUTE008", "gateway-interface-disabled", area="routing", severity=Severity.WARNING,
    summary="A route whose gateway is reached only through a disabled interface, so it stays inactive",
)
def gateway_interface_disabled(ctx):
    analysis = analyse(ctx)
    facts = analysis.facts
    for result in analysis.results:
        route = result.route
        if route.kind != "static" or route.disabled:
            continue
        for gw in result.gateways:
            if gw.reason != INTERFACE_DOWN:
                continue
            if gw.via is not None:  # an address inside the network of an address on a disabled interface
                iface = gw.via.interface
                why = gw.via.note or f"{iface} is disabled"
                message = (
                    f"gateway {gw.text} of {describe(route)} is in {gw.via.dst} of {iface}, but {why}: "
                    "there is no connected route to reach it"
                )
            else:
                iface = gw.interface
                why = facts.interface_down(iface) or f"{iface} is disabled"
                message = f"gateway {gw.text} of {describe(route)} cannot be used: {why}"
            yield ctx.finding(
                gateway_node(route),
                message,
                notes=[CONNECTED_NOTE],
                fix=f"enable {iface}, or disable this route too so that the intent is visible",
            )


@rule(
    "ROUTE009", "interface-gateway-not-point-to-point", area="routing", severity=Severity.WARNING,
    summary="An Ethernet-like interface as the gateway of destinations that are not on its link",
)
def interface_gateway_not_point_to_point(ctx):
    analysis = analyse(ctx)
    facts = analysis.facts
    on_link: dict[str, list] = {}
    for r in analysis.routes:
        if r.kind == "connected" and not r.disabled and r.interface:
            on_link.setdefault(r.interface, []).append(r.dst)
            bridge = facts.bridge_of.get(r.interface)
            if bridge:
                on_link.setdefault(bridge, []).append(r.dst)
    for result in analysis.results:
        route = result.route
        if route.kind != "static" or route.disabled:
            continue
        for gw in result.gateways:
            if gw.reason != INTERFACE or gw.address is not None:
                continue
            name = gw.interface
            what = facts.broadcast_kind(name)
            if what is None:
                continue
            nets = [n for n in on_link.get(name, ()) if n.version == route.dst.version]
            if any(route.dst.subnet_of(n) for n in nets):
                continue  # the destination is directly connected: ARP for it works
            if route.dst.prefixlen == 0:
                message = (
                    f"gateway={name} on {describe(route)}: {name} is {with_article(what)}, not a point-to-point link, "
                    "so RouterOS sends every packet to its destination address on that link and nothing beyond the "
                    "link is reached"
                )
            else:
                message = (
                    f"gateway={name} on {describe(route)}: {name} is {with_article(what)}, not a point-to-point link, "
                    f"so the route only reaches hosts of {route.dst} that are on that link themselves"
                )
            nexthop = _next_hop_hint(analysis, name)
            yield ctx.finding(
                gateway_node(route),
                message,
                notes=[
                    "With an interface as gateway RouterOS resolves each packet's own destination address over "
                    "the interface (ARP on Ethernet); no host answers for an address several hops away, so "
                    "forwarding fails. The manual: a non point-to-point interface gateway cannot forward to "
                    "destinations multiple hops away; interface gateways are for point-to-point interfaces and "
                    "directly connected destinations (help.mikrotik.com: Routing Decision).",
                    "It seems to work only when the next router answers ARP for everything (proxy-ARP), and "
                    "check-gateway has no address to probe on it.",
                ],
                fix=f"use the next hop's address as gateway{nexthop} (or gateway=ADDRESS%{name})",
            )


def _next_hop_hint(analysis, name: str) -> str:
    for r in analysis.routes:
        if r.kind == "connected" and r.interface == name and not r.disabled:
            return f", an address in {r.dst}"
    dhcp = any(i.get("interface") == name and not i.disabled for i in analysis.device.items("/ip dhcp-client"))
    if dhcp:
        return f"; with a DHCP client on {name}, let it add the default route (add-default-route=yes)"
    return ""


@rule(
    "ROUTE010", "gateway-is-own-address", area="routing", severity=Severity.ERROR,
    summary="A route whose gateway is one of the router's own addresses",
)
def gateway_is_own_address(ctx):
    analysis = analyse(ctx)
    own = {}
    for fact in analysis.facts.addresses:
        own.setdefault(fact.ip, fact)
    if not own:
        return
    for result in analysis.results:
        route = result.route
        if route.kind != "static" or route.disabled:
            continue
        for gw in result.gateways:
            fact = own.get(gw.address) if gw.address is not None else None
            if fact is None:
                continue
            line = ctx.source.line_col(fact.item.node().start)[0] if fact.item.node() is not None else None
            where = f" (line {line})" if line else ""
            yield ctx.finding(
                gateway_node(route),
                f"gateway {gw.text} of {describe(route)} is this router's own address on {fact.interface}{where}",
                notes=[
                    "A gateway is the next router a packet is handed to; an address of the router itself is "
                    "delivered locally (Routing Decision: the local lookup comes before the main table), so the "
                    "route sends nothing anywhere.",
                    "This usually comes from copying the LAN side's address (the gateway the DHCP clients get) "
                    "into a route.",
                ],
                fix=f"use the address of the next router on {fact.network} as gateway"
                + (f" (not {fact.ip})" if gw.text != str(fact.ip) else ""),
            )
