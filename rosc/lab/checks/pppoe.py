"""Lab checks on PPPoE and DHCP between devices: a server reachable over the cabled segment,
service names, user and password against the server's secrets, shared secrets, pool sizes,
DHCP clients with no server."""

from __future__ import annotations

import difflib

from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.lab.checks.common import (
    AAA_DOC,
    PPPOE_DOC,
    client_label,
    item_line,
    which_run,
)
from rosc.lab.session_addresses import pool_size
from rosc.lab.sessions import PppoeSession
from rosc.model.facts import parse_ip


def _failures(ctx, reasons):
    for failure in ctx.sessions.pppoe_failures:
        if failure.reason in reasons:
            yield failure


@rule(
    "LAB010", "pppoe-no-server", area="lab", severity=Severity.ERROR, scope="lab",
    summary="A PPPoE client reaches no PPPoE server over its segment",
)
def pppoe_no_server(ctx):
    topo = ctx.topology
    for failure in _failures(ctx, {"no-server"}):
        client = failure.client
        dev = ctx.devices[client.device]
        seg = topo.segment_of(client.device, client.interface)
        servers = ", ".join(f"{s.device} ({s.interface})" for s in ctx.sessions.servers) or "none in the lab"
        if seg is None:
            where = f"{client.interface} is down or is not an Ethernet interface"
        else:
            others = [d for d in seg.devices() if d != client.device]
            cable = ctx.lab.manifest.cable_of((client.device, client.interface))
            if others:
                where = f"{client.interface} reaches {which_run(others)} no PPPoE server there"
            elif cable is None:
                where = f"{client.interface} has no cable in lab.toml"
            else:
                where = f"nothing behind {client.interface} runs a PPPoE server"
        yield ctx.finding(
            dev,
            client.item.node("interface"),
            f"{client_label(client)} reaches no PPPoE server: {where}",
            notes=[
                "A PPPoE client finds its server by broadcast (PADI) on the Ethernet segment of its interface; "
                "only a server whose interface is on the same segment (directly, or through bridges) answers "
                f"({PPPOE_DOC}).",
                f"PPPoE servers in the lab: {servers}.",
            ],
            fix="cable the client's port to a port of the server's segment (or put the client on the right port)",
        )


@rule(
    "LAB011", "pppoe-service-name-mismatch", area="lab", severity=Severity.ERROR, scope="lab",
    summary="A PPPoE client asks for a service name no server on its segment offers",
)
def pppoe_service_name_mismatch(ctx):
    for failure in _failures(ctx, {"service-name"}):
        client = failure.client
        offers = sorted({s.service for s in failure.servers if s.service})
        offered = ", ".join(f"{s.device} offers {s.service!r}" for s in failure.servers)
        close = difflib.get_close_matches(client.service, offers, n=1)
        yield ctx.finding(
            client.device,
            client.item.node("service-name"),
            f"{client_label(client)} asks for service {client.service!r}, but no PPPoE server it reaches offers it "
            f"({offered})",
            notes=[
                "A server answers a PADI whose service-name matches its own, or that carries none; so a client "
                "with a service-name finds only servers that offer exactly that name (a server without a "
                f"service-name does not answer it), and a client with none takes any server ({PPPOE_DOC}).",
            ],
            fix=f"set service-name={close[0] if close else (offers[0] if offers else '')}"
            + (" (or remove service-name to accept any server)"),
        )


@rule(
    "LAB012", "pppoe-authentication-fails", area="lab", severity=Severity.ERROR, scope="lab",
    summary="A PPPoE client's login fails: no common authentication method, an unknown user, the password",
)
def pppoe_authentication_fails(ctx):
    for failure in _failures(ctx, {"unknown-user", "wrong-password", "service-not-allowed", "secret-disabled",
                                   "no-common-auth"}):
        client = failure.client
        servers = failure.servers
        names = ", ".join(dict.fromkeys(s.device for s in servers))
        if failure.reason == "no-common-auth":
            offered = ", ".join(f"{s.device}: authentication={','.join(s.authentication)}" for s in servers)
            yield ctx.finding(
                client.device,
                client.item.node("allow") if client.item.arg("allow") is not None else client.item.node("user"),
                f"{client_label(client)} allows {','.join(client.allow)}, which no PPPoE server it reaches "
                f"accepts ({offered}): the login never starts",
                notes=[
                    "The server's authentication and the client's allow list the methods each side accepts "
                    "(default: mschap2, mschap1, chap, pap); LCP must agree on one of them before any user or "
                    f"password is checked ({PPPOE_DOC}: Authentication (CHAP/PAP) stage; {AAA_DOC}).",
                ],
                fix="give both sides a common method: add it to the client's allow or to the server's "
                "authentication (prefer mschap2 or chap over pap)",
            )
            continue
        if failure.reason == "unknown-user":
            known = []
            for s in servers:
                known += [i.get("name") for i in ctx.devices[s.device].device.items("/ppp secret") if i.get("name")]
            close = difflib.get_close_matches(client.user, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            yield ctx.finding(
                client.device,
                client.item.node("user"),
                f"{client_label(client)} logs in as {client.user!r}, which is no PPP secret on {names}{hint}: "
                "authentication fails",
                notes=[
                    "The server looks the user up among its /ppp secret entries (or RADIUS, which the lab does "
                    f"not model); an unknown user is refused ({AAA_DOC}).",
                ],
                fix=f"use a user that has a secret on {names}, or add `/ppp secret add name={client.user} "
                "service=pppoe ...` there",
            )
            continue
        secret, where = failure.secret, failure.secret_device
        line = item_line(ctx, where, secret)
        ref = f"the secret {client.user} on {where} ({ctx.devices[where].file} line {line})"
        if failure.reason == "wrong-password":
            yield ctx.finding(
                client.device,
                client.item.node("password") if client.item.arg("password") else client.item.node("user"),
                f"the password of {client_label(client)} does not match {ref}: authentication fails",
                notes=["rosc compares the two passwords and never prints them."],
                fix=f"set the password of {client.name} to the one of the secret (or change the secret)",
            )
        elif failure.reason == "service-not-allowed":
            yield ctx.finding(
                client.device,
                client.item.node("user"),
                f"{ref} allows service={secret.get('service')} only: the PPPoE login of {client.name} is refused",
                notes=[f"A secret's `service` limits which PPP servers accept it; the default is `any` ({AAA_DOC})."],
                fix=f"set service=pppoe (or any) on the secret {client.user} on {where}",
            )
        else:
            yield ctx.finding(
                client.device,
                client.item.node("user"),
                f"{ref} is disabled: the PPPoE login of {client.name} is refused",
                fix=f"enable the secret {client.user} on {where}",
            )


@rule(
    "LAB013", "pppoe-shared-secret", area="lab", severity=Severity.WARNING, scope="lab",
    summary="Two PPPoE clients of the lab log in with the same secret",
)
def pppoe_shared_secret(ctx):
    by_secret: dict[int, list[PppoeSession]] = {}
    for session in ctx.sessions.pppoe:
        by_secret.setdefault(id(session.secret), []).append(session)
    for sessions in by_secret.values():
        if len(sessions) < 2:
            continue
        first = sessions[0]
        for other in sessions[1:]:
            client = other.client
            profile = other.profile
            only_one = profile is not None and profile.get("only-one") == "yes"
            fixed = parse_ip(other.secret.get("remote-address"))
            notes = ["Each customer normally has its own secret: the server cannot tell the two apart, accounting "
                     "and limits are shared, and changing the password cuts both."]
            if only_one:
                consequence = f"profile {other.profile_name} has only-one=yes, so the second session is refused"
            elif fixed is not None:
                consequence = f"both would get the secret's remote-address {fixed}, so one of them loses it"
            else:
                consequence = "both sessions come up, but nothing tells them apart"
            yield ctx.finding(
                client.device,
                client.item.node("user"),
                f"{client_label(client)} logs in as {client.user}, like {first.client.device}'s "
                f"{first.client.name}: {consequence}",
                notes=notes,
                fix=f"add a secret of its own for {client.device} on {other.server.device} and use it here",
            )


@rule(
    "LAB014", "pool-too-small", area="lab", severity=Severity.WARNING, scope="lab",
    summary="A pool has fewer addresses than the lab's clients that draw from it",
)
def pool_too_small(ctx):
    for (server, pool), users in ctx.sessions.pool_users.items():
        device = ctx.devices[server]
        size = pool_size(device, pool)
        if len(users) <= size:
            continue
        names = []
        for u in users:
            if isinstance(u, PppoeSession):
                names.append(f"{u.client.device} ({u.client.name})")
            else:
                names.append(f"{u.device} (DHCP on {u.interface})")
        fact = device.facts.pools.get(pool)
        node = fact.item.node("ranges") if fact is not None else None
        left = [n for n, u in zip(names, users) if (getattr(u, "remote", None) or getattr(u, "address", None)) is None]
        yield ctx.finding(
            device,
            node,
            f"pool {pool} on {server} has {size} address{'es' if size != 1 else ''}, but {len(users)} clients of the lab "
            f"draw from it: {', '.join(names)}",
            notes=[f"The last to connect gets no address; here: {', '.join(left)}."] if left else [],
            fix=f"widen the ranges of {pool} (or give it a next-pool)",
        )


@rule(
    "LAB015", "dhcp-no-server", area="lab", severity=Severity.WARNING, scope="lab",
    summary="A DHCP client finds no DHCP server (nor an uplink) on its segment",
)
def dhcp_no_server(ctx):
    for failure in ctx.sessions.dhcp_failures:
        dev = ctx.devices[failure.device]
        if failure.reason == "static-only":
            message = f"the DHCP server that answers the DHCP client on {failure.interface} has no address-pool: it leases nothing"
        else:
            seg = ctx.topology.segment_of(failure.device, failure.interface)
            others = [d for d in seg.devices() if d != failure.device] if seg is not None else []
            where = f"it reaches {which_run(others)} no DHCP server there" if others else (
                f"{failure.interface} has no cable in lab.toml and is no uplink"
            )
            message = f"the DHCP client on {failure.interface} gets no address: {where}"
        yield ctx.finding(
            dev,
            failure.item.node("interface"),
            message,
            notes=["Mark a port that leads out of the lab (to a provider's DHCP server) in [uplinks] of lab.toml."],
            fix="cable the port to the DHCP server's segment, declare it an uplink, or disable the DHCP client",
        )
