"""Layer 2 of a lab: which ports, bridges and VLANs share a broadcast domain.

A *segment* is a set of (device, interface) nodes joined by cables (between
ports of two devices), bridge ports (a port and its bridge on one device)
and VLANs (a VLAN interface joins the VLAN of that id on its parent's
segment).  Everything that can carry an IP address on Ethernet (a port, a
bridge, a VLAN) has a segment; PPP, WireGuard and other tunnels do not.

A port is down when the lab says so (``--down``), when it is disabled in
its configuration, or when the port at the other end of its cable is down.
Ports with no cable are up: they lead to the hosts of the device's LANs,
which the lab does not model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from rosc.lab.manifest import Manifest
from rosc.lint.engine import LintResult
from rosc.model.device import Device, Item
from rosc.model.facts import Facts, is_builtin_interface

ETHERNET = "/interface ethernet"
_PHYSICAL = re.compile(r"(ether|sfp|sfp-sfpplus|sfp28-|qsfp28-\d+-|qsfpplus\d+-|combo|wlan|wifi)\d+\Z")

Node = tuple  # (device, interface) or ("vlan", root, vlan-id)
L2_KINDS = frozenset({"ethernet", "bridge", "vlan", "wireless", "wifi", "bonding"})


@dataclass(eq=False)
class LabDevice:
    """One device of a lab, in one of its variants."""

    name: str
    variant: str | None
    file: str  # relative to the lab folder
    path: str  # as diagnostics show it
    lint: LintResult

    @property
    def device(self) -> Device:
        return self.lint.device

    @property
    def label(self) -> str:
        return f"{self.name} ({self.variant})" if self.variant else self.name

    @property
    def facts(self) -> Facts:
        return self.lint.run.facts

    @cached_property
    def ports(self) -> dict[str, str]:
        """Names a cable may use for a port (its name and default-name) → the
        interface name the configuration uses."""
        out: dict[str, str] = {}
        for item in self.device.items(ETHERNET):
            name = item.get("name") or item.defaults.get("name")
            default = item.defaults.get("default-name") or item.get("default-name")
            if name:
                out[name] = name
            if default and name:
                out.setdefault(default, name)
        return out

    def port_name(self, text: str) -> str | None:
        """The interface a cable end names, or None when it is not a port."""
        if text in self.ports:
            return self.ports[text]
        if _PHYSICAL.match(text) and text not in self.facts.interfaces:
            return text
        if text in self.facts.interfaces and self.facts.interfaces[text].kind in ("ethernet", "wireless", "wifi"):
            return text
        return None

    def interface_item(self, name: str) -> Item | None:
        d = self.facts.interfaces.get(name)
        return d.item if d is not None else None

    def interface_kind(self, name: str) -> str | None:
        d = self.facts.interfaces.get(name)
        if d is not None:
            return d.kind
        if _PHYSICAL.match(name) or is_builtin_interface(name):
            return "ethernet"
        return None

    def interface_disabled(self, name: str) -> bool:
        item = self.interface_item(name)
        return item is not None and item.disabled


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


@dataclass(slots=True, eq=False)
class Segment:
    id: int
    nodes: list[tuple[str, str]] = field(default_factory=list)  # (device, interface)
    uplinks: list = field(default_factory=list)  # rosc.lab.manifest.Uplink

    def devices(self) -> list[str]:
        out: list[str] = []
        for dev, _ in self.nodes:
            if dev not in out:
                out.append(dev)
        return out


class Topology:
    """The segments of a lab with some ports down."""

    def __init__(self, manifest: Manifest, devices: dict[str, LabDevice], down: set[tuple[str, str]] | None = None):
        self.manifest = manifest
        self.devices = devices
        self.down_ports = set(down or ())
        # cable ends as the configurations name them
        self.cables: list[tuple[tuple[str, str], tuple[str, str], object]] = []
        self.peer: dict[tuple[str, str], tuple[str, str]] = {}
        for cable in manifest.cables:
            a, b = self._end(cable.a), self._end(cable.b)
            if a is None or b is None:
                continue
            self.cables.append((a, b, cable))
            self.peer[a] = b
            self.peer[b] = a
        self.uplinks: dict[tuple[str, str], object] = {}
        for uplink in manifest.uplinks:
            end = self._end(uplink.port)
            if end is not None:
                self.uplinks[end] = uplink
        self._build()

    def _end(self, ref) -> tuple[str, str] | None:
        device = self.devices.get(ref.device)
        if device is None:
            return None
        port = device.port_name(ref.port)
        return (ref.device, port) if port else None

    # --- state ---------------------------------------------------------------

    def port_up(self, dev: str, port: str) -> bool:
        if (dev, port) in self.down_ports:
            return False
        device = self.devices.get(dev)
        if device is not None and device.interface_disabled(port):
            return False
        peer = self.peer.get((dev, port))
        if peer is not None:
            if peer in self.down_ports:
                return False
            other = self.devices.get(peer[0])
            if other is not None and other.interface_disabled(peer[1]):
                return False
        return True

    def interface_up(self, dev: str, name: str) -> bool:
        """Whether an Ethernet-like interface (port, bridge, VLAN) is up."""
        device = self.devices[dev]
        if device.interface_disabled(name):
            return False
        kind = device.interface_kind(name)
        if kind == "ethernet" or kind in ("wireless", "wifi"):
            return self.port_up(dev, name)
        if kind == "vlan":
            parent = device.interface_item(name).get("interface")
            return bool(parent) and parent != name and self.interface_up(dev, parent)
        if kind == "bridge":
            ports = [p for p in device.facts.bridge_ports if p.get("bridge") == name and p.get("interface")]
            if not ports:
                return True
            return any(self.interface_up(dev, p.get("interface")) for p in ports if p.get("interface") != name)
        return True

    # --- segments ------------------------------------------------------------

    def _build(self) -> None:
        uf = _UnionFind()
        nodes: list[tuple[str, str]] = []
        vlans: list[tuple[str, str, str, str]] = []  # device, vlan interface, parent, id
        vlan_ports: list[tuple[str, str, str]] = []
        for name, device in self.devices.items():
            for iface, d in device.facts.interfaces.items():
                if d.kind in L2_KINDS:
                    nodes.append((name, iface))
                    uf.find((name, iface))
                if d.kind == "vlan" and d.item is not None and not d.item.disabled:
                    parent, vid = d.item.get("interface"), d.item.get("vlan-id")
                    if parent and vid:
                        vlans.append((name, iface, parent, vid))
            for port in device.facts.bridge_ports:
                iface, bridge = port.get("interface"), port.get("bridge")
                if not iface or not bridge or iface == bridge:
                    continue
                if device.interface_kind(iface) == "vlan":
                    vlan_ports.append((name, iface, bridge))
                    continue
                for n in ((name, iface), (name, bridge)):
                    if n not in nodes:
                        nodes.append(n)
                if self.interface_up(name, iface) and not device.interface_disabled(bridge):
                    uf.union((name, iface), (name, bridge))
            for item in device.device.items("/interface bonding"):
                bond = item.get("name")
                for slave in (item.get("slaves") or "").split(","):
                    if bond and slave and self.port_up(name, slave):
                        uf.union((name, slave), (name, bond))
        for a, b, _cable in self.cables:
            for n in (a, b):
                if n not in nodes:
                    nodes.append(n)
            if self.port_up(*a) and self.port_up(*b):
                uf.union(a, b)
        for end in self.uplinks:
            if end not in nodes:
                nodes.append(end)
        for name, iface, parent, vid in vlans:
            if self.interface_up(name, parent):
                uf.union((name, iface), ("vlan", uf.find((name, parent)), vid))
        for name, iface, bridge in vlan_ports:
            if (name, bridge) not in nodes:
                nodes.append((name, bridge))
            if self.interface_up(name, iface):
                uf.union((name, iface), (name, bridge))
        self._uf = uf
        by_root: dict = {}
        self.segments: list[Segment] = []
        self._segment_of: dict[tuple[str, str], Segment] = {}
        for node in nodes:
            root = uf.find(node)
            seg = by_root.get(root)
            if seg is None:
                seg = by_root[root] = Segment(len(self.segments))
                self.segments.append(seg)
            if node not in seg.nodes:
                seg.nodes.append(node)
            self._segment_of[node] = seg
        for end, uplink in self.uplinks.items():
            seg = self._segment_of.get(end)
            if seg is not None and self.port_up(*end):
                seg.uplinks.append(uplink)

    def segment_of(self, dev: str, iface: str) -> Segment | None:
        """The segment of an Ethernet-like interface, or None (a tunnel, a
        PPP interface, an interface that is down or unknown)."""
        device = self.devices.get(dev)
        if device is None:
            return None
        if device.interface_kind(iface) not in L2_KINDS or not self.interface_up(dev, iface):
            return None
        bridge = device.facts.bridge_of.get(iface)
        node = (dev, bridge) if bridge else (dev, iface)
        seg = self._segment_of.get(node)
        if seg is None and bridge:
            seg = self._segment_of.get((dev, iface))
        if seg is None:  # a port the lab says nothing about: a segment of its own
            seg = Segment(len(self.segments), [node])
            self.segments.append(seg)
            self._segment_of[node] = seg
        return seg

    def same_segment(self, a: tuple[str, str], b: tuple[str, str]) -> bool:
        sa, sb = self.segment_of(*a), self.segment_of(*b)
        return sa is not None and sa is sb

    def l3_interface(self, dev: str, port: str) -> str:
        """The interface that holds the addresses for ``port``: its bridge
        when it is a bridge port, else the port."""
        return self.devices[dev].facts.bridge_of.get(port, port)


def port_uses(device: LabDevice) -> set[str]:
    """Interfaces the configuration of ``device`` uses as a lower layer or
    gives an address: what makes a cabled port meaningful."""
    used: set[str] = set()
    dev = device.device
    for fact in device.facts.addresses:
        used.add(fact.interface)
    for item in device.facts.bridge_ports:
        if item.get("interface"):
            used.add(item.get("interface"))
    for menu in (
        "/interface pppoe-client",
        "/interface pppoe-server server",
        "/interface vlan",
        "/ip dhcp-client",
        "/ip dhcp-server",
        "/interface list member",
        "/ipv6 dhcp-client",
        "/interface vrrp",
        "/interface macvlan",
    ):
        for item in dev.items(menu):
            if item.get("interface") and not item.disabled:
                used.add(item.get("interface"))
    for item in dev.items("/interface bonding"):
        used.update(p for p in (item.get("slaves") or "").split(",") if p)
    for item in dev.items(ETHERNET):
        if not item.implicit or item.props:
            name = item.get("name") or item.defaults.get("name")
            if name and set(item.props) - {"name", "comment"}:
                used.add(name)
    return used
