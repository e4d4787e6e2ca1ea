"""What references what: for each menu, the parameters whose value names another object
(an interface, bridge, pool, PPP profile, interface list...), and the names RouterOS has
without configuration."""

from __future__ import annotations

import re
from dataclasses import dataclass

FIREWALLS = tuple(f"/{ip} firewall {t}" for ip in ("ip", "ipv6") for t in ("filter", "nat", "mangle", "raw"))


BRIDGE_FIREWALLS = ("/interface bridge filter", "/interface bridge nat")


PPP_CLIENTS = tuple(f"/interface {k}-client" for k in ("pppoe", "l2tp", "sstp", "ovpn", "pptp"))


PPP_SERVERS = tuple(f"/interface {k}-server server" for k in ("pppoe", "l2tp", "sstp", "ovpn", "pptp"))


@dataclass(frozen=True, slots=True)
class Ref:
    """What the value of one parameter names."""

    kinds: tuple[str, ...]  # "interface", "bridge", "wireguard", "interface-list", "pool", ...
    many: bool = False  # a comma-separated list of names
    negatable: bool = False  # `!name` allowed
    special: tuple[str, ...] = ()  # words that are not names (`all`, `none`, `static-only`)
    address_ok: bool = False  # an IP address is also accepted (`remote-address=10.0.0.2`)


IFACE_REF = Ref(("interface",))


_IFACE_NEG = Ref(("interface",), negatable=True)


_LIST_NEG = Ref(("interface-list",), negatable=True)


_ADDR_LIST = Ref(("address-list",), negatable=True)


_BRIDGE = Ref(("bridge",))


_PROFILE = Ref(("ppp-profile",))


def _refs(menus, **params: Ref) -> list[tuple[str, dict[str, Ref]]]:
    return [(menu, {k.replace("_", "-"): v for k, v in params.items()}) for menu in ((menus,) if isinstance(menus, str) else menus)]


def _table(*groups: list[tuple[str, dict[str, Ref]]]) -> dict[str, dict[str, Ref]]:
    out: dict[str, dict[str, Ref]] = {}
    for group in groups:
        for menu, params in group:
            out.setdefault(menu, {}).update(params)
    return out


# menu -> parameter -> what its value names
REFS = _table(
    _refs(
        FIREWALLS,
        in_interface=_IFACE_NEG, out_interface=_IFACE_NEG, in_bridge_port=_IFACE_NEG, out_bridge_port=_IFACE_NEG,
        in_interface_list=_LIST_NEG, out_interface_list=_LIST_NEG,
        in_bridge_port_list=_LIST_NEG, out_bridge_port_list=_LIST_NEG,
        src_address_list=_ADDR_LIST, dst_address_list=_ADDR_LIST,
    ),
    _refs(
        BRIDGE_FIREWALLS,
        in_interface=_IFACE_NEG, out_interface=_IFACE_NEG,
        in_bridge=Ref(("bridge",), negatable=True), out_bridge=Ref(("bridge",), negatable=True),
        in_interface_list=_LIST_NEG, out_interface_list=_LIST_NEG,
        in_bridge_list=_LIST_NEG, out_bridge_list=_LIST_NEG,
    ),
    _refs((
        "/ip address", "/ipv6 address", "/ip arp", "/ip dhcp-client", "/ipv6 dhcp-client", "/ip dhcp-server",
        "/ipv6 dhcp-server", "/ip dhcp-relay", "/interface vlan", "/interface macvlan", "/interface vrrp",
        "/interface pppoe-client", "/interface list member", "/ipv6 nd prefix", "/ip upnp interfaces",
        "/interface vxlan vteps", "/routing rule", "/queue interface",
    ), interface=IFACE_REF),
    _refs(PPP_SERVERS, default_profile=_PROFILE),
    _refs("/interface pppoe-server server", interface=IFACE_REF),
    _refs(PPP_CLIENTS, profile=_PROFILE),
    _refs("/ppp secret", profile=_PROFILE),
    _refs("/ip hotspot", interface=IFACE_REF, address_pool=Ref(("pool",), special=("none",))),
    _refs(("/ipv6 nd", "/routing igmp-proxy interface"), interface=Ref(("interface",), special=("all",))),
    # RoMON: "Interface name or interface-list used for RoMON" (help.mikrotik.com: RoMON)
    _refs("/tool romon port", interface=Ref(("interface", "interface-list"), special=("all",))),
    _refs("/interface bridge port", bridge=_BRIDGE, interface=Ref(("interface", "interface-list"))),
    _refs("/interface bridge vlan", bridge=_BRIDGE,
          tagged=Ref(("interface", "interface-list"), many=True), untagged=Ref(("interface", "interface-list"), many=True)),
    _refs(("/interface bridge msti", "/interface bridge host"), bridge=_BRIDGE),
    _refs("/interface bonding", slaves=Ref(("interface",), many=True), primary=Ref(("interface",), special=("none",))),
    _refs("/interface vxlan", interface=IFACE_REF, bridge=_BRIDGE),
    _refs(("/interface wireless", "/interface wifi"), master_interface=IFACE_REF),
    _refs("/interface wireless", wds_default_bridge=Ref(("bridge",), special=("none",))),
    _refs("/interface wireless cap", bridge=Ref(("bridge",), special=("none",)),
          interfaces=Ref(("interface",), many=True), discovery_interfaces=Ref(("interface",), many=True)),
    _refs(("/interface wifi datapath", "/caps-man datapath"), bridge=_BRIDGE),
    _refs("/interface wifi", **{"datapath.bridge": _BRIDGE}),
    _refs("/interface wireguard peers", interface=Ref(("wireguard",))),
    _refs("/interface list", include=Ref(("interface-list",), many=True), exclude=Ref(("interface-list",), many=True)),
    _refs("/interface list member", list=Ref(("interface-list",))),
    _refs("/interface detect-internet", **{
        k: Ref(("interface-list",), special=("none",))
        for k in ("detect-interface-list", "lan-interface-list", "wan-interface-list", "internet-interface-list")
    }),
    _refs("/ip neighbor discovery-settings", discover_interface_list=Ref(("interface-list",))),
    _refs(("/tool mac-server", "/tool mac-server mac-winbox"),
          allowed_interface_list=Ref(("interface-list",), special=("all", "none"))),
    _refs("/ip dhcp-server", address_pool=Ref(("pool",), special=("static-only",))),
    _refs("/ip dhcp-server lease", server=Ref(("dhcp-server",), special=("all",)),
          address=Ref(("pool",), address_ok=True)),
    _refs("/ip pool", next_pool=Ref(("pool",), special=("none",))),
    _refs("/ip hotspot user profile", address_pool=Ref(("pool",), special=("none",))),
    _refs("/ip ipsec mode-config", address_pool=Ref(("pool",), special=("none",))),
    _refs("/ppp profile", local_address=Ref(("pool",), address_ok=True), remote_address=Ref(("pool",), address_ok=True),
          bridge=_BRIDGE, interface_list=Ref(("interface-list",))),
    _refs(("/ip route", "/ipv6 route"), vrf_interface=IFACE_REF),
    _refs("/ip vrf", interfaces=Ref(("interface", "interface-list"), many=True)),
    _refs("/routing ospf interface-template", interfaces=Ref(("interface", "interface-list"), many=True)),
)


# Names every router has without configuration, by kind.
BUILTIN = {
    "interface": frozenset({"all", "none", "all-ppp", "all-ethernet", "all-wireless", "all-vlan"}),
    "interface-list": frozenset({"all", "none", "dynamic", "static"}),
    "ppp-profile": frozenset({"default", "default-encryption"}),
}


# Names RouterOS's default configuration (defconf) creates: a script written for a router that still has it
# may use them (help.mikrotik.com: Default configurations; Interface Lists).
DEFCONF = {
    "interface-list": frozenset({"WAN", "LAN"}),
    "interface": frozenset({"bridge"}),
    "bridge": frozenset({"bridge"}),
    "pool": frozenset({"default-dhcp"}),
    "dhcp-server": frozenset({"defconf"}),
}


# The names RouterOS gives an interface added without one (bridge1, vlan2,
# pppoe-out1, wireguard1...), by the prefix and the kind of interface: a
# script for an existing router that names one, and creates no interface of
# that kind itself, most likely means the one the router already has.
AUTO_NAMED = re.compile(
    r"(bridge|vlan|pppoe-out|l2tp-out|sstp-out|ovpn-out|pptp-out|wireguard|gre-tunnel|eoip-tunnel|ipip-tunnel"
    r"|6to4-tunnel|bond|vrrp|macvlan|veth|vxlan)\d+\Z"
)
AUTO_NAMED_KIND = {
    "bridge": "bridge", "vlan": "vlan", "pppoe-out": "pppoe-client", "l2tp-out": "l2tp-client",
    "sstp-out": "sstp-client", "ovpn-out": "ovpn-client", "pptp-out": "pptp-client", "wireguard": "wireguard",
    "gre-tunnel": "gre", "eoip-tunnel": "eoip", "ipip-tunnel": "ipip", "6to4-tunnel": "6to4", "bond": "bonding",
    "vrrp": "vrrp", "macvlan": "macvlan", "veth": "veth", "vxlan": "vxlan",
}


# Port names of some models that ``rosc.model.facts.is_builtin_interface`` does not know.
MORE_PORTS = re.compile(r"(sfpplus|pwr-line|w60g|wlan60-|sfp\d+-)\d+\Z")


# Menus whose items are interfaces, beyond ``rosc.model.facts.INTERFACE_MENUS``:
# every `/interface X` item list except these, and a few deeper ones.
NOT_INTERFACE_MENUS = frozenset({"/interface list", "/interface detect-internet"})


EXTRA_INTERFACE_MENUS = ("/interface wireless wds", "/caps-man interface", "/interface wifi")


# Menus whose items an `address-list` of that family gets entries from, and the parameter.
LIST_FILLERS = {
    4: [
        ("/ip firewall address-list", "list"),
        *[(m, "address-list") for m in FIREWALLS[:4]],
        ("/ip dhcp-server", "address-lists"),
        ("/ip dhcp-server lease", "address-lists"),
        ("/ppp profile", "address-list"),
        ("/ip dns static", "address-list"),
        ("/ip hotspot user profile", "address-list"),
    ],
    6: [
        ("/ipv6 firewall address-list", "list"),
        *[(m, "address-list") for m in FIREWALLS[4:]],
        ("/ipv6 dhcp-client", "address-lists"),
        ("/ipv6 dhcp-client", "prefix-address-lists"),
        ("/ppp profile", "address-list"),
    ],
}


KIND_WORDS = {
    "interface": "interface",
    "bridge": "bridge",
    "wireguard": "WireGuard interface",
    "interface-list": "interface list",
    "pool": "IP pool",
    "ppp-profile": "PPP profile",
    "dhcp-server": "DHCP server",
    "address-list": "address list",
}


DEFINE_HINT = {
    "interface": "create it (`/interface vlan add name=...`, `/interface bridge add name=...`...)",
    "bridge": "create it with `/interface bridge add name=...`",
    "wireguard": "create it with `/interface wireguard add name=...`",
    "interface-list": "create it with `/interface list add name=...`",
    "pool": "create it with `/ip pool add name=... ranges=...`",
    "ppp-profile": "create it with `/ppp profile add name=...`",
    "dhcp-server": "create it with `/ip dhcp-server add name=... interface=...`",
}
