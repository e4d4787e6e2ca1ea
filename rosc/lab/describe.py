"""Routes, hops and paths of the simulation in words, for `rosc route`, `rosc routes`
and REPORT.md."""

from __future__ import annotations

from rosc.lab.paths import Hop, Path
from rosc.lab.tables import SimRoute
from rosc.model.nexthop import GatewayResolution


def _route_text(r: SimRoute) -> str:
    f = r.fact
    via = ",".join(f.gateways) if f.gateways else (f.interface or "")
    what = "connected route" if r.origin == "connected" else "dynamic route" if r.dynamic else "route"
    text = f"{what} {f.dst}" + (f" via {via}" if via else "")
    return text if r.origin == "connected" else f"{text} (distance {f.distance})"


def route_text(r: SimRoute) -> str:
    return _route_text(r)


def route_status(r: SimRoute) -> str:
    f = r.fact
    if f.disabled and not r.failed:
        return "disabled"
    res = r.resolution
    if r.failed and (res is None or not res.resolved):
        return "; ".join(f"gateway {gw}: {why}" for gw, why in r.failed.items())
    if res is None:
        return "not resolved"
    if not res.resolved:
        reasons = []
        for gw in res.gateways:
            if gw.ok:
                continue
            reasons.append(f"gateway {gw.text} does not resolve ({_why(gw)})")
        if not reasons and f.interface:
            reasons.append(f"{f.interface} is down")
        return "; ".join(reasons) or "its gateway does not resolve"
    if not res.active:
        return "a route with a smaller distance is active"
    notes = [f"gateway {gw}: {why}" for gw, why in r.failed.items()]
    return "active" + (f" ({'; '.join(notes)})" if notes else "")


def _why(gw: GatewayResolution) -> str:
    from rosc.model import nexthop as rr

    return {
        rr.NO_ROUTE: "no route contains it",
        rr.SCOPE: "the route that contains it has a scope above this route's target-scope",
        rr.SELF: "only this route contains it",
        rr.LOOP: "the routes it needs need this route again",
        rr.VIA_INACTIVE: "the route it needs is not resolved",
        rr.UNKNOWN_INTERFACE: "the interface is down or does not exist",
        rr.DISABLED: "disabled",
    }.get(gw.reason, gw.reason)


def flags(r: SimRoute) -> str:
    """The flags /ip route print shows (RouterOS 7)."""
    out = ""
    if r.dynamic:
        out += "D"
    if r.fact.disabled and not r.failed:
        out += "X"
    elif r.active:
        out += "A"
    else:
        out += "I"
    out += {"connected": "c", "static": "s", "pppoe": "v", "dhcp": "d"}.get(r.origin, "")
    if r.active and r.ecmp:
        out += "+"
    return out


def gateway_text(r: SimRoute) -> str:
    f = r.fact
    if f.gateways:
        return ",".join(f.gateways)
    if r.origin == "dhcp":
        return f"the DHCP gateway on {f.interface}"
    return f.interface or ""


def immediate_text(r: SimRoute) -> str:
    """The immediate gateway column: ADDRESS%INTERFACE, or INTERFACE."""
    parts = []
    for iface, gw in r.next_hops():
        parts.append(f"{gw}%{iface}" if gw is not None else (iface or ""))
    if not parts and r.origin == "connected" and r.resolved:
        parts.append(r.fact.interface or "")
    return ",".join(parts)


def hop_text(hop: Hop) -> str:
    """``in ether3; route 0.0.0.0/0 via 123.1.1.5 (distance 1) → out ether1 ...``"""
    parts = []
    if hop.in_interface:
        parts.append(f"in {hop.in_interface}")
    r = hop.route
    if r is not None:
        desc = f"{r.fact.dst} via {gateway_text(r)}" if r.origin != "connected" else f"{r.fact.dst} connected"
        if r.origin in ("pppoe", "dhcp"):
            desc = "dynamic " + desc
        if r.origin != "connected":
            desc += f", distance {r.fact.distance}"
        recursive = [g for g in (r.resolution.gateways if r.resolution else []) if g.ok and g.via is not None and g.via.kind != "connected"]
        if recursive:
            g = recursive[0]
            desc += f", {g.address} resolved through {g.via.dst}"
        parts.append(f"route {desc}")
    if hop.out_interface:
        out = f"→ out {hop.out_interface}"
        if hop.gateway is not None:
            out += f" to {hop.gateway}"
        parts.append(out)
    text = "; ".join(parts[:-1]) + (" " if len(parts) > 1 else "") + parts[-1] if parts else ""
    if hop.notes:
        text += " (" + "; ".join(hop.notes) + ")"
    return text


def outcome_text(path: Path) -> str:
    if path.outcome == "internet":
        return f"reaches the internet: {path.reason}"
    if path.outcome == "delivered":
        return f"delivered to {path.end_device} ({path.end_interface})"
    if path.outcome == "lan":
        return f"delivered {path.reason}"
    if path.outcome == "loop":
        return f"dropped: {path.reason}"
    return f"dropped at {path.end_device}: {path.reason}"
