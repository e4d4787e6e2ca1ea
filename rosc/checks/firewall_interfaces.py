"""WAN-facing matchers on the wrong interface (FW020, FW021).

A PPPoE client's IP traffic is sent and received on the PPPoE interface
(``pppoe-out1``), not on the Ethernet port the session runs over: that port
carries PPPoE frames, which the IP firewall never sees (help.mikrotik.com:
PPPoE, Packet Flow in RouterOS).  Interface lists hold the interfaces listed
in them, not the interfaces that run over those (Interface Lists).
"""

from __future__ import annotations

import ipaddress

from rosc.checks.firewall_lookup import lan_networks, rules, uplinks
from rosc.checks.firewall_probe import Packet, walk
from rosc.checks.registry import rule
from rosc.diagnostics import Severity

V4_TABLES = ("/ip firewall filter", "/ip firewall nat", "/ip firewall mangle", "/ip firewall raw")
SOURCE_NAT = frozenset({"masquerade", "src-nat", "same", "netmap", "endpoint-independent-nat"})
PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")]


def underlays(ctx) -> dict[str, str]:
    """Port -> the enabled PPPoE client running over it, for ports that carry
    no IP traffic of their own (no IPv4 address, no DHCP client, not a
    bridge port)."""
    facts = ctx.facts
    with_ip = {a.interface for a in facts.addresses if a.iface.version == 4}
    with_ip |= {i.get("interface") for i in ctx.device.items("/ip dhcp-client") if not i.disabled}
    out: dict[str, str] = {}
    for item in ctx.device.items("/interface pppoe-client"):
        port, name = item.get("interface"), item.name
        if item.disabled or not port or not name or port in with_ip or port in facts.bridge_of:
            continue
        out.setdefault(port, name)
    return out


@rule(
    "FW020", "match-on-pppoe-port", area="firewall", severity=Severity.WARNING,
    summary="A firewall rule matches in-/out-interface on the port a PPPoE client runs over",
)
def match_on_pppoe_port(ctx):
    ports = underlays(ctx)
    if not ports:
        return
    firewall = rules(ctx)
    for menu in V4_TABLES:
        for item in firewall.table(menu).items:
            for param in ("in-interface", "out-interface"):
                port = item.get(param)
                if port not in ports:
                    continue
                client = ports[port]
                yield ctx.finding(
                    item.node(param),
                    f"{param}={port}: the IP traffic of this uplink is on {client}, the PPPoE client running over "
                    f"{port}; {port} itself carries only PPPoE frames, so this rule never matches",
                    notes=[
                        f"{port} has no IP address or DHCP client of its own: every IP packet to and from the "
                        f"internet is received and sent on {client} (help.mikrotik.com: PPPoE; Packet Flow in "
                        "RouterOS: in-interface is the interface the packet entered the router on).",
                    ],
                    fix=f"match {param}={client}, or add {client} to the WAN interface list and match the list",
                )


def _excludes(firewall, item, uplink: str) -> bool:
    """Whether the rule's out-interface or out-interface-list (not negated)
    leaves the uplink out; False when it has neither or rosc cannot tell."""
    iface, name = item.get("out-interface"), item.get("out-interface-list")
    if iface and not iface.startswith("!") and iface != uplink:
        return True
    if name and not name.startswith("!"):
        members = firewall.lists.get(name)
        return members is not None and uplink not in members
    return False


def _lan_lists(ctx) -> list[str]:
    return [i.name for i in ctx.device.items("/interface list") if i.name and i.name.upper().startswith("LAN")]


def _covering_names(ctx, uplink: str) -> list[str]:
    """How the srcnat rules try to reach the uplink: their out-interface or list."""
    out = []
    for item in rules(ctx).table("/ip firewall nat").chains.get("srcnat", ()):
        if item.get("action") not in SOURCE_NAT:
            continue
        for param in ("out-interface", "out-interface-list"):
            value = item.get(param)
            if value and f"{param}={value}" not in out:
                out.append(f"{param}={value}")
    return out


@rule(
    "FW021", "masquerade-misses-uplink", area="firewall", severity=Severity.WARNING,
    summary="Masquerade/src-nat rules match an out-interface or list the default route does not leave through",
)
def masquerade_misses_uplink(ctx):
    firewall = rules(ctx)
    nat = firewall.table("/ip firewall nat")
    if not nat.decidable:
        return
    sources = [i for i in nat.chains.get("srcnat", ()) if i.get("action") in SOURCE_NAT]
    if not sources:
        return
    lans = [(net, iface) for net, iface in lan_networks(ctx) if any(net.subnet_of(p) for p in PRIVATE)]
    if not lans:
        return
    ports = underlays(ctx)
    by_client = {client: port for port, client in ports.items()}
    ups = uplinks(ctx)
    if len(ups) != 1:
        return  # several default paths (ECMP, ties): which one a LAN's traffic takes is not decided here
    for uplink, route in ups.items():
        port = by_client.get(uplink)
        if port is not None and any(i.get("out-interface") == port for i in sources):
            continue  # FW020 reports the rule on the port
        if not all(_excludes(firewall, i, uplink) for i in sources):
            continue  # a rule aims at the uplink: whatever else it narrows is not an interface mistake
        if any(uplink in (firewall.lists.get(name) or ()) for name in _lan_lists(ctx)):
            continue  # the file itself calls the uplink a LAN interface (a switch-like set-up)
        missed = []
        for net, iface in lans:
            packet = Packet(in_interface=iface, out_interface=uplink, src=(4, int(net[0]), int(net[-1])))
            verdict = walk(nat, "srcnat", packet, firewall.lists)
            if verdict.certain and verdict.action not in SOURCE_NAT:
                missed.append((net, iface))
        if not missed:
            continue
        first = sources[0]
        node = next((first.node(p) for p in ("out-interface-list", "out-interface") if first.arg(p) is not None),
                    first.node("action"))
        names = _covering_names(ctx, uplink)
        lists = [n.split("=", 1)[1] for n in names if n.startswith("out-interface-list=")]
        notes = [
            f"Traffic to the internet leaves through {uplink} ({route}); a srcnat rule translates it only "
            "when its out-interface or out-interface-list matches that interface (help.mikrotik.com: NAT).",
        ]
        if lists and port is not None:
            notes.append(
                f"{port} is in {', '.join(lists)}, but {uplink} runs over {port} and is not: an interface list "
                "holds only the interfaces listed in it (help.mikrotik.com: Interface Lists)."
            )
        shown = ", ".join(f"{n} ({i})" for n, i in missed[:3])
        yield ctx.finding(
            node,
            f"no srcnat rule matches traffic leaving through {uplink}, where the default route goes: "
            f"{shown} reach{'es' if len(missed) == 1 else ''} the internet with private source addresses"
            + (f" ({', '.join(names)} does not include {uplink})" if names else ""),
            notes=notes,
            fix=(f"add {uplink} to the list: `/interface list member add interface={uplink} list={lists[0]}`"
                 if lists else f"match out-interface={uplink} in the masquerade rule"),
        )


@rule(
    "FW033", "wan-drop-misses-uplink", area="firewall", severity=Severity.WARNING,
    summary="The forward chain drops new connections from an interface list the uplink is not in",
)
def wan_drop_misses_uplink(ctx):
    firewall = rules(ctx)
    table = firewall.table("/ip firewall filter")
    ups = uplinks(ctx)
    if not table.decidable or len(ups) != 1:
        return
    lans = [(net, iface) for net, iface in lan_networks(ctx) if any(net.subnet_of(p) for p in PRIVATE)]
    if not lans:
        return
    [(uplink, route)] = ups.items()
    if any(uplink in (firewall.lists.get(name) or ()) for name in _lan_lists(ctx)):
        return  # the file itself calls the uplink a LAN interface (a switch-like set-up)
    drops = []
    for item in table.chains.get("forward", ()):
        name = item.get("in-interface-list")
        if item.get("action") not in ("drop", "reject") or not name or name.startswith("!"):
            continue
        members = firewall.lists.get(name)
        if members is not None and uplink not in members and name.upper().startswith("WAN"):
            drops.append(item)
    if not drops:
        return
    net, iface = lans[0]
    packet = Packet(in_interface=uplink, out_interface=iface, src=None, dst=(4, int(net[0]), int(net[-1])),
                    protocol="tcp", dst_port=445)
    verdict = walk(table, "forward", packet, firewall.lists)
    if not verdict.certain or verdict.action in ("drop", "reject", "tarpit"):
        return
    item = drops[0]
    port = {client: p for p, client in underlays(ctx).items()}.get(uplink)
    yield ctx.finding(
        item.node("in-interface-list"),
        f"in-interface-list={item.get('in-interface-list')} does not hold {uplink}, where the default route "
        f"goes: new connections from the internet into {net} ({iface}) are not dropped",
        notes=[
            f"Traffic from the internet arrives on {uplink} ({route}); an interface list holds only the "
            "interfaces listed in it (help.mikrotik.com: Interface Lists)"
            + (f", and {uplink} runs over {port} but is not {port}." if port else "."),
            "Nothing else in the forward chain drops a new connection from there: anyone on the ISP's side "
            "who routes to the LAN's prefix reaches its hosts.",
        ],
        fix=f"add {uplink} to the list: `/interface list member add interface={uplink} "
        f"list={item.get('in-interface-list')}`",
    )
