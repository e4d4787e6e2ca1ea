"""Generate one big, realistic device for the scaling benchmark
(``bench/scale.py``): a router with many VLANs, each with its address, DHCP
server, pool, leases, firewall rules, address-list entries and routes, in
the order ``/export`` writes them; and change scripts of ``set [find ...]``
and ``remove [find ...]`` commands against it."""

from __future__ import annotations

import random

PER_VLAN = 40  # about this many commands per VLAN (see ``generate_device``)
VLANS_PER_BRIDGE = 4000  # VLAN ids are unique per parent interface


def _subnet(i: int) -> str:
    return f"10.{(i >> 8) & 255}.{i & 255}"


def _mac(i: int, j: int) -> str:
    v = (i << 5) | j
    return "02:00:" + ":".join(f"{(v >> s) & 255:02X}" for s in (24, 16, 8, 0))


def generate_device(commands: int = 100_000, seed: int = 11) -> str:
    """About ``commands`` commands: per VLAN, one VLAN interface, bridge VLAN,
    list member, pool, DHCP server and network, address (7), 10 static
    leases, 8 address-list entries, 8 filter rules, 2 NAT rules and 5 routes
    (33), plus a header of bridges, ports and interface lists."""
    rnd = random.Random(seed)
    vlans = max(1, commands // PER_VLAN)
    bridges = (vlans + VLANS_PER_BRIDGE - 1) // VLANS_PER_BRIDGE
    out = ["# 2026-12-02 12:00:00 by RouterOS 7.16", "# software id = SCALE-0001", "#", "# model = CCR2004-16G-2S+"]

    def section(menu: str) -> None:
        out.append(menu)

    def vlan_name(i: int) -> str:
        return f"vlan{i}"

    section("/interface bridge")
    for b in range(bridges):
        out.append(f"add name=bridge{b + 1} vlan-filtering=yes")
    section("/interface ethernet")
    out.append("set [ find default-name=ether1 ] comment=WAN")
    for p in range(2, 2 + bridges):
        out.append(f"set [ find default-name=ether{p} ] comment=\"trunk {p - 1}\" mtu=1500")
    section("/interface vlan")
    for i in range(vlans):
        out.append(f"add interface=bridge{i // VLANS_PER_BRIDGE + 1} name={vlan_name(i)} vlan-id={i % VLANS_PER_BRIDGE + 2}")
    section("/interface list")
    out.append("add name=WAN")
    out.append("add name=LAN")
    section("/ip pool")
    for i in range(vlans):
        out.append(f"add name=pool-{vlan_name(i)} ranges={_subnet(i)}.100-{_subnet(i)}.199")
    section("/ip dhcp-server")
    for i in range(vlans):
        out.append(f"add address-pool=pool-{vlan_name(i)} interface={vlan_name(i)} lease-time=1d name=dhcp-{vlan_name(i)}")
    section("/interface bridge port")
    for b in range(bridges):
        out.append(f"add bridge=bridge{b + 1} interface=ether{b + 2}")
    section("/interface bridge vlan")
    for i in range(vlans):
        b = i // VLANS_PER_BRIDGE + 1
        out.append(f"add bridge=bridge{b} tagged=bridge{b},ether{b + 1} vlan-ids={i % VLANS_PER_BRIDGE + 2}")
    section("/interface list member")
    out.append("add interface=ether1 list=WAN")
    for i in range(vlans):
        out.append(f"add interface={vlan_name(i)} list=LAN")
    section("/ip address")
    for i in range(vlans):
        out.append(f"add address={_subnet(i)}.1/24 interface={vlan_name(i)} network={_subnet(i)}.0")
    section("/ip dhcp-client")
    out.append("add interface=ether1")
    section("/ip dhcp-server lease")
    for i in range(vlans):
        for j in range(10):
            out.append(
                f"add address={_subnet(i)}.{10 + j} comment=\"host {j} of {vlan_name(i)}\" "
                f"mac-address={_mac(i, j)} server=dhcp-{vlan_name(i)}"
            )
    section("/ip dhcp-server network")
    for i in range(vlans):
        out.append(f"add address={_subnet(i)}.0/24 dns-server={_subnet(i)}.1 gateway={_subnet(i)}.1")
    section("/ip firewall address-list")
    for i in range(vlans):
        for j in range(8):
            a, b = rnd.randrange(1, 224), rnd.randrange(256)
            out.append(f"add address={a}.{b}.{(i * 8 + j) & 255}.0/24 comment=\"block {i}-{j}\" list=blocked-{i % 64}")
    section("/ip firewall filter")
    out.append("add action=accept chain=input connection-state=established,related")
    for i in range(vlans):
        sub = f"{_subnet(i)}.0/24"
        out.append(f"add action=drop chain=forward dst-address-list=blocked-{i % 64} src-address={sub}")
        for j in range(6):
            port = 1000 + (i * 6 + j) % 60000
            out.append(
                f"add action=accept chain=forward comment=\"{vlan_name(i)} service {j}\" dst-address={sub} "
                f"dst-port={port} protocol={'tcp' if j % 2 else 'udp'}"
            )
        out.append(f"add action=drop chain=forward in-interface={vlan_name(i)} out-interface-list=LAN")
    section("/ip firewall nat")
    for i in range(vlans):
        sub = f"{_subnet(i)}.0/24"
        out.append(f"add action=masquerade chain=srcnat out-interface-list=WAN src-address={sub}")
        out.append(
            f"add action=dst-nat chain=dstnat dst-port={2000 + i % 60000} in-interface-list=WAN protocol=tcp "
            f"to-addresses={_subnet(i)}.10 to-ports=22"
        )
    section("/ip route")
    for i in range(vlans):
        for j in range(5):
            r = i * 5 + j
            out.append(
                f"add comment=\"site {r}\" distance={1 + j} dst-address={100 + (r >> 16)}.{(r >> 8) & 255}.{r & 255}.0/24 "
                f"gateway={_subnet(i)}.254"
            )
    section("/system identity")
    out.append("set name=scale-router")
    return "\n".join(out) + "\n"


def generate_changes(changes: int, seed: int = 5) -> str:
    """A device of about ``changes`` commands followed by ``changes``
    commands that select items with ``[ find ... ]``: by name, default-name,
    interface, address, comment and ``where`` clauses, setting and removing
    (what a diff-to-change-script tool writes)."""
    rnd = random.Random(seed)
    vlans = max(1, changes // PER_VLAN)
    base = generate_device(changes, seed)
    out = [base.rstrip("\n")]
    kinds = ("vlan", "address", "lease", "lease-remove", "filter", "list-remove", "ethernet", "where")
    for n in range(changes):
        i = rnd.randrange(vlans)
        kind = kinds[n % len(kinds)]
        if kind == "vlan":
            out.append(f"/interface vlan set [ find name=vlan{i} ] comment=\"changed {n}\"")
        elif kind == "address":
            out.append(f"/ip address set [ find interface=vlan{i} ] comment=\"gateway of vlan{i}\"")
        elif kind == "lease":
            out.append(f"/ip dhcp-server lease set [ find address={_subnet(i)}.{10 + rnd.randrange(10)} ] comment=\"moved {n}\"")
        elif kind == "lease-remove":
            out.append(f"/ip dhcp-server lease remove [ find mac-address={_mac(i, rnd.randrange(10))} ]")
        elif kind == "filter":
            out.append(f"/ip firewall filter set [ find comment=\"vlan{i} service {rnd.randrange(6)}\" ] disabled=yes")
        elif kind == "list-remove":
            out.append(f"/ip firewall address-list remove [ find comment=\"block {i}-{rnd.randrange(8)}\" ]")
        elif kind == "ethernet":
            out.append(f"/interface ethernet set [ find default-name=ether1 ] comment=\"WAN {n}\"")
        else:
            out.append(f"/ip route set [ find where gateway={_subnet(i)}.254 distance={1 + rnd.randrange(5)} ] disabled=no")
    return "\n".join(out) + "\n"
