"""A long path is not a routing loop: the simulation recognises a loop by a
state the packet was in before, not by a hop count (issue 10)."""

from __future__ import annotations

import ipaddress

import pytest

from rosc.lab.loader import load_lab

TARGET = "172.16.0.1"


def chain(folder, count: int, ring: bool = False):
    """Routers r0 ... r{count-1} in a row, each cabled ether2 → ether1 to the
    next, with a static route to the last one's loopback address (a ring:
    the last router sends it back to the first instead)."""
    devices, cables = [], []
    for i in range(count):
        lines = ["/interface bridge", "add name=loopback", "/ip address"]
        if i > 0:
            lines.append(f"add address=10.{(i - 1) // 200}.{(i - 1) % 200}.2/30 interface=ether1")
        if i < count - 1 or ring:
            j = i if i < count - 1 else count - 1
            lines.append(f"add address=10.{j // 200}.{j % 200}.1/30 interface=ether2")
        if i == count - 1 and not ring:
            lines.append(f"add address={TARGET}/32 interface=loopback")
        else:
            nxt = i if i < count - 1 else count - 1
            lines += ["/ip route", f"add dst-address={TARGET}/32 gateway=10.{nxt // 200}.{nxt % 200}.2"]
        (folder / f"r{i}.rsc").write_text("\n".join(lines) + "\n")
        devices.append(f'r{i} = "r{i}.rsc"')
        if i < count - 1:
            cables.append(f'"r{i}:ether2" = "r{i + 1}:ether1"')
    if ring:
        # the last router's ether2 goes back to the first one's ether1, on the last link's subnet
        first = (folder / "r0.rsc").read_text().replace("/ip address\n", f"/ip address\nadd address=10.{(count - 1) // 200}.{(count - 1) % 200}.2/30 interface=ether1\n", 1)
        (folder / "r0.rsc").write_text(first)
        cables.append(f'"r{count - 1}:ether2" = "r0:ether1"')
    (folder / "lab.toml").write_text("[devices]\n" + "\n".join(devices) + "\n\n[cables]\n" + "\n".join(cables) + "\n")
    lab, diagnostics = load_lab(folder)
    assert [d for d in diagnostics if d.severity >= 3] == [], diagnostics
    return lab


@pytest.mark.parametrize("count", [45, 60])
def test_a_long_chain_of_routers_delivers(tmp_path, count):
    lab = chain(tmp_path, count)
    (path,) = lab.network().simulation.trace("r0", ipaddress.ip_address(TARGET))
    assert path.outcome == "delivered", (path.outcome, path.reason)
    assert [h.device for h in path.hops] == [f"r{i}" for i in range(count)]


def test_a_ring_of_routers_is_a_loop_however_long(tmp_path):
    lab = chain(tmp_path, 50, ring=True)
    (path,) = lab.network().simulation.trace("r0", ipaddress.ip_address(TARGET))
    assert path.outcome == "loop", (path.outcome, path.reason)
    assert path.reason.startswith("routing loop: the packet comes back to r")
    assert len(path.hops) <= 52
