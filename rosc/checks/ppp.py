"""PPP checks on one device: secrets limited to a service the router does
not run, two secrets with the same fixed remote address, a remote address
that is the router's own.

A secret's settings are composed from the secret, its profile and the
server's default profile, in that priority, a single address winning over a
pool (help.mikrotik.com: PPP AAA); ``effective_remote`` follows that.
"""

from __future__ import annotations

from rosc.checks.names import defined_names, line_of
from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.facts import parse_ip

SECRET = "/ppp secret"
PROFILE = "/ppp profile"
# service of a secret -> the server menu that offers it
SERVERS = {
    "pppoe": "/interface pppoe-server server",
    "l2tp": "/interface l2tp-server server",
    "pptp": "/interface pptp-server server",
    "sstp": "/interface sstp-server server",
    "ovpn": "/interface ovpn-server server",
}
# the servers' default-profile when not set (help.mikrotik.com: PPPoE, L2TP, PPTP, SSTP, OpenVPN)
DEFAULT_PROFILE = {"pppoe": "default", "l2tp": "default-encryption", "pptp": "default-encryption",
                   "sstp": "default", "ovpn": "default"}


def _running(device, menu: str) -> list:
    """The enabled servers of a menu: a list menu (PPPoE) has items with
    disabled=no; the others are settings with enabled=yes."""
    items = device.items(menu)
    if menu == SERVERS["pppoe"]:
        return [i for i in items if not i.disabled]
    return [i for i in items if i.flag("enabled")]


def _profiles(device) -> dict:
    return {p.get("name"): p for p in device.items(PROFILE) if p.get("name")}


def default_profiles(device) -> list[str]:
    """The default-profile of every PPP server the router runs."""
    out = []
    for service, menu in SERVERS.items():
        for item in _running(device, menu):
            out.append(item.get("default-profile") or DEFAULT_PROFILE[service])
    return out


def effective_remote(secret, profiles: dict, defaults: list[str]):
    """(address, where it is set) of the fixed remote address a secret's
    session gets, or None when it comes from a pool or from nowhere."""
    layers = [("the secret", secret), (f"profile {secret.get('profile') or 'default'}",
                                       profiles.get(secret.get("profile") or "default"))]
    for name in dict.fromkeys(defaults):
        layers.append((f"the server's default profile {name}", profiles.get(name)))
    for where, layer in layers:
        if layer is None:
            continue
        ip = parse_ip(layer.get("remote-address"))
        if ip is not None:
            return ip, where, layer
    return None


@rule("PPP001", "secret-service-not-served", area="ppp", severity=Severity.WARNING,
      summary="A PPP secret limited to a service no server of this router runs, while other PPP servers run")
def secret_service_not_served(ctx):
    device = ctx.device
    running = {service for service, menu in SERVERS.items() if _running(device, menu)}
    if not running:
        return  # no PPP server here: the secrets are for RADIUS export, a client, or a router set up elsewhere
    export = defined_names(ctx).export
    for item in device.items(SECRET):
        service = item.get("service") or "any"
        if item.disabled or service == "any" or service in running or service not in SERVERS:
            continue
        if not export and not device.items(SERVERS[service]):
            continue  # a script that does not set that server up relies on the router's
        yield ctx.finding(
            item.node("service"),
            f"PPP secret {item.get('name') or ''} is limited to service={service}, but this router runs no "
            f"{service} server (it runs {', '.join(sorted(running))}): nobody can log in with it".replace("  ", " "),
            notes=[
                "A secret's service lists the PPP servers that accept it (help.mikrotik.com: PPP AAA); a client "
                "of another server is refused even with the right password.",
            ],
            fix=f"set service={sorted(running)[0] if len(running) == 1 else 'any'} (or enable the {service} server)",
        )


@rule("PPP002", "duplicate-remote-address", area="ppp", severity=Severity.ERROR,
      summary="Two PPP secrets whose sessions get the same fixed remote address")
def duplicate_remote_address(ctx):
    device = ctx.device
    profiles = _profiles(device)
    defaults = default_profiles(device)
    seen: dict = {}
    for item in device.items(SECRET):
        if item.disabled:
            continue
        found = effective_remote(item, profiles, defaults)
        if found is None:
            continue
        ip, where, layer = found
        first = seen.setdefault(ip, (item, where))
        if first[0] is item:
            continue
        other, other_where = first
        from_profile = layer is not item
        yield ctx.finding(
            item.node("remote-address") if not from_profile else item.node("name"),
            f"PPP secret {item.get('name') or ''} gets remote-address {ip} (from {where}), like secret "
            f"{other.get('name') or ''} (line {line_of(ctx, other.node())}, from {other_where}): both sessions "
            "cannot be up at once".replace("  ", " "),
            notes=[
                "A fixed remote-address is the address the client gets; two sessions with the same address "
                "collide: the second client's session has an address that is already in use, and traffic for it "
                "goes to whichever session RouterOS routes it to.",
            ] + ([f"The address comes from {where}, which several secrets share: give the profile a pool "
                  "instead (help.mikrotik.com: PPP AAA: a single address always wins over a pool)."]
                 if from_profile else []),
            fix="give each secret its own remote-address, or leave it to a pool",
        )


@rule("PPP003", "remote-address-is-router-address", area="ppp", severity=Severity.ERROR,
      summary="A PPP secret or profile hands out the router's own address, or its local-address, as remote-address")
def remote_address_is_router_address(ctx):
    device = ctx.device
    own = {a.ip: a for a in ctx.facts.router_addresses}
    for menu in (SECRET, PROFILE):
        for item in device.items(menu):
            remote = parse_ip(item.get("remote-address"))
            if item.disabled or remote is None:
                continue
            local = parse_ip(item.get("local-address"))
            what = "secret" if menu == SECRET else "profile"
            if local is not None and local == remote:
                message = (f"PPP {what} {item.get('name') or ''} has the same address {remote} as local-address "
                           "and remote-address: both ends of the session would have one address").replace("  ", " ")
            elif remote in own:
                fact = own[remote]
                message = (f"PPP {what} {item.get('name') or ''} hands out {remote} as remote-address, but it is this "
                           f"router's own address on {fact.interface} (line {line_of(ctx, fact.item.node())})"
                           ).replace("  ", " ")
            else:
                continue
            yield ctx.finding(
                item.node("remote-address"),
                message,
                notes=[
                    "remote-address is the client's end of the session and local-address the router's "
                    "(help.mikrotik.com: PPP AAA); an address the router already has cannot be the client's: "
                    "the session's /32 route to the client collides with the router's own address.",
                ],
                fix="use a free address of the PPP range (or a pool) for remote-address",
            )
