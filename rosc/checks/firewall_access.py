"""Firewall rules that cut traffic the configuration itself relies on (FW004, FW005).

* FW004: a drop in the input or forward chain placed before the chain's
  accept of established/related connections, broad enough to take the
  replies arriving from the uplink (or from anywhere): the router's own
  DNS and updates, or the LAN's internet, stop answering;
* FW005: an input policy that drops the LAN's own management of the router
  (WinBox, SSH, WebFig from every interface that is not a WAN one, and DNS
  where the DHCP server hands out the router)
  — pasted from a LAN session, the script cuts that session.

Both walk the chains with ``rosc.model.firewall.walk`` for a class of
packets (every host of a LAN, any reply from a WAN interface) and report
only a certain verdict: a rule rosc cannot decide keeps them silent.
"""

from __future__ import annotations

from rosc.checks.firewall import _family
from rosc.checks.registry import rule
from rosc.checks.security import _service_states
from rosc.diagnostics import Severity
from rosc.model.firewall import Match, packet, policy, walk

# /ip service name -> what the LAN loses
MANAGEMENT = {"winbox": "WinBox", "ssh": "SSH", "www": "WebFig", "www-ssl": "WebFig over HTTPS"}


def _wan_interfaces(ctx, fw) -> list[str]:
    out = set(ctx.facts.wan_interfaces)
    members = fw.interface_lists.members("WAN")
    if members is not None and not members.co:
        out |= members.names
    return sorted(out)


def _established_accept(chain) -> int | None:
    """Position of the chain's first accept of established (or related) connections."""
    for position, current in enumerate(chain.active):
        if current.action != "accept":
            continue
        state = current.dim("state").known
        if ("established" in state or "related" in state) and "new" not in state:
            return position
    return None


@rule(
    "FW004", "drop-before-established", area="firewall", severity=Severity.WARNING,
    summary="An input or forward drop placed before the accept of established/related kills return traffic",
)
def drop_before_established(ctx):
    fw = ctx.shared(policy)
    wan = _wan_interfaces(ctx, fw)
    for family in (4, 6):
        if not fw.decidable("filter", family):
            continue
        for name in ("input", "forward"):
            chain = fw.chain("filter", name, family)
            accept_at = _established_accept(chain)
            if accept_at is None:
                continue
            accept = chain.active[accept_at]
            reported = set()
            for iface in [None, *wan]:
                replies = packet(family, in_interface=iface, state="established")
                for current in chain.active[:accept_at]:
                    match = current.matches(replies)
                    if match is Match.NO:
                        continue
                    if current.dropping and match is Match.YES and not current.unconditional:
                        if id(current) not in reported:
                            reported.add(id(current))
                            yield _fw004(ctx, current, accept, iface, name, family)
                        break
                    if match is Match.YES and (current.terminal or current.action == "jump"):
                        break  # decided (or handed on) before any drop
                    # a rule that takes only part of the replies (ICMP, some hosts) leaves the rest to the drop
    return


def _fw004(ctx, current, accept, iface, chain: str, family: int):
    source = f"arriving on {iface}" if iface else "from anywhere"
    whose = "the router's own connections (DNS, NTP, updates)" if chain == "input" else "the LAN's connections"
    return ctx.finding(
        current.item.node(),
        f"this drop comes before the accept of established connections at line {accept.line}: the replies to "
        f"{whose} {source} are dropped",
        notes=[
            f"{'/ipv6' if family == 6 else '/ip'} firewall filter chain {chain}: a reply belongs to an established "
            "connection, and RouterOS tries the rules in order: this rule takes the reply before the accept of "
            "established,related can.",
        ],
        fix=f"move the accept of established,related (line {accept.line}) to the top of the chain, or add "
        "connection-state=new (or !established,!related) to this drop",
    )


def _inside_interfaces(ctx, fw) -> dict[str, list]:
    """Interface -> its IPv4 addresses, for every addressed interface that is not a WAN
    interface: where an engineer can manage the router from (LAN, management port, VPN)."""
    wan = set(_wan_interfaces(ctx, fw)) | _default_route_interfaces(ctx)
    out: dict[str, list] = {}
    for fact in ctx.facts.addresses:
        if fact.interface not in wan and fact.iface.version == 4 and ctx.facts.interface_down(fact.interface) is None:
            if not fact.network.is_loopback and fact.network.prefixlen < 31:
                out.setdefault(fact.interface, []).append(fact)
    return out


def _default_route_interfaces(ctx) -> set[str]:
    """Interfaces a static default route leaves by (named, or holding its gateway's network): uplinks too."""
    out: set[str] = set()
    defaults = [r for r in ctx.facts.routes if r.kind == "static" and r.dst.prefixlen == 0 and not r.disabled]
    for route in defaults:
        for gateway in route.gateways:
            name = gateway.split("%")[-1] if "%" in gateway else gateway
            out.add(name)
        for ip in route.gateway_ips:
            for fact in ctx.facts.addresses:
                if fact.iface.version == ip.version and ip in fact.network:
                    out.add(fact.interface)
    return out


def _handed_out_dns(ctx) -> set[str]:
    """The DNS servers the enabled DHCP networks hand out, when the router
    answers DNS queries (empty otherwise): read once, not per interface."""
    dns = ctx.device.single("/ip dns")
    if dns is None or not dns.flag("allow-remote-requests"):
        return set()
    out: set[str] = set()
    for item in ctx.device.items("/ip dhcp-server network"):
        if not item.disabled:
            out.update((item.get("dns-server") or "").split(","))
    return out


def _dns_for_clients(handed_out: set[str], addresses) -> bool:
    """Whether a DHCP network hands out one of these router addresses as DNS (see ``_handed_out_dns``)."""
    return any(str(a.ip) in handed_out for a in addresses)


def _services(ctx):
    """(what, port) of the management services the file leaves enabled and open to any address."""
    out = []
    for name, state in _service_states(ctx.device).items():
        if name in MANAGEMENT and state.disabled is False and state.port is not None and state.address == "":
            out.append((f"{MANAGEMENT[name]} (tcp {state.port})", state.port))
    return out


def _dropped(fw, iface, fact, proto: str, port: int):
    """The rule that certainly drops a new connection from every host of the
    address's network to the router's address, or None."""
    pkt = packet(4, in_interface=iface, src=fact.network, dst=fact.ip, protocol=proto, dst_port=port,
                 state="new", nat="none", ipsec="in:none/out:none")
    verdict = walk(fw, "raw", "prerouting", pkt)
    if not verdict.certain:
        return None
    if not verdict.dropped:
        verdict = walk(fw, "filter", "input", pkt)
    return verdict.rule if verdict.dropped and verdict.certain else None


@rule(
    "FW005", "lan-management-lockout", area="firewall", severity=Severity.ERROR,
    summary="The input chain drops the LAN's WinBox, SSH, WebFig or DNS to the router: the script locks you out",
)
def lan_management_lockout(ctx):
    fw = ctx.shared(policy)
    if not fw.decidable("filter") or not fw.decidable("raw") or not fw.chain("filter", "input").active:
        return
    lans = sorted(_inside_interfaces(ctx, fw).items())
    if not lans:
        return
    # Management: reported when no inside interface can reach it any more (one that can is where you manage from).
    lost: dict[int, tuple] = {}
    for what, port in _services(ctx):
        drops = []
        for iface, addresses in lans:
            deciding = _dropped(fw, iface, addresses[0], "tcp", port)
            if deciding is None:
                break
            drops.append((iface, addresses[0], deciding))
        else:
            iface, fact, deciding = drops[0]
            entry = lost.setdefault(id(deciding), (deciding, [], [f"{i} ({f.network})" for i, f, _ in drops]))
            entry[1].append(what)
    for deciding, services, where in lost.values():
        yield ctx.finding(
            deciding.item.node(),
            f"this rule drops {', '.join(services)} from every inside interface ({', '.join(where)}) to the router: "
            "pasted from a LAN session, the script cuts that session and locks the LAN out of the router",
            notes=[
                f"{_family(deciding)} filter chain input: a new connection from any host of the LAN networks to the "
                "router's address on that network reaches this rule before any accept.",
                "WinBox over MAC (MAC server) does not go through the IP firewall and may still reach the router.",
            ],
            fix=f"accept management from the LAN first (e.g. add action=accept chain=input in-interface-list=LAN "
            f"above line {deciding.line}), or narrow the rule to the WAN side (in-interface-list=WAN)",
        )
    # DNS: every DHCP network that hands out the router as its DNS server needs it.
    handed_out = _handed_out_dns(ctx)
    for iface, addresses in lans:
        if not _dns_for_clients(handed_out, addresses):
            continue
        deciding = _dropped(fw, iface, addresses[0], "udp", 53)
        if deciding is not None:
            yield ctx.finding(
                deciding.item.node(),
                f"this rule drops DNS (udp 53) from the LAN on {iface} ({addresses[0].network}) to the router, yet "
                "its DHCP server hands out the router as the DNS server: the clients cannot resolve names",
                notes=[f"{_family(deciding)} filter chain input: a DNS query from any host of {addresses[0].network} "
                       f"on {iface} to {addresses[0].ip} reaches this rule before any accept."],
                fix=f"accept udp and tcp 53 from {iface} above line {deciding.line}, or hand out other DNS servers",
            )
