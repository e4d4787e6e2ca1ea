"""DHCP checks: the DNS server handed out is the router but the router does
not answer (or cannot resolve), static leases outside every network their
server serves, two servers on one interface, a static-only server without
static leases, a DHCP server on the uplink.

Pools, networks and gateways against the subnets are the POOL rules
(``rosc.checks.pools``).  help.mikrotik.com: DHCP; DNS.
"""

from __future__ import annotations

from rosc.checks.names import defined_names, line_of
from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.facts import parse_ip, parse_network
from rosc.model.list_values import list_elements

SERVER = "/ip dhcp-server"
NETWORK = "/ip dhcp-server network"
LEASE = "/ip dhcp-server lease"
PPP_CLIENTS = ("/interface pppoe-client", "/interface l2tp-client", "/interface sstp-client",
               "/interface pptp-client", "/interface ovpn-client")


def _relay(item) -> bool:
    relay = item.get("relay")
    return bool(relay) and relay != "0.0.0.0"


def _own(ctx) -> dict:
    return ctx.shared(_own_v4)


def _own_v4(run) -> dict:
    """The router's IPv4 addresses by address (the last one of an address written twice)."""
    return {a.ip: a for a in run.facts.router_addresses if a.iface.version == 4}


def _dns_known(ctx) -> bool:
    """Does the file say what /ip dns is?  An export always does (a setting
    left out is the default); a script only when it sets /ip dns itself."""
    return defined_names(ctx).export or ctx.device.single("/ip dns") is not None


def _handed_router(ctx, own):
    """(network item, dns-server node, router address) for each DHCP network
    that hands out one of the router's own addresses as DNS server."""
    for item in ctx.device.items(NETWORK):
        if item.disabled or item.flag("dns-none"):
            continue
        for text, node in list_elements(item, "dns-server"):
            ip = parse_ip(text)
            if ip is not None and ip in own:
                yield item, node, own[ip]
                break


@rule("DHCP001", "dns-server-router-not-answering", area="dhcp", severity=Severity.ERROR,
      summary="DHCP hands out the router as DNS server, but the router does not answer DNS queries")
def dns_server_router_not_answering(ctx):
    own = _own(ctx)
    if not own or not _dns_known(ctx):
        return
    dns = ctx.device.single("/ip dns")
    if dns is not None and (dns.flag("allow-remote-requests") or dns.get("allow-remote-requests") is None and
                            dns.arg("allow-remote-requests") is not None):
        return  # on, or computed by the script
    for item, node, fact in _handed_router(ctx, own):
        net = item.get("address") or "its network"
        yield ctx.finding(
            node,
            f"DHCP network {net} hands out {fact.ip} (this router, on {fact.interface}) as DNS server, but "
            "/ip dns has allow-remote-requests=no: the clients' DNS queries are refused",
            notes=[
                "The router answers DNS for other hosts only with allow-remote-requests=yes (its default is no; "
                "help.mikrotik.com: DNS); when a DHCP network names DNS servers, the router must serve them "
                "itself (DNS: \"allow-remote-requests=yes must be enabled\").",
                "Leave dns-server empty to hand out the DNS servers the router itself uses instead.",
            ],
            fix="set `/ip dns set allow-remote-requests=yes` (and drop port 53 from the WAN), or hand out the "
            "upstream DNS servers, or leave dns-server empty",
        )


@rule("DHCP002", "router-dns-without-upstream", area="dhcp", severity=Severity.ERROR,
      summary="The router is the clients' DNS server but has no DNS server of its own to ask")
def router_dns_without_upstream(ctx):
    own = _own(ctx)
    device = ctx.device
    dns = device.single("/ip dns")
    if not own or dns is None or not dns.flag("allow-remote-requests") or not _dns_known(ctx):
        return
    if dns.get("servers") or dns.get("use-doh-server") or dns.arg("servers") is not None:
        return
    sources = [i for i in device.items("/ip dhcp-client") if not i.disabled and i.flag("use-peer-dns", True)]
    sources += [i for m in PPP_CLIENTS for i in device.items(m) if not i.disabled and i.flag("use-peer-dns")]
    sources += [i for i in device.items("/ipv6 dhcp-client") if not i.disabled and i.flag("use-peer-dns", True)]
    if sources:
        return
    handed = list(_handed_router(ctx, own))
    if not handed:
        return
    item, node, fact = handed[0]
    yield ctx.finding(
        node,
        f"DHCP network {item.get('address') or ''} hands out {fact.ip} (this router) as DNS server, but the "
        "router has no DNS server to resolve through: /ip dns servers is empty and no DHCP or PPP client "
        "brings one (use-peer-dns)",
        notes=[
            "The router's resolver forwards what it does not hold in /ip dns static to its servers (static "
            "servers=, or dynamic ones a DHCP client or a PPP client with use-peer-dns=yes adds; help.mikrotik.com: "
            "DNS). With none, every name the clients ask for fails.",
        ],
        fix="set `/ip dns set servers=...`, or use-peer-dns=yes on the uplink's client",
    )


def _served_networks(ctx):
    """server name -> the IPv4 networks it serves: the subnets of its
    interface, and the /ip dhcp-server network entries inside them (for a
    relayed server, every network entry)."""
    return ctx.shared(_served)


def _served(run):
    device = run.device
    addresses = [a for a in run.facts.router_addresses if a.iface.version == 4]
    networks = [parse_network(i.get("address")) for i in device.items(NETWORK) if not i.disabled]
    networks = [n for n in networks if n is not None and n.version == 4]
    on: dict[str, list] = {}  # interface -> its networks, in address order (one pass, not one per server)
    for a in addresses:
        on.setdefault(a.interface, []).append(a.network)
    out: dict[str, list] = {}
    for item in device.items(SERVER):
        if item.disabled or not item.name:
            continue
        if _relay(item):
            out[item.name] = list(networks)
            continue
        out[item.name] = list(on.get(item.get("interface"), ()))
    return out


@rule("DHCP003", "static-lease-outside-server-network", area="dhcp", severity=Severity.ERROR,
      summary="A static DHCP lease for an address outside every network its server serves")
def static_lease_outside_server_network(ctx):
    served = _served_networks(ctx)
    if not served or any(c.menu_path == "/ip address" for c in ctx.device.unresolved):
        return
    for item in ctx.device.items(LEASE):
        ip = parse_ip(item.get("address"))
        server = item.get("server") or "all"
        if item.disabled or ip is None or ip.version != 4 or int(ip) == 0:
            continue
        names = list(served) if server == "all" else [server]
        if any(n not in served for n in names):
            continue  # an unknown server is REF006
        nets = [n for name in names for n in served[name]]
        if not nets or any(ip in n for n in nets):
            continue  # a server with no subnet of its own is POOL003
        shown = ", ".join(str(n) for n in nets[:3]) + (", ..." if len(nets) > 3 else "")
        who = f"server {server}" if server != "all" else "any DHCP server of this router"
        yield ctx.finding(
            item.node("address"),
            f"static lease {ip} for {item.get('mac-address') or 'a client'} is outside the network of {who} "
            f"({shown})",
            notes=[
                "A DHCP server hands out addresses of the network it serves; a client given an address outside "
                "its link's subnet has no route to its gateway, so the host is off the network "
                "(help.mikrotik.com: DHCP, leases).",
            ],
            fix=f"use an address inside {nets[0]}, or set server= to the server of the network {ip} belongs to",
        )


@rule("DHCP004", "two-dhcp-servers-on-one-interface", area="dhcp", severity=Severity.ERROR,
      summary="Two enabled DHCP servers on the same interface")
def two_dhcp_servers_on_one_interface(ctx):
    first: dict[str, object] = {}
    for item in ctx.device.items(SERVER):
        iface = item.get("interface")
        if item.disabled or not iface or _relay(item):
            continue
        other = first.setdefault(iface, item)
        if other is item:
            continue
        yield ctx.finding(
            item.node("interface"),
            f"DHCP server {item.name or ''} is on {iface}, like DHCP server {other.name or ''} (line "
            f"{line_of(ctx, other.node())}): RouterOS runs one server per interface".replace("  ", " "),
            notes=[
                "The router supports an individual DHCP server for each Ethernet-like interface "
                "(help.mikrotik.com: DHCP); the second one is marked invalid and hands out nothing. Several "
                "subnets on one interface are served by one server with several networks and pools (or a pool "
                "with next-pool).",
            ],
            fix=f"serve {iface} with one server: disable or remove this one, and give the other the pools "
            "(next-pool) and networks it needs",
        )


@rule("DHCP005", "static-only-server-without-leases", area="dhcp", severity=Severity.WARNING,
      summary="A DHCP server with address-pool=static-only and no static lease")
def static_only_server_without_leases(ctx):
    device = ctx.device
    leases = [i for i in device.items(LEASE) if not i.disabled]
    if any(c.menu_path == LEASE for c in device.unresolved):
        return
    for item in device.items(SERVER):
        if item.disabled or not item.name:
            continue
        pool = item.get("address-pool")
        if pool not in (None, "static-only") or item.arg("address-pool") is None and not defined_names(ctx).export:
            continue
        if any((lease.get("server") or "all") in (item.name, "all") for lease in leases):
            continue
        node = item.node("address-pool") if item.arg("address-pool") is not None else item.node("name")
        yield ctx.finding(
            node,
            f"DHCP server {item.name} on {item.get('interface') or '?'} leases only static leases "
            "(address-pool=static-only), and none is defined: it gives no client an address",
            notes=[
                "With static-only, only clients with a static lease in /ip dhcp-server lease get an address; "
                "it is also the default when address-pool is not set (help.mikrotik.com: DHCP).",
            ],
            fix="set address-pool= to an IP pool of that network, or add the static leases",
        )


@rule("DHCP006", "dhcp-server-on-uplink", area="dhcp", severity=Severity.WARNING,
      summary="A DHCP server on the interface where the router is itself a DHCP client")
def dhcp_server_on_uplink(ctx):
    device = ctx.device
    clients = {i.get("interface"): i for i in device.items("/ip dhcp-client") if not i.disabled and i.get("interface")}
    for item in device.items(SERVER):
        iface = item.get("interface")
        if item.disabled or iface not in clients or _relay(item):
            continue
        client = clients[iface]
        yield ctx.finding(
            item.node("interface"),
            f"DHCP server {item.name or ''} runs on {iface}, where this router is itself a DHCP client "
            f"(line {line_of(ctx, client.node())})".replace("  ", " "),
            notes=[
                f"{iface} gets its address from a DHCP server upstream; a second server on the same network "
                "answers the other hosts there too (often the provider's network), handing out this router's "
                "pool and gateway: a rogue DHCP server that breaks their connectivity.",
            ],
            fix=f"move the DHCP server to the LAN interface, or disable the DHCP client on {iface}",
        )


@rule("DHCP007", "dhcp-network-without-gateway", area="dhcp", severity=Severity.WARNING,
      summary="A DHCP network that hands out no gateway while its server serves it")
def dhcp_network_without_gateway(ctx):
    device = ctx.device
    served = {n for nets in _served_networks(ctx).values() for n in nets}
    for item in device.items(NETWORK):
        net = parse_network(item.get("address"))
        if item.disabled or net is None or net.version != 4 or item.arg("gateway") is not None:
            continue
        if not any(net.subnet_of(s) or s.subnet_of(net) for s in served):
            continue  # no server serves it here (a relay's remote network is judged by its own router)
        if any(o.get("code") == "3" for o in device.items("/ip dhcp-server option")):
            continue  # option 3 (router) given by hand
        yield ctx.finding(
            item.node("address"),
            f"DHCP network {net} hands out no gateway: its clients get an address and no default router",
            notes=[
                "gateway is the default gateway the DHCP clients use; it defaults to 0.0.0.0, which hands out none "
                "(help.mikrotik.com: DHCP, Network). The clients reach only their own subnet.",
                "That is right only for an isolated network (storage, a lab segment); say so in a comment.",
            ],
            fix=f"set gateway= to the router's address in {net}",
        )
