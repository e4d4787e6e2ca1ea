"""Typed views of a ``Device`` that the checks share.

Everything here is derived from ``Device.menus``; each fact keeps the
``Item`` it came from, so a finding can point at the source.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from functools import cached_property

from rosc.model.command_index import CommandIndex
from rosc.model.device import Device, Item

# Menus whose items are interfaces, by the kind of interface.
INTERFACE_MENUS = {
    "/interface bridge": "bridge",
    "/interface vlan": "vlan",
    "/interface pppoe-client": "pppoe-client",
    "/interface wireguard": "wireguard",
    "/interface l2tp-client": "l2tp-client",
    "/interface sstp-client": "sstp-client",
    "/interface ovpn-client": "ovpn-client",
    "/interface pptp-client": "pptp-client",
    "/interface gre": "gre",
    "/interface gre6": "gre6",
    "/interface eoip": "eoip",
    "/interface ipip": "ipip",
    "/interface 6to4": "6to4",
    "/interface vxlan": "vxlan",
    "/interface bonding": "bonding",
    "/interface vrrp": "vrrp",
    "/interface macvlan": "macvlan",
    "/interface veth": "veth",
    "/interface wireless": "wireless",
    "/interface wifi": "wifi",
    "/interface lte": "lte",
    "/interface ethernet": "ethernet",
    "/interface l2tp-server": "l2tp-server",
    "/interface pppoe-server": "pppoe-server",
    "/interface sstp-server": "sstp-server",
    "/interface ovpn-server": "ovpn-server",
    "/interface wireless cap": "wireless",
}

# Interfaces whose traffic rides on another one: they cannot run when it cannot.
CARRIED_BY = {
    "vlan": "interface", "pppoe-client": "interface", "vrrp": "interface", "macvlan": "interface",
}

# Menus only RouterOS 6 has (RouterOS 7 moved or replaced them: Moving from ROSv6 to ROSv7).
V6_ONLY_MENUS = (
    "/ip route rule", "/ip route vrf", "/routing ospf network", "/routing ospf-v3 instance",
    "/routing ospf-v3 interface", "/routing bgp instance", "/routing bgp peer", "/routing bgp network",
)


# Ports that exist on hardware without being configured.
PHYSICAL = re.compile(
    r"(ether|sfp|sfp-sfpplus|sfp28-|qsfp28-\d+-|qsfpplus\d+-|combo|wlan|wifi|lte|ppp|usb|lora)\d+\Z|lo\Z|all\Z|none\Z|dynamic\Z|\*[0-9A-Fa-f]+\Z"
)


# Interface kinds that are not point-to-point: a packet sent out of them needs the link-layer address of its
# next hop, found by ARP (or neighbour discovery) for the address the route gives (help.mikrotik.com: Routing
# Decision: a non point-to-point interface gateway cannot reach destinations several hops away).
BROADCAST_KINDS = {
    "ethernet": "Ethernet port", "bridge": "bridge", "vlan": "VLAN interface", "bonding": "bonding interface",
    "wireless": "wireless interface", "wifi": "wifi interface", "vrrp": "VRRP interface",
    "macvlan": "MACVLAN interface", "veth": "veth interface", "eoip": "EoIP tunnel (Ethernet over IP)",
    "vxlan": "VXLAN interface",
}
_BUILTIN_BROADCAST = ("ether", "sfp", "qsfp", "combo", "wlan", "wifi")


def is_builtin_interface(name: str) -> bool:
    """Interfaces RouterOS has without configuration (``ether1``, ``lo``...)."""
    return PHYSICAL.match(name) is not None


@dataclass(slots=True, eq=False)
class InterfaceDef:
    name: str
    kind: str
    item: Item | None  # None for built-in ports never configured


@dataclass(slots=True, eq=False)
class AddressFact:
    interface: str
    iface: ipaddress.IPv4Interface | ipaddress.IPv6Interface
    item: Item
    # ``iface.ip`` builds a new address object on every access: kept once (lab lookups ask for it per peer)
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = field(init=False)
    network: ipaddress.IPv4Network | ipaddress.IPv6Network = field(init=False)

    def __post_init__(self) -> None:
        self.ip = self.iface.ip
        self.network = self.iface.network


@dataclass(slots=True, eq=False)
class RouteFact:
    """A route as the routing table holds it: static, connected or dynamic."""

    dst: ipaddress.IPv4Network | ipaddress.IPv6Network
    gateways: list[str]  # addresses or interface names
    distance: int
    scope: int
    target_scope: int
    kind: str  # "static", "connected", "dynamic"
    item: Item | None
    interface: str | None = None  # for connected and dynamic routes
    check_gateway: str | None = None
    table: str = "main"
    disabled: bool = False
    note: str = ""  # where a dynamic route comes from

    @property
    def gateway_ips(self) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        out = []
        for gw in self.gateways:
            ip = parse_ip(gw.split("%")[0])
            if ip is not None:
                out.append(ip)
        return out


@dataclass(slots=True, eq=False)
class PoolFact:
    name: str
    ranges: list[tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]]
    item: Item
    bad: list[str] = field(default_factory=list)  # range texts that do not parse


def static_route(item: Item, dst) -> RouteFact:
    """The RouteFact of a static route item (`/ip route`, `/ipv6 route`) to ``dst``."""
    return RouteFact(
        dst,
        split_list(item.get("gateway")),
        to_int(item.get("distance"), 1),
        to_int(item.get("scope"), 30),
        to_int(item.get("target-scope"), 10),
        "static",
        item,
        check_gateway=item.get("check-gateway"),
        table=item.get("routing-table") or item.get("routing-mark") or "main",
        disabled=item.disabled,
    )


_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
# A dotted quad without leading zeros and an optional /0../32: what ``ip_interface`` accepts as IPv4 (it also
# takes leading zeros in the length, /024, left to it).
_PLAIN_V4_INTERFACE = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}(?:/(3[0-2]|[12]?[0-9]))?\Z")


def parse_ip(text: str | None):
    if not text:
        return None
    m = _PLAIN_V4_INTERFACE.match(text)
    if m is not None and m.group(5) is None:  # a dotted quad: from its number (the same address)
        a, b, c, d, _length = m.groups()
        return ipaddress.IPv4Address((int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d))
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def parse_interface(text: str | None):
    if not text:
        return None
    m = _PLAIN_V4_INTERFACE.match(text)
    if m is not None:  # the common case, without ipaddress's string parsing (same value)
        a, b, c, d, length = m.groups()
        return ipaddress.IPv4Interface(
            ((int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d), int(length) if length is not None else 32)
        )
    try:
        return ipaddress.ip_interface(text)
    except ValueError:
        return None


def parse_network(text: str | None):
    """A network, host bits allowed (``10.0.0.1/24`` → ``10.0.0.0/24``)."""
    if not text:
        return None
    m = _PLAIN_V4_INTERFACE.match(text)
    if m is not None:
        a, b, c, d, length = m.groups()
        return ipaddress.IPv4Network(
            ((int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d), int(length) if length is not None else 32),
            strict=False,
        )
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def split_list(text: str | None) -> list[str]:
    return [p for p in (text or "").split(",") if p]


def parse_range(text: str):
    """``a-b``, ``a/len`` or ``a`` → (first, last) addresses, else None."""
    if "-" in text:
        lo, _, hi = text.partition("-")
        a, b = parse_ip(lo), parse_ip(hi)
        if a is None or b is None or a.version != b.version:
            return None
        return a, b
    net = parse_network(text)
    if net is None:
        return None
    return net[0], net[-1]


def to_int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


class Facts:
    """Derived views of one device, computed once and cached."""

    def __init__(self, device: Device):
        self.device = device
        self._netmask_items = 0  # addresses written address= netmask= (set by router_addresses)

    @cached_property
    def commands(self) -> CommandIndex:
        """Every command of the file by menu, and which ones a script runs."""
        return CommandIndex(self.device.commands(), self.device.script.body)

    @cached_property
    def interfaces(self) -> dict[str, InterfaceDef]:
        out: dict[str, InterfaceDef] = {}
        for menu, kind in INTERFACE_MENUS.items():
            for item in self.device.items(menu):
                name = item.get("name") or item.defaults.get("name")
                if name and name not in out:
                    out[name] = InterfaceDef(name, kind, item)
        return out

    def interface_exists(self, name: str) -> bool:
        return name in self.interfaces or is_builtin_interface(name) or name in self.interface_lists

    def broadcast_kind(self, name: str) -> str | None:
        """What an Ethernet-like (not point-to-point) interface is, for
        messages; None when it is point-to-point, layer 3, or unknown."""
        found = self.interfaces.get(name)
        if found is not None:
            if found.kind == "ovpn-client" and found.item is not None and found.item.get("mode") == "ethernet":
                return "OpenVPN tunnel in Ethernet mode"
            return BROADCAST_KINDS.get(found.kind)
        if is_builtin_interface(name) and name.startswith(_BUILTIN_BROADCAST):
            return "wireless interface" if name.startswith(("wlan", "wifi")) else "Ethernet port"
        return None

    @cached_property
    def routeros_version(self) -> tuple[int, int] | None:
        """(major, minor) from the export header (``by RouterOS 6.49.6``), or
        None when the file does not say."""
        return self.device.source.export_version()

    @cached_property
    def routeros_major(self) -> int:
        """The RouterOS major version whose behaviour applies: the export
        header's, else 6 when the file uses what only RouterOS 6 has (routes
        with ``routing-mark``, ``V6_ONLY_MENUS``), else 7."""
        version = self.routeros_version
        if version is not None:
            return version[0]
        if any(self.device.items(menu) for menu in V6_ONLY_MENUS):
            return 6
        if any(i.arg("routing-mark") for i in self.device.items("/ip route")):
            return 6
        return 7

    def interface_down(self, name: str) -> str | None:
        """Why the interface ``name`` cannot run (it, or the interface it
        rides on, is disabled), or None.  Unknown names are not down: the
        reference checks report them."""
        seen: set[str] = set()
        current = name
        while current and current not in seen:
            seen.add(current)
            found = self.interfaces.get(current)
            if found is None or found.item is None:
                return None
            if found.item.disabled:
                return f"{current} is disabled" if current == name else f"{name} runs on {current}, which is disabled"
            carrier = CARRIED_BY.get(found.kind)
            current = found.item.get(carrier) if carrier else None
        return None

    @cached_property
    def interface_lists(self) -> dict[str, Item]:
        out = {"all": None, "none": None, "dynamic": None, "static": None}
        for item in self.device.items("/interface list"):
            if item.name:
                out[item.name] = item
        return out

    @cached_property
    def bridge_ports(self) -> list[Item]:
        return [i for i in self.device.items("/interface bridge port") if not i.disabled]

    @cached_property
    def bridge_of(self) -> dict[str, str]:
        """Interface → the bridge it is a port of."""
        out: dict[str, str] = {}
        for item in self.bridge_ports:
            iface, bridge = item.get("interface"), item.get("bridge")
            if iface and bridge and iface not in out:
                out[iface] = bridge
        return out

    @cached_property
    def addresses(self) -> list[AddressFact]:
        """The enabled addresses of ``/ip address`` and ``/ipv6 address``
        (``address=`` as written: without a length, a /32)."""
        router = self.router_addresses
        if not self._netmask_items:  # then the same facts as router_addresses: parsed once
            return list(router)
        out = []
        for menu in ("/ip address", "/ipv6 address"):
            for item in self.device.items(menu):
                if item.disabled:
                    continue
                iface = parse_interface(item.get("address"))
                interface = item.get("interface")
                if iface is not None and interface:
                    out.append(AddressFact(interface, iface, item))
        return out

    @cached_property
    def router_addresses(self) -> list[AddressFact]:
        """Like ``addresses``, but also reading the older ``address=192.168.0.1
        netmask=255.255.255.0`` form: the router's own addresses."""
        out = []
        netmask_items = 0
        for menu in ("/ip address", "/ipv6 address"):
            for item in self.device.items(menu):
                text, interface = item.get("address"), item.get("interface")
                if item.disabled or not text or not interface:
                    continue
                netmask = item.get("netmask")
                if netmask and "/" not in text:
                    text = f"{text}/{netmask}"
                    netmask_items += 1
                iface = parse_interface(text)
                if iface is not None:
                    out.append(AddressFact(interface, iface, item))
        self._netmask_items = netmask_items
        return out

    @cached_property
    def pools(self) -> dict[str, PoolFact]:
        out: dict[str, PoolFact] = {}
        for item in self.device.items("/ip pool"):
            name = item.name
            if not name or name in out:
                continue
            fact = PoolFact(name, [], item)
            for part in split_list(item.get("ranges")):
                rng = parse_range(part)
                if rng is None or rng[0].version != 4:
                    fact.bad.append(part)
                else:
                    fact.ranges.append(rng)
            out[name] = fact
        return out

    @cached_property
    def routes(self) -> list[RouteFact]:
        """Static routes, connected routes of the addresses, and the default
        routes PPPoE and DHCP clients add (``add-default-route=yes``)."""
        out: list[RouteFact] = []
        for fact in self.addresses:
            if fact.iface.version == 4:
                out.append(self.connected_route(fact, fact.network))
        for item in self.device.items("/ip route"):
            dst = parse_network(item.get("dst-address", "0.0.0.0/0"))
            if dst is not None:
                out.append(static_route(item, dst))
        for item in self.device.items("/interface pppoe-client"):
            if item.flag("add-default-route") and not item.disabled and item.name and not self.interface_down(item.name):
                out.append(
                    RouteFact(
                        ipaddress.ip_network("0.0.0.0/0"), [item.name], to_int(item.get("default-route-distance"), 1),
                        30, 10, "dynamic", item, item.name, note=f"added by PPPoE client {item.name}",
                    )
                )
        for item in self.device.items("/ip dhcp-client"):
            iface = item.get("interface")
            if item.flag("add-default-route", True) and not item.disabled and iface and not self.interface_down(iface):
                out.append(
                    RouteFact(
                        ipaddress.ip_network("0.0.0.0/0"), [], to_int(item.get("default-route-distance"), 1),
                        30, 10, "dynamic", item, item.get("interface"),
                        note=f"added by the DHCP client on {item.get('interface')} (gateway learnt at run time)",
                    )
                )
        return out

    def connected_route(self, fact: AddressFact, dst) -> RouteFact:
        """The connected route of an address: it exists only while the
        interface can run (help.mikrotik.com: Routing Decision, "Connected
        Networks"); on a disabled interface it is kept, disabled, with the
        reason in ``note``."""
        down = self.interface_down(fact.interface)
        return RouteFact(dst, [fact.interface], 0, 10, 5, "connected", fact.item, fact.interface,
                         disabled=down is not None, note=down or "")

    @cached_property
    def wan_interfaces(self) -> set[str]:
        """Interfaces that face an upstream network: PPPoE/DHCP/LTE clients,
        members of an interface list named like WAN."""
        out: set[str] = set()
        for item in self.device.items("/interface pppoe-client"):
            if item.name and not item.disabled:
                out.add(item.name)
        for item in self.device.items("/ip dhcp-client"):
            if item.get("interface") and not item.disabled:
                out.add(item.get("interface"))
        for item in self.device.items("/interface list member"):
            if (item.get("list") or "").upper().startswith("WAN") and item.get("interface"):
                out.add(item.get("interface"))
        return out
