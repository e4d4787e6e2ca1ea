"""Benchmark: what `rosc lint` of a small file costs as a whole process,
against another checkout of rosc (the start-up cost of loading the
vocabulary is most of it).

    python bench/startup.py --base ../main [FILE...] [--runs N]

Runs `python -m rosc.cli.main lint FILE` from this checkout (A) and from
--base (B) in turn, A B A B ..., after one warm-up run each (which also
writes the bytecode caches), and prints the median CPU seconds (user + sys,
from the operating system's accounting of each finished child) of each and
the median of the per-pair ratios A/B, so a machine whose speed drifts
still gives a fair comparison.  Without FILE it measures two inputs of
its own: a two-line file and a typical home-router export of 60 lines with
an export header (so the version checks run too).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

SMALL = "/ip address\nadd address=192.168.1.1/24 interface=ether1\n"

EXPORT = """\
# 2024-11-05 09:00:00 by RouterOS 7.16.2
# software id = ABCD-1234
# model = RB5009UG+S+
/interface bridge
add admin-mac=48:A9:8A:00:00:10 auto-mac=no comment=defconf name=bridge vlan-filtering=yes
/interface vlan
add interface=bridge name=vlan20 vlan-id=20
/interface wireguard
add listen-port=13231 mtu=1420 name=wg0
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip pool
add name=lan ranges=192.168.88.10-192.168.88.254
add name=guests ranges=192.168.20.10-192.168.20.254
/ip dhcp-server
add address-pool=lan interface=bridge lease-time=30m name=lan
add address-pool=guests interface=vlan20 name=guests
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=ether3
add bridge=bridge comment=defconf interface=ether4
/interface bridge vlan
add bridge=bridge tagged=bridge,ether2 vlan-ids=20
/interface list member
add comment=defconf interface=bridge list=LAN
add interface=vlan20 list=LAN
add comment=defconf interface=ether1 list=WAN
/interface wireguard peers
add allowed-address=10.9.0.2/32 interface=wg0 name=laptop public-key="uK1b1mYKx1+jMQ4PZ5ycuBSHXt1YPxd6I0WV0uH1jEY="
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge
add address=192.168.20.1/24 interface=vlan20
add address=10.9.0.1/24 interface=wg0
/ip dhcp-client
add comment=defconf interface=ether1
/ip dhcp-server network
add address=192.168.20.0/24 dns-server=192.168.20.1 gateway=192.168.20.1
add address=192.168.88.0/24 comment=defconf dns-server=192.168.88.1 gateway=192.168.88.1
/ip dns
set allow-remote-requests=yes servers=9.9.9.9
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=accept chain=input dst-port=13231 protocol=udp
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=fasttrack-connection chain=forward connection-state=established,related hw-offload=yes
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-state=invalid
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
/ip service
set telnet disabled=yes
set ftp disabled=yes
set api disabled=yes
/system clock
set time-zone-name=Europe/Riga
/system identity
set name=gw
/system ntp client
set enabled=yes
/system ntp client servers
add address=pool.ntp.org
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
"""


def _cpu_of_one(checkout: Path, file: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed rosc runs: with bytecode caches
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "rosc.cli.main", "lint", file], env=env, cwd=checkout,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--base", type=Path, required=True, help="the other checkout (its folder holds rosc/)")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    files = args.files
    if not files:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="rosc-startup-"))
        (folder / "small.rsc").write_text(SMALL)
        (folder / "export.rsc").write_text(EXPORT)
        files = [str(folder / "small.rsc"), str(folder / "export.rsc")]
    for file in files:
        file = str(Path(file).resolve())
        _cpu_of_one(HERE, file), _cpu_of_one(args.base, file)  # warm-up
        a, b = [], []
        for _ in range(args.runs):
            a.append(_cpu_of_one(HERE, file))
            b.append(_cpu_of_one(args.base, file))
        ratio = statistics.median(x / y for x, y in zip(a, b))
        print(f"{Path(file).name}: this checkout {statistics.median(a) * 1000:.0f} ms, "
              f"base {statistics.median(b) * 1000:.0f} ms CPU (medians of {args.runs}); "
              f"A/B {ratio:.3f}, difference {(statistics.median(a) - statistics.median(b)) * 1000:+.0f} ms")


if __name__ == "__main__":
    main()
