"""The routes of one lab device before resolution: connected networks of its
addresses on interfaces that are up, the dynamic routes of its PPPoE
sessions and DHCP leases, and its static routes, in the order /ip route print
shows them (dynamic first).  Connected routes have scope 10 and look nothing
up (help.mikrotik.com: Routing Decision)."""

from __future__ import annotations

import ipaddress

from rosc.lab.tables import DEFAULT, SimRoute
from rosc.model.facts import RouteFact, parse_ip, parse_network, split_list, to_int


def device_routes(device, dev: str, sessions, exists) -> list[SimRoute]:
    """Every route of the lab device ``device`` (named ``dev``), unresolved;
    ``exists`` says whether an interface is up."""
    routes: list[SimRoute] = []
    for a in device.facts.addresses:
        if a.iface.version != 4 or not exists(a.interface):
            continue
        peer = parse_ip(a.item.get("network"))
        if a.network.prefixlen == 32 and peer is not None and peer != a.ip:
            dst = ipaddress.ip_network(f"{peer}/32")
        else:
            dst = a.network
        routes.append(SimRoute(RouteFact(dst, [a.interface], 0, 10, 10, "connected", a.item, a.interface), "connected"))
    for s in sessions.pppoe:
        if s.client.device == dev:
            if s.local is not None and s.remote is not None:
                dst = ipaddress.ip_network(f"{s.local}/32")
                routes.append(
                    SimRoute(
                        RouteFact(dst, [s.client.name], 0, 10, 10, "connected", s.client.item, s.client.name,
                                  note=f"PPPoE session to {s.server.device}"),
                        "connected",
                    )
                )
            if s.client.add_default_route:
                routes.append(
                    SimRoute(
                        RouteFact(DEFAULT, [s.client.name], s.client.distance, 30, 10, "dynamic", s.client.item,
                                  s.client.name, note=f"added by PPPoE client {s.client.name}"),
                        "pppoe",
                    )
                )
        if s.server.device == dev and s.remote is not None and s.local is not None:
            dst = ipaddress.ip_network(f"{s.remote}/32")
            routes.append(
                SimRoute(
                    RouteFact(dst, [s.server_interface], 0, 10, 10, "connected", s.secret, s.server_interface,
                              note=f"PPPoE session of {s.client.device}"),
                    "connected",
                )
            )
    for lease in sessions.dhcp:
        if lease.device != dev or not exists(lease.interface):
            continue
        if lease.network is not None and lease.address is not None:
            routes.append(
                SimRoute(
                    RouteFact(lease.network, [lease.interface], 0, 10, 10, "connected", lease.item, lease.interface,
                              note=f"DHCP lease from {lease.server_device}"),
                    "connected",
                )
            )
        if lease.add_default_route and (lease.uplink is not None or lease.gateway is not None):
            gateways = [str(lease.gateway)] if lease.gateway is not None else []
            routes.append(
                SimRoute(
                    RouteFact(DEFAULT, gateways, lease.distance, 30, 10, "dynamic", lease.item, lease.interface,
                              note=f"added by the DHCP client on {lease.interface}"),
                    "dhcp",
                )
            )
    for item in device.device.items("/ip route"):
        dst = parse_network(item.get("dst-address", "0.0.0.0/0"))
        if dst is None or dst.version != 4:
            continue
        gateways = split_list(item.get("gateway"))
        kind = (item.get("type") or "").lower()
        if kind in ("blackhole", "unreachable", "prohibit"):
            gateways = []
        routes.append(
            SimRoute(
                RouteFact(
                    dst, gateways, to_int(item.get("distance"), 1), to_int(item.get("scope"), 30),
                    to_int(item.get("target-scope"), 10), "static", item,
                    check_gateway=item.get("check-gateway"),
                    table=item.get("routing-table") or item.get("routing-mark") or "main",
                    disabled=item.disabled,
                ),
                "static",
            )
        )
    return routes
