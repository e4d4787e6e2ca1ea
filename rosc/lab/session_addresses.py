"""Where the addresses of PPP sessions and DHCP leases come from: IP pools
(with ``next-pool``) of the serving device, and the PPP settings composed from
a secret and its profiles (help.mikrotik.com: IP Pools; PPP AAA)."""

from __future__ import annotations

import ipaddress

from rosc.lab.topology import LabDevice
from rosc.model.device import Item
from rosc.model.facts import parse_ip, split_list

AUTH_METHODS = ("mschap2", "mschap1", "chap", "pap")  # the default of a server's authentication and a client's allow


def pools_of(device: LabDevice) -> dict[str, tuple[list[tuple[int, int]], str | None]]:
    out = {}
    for name, pool in device.facts.pools.items():
        out[name] = ([(int(a), int(b)) for a, b in pool.ranges], pool.item.get("next-pool"))
    return out


def pool_size(device: LabDevice, name: str) -> int:
    pools = pools_of(device)
    seen: set[str] = set()
    total = 0
    while name and name in pools and name not in seen:
        seen.add(name)
        ranges, nxt = pools[name]
        total += sum(hi - lo + 1 for lo, hi in ranges if hi >= lo)
        name = nxt
    return total


def pool_contains(device: LabDevice, name: str, ip) -> bool:
    pools = pools_of(device)
    seen: set[str] = set()
    value = int(ip)
    while name and name in pools and name not in seen:
        seen.add(name)
        ranges, nxt = pools[name]
        if any(lo <= value <= hi for lo, hi in ranges):
            return True
        name = nxt
    return False


def next_free(device: LabDevice, pool: str, taken: set[int]):
    pools = pools_of(device)
    seen: set[str] = set()
    name = pool
    while name and name in pools and name not in seen:
        seen.add(name)
        ranges, nxt = pools[name]
        for lo, hi in reversed(ranges):
            for value in range(hi, lo - 1, -1):
                if value not in taken:
                    return ipaddress.IPv4Address(value)
                if hi - value > 65536:
                    break
        name = nxt
    return None


def methods(text: str | None) -> tuple[str, ...]:
    return tuple(split_list(text)) if text else AUTH_METHODS


def session_address(layers: list[Item | None], key: str, device: LabDevice):
    """(address, pool) of a session end from the secret, its profile and the
    server's default profile, in that priority: a single address anywhere
    wins over a pool (help.mikrotik.com: PPP AAA)."""
    values = [layer.get(key) for layer in layers if layer is not None]
    for v in values:
        ip = parse_ip(v)
        if ip is not None and ip.version == 4:
            return ip, None
    for v in values:
        if v and v in device.facts.pools:
            return None, v
    return None, None
