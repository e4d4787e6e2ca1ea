"""The shortcuts the firewall analysis takes at scale must give the answers
of the slow paths they replace: the dotted-quad readers against
``ipaddress``, the LAN index against a scan of every network, and the
probe walk's ``Lanes`` against reading every rule of the chain."""

from __future__ import annotations

import ipaddress
import random
from textwrap import dedent

from rosc.checks.context import DeviceRun
from rosc.checks.firewall_lookup import NetworkIndex, address_set, rules
from rosc.checks.firewall_probe import Packet, match
from rosc.model.builder import build_device
from rosc.model.facts import parse_range
from rosc.model.firewall import policy, values
from rosc.syntax.parser import parse_text

TRICKY = [
    "10.0.0.0/8", "10.0.0.1", "10.0.0.1-10.0.0.9", "10.0.0.9-10.0.0.1", "1.2.3.4/0", "1.2.3.4/32", "1.2.3.4/33",
    "01.2.3.4", "1.2.3.4/024", "1.2.3.4/255.255.0.0", "::1", "fe80::/10", "1.2.3", "1.2.3.4.5", "256.1.1.1",
    "1.2.3.4/", "", "-", "1.2.3.4-", "\uff11.2.3.4", "1.2.3.4/ 8", " 1.2.3.4", "1.2.3.4-::1", "0.0.0.0/0",
    "255.255.255.255", "1.2.3.4/\u00b2",
]


def _texts(count: int = 3000) -> list[str]:
    rnd = random.Random(7)
    out = list(TRICKY)
    for _ in range(count):
        octets = [rnd.choice(["0", "1", "00", "255", "256", "012", str(rnd.randrange(300)), "a", ""])
                  for _ in range(rnd.choice([3, 4, 4, 4, 5]))]
        text = ".".join(octets)
        roll = rnd.random()
        if roll < 0.3:
            text += "/" + rnd.choice(["0", "8", "24", "32", "33", "024", "", "x", str(rnd.randrange(40))])
        elif roll < 0.5:
            text += "-" + ".".join(str(rnd.randrange(256)) for _ in range(4))
        out.append(text)
    return out


def _slow_range(text: str, family: int):
    try:
        if "-" in text:
            lo, _, hi = text.partition("-")
            a, b = ipaddress.ip_address(lo), ipaddress.ip_address(hi)
            if a.version != family or b.version != family or a > b:
                return None
            return int(a), int(b)
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    return (int(net.network_address), int(net.broadcast_address)) if net.version == family else None


def test_address_range_agrees_with_ipaddress():
    for text in _texts():
        for family in (4, 6):
            assert values.address_range(text, family) == _slow_range(text, family), (text, family)


def test_address_set_agrees_with_parse_range():
    for text in _texts():
        rng = parse_range(text) if text else None
        expected = None if rng is None else (rng[0].version, int(rng[0]), int(rng[1]))
        assert address_set(text) == expected, text


def test_ports_refuse_non_ascii_digits():
    assert values.ports("\u00b2") is None and values.ports("80,\u0663") is None
    assert values.ports("80,443").spans == ((80, 80), (443, 443))
    fw = policy(DeviceRun(build_device(parse_text(
        "/ip firewall filter\nadd chain=input action=drop protocol=tcp dst-port=\u00b2\n", "t.rsc"))))
    assert fw.chain("filter", "input").rules[0].dim("dport").known.full  # not read: any port


def test_network_index_finds_the_first_network_that_holds_an_address():
    nets = [ipaddress.ip_network(n) for n in ("10.0.0.0/16", "10.0.1.0/24", "10.0.0.0/8", "192.168.1.0/24",
                                              "10.0.1.0/24", "0.0.0.0/0")]
    lans = [(n, f"if{i}") for i, n in enumerate(nets)]
    index = NetworkIndex(lans)
    rnd = random.Random(3)
    probes = [ipaddress.ip_address(a) for a in ("10.0.1.5", "10.9.9.9", "192.168.1.1", "8.8.8.8", "10.0.0.0")]
    probes += [ipaddress.IPv4Address(rnd.getrandbits(32)) for _ in range(500)]
    for address in probes:
        assert index.first(address) == next(((n, i) for n, i in lans if address in n), None), address
    assert NetworkIndex(lans[:2]).first(ipaddress.ip_address("172.16.0.1")) is None


CHAIN = dedent("""\
    # 2026-12-02 12:00:00 by RouterOS 7.16
    /interface list add name=WAN
    /interface list member add interface=ether1 list=WAN
    /ip firewall filter
    add action=accept chain=forward dst-address=192.168.1.10 dst-port=80,443 protocol=tcp
    add action=accept chain=forward in-interface=vlan10 out-interface-list=WAN
    add action=drop chain=forward dst-port=5000-5003 protocol=udp
    add action=drop chain=forward in-interface=!vlan10 dst-port=22 protocol=tcp
    add action=accept chain=forward dst-address=192.168.1.11 in-interface=ether1
    add action=jump chain=forward in-interface=ether2 jump-target=more
    add action=drop chain=forward in-interface=vlan11 comment=$note
    add action=drop chain=forward in-interface=vlan12 src-address=$peer
    add action=accept chain=forward dst-port=1-100 protocol=tcp
    add action=accept chain=forward connection-state=established,related
    add action=accept chain=more dst-address=192.168.1.12 in-interface=ether2
    add action=drop chain=more
    """)


def test_lanes_leave_out_only_rules_the_walk_would_skip():
    device = build_device(parse_text(CHAIN, "t.rsc"))
    firewall = rules(DeviceRun(device))
    table = firewall.table("/ip firewall filter")
    hosts = [None] + [(4, int(ipaddress.ip_address(a)), int(ipaddress.ip_address(a)))
                      for a in ("192.168.1.10", "192.168.1.11", "192.168.1.12", "10.0.0.1")]
    for chain in ("forward", "more"):
        rows = table.with_hosts(chain)
        for host in hosts:
            for port in (None, 22, 80, 443, 5001, 9999):
                for iface in (None, "ether1", "ether2", "vlan10", "vlan11", "vlan12"):
                    packet = Packet(in_interface=iface, dst=host, protocol="tcp", dst_port=port)
                    kept = table.candidates(chain, host, port, iface)
                    assert kept == sorted(kept)
                    for position, (item, only, ports) in enumerate(rows):
                        if position in kept:
                            continue
                        skipped = (host is not None and only is not None and only != host) or (
                            port is not None and ports is not None and not any(lo <= port <= hi for lo, hi in ports))
                        assert skipped or match(item, packet, firewall.lists, table) is False, (chain, position, packet)
