"""Generate a large export of one router that uses many menus (the "mixed
export" of the benchmarks), beside the firewall-heavy ``generate.py`` one.

Each block is one customer site: a VLAN on the bridge, its address, pool,
DHCP server and network, a static lease, a WireGuard peer, a route, queue,
DNS entry, address-list entries and firewall filter, NAT and mangle rules
that refer to the names the block defines, plus a scheduler and a script.
"""

from __future__ import annotations

import base64
import random

HEADER = """\
# 2026-11-28 12:00:00 by RouterOS 7.16
# software id = BENCH-0002
# model = CCR2004-16G-2S+
/interface bridge
add name=bridge vlan-filtering=yes
/interface wireguard
add listen-port=13231 mtu=1420 name=wg0
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=bridge list=LAN
/ip address
add address=203.0.113.2/30 interface=ether1
add address=10.250.0.1/15 interface=wg0
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
/ip dns
set allow-remote-requests=yes servers=9.9.9.9
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmp
add action=accept chain=input dst-port=13231 protocol=udp
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
"""

COMMANDS_PER_SITE = 24  # the menu lines between them are not counted


def _site(i: int, rnd: random.Random) -> dict[str, list[str]]:
    vid = 2 + i % 4000
    b, c = (i // 250) % 250, i % 250
    net = f"10.{b}.{c}"
    name = f"site{i}"
    port = rnd.randrange(1024, 65535)
    mac = ":".join(f"{rnd.randrange(256):02X}" for _ in range(6))
    key = base64.b64encode(rnd.randbytes(32)).decode()
    return {
        "/interface vlan": [f"add interface=bridge name=vlan-{name} vlan-id={vid}"],
        "/interface bridge vlan": [f"add bridge=bridge tagged=bridge vlan-ids={vid}"],
        "/interface list member": [f"add interface=vlan-{name} list=LAN"],
        "/interface wireguard peers": [
            f'add allowed-address=10.251.{b}.{c}/32 comment="{name} router" interface=wg0 name=peer-{name} public-key="{key}"'
        ],
        "/ip pool": [f"add name=pool-{name} ranges={net}.100-{net}.199"],
        "/ip address": [f'add address={net}.1/24 comment="{name} gateway" interface=vlan-{name}'],
        "/ip dhcp-server": [f"add address-pool=pool-{name} interface=vlan-{name} lease-time=1h name=dhcp-{name}"],
        "/ip dhcp-server network": [f"add address={net}.0/24 dns-server={net}.1 gateway={net}.1"],
        "/ip dhcp-server lease": [f"add address={net}.50 mac-address={mac} server=dhcp-{name}"],
        "/ip dns static": [f"add address={net}.1 name=gw.{name}.example.net"],
        "/ip route": [f"add dst-address=172.{16 + b % 16}.{c}.0/24 gateway={net}.2"],
        "/ip firewall address-list": [
            f"add address={net}.0/24 list=sites",
            f'add address={net}.10-{net}.20 comment="{name} servers" list=servers-{i % 40}',
        ],
        "/ip firewall filter": [
            f'add action=accept chain=forward comment="{name}: web" connection-state=new dst-address={net}.10 \\\n'
            f"    dst-port=80,443 in-interface-list=WAN protocol=tcp",
            f"add action=accept chain=forward in-interface=vlan-{name} out-interface-list=WAN",
            f"add action=drop chain=forward dst-address-list=servers-{i % 40} src-address={net}.0/24 dst-port={port} protocol=udp",
        ],
        "/ip firewall nat": [
            f'add action=dst-nat chain=dstnat comment="{name}: web" dst-port={port} in-interface-list=WAN protocol=tcp \\\n'
            f"    to-addresses={net}.10 to-ports=443",
        ],
        "/ip firewall mangle": [
            f"add action=mark-connection chain=prerouting in-interface=vlan-{name} new-connection-mark=conn-{name} passthrough=yes",
            f"add action=mark-packet chain=forward connection-mark=conn-{name} new-packet-mark=pkt-{name} passthrough=no",
        ],
        "/queue simple": [f"add max-limit=50M/100M name=q-{name} packet-marks=pkt-{name} target={net}.0/24"],
        "/system script": [
            f'add name=check-{name} source=":local gw \\"{net}.1\\"\\r\\n:if ([/ping \\$gw count=1] = 0) do={{:log warning \\"{name} down\\"}}"'
        ],
        "/system scheduler": [f"add interval=5m name=run-{name} on-event=check-{name}"],
    }


def generate_mixed(commands: int = 100_000, seed: int = 11) -> str:
    """About ``commands`` commands (rounded up to whole sites), grouped by menu
    as ``/export`` writes them."""
    rnd = random.Random(seed)
    sites = max(1, -(-commands // COMMANDS_PER_SITE))
    menus: dict[str, list[str]] = {}
    for i in range(sites):
        for menu, lines in _site(i, rnd).items():
            menus.setdefault(menu, []).extend(lines)
    out = [HEADER.rstrip("\n")]
    for menu, lines in menus.items():
        out.append(menu)
        out.extend(lines)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(generate_mixed(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
