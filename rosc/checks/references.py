"""Reference checks on one device: names used but never defined, names
defined twice, bridge ports in two bridges, IP configuration on a bridge
port.

RouterOS resolves a name (``interface=lan``, ``address-pool=dhcp``,
``profile=vpn``) when the command runs: a name that does not exist makes the
command fail with "input does not match any value of ...", and the rest of an
imported file goes on without that item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rosc.diagnostics import Severity
from rosc.model.facts import INTERFACE_MENUS, is_builtin_interface, parse_ip
from rosc.model.device import Item, literal
from rosc.checks.registry import rule
from rosc.checks.list_values import TextSpan as _Span, list_elements as _elements

# --- what references what ----------------------------------------------------------

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


_IFACE = Ref(("interface",))
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
    ), interface=_IFACE),
    _refs(PPP_SERVERS, default_profile=_PROFILE),
    _refs("/interface pppoe-server server", interface=_IFACE),
    _refs(PPP_CLIENTS, profile=_PROFILE),
    _refs("/ppp secret", profile=_PROFILE),
    _refs("/ip hotspot", interface=_IFACE, address_pool=Ref(("pool",), special=("none",))),
    _refs(("/ipv6 nd", "/routing igmp-proxy interface", "/tool romon port"),
          interface=Ref(("interface",), special=("all",))),
    _refs("/interface bridge port", bridge=_BRIDGE, interface=Ref(("interface", "interface-list"))),
    _refs("/interface bridge vlan", bridge=_BRIDGE,
          tagged=Ref(("interface", "interface-list"), many=True), untagged=Ref(("interface", "interface-list"), many=True)),
    _refs(("/interface bridge msti", "/interface bridge host"), bridge=_BRIDGE),
    _refs("/interface bonding", slaves=Ref(("interface",), many=True), primary=Ref(("interface",), special=("none",))),
    _refs("/interface vxlan", interface=_IFACE, bridge=_BRIDGE),
    _refs(("/interface wireless", "/interface wifi"), master_interface=_IFACE),
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
    _refs(("/ip route", "/ipv6 route"), vrf_interface=_IFACE),
    _refs("/ip vrf", interfaces=Ref(("interface", "interface-list"), many=True)),
    _refs("/routing ospf interface-template", interfaces=Ref(("interface", "interface-list"), many=True)),
)

# Names every router has without configuration, by kind.
BUILTIN = {
    "interface": frozenset({"all", "none", "all-ppp", "all-ethernet", "all-wireless", "all-vlan"}),
    "interface-list": frozenset({"all", "none", "dynamic", "static"}),
    "ppp-profile": frozenset({"default", "default-encryption"}),
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


# --- helpers --------------------------------------------------------------------------




def _line(ctx, node) -> int:
    return ctx.source.line_col(node.start)[0] if node is not None else 0




def _a(words: str) -> str:
    return ("an " if words[0] in "aeiouAEIOU" else "a ") + words


def _looks_like_address(text: str) -> bool:
    return parse_ip(text.split("/")[0].split("%")[0]) is not None or (
        bool(text) and all(c.isdigit() or c in "./-" for c in text) and "." in text
    )


class _Names:
    """The names this file defines, by kind, with the item that defines each.

    Built once per device and shared by the REF checks (``_names``)."""

    def __init__(self, device):
        self.device = device
        self.interfaces: dict[str, tuple[str, Item]] = {}  # name -> (kind, item)
        for menu in self._interface_menus():
            kind = INTERFACE_MENUS.get(menu) or menu.split()[-1]
            for item in device.items(menu):
                name = item.get("name") or item.defaults.get("name")
                if name and name not in self.interfaces:
                    self.interfaces[name] = (kind, item)
        self.by_kind: dict[str, set[str]] = {
            "interface-list": {i.name for i in device.items("/interface list") if i.name},
            "pool": {i.name for i in device.items("/ip pool") if i.name},
            "ppp-profile": {i.name for i in device.items("/ppp profile") if i.name},
            "dhcp-server": {i.name for i in device.items("/ip dhcp-server") if i.name},
        }
        # Kinds whose names rosc cannot know: a computed name, a `set` it could
        # not place, or items added by a script block (run conditionally).
        self.unknowable: set[str] = set()
        menus_of_kind = {
            "interface-list": ("/interface list",), "pool": ("/ip pool",),
            "ppp-profile": ("/ppp profile",), "dhcp-server": ("/ip dhcp-server",),
        }
        iface_menus = set(self._interface_menus())
        top = {id(s) for s in device.script.body}
        maybe: dict[str, set[str]] = {}
        for cmd in device.script.commands():
            if cmd.verb is None or cmd.verb.text not in ("add", "set"):
                continue
            menu = cmd.menu_path
            is_iface = menu == "/interface" or menu in iface_menus or self._interface_menu(menu)
            kind = "interface" if is_iface else next((k for k, ms in menus_of_kind.items() if menu in ms), None)
            if kind is None:
                continue
            arg = cmd.get("name")
            if arg is None:
                continue
            name = literal(arg)
            if name is None:
                self.unknowable.add(kind)
                if kind == "interface":
                    self.unknowable |= {"bridge", "wireguard"}
            elif id(cmd) not in top or cmd.verb.text == "set":
                # run conditionally, or a rename rosc may not have placed
                # (`/interface set [ find default-name=ether1 ] name=wan`)
                maybe.setdefault(kind, set()).add(name)
        for cmd in device.unresolved:
            if cmd.get("name") is not None:
                menu = cmd.menu_path
                if menu in iface_menus or self._interface_menu(menu):
                    self.unknowable |= {"interface", "bridge", "wireguard"}
                for kind, ms in menus_of_kind.items():
                    if menu in ms:
                        self.unknowable.add(kind)
        self.maybe = maybe
        # Ports renamed by `set [ find default-name=ether1 ] name=wan`: the old
        # name no longer exists after the rename.
        self.renamed: dict[str, tuple[str, int]] = {}
        for menu in ("/interface ethernet", "/interface wireless", "/interface wifi", "/interface lte"):
            for item in device.items(menu):
                old = item.defaults.get("default-name")
                arg = item.arg("name")
                new = item.get("name")
                if old and new and new != old and arg is not None and old not in self.interfaces:
                    self.renamed[old] = (new, arg.start)

    def _interface_menus(self) -> list[str]:
        menus = [m for m in self.device.menus if self._interface_menu(m)]
        return sorted(set(menus) | set(INTERFACE_MENUS) | set(EXTRA_INTERFACE_MENUS))

    @staticmethod
    def _interface_menu(menu: str) -> bool:
        words = menu.split()
        return (
            (len(words) == 2 and words[0] == "/interface" and menu not in NOT_INTERFACE_MENUS)
            or menu in INTERFACE_MENUS
            or menu in EXTRA_INTERFACE_MENUS
        )

    def interface_kind(self, name: str) -> str | None:
        """The kind of interface ``name`` ("builtin" for a router's own port), or None."""
        found = self.interfaces.get(name)
        if found is not None:
            return found[0]
        if is_builtin_interface(name) or name in BUILTIN["interface"] or MORE_PORTS.match(name):
            return "builtin"
        return None

    def defined(self, kind: str, name: str) -> bool:
        if name in BUILTIN.get(kind, ()) or name in self.maybe.get(kind, ()):
            return True
        if kind in ("interface", "bridge", "wireguard"):
            return name in self.maybe.get("interface", ()) or self.interface_kind(name) is not None
        return name in self.by_kind.get(kind, ())


def _names(ctx) -> _Names:
    """The names the device defines, built once per lint run for every REF check."""
    return ctx.shared(_build_names)


def _build_names(run) -> _Names:
    return _Names(run.device)


def _references(names: _Names):
    """Every (item, parameter, name, node, Ref) of the device that names something."""
    device = names.device
    for menu, params in REFS.items():
        for item in device.items(menu):
            for param, ref in params.items():
                if item.arg(param) is None:
                    continue
                parts = _elements(item, param) if ref.many or ref.negatable else [(item.get(param), item.node(param))]
                for text, node in parts:
                    if not text:
                        continue
                    if text.startswith("!"):
                        text = text[1:]
                        if type(node) is _Span:
                            node = _Span(node.start + 1, node.end)
                    yield item, param, text, node, ref
    # Route gateways: an address, an interface, or `address%interface`.
    for menu in ("/ip route", "/ipv6 route"):
        for item in device.items(menu):
            for text, node in _elements(item, "gateway"):
                text = text.split("@")[0]  # `10.0.0.1@main`: resolved in routing table main
                ip_text, pct, iface = text.partition("%")
                if pct:
                    if iface and type(node) is _Span:
                        node = _Span(node.start + len(ip_text) + 1, node.end)
                    if iface:
                        yield item, "gateway", iface, node, _IFACE
                elif not _looks_like_address(text):
                    yield item, "gateway", text, node, _IFACE


def _undefined(ctx, kind: str):
    names = _names(ctx)
    if kind in names.unknowable:
        return
    for item, param, text, node, ref in _references(names):
        if text in ref.special or text.startswith("<"):
            continue  # `<pppoe-user1>`: a dynamic interface, named at run time
        if ref.address_ok and _looks_like_address(text):
            continue
        kinds = ref.kinds
        if kind == "bridge" or kind == "wireguard":
            if kinds != (kind,):
                continue
            got = names.interface_kind(text)
            if got == kind or text in names.maybe.get("interface", ()):
                continue
            if got is None:
                message = f"{param}={text} names {_a(KIND_WORDS[kind])} that is not defined in this file"
            else:
                what = "a built-in port" if got == "builtin" else f"a {got} interface"
                message = f"{param}={text} must name {_a(KIND_WORDS[kind])}, but {text} is {what}"
            yield _report(ctx, kind, item, param, text, node, message)
            continue
        if kind not in kinds:
            continue
        if any(names.defined(k, text) for k in kinds):
            if kind == "interface" and text in names.renamed and not names.maybe.get("interface", set()) & {text}:
                new, renamed_at = names.renamed[text]
                if node is not None and node.start > renamed_at:
                    line = ctx.source.line_col(renamed_at)[0]
                    yield ctx.finding(
                        node,
                        f"{param}={text}: the port {text} was renamed to {new} on line {line}, "
                        f"so no interface is called {text} any more",
                        notes=[
                            "RouterOS refers to an interface by its current name; after "
                            f"`set [ find default-name={text} ] name={new}` the name {text} matches nothing and "
                            "this command fails with \"input does not match any value of interface\".",
                        ],
                        fix=f"use {new} here",
                    )
            continue
        if len(kinds) > 1 and kind != kinds[0]:
            continue  # reported once, under the first kind
        if len(kinds) > 1:
            message = f"{param}={text} names neither an interface nor an interface list defined in this file"
        else:
            message = f"{param}={text} names {_a(KIND_WORDS[kind])} that is not defined in this file"
        yield _report(ctx, kind, item, param, text, node, message)


def _report(ctx, kind, item, param, text, node, message):
    notes = [
        f"RouterOS looks the name up among the {KIND_WORDS[kind]}s when the command runs: when none is called "
        f"{text}, the command fails with \"input does not match any value\" and the item is not created, so an "
        "imported file goes on without it.",
    ]
    if kind == "interface":
        notes.append(
            "Interfaces exist when a menu creates them (`/interface bridge`, `vlan`, `pppoe-client`, "
            "`wireguard`...) or as the router's own ports (ether1, sfp-sfpplus1, wlan1...)."
        )
    elif kind == "ppp-profile":
        notes.append("Only the profiles default and default-encryption exist without being added.")
    elif kind == "interface-list":
        notes.append("Only the lists all, none, dynamic and static exist without being added (help.mikrotik.com: "
                     "Interface Lists).")
    elif kind == "pool" and param in ("local-address", "remote-address", "address"):
        notes.append(f"{param}= takes an IP address or the name of an IP pool; {text} is not an address, so "
                     "RouterOS looks for a pool of that name.")
    fix = f"correct the name, or {DEFINE_HINT.get(kind, 'define it')} before this line"
    return ctx.finding(node, message, notes=notes, fix=fix)


# --- REF001-REF007: undefined names ------------------------------------------------


@rule("REF001", "undefined-interface", area="references", severity=Severity.ERROR,
      summary="An interface that is used but never defined")
def undefined_interface(ctx):
    yield from _undefined(ctx, "interface")


@rule("REF002", "undefined-bridge", area="references", severity=Severity.ERROR,
      summary="A bridge= that names no bridge")
def undefined_bridge(ctx):
    yield from _undefined(ctx, "bridge")


@rule("REF003", "undefined-pool", area="references", severity=Severity.ERROR,
      summary="An IP pool that is used but never defined")
def undefined_pool(ctx):
    yield from _undefined(ctx, "pool")


@rule("REF004", "undefined-ppp-profile", area="references", severity=Severity.ERROR,
      summary="A PPP profile that is used but never defined")
def undefined_ppp_profile(ctx):
    yield from _undefined(ctx, "ppp-profile")


@rule("REF005", "undefined-interface-list", area="references", severity=Severity.ERROR,
      summary="An interface list that is used but never defined")
def undefined_interface_list(ctx):
    yield from _undefined(ctx, "interface-list")


@rule("REF006", "undefined-dhcp-server", area="references", severity=Severity.ERROR,
      summary="A DHCP lease for a DHCP server that is never defined")
def undefined_dhcp_server(ctx):
    yield from _undefined(ctx, "dhcp-server")


@rule("REF007", "undefined-wireguard-interface", area="references", severity=Severity.ERROR,
      summary="A WireGuard peer whose interface is not a WireGuard interface")
def undefined_wireguard_interface(ctx):
    yield from _undefined(ctx, "wireguard")


# --- REF008: address lists nothing fills -------------------------------------------


@rule("REF008", "empty-address-list", area="references", severity=Severity.INFO,
      summary="A firewall rule matches an address list that this file never adds entries to")
def empty_address_list(ctx):
    device = ctx.device
    filled: dict[int, set[str]] = {4: set(), 6: set()}
    computed = {4: False, 6: False}
    fill_params = {}
    for family, pairs in LIST_FILLERS.items():
        for menu, param in pairs:
            fill_params.setdefault(menu, []).append((family, param))
    for cmd in device.script.commands():  # script blocks count too: lists are often filled at run time
        if cmd.verb is None:
            continue
        for family, param in fill_params.get(cmd.menu_path, ()):
            arg = cmd.get(param)
            if arg is None:
                continue
            value = literal(arg)
            if value is None:
                computed[family] = True
            else:
                filled[family].update(v for v in value.split(",") if v)
    for menu in FIREWALLS:
        family = 6 if menu.startswith("/ipv6") else 4
        if computed[family]:
            continue
        for item in device.items(menu):
            for param in ("src-address-list", "dst-address-list"):
                text = item.get(param)
                if not text:
                    continue
                name = text[1:] if text.startswith("!") else text
                if not name or name in filled[family]:
                    continue
                where = "/ipv6 firewall address-list" if family == 6 else "/ip firewall address-list"
                effect = "negated, it always matches" if text.startswith("!") else "its action never runs"
                yield ctx.finding(
                    item.node(param),
                    f"{param}={text}: no entry of this file adds addresses to the list {name}",
                    notes=[
                        "An address list exists as soon as it has an entry; a rule that matches a list with no "
                        f"entries never matches ({effect}).",
                        "Lists are often filled at run time (another rule's add-src-to-address-list, a script, "
                        "DHCP, DNS): ignore this when that is the case.",
                    ],
                    fix=f"check the list name, or add its entries with `{where} add list={name} address=...`",
                )


# --- REF009: duplicate names --------------------------------------------------------

NAMED_MENUS = (
    "/ip pool", "/ipv6 pool", "/ppp profile", "/ip dhcp-server", "/ipv6 dhcp-server", "/interface list",
    "/routing table", "/system script", "/system scheduler", "/queue simple", "/queue tree", "/queue type",
    "/ip ipsec profile", "/ip ipsec proposal", "/ip ipsec peer", "/ip ipsec policy group", "/user group",
    "/interface wireless security-profiles", "/ip hotspot profile", "/ip hotspot user profile",
    "/interface wifi configuration", "/interface wifi security", "/interface wifi datapath",
    "/interface wifi channel", "/routing bgp template", "/routing bgp connection", "/routing ospf instance",
    "/routing ospf area",
)
_DEFAULT = frozenset({"default"})
BUILTIN_NAMES = {
    "/ppp profile": BUILTIN["ppp-profile"], "/interface list": BUILTIN["interface-list"],
    "/routing table": frozenset({"main"}), "/user group": frozenset({"read", "write", "full"}),
    "/ip hotspot profile": _DEFAULT, "/ip hotspot user profile": _DEFAULT, "/ip ipsec profile": _DEFAULT,
    "/ip ipsec proposal": _DEFAULT, "/ip ipsec policy group": _DEFAULT,
    "/interface wireless security-profiles": _DEFAULT,
}


def _kind_label(menu: str) -> str:
    kind = INTERFACE_MENUS.get(menu) or menu.split()[-1]
    return {"ethernet": "ethernet port", "wireless": "wireless interface", "wifi": "wifi interface"}.get(
        kind, f"{kind} interface" if kind != "bridge" else "bridge"
    )


@rule("REF009", "duplicate-name", area="references", severity=Severity.ERROR,
      summary="Two items of the same kind with the same name")
def duplicate_name(ctx):
    device = ctx.device
    names = _names(ctx)
    seen: dict[str, Item] = {}
    # Interfaces of every kind share one namespace.
    iface_items = [
        (item, menu) for menu in names._interface_menus() for item in device.items(menu)
        if item.get("name") or item.defaults.get("name")
    ]
    iface_items.sort(key=lambda p: (p[0].node().start if p[0].node() is not None else -1))
    for item, menu in iface_items:
        name = item.get("name") or item.defaults.get("name")
        first = seen.get(name)
        if first is None:
            seen[name] = item
            continue
        yield _duplicate(ctx, item, first, name, _kind_label(menu), _kind_label(first.menu), "interface")
    for menu in NAMED_MENUS:
        seen = {}
        for item in device.items(menu):
            name = item.name
            if not name:
                continue
            if name in BUILTIN_NAMES.get(menu, ()) and not item.implicit:
                verb = item.origin.verb.text if item.origin is not None and item.origin.verb is not None else ""
                if verb == "add":
                    yield ctx.finding(
                        item.node("name"),
                        f"{menu} already has a built-in entry called {name}",
                        notes=[f"RouterOS creates {name} itself and refuses a second one with that name, so this "
                               "`add` fails."],
                        fix=f"give it another name, or change the built-in one with "
                        f"`{menu} set [ find name={name} ] ...`",
                    )
                    continue
            first = seen.get(name)
            if first is None:
                seen[name] = item
                continue
            label = menu.split(None, 1)[1] if " " in menu else menu
            yield _duplicate(ctx, item, first, name, label, label, menu)


def _duplicate(ctx, item: Item, first: Item, name: str, kind: str, first_kind: str, space: str):
    line = _line(ctx, first.node("name") if first.arg("name") is not None else first.node())
    same = kind == first_kind
    other = f"the {first_kind} on line {line}" if line else f"the built-in {first_kind}"
    message = (
        f"{kind} name {name} is already used by {other}"
        if same else f"the {kind} {name} has the same name as {other}"
    )
    notes = [
        "RouterOS needs names to be unique "
        + ("across all interfaces, whatever their kind" if space == "interface" else f"in {space}")
        + ": the second `add` fails with \"already have ... with such name\", so this item is never created, and "
        "everything that refers to the name gets the first one.",
    ]
    return ctx.finding(
        item.node("name") if item.arg("name") is not None else item.node(),
        message,
        notes=notes,
        fix="rename one of them (and the references that mean it)",
    )


# --- REF010: an interface added to bridges twice ------------------------------------


@rule("REF010", "duplicate-bridge-port", area="references", severity=Severity.ERROR,
      summary="An interface that is a port of two bridges, or added to one bridge twice")
def duplicate_bridge_port(ctx):
    first: dict[str, Item] = {}
    for item in ctx.device.items("/interface bridge port"):
        if item.disabled:
            continue
        iface, bridge = item.get("interface"), item.get("bridge")
        if not iface or not bridge:
            continue
        other = first.get(iface)
        if other is None:
            first[iface] = item
            continue
        other_bridge = other.get("bridge")
        line = _line(ctx, other.node())
        if other_bridge == bridge:
            message = f"{iface} is already a port of {bridge} (line {line})"
            fix = "remove the second entry"
        else:
            message = f"{iface} is already a port of {other_bridge} (line {line}); it cannot also be a port of {bridge}"
            fix = f"keep {iface} in one bridge only; to carry several networks over it, use VLANs on one bridge"
        yield ctx.finding(
            item.node("interface"),
            message,
            notes=["An interface can be a port of one bridge only: RouterOS refuses the second port entry "
                   "(\"device already added as bridge port\"), so the command fails."],
            fix=fix,
        )


# --- REF011: IP configuration on a bridge port ---------------------------------------

_ON_PORT = (
    ("/ip address", "address", "the IP address"),
    ("/ipv6 address", "address", "the IPv6 address"),
    ("/ip dhcp-server", "name", "the DHCP server"),
    ("/ip dhcp-client", "interface", "the DHCP client"),
)


@rule("REF011", "ip-on-bridge-port", area="references", severity=Severity.WARNING,
      summary="An IP address, DHCP server or DHCP client on an interface that is a bridge port")
def ip_on_bridge_port(ctx):
    facts = ctx.facts
    bridge_of = facts.bridge_of
    if not bridge_of:
        return
    for menu, label_param, what in _ON_PORT:
        for item in ctx.device.items(menu):
            if item.disabled:
                continue
            iface = item.get("interface")
            bridge = bridge_of.get(iface or "")
            if bridge is None:
                continue
            label = item.get(label_param) if label_param != "interface" else None
            subject = f"{what} {label}" if label else what
            yield ctx.finding(
                item.node("interface"),
                f"{subject} is on {iface}, which is a port of bridge {bridge}",
                notes=[
                    f"Once {iface} is a bridge port, its traffic is received by {bridge}: IP configuration "
                    f"belongs on the bridge interface. On the port it does not work reliably (replies and "
                    f"ARP go out through {bridge}, DHCP requests arrive on {bridge}, not on {iface}).",
                    "Putting an IP address on a port included in a bridge actually means putting it on the "
                    "bridge (help.mikrotik.com: IP Addressing; Bridging and Switching).",
                ],
                fix=f"set interface={bridge} here",
            )
