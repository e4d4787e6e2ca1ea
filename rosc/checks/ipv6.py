"""IPv6 checks: a LAN prefix that hosts never learn (advertise=no, or
neighbour discovery off on the interface), an address from a prefix pool
nothing fills, a link-local gateway without its interface.

help.mikrotik.com: IPv6 Neighbor Discovery; IPv6 Addresses; DHCP (prefix
delegation); /ipv6/address.
"""

from __future__ import annotations

from rosc.checks.names import defined_names, line_of
from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.device import literal
from rosc.model.facts import parse_interface, parse_ip
from rosc.model.list_values import list_elements
from rosc.syntax.tree import Arg, Command, Substitution, Word

ADDRESS = "/ipv6 address"
ND = "/ipv6 nd"
ND_DOC = "help.mikrotik.com: IPv6 Neighbor Discovery"


def _lan_interface(facts, name: str) -> bool:
    """An Ethernet-like interface that does not face the provider."""
    return facts.broadcast_kind(name) is not None and name not in facts.wan_interfaces


def nd_state(facts) -> dict[str, bool] | None:
    """interface (``all`` for the default entry) -> whether router
    advertisements are on, after the file's /ipv6 nd commands; None when a
    command rosc cannot place changes them."""
    state = {"all": True}  # RouterOS has a default entry for interface=all, enabled
    index = facts.commands
    for stmt in index.in_menu(ND):
        if stmt.verb is None or not index.is_top(stmt):
            continue
        verb = stmt.verb.text
        if verb == "add":
            iface = literal(stmt.get("interface"))
            if iface is None:
                return None
            state[iface] = literal(stmt.get("disabled")) not in ("yes", "true")
            continue
        if verb not in ("set", "enable", "disable"):
            continue
        target = _nd_target(stmt, state)
        if target is None:
            return None
        if verb in ("enable", "disable"):
            state[target] = verb == "enable"
            continue
        moved = literal(stmt.get("interface")) if stmt.get("interface") is not None else None
        if stmt.get("interface") is not None and moved is None:
            return None
        if moved and moved != target:  # the entry now serves another interface
            state[moved], state[target] = state[target], False
            target = moved
        if stmt.get("disabled") is not None:
            value = literal(stmt.get("disabled"))
            if value not in ("yes", "no", "true", "false"):
                return None
            state[target] = value in ("no", "false")
    return state


def _nd_target(cmd: Command, state: dict) -> str | None:
    positional = [a for a in cmd.args if type(a) is not Arg]
    if not positional:
        return None
    sel = positional[0]
    if type(sel) is Word:
        return "all" if sel.text in ("0", "all") else (sel.text if sel.text in state else None)
    if type(sel) is Substitution and len(sel.body) == 1 and type(sel.body[0]) is Command:
        find = sel.body[0]
        args = [a for a in find.args if not (type(a) is Word and a.text == "where")]
        if len(args) == 1 and type(args[0]) is Arg:
            key, value = args[0].name, literal(args[0])
            if key == "default" and value in ("yes", "true") or key == "interface" and value == "all":
                return "all"
            if key == "interface" and value in state:
                return value
    return None


def _advertises(state: dict, iface: str) -> bool:
    return state.get(iface, state["all"])


@rule("IP6001", "lan-prefix-not-advertised", area="ipv6", severity=Severity.WARNING,
      summary="A LAN's IPv6 /64 that hosts never learn: advertise=no, or router advertisements off there")
def lan_prefix_not_advertised(ctx):
    device, facts = ctx.device, ctx.facts
    state = nd_state(facts)
    stateful = {i.get("interface") for i in device.items("/ipv6 dhcp-server")
                if not i.disabled and i.get("address-pool")}
    judge_nd = state is not None and (defined_names(ctx).export or bool(device.items(ND)) or bool(
        facts.commands.in_menu(ND)))
    for item in device.items(ADDRESS):
        iface = item.get("interface")
        text = item.get("address")
        net = parse_interface(text) if text else None
        if item.disabled or not iface or net is None or net.version != 6 or net.network.prefixlen != 64:
            continue
        if net.ip.is_link_local or not _lan_interface(facts, iface):
            continue
        if item.get("advertise") in ("no", "false") and iface not in stateful:
            yield ctx.finding(
                item.node("advertise"),
                f"the LAN address {text} on {iface} has advertise=no: hosts there never learn the prefix "
                f"{net.network} and get no IPv6 address from it",
                notes=[
                    "advertise (on by default for a /64) puts the prefix into the router advertisements that hosts "
                    f"use for stateless autoconfiguration ({ND_DOC}; /ipv6/address: advertise). Without it, and "
                    "without a DHCPv6 server handing out addresses on the interface, the LAN has no global IPv6.",
                ],
                fix="remove advertise=no (or hand out addresses with a DHCPv6 server on the interface)",
            )
        elif judge_nd and not _advertises(state, iface):
            yield ctx.finding(
                item.node("interface"),
                f"router advertisements are off on {iface}: hosts there never learn the prefix {net.network} of "
                f"{text}, nor this router as their IPv6 default router",
                notes=[
                    f"/ipv6 nd sends the router advertisements (RADVD) that carry the prefix and the default router "
                    f"({ND_DOC}); its default entry covers interface=all, and this file disables it (or moves it "
                    f"to another interface) without an entry of its own for {iface}. Hosts need them even with "
                    "DHCPv6: the default route comes only from a router advertisement.",
                ],
                fix=f"enable /ipv6 nd for {iface} (`/ipv6 nd add interface={iface}`, or re-enable the default "
                "entry)",
            )


@rule("IP6002", "from-pool-never-filled", area="ipv6", severity=Severity.ERROR,
      summary="An IPv6 address from a prefix pool that no pool or DHCPv6 client provides")
def from_pool_never_filled(ctx):
    device = ctx.device
    pools = {i.name for i in device.items("/ipv6 pool") if i.name}
    clients: dict[str, object] = {}
    for item in device.items("/ipv6 dhcp-client"):
        name = item.get("pool-name")
        if name and not item.disabled:
            clients[name] = item
    if any(c.verb is not None and c.verb.text == "add"
           for c in ctx.facts.commands.nested_in(("/ipv6 pool", "/ipv6 dhcp-client"))):
        return  # pools created by a script
    judged = defined_names(ctx).export or pools or device.items("/ipv6 dhcp-client")
    if not judged:
        return  # a script that sets up no pool relies on the router's
    for item in device.items(ADDRESS):
        name = item.get("from-pool")
        if not name or item.disabled:
            continue
        client = clients.get(name)
        if name in pools:
            continue
        if client is not None:
            request = client.get("request") or "address"
            if "prefix" in request.split(","):
                continue
            yield ctx.finding(
                item.node("from-pool"),
                f"from-pool={name}: the DHCPv6 client on {client.get('interface')} (line "
                f"{line_of(ctx, client.node())}) fills pool {name} only when it requests a prefix, and it has "
                f"request={request}",
                notes=["A DHCPv6 client creates its pool-name pool from the delegated prefix (help.mikrotik.com: "
                       "DHCP, prefix delegation); with request=address it receives no prefix, so the pool stays "
                       "empty and the address is never added."],
                fix="set request=prefix (or address,prefix) on the DHCPv6 client",
            )
            continue
        yield ctx.finding(
            item.node("from-pool"),
            f"from-pool={name}: no /ipv6 pool and no DHCPv6 client (pool-name={name}) provides this pool, so the "
            "address is never added",
            notes=[
                "from-pool takes the prefix from the named pool and the interface part from address "
                "(help.mikrotik.com: /ipv6/address); the pool is either defined in /ipv6 pool or created by a "
                "DHCPv6 client's pool-name when it gets a delegated prefix.",
            ],
            fix=f"correct the name, or add `pool-name={name}` to the DHCPv6 client that requests the prefix",
        )


@rule("IP6003", "link-local-gateway-without-interface", area="ipv6", severity=Severity.ERROR,
      summary="An IPv6 route through a link-local gateway without %interface")
def link_local_gateway_without_interface(ctx):
    for item in ctx.device.items("/ipv6 route"):
        if item.disabled:
            continue
        for text, node in list_elements(item, "gateway"):
            address = text.split("@")[0]
            ip = parse_ip(address)
            if ip is None or ip.version != 6 or not ip.is_link_local or "%" in address:
                continue
            yield ctx.finding(
                node,
                f"gateway {text} is a link-local address without an interface: every interface has fe80::/64, so "
                "RouterOS cannot tell which link to reach it on",
                notes=[
                    "A link-local address is only unique on its link (help.mikrotik.com: IPv6 Addresses); a route "
                    "through one names the interface too, as the manual's examples do "
                    "(gateway=fe80::1:1%to-ISP). Without it the gateway is not resolved and the route stays "
                    "inactive.",
                ],
                fix=f"add the interface: gateway={address}%<interface towards that router>",
            )
