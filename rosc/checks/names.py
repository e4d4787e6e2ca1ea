"""The names a device defines, by kind, and every reference to one: an index
built once per lint run and shared by the reference checks."""

from __future__ import annotations

from rosc.checks.reference_table import (
    AUTO_NAMED,
    AUTO_NAMED_KIND,
    BUILTIN,
    DEFCONF,
    EXTRA_INTERFACE_MENUS,
    IFACE_REF,
    MORE_PORTS,
    NOT_INTERFACE_MENUS,
    REFS,
)
from rosc.model.device import Item, literal
from rosc.model.facts import (
    INTERFACE_MENUS,
    is_builtin_interface,
    parse_ip,
)
from rosc.model.list_values import TextSpan as _Span
from rosc.model.list_values import list_elements as _elements


def line_of(ctx, node) -> int:
    return ctx.source.line_col(node.start)[0] if node is not None else 0


def with_article(words: str) -> str:
    return ("an " if words[0] in "aeiouAEIOU" else "a ") + words


def looks_like_address(text: str) -> bool:
    return parse_ip(text.split("/")[0].split("%")[0]) is not None or (
        bool(text) and all(c.isdigit() or c in "./-" for c in text) and "." in text
    )


class DefinedNames:
    """The names this file defines, by kind, with the item that defines each.

    Built once per device and shared by the REF checks (``defined_names``)."""

    def __init__(self, device, facts):
        self.device = device
        self.references: list | None = None  # filled by references_of
        self.references_by_kind: dict[str, list] | None = None  # filled by references_to
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
        index = facts.commands
        maybe: dict[str, set[str]] = {}
        for menu, commands in index.by_menu.items():  # the kind of each menu decided once
            is_iface = menu == "/interface" or menu in iface_menus or self._interface_menu(menu)
            kind = "interface" if is_iface else next((k for k, ms in menus_of_kind.items() if menu in ms), None)
            if kind is None:
                continue
            for cmd in commands:
                if cmd.verb is None or cmd.verb.text not in ("add", "set"):
                    continue
                arg = cmd.get("name")
                if arg is None:
                    continue
                name = literal(arg)
                if name is None:
                    self.unknowable.add(kind)
                    if kind == "interface":
                        self.unknowable |= {"bridge", "wireguard"}
                elif not index.is_top(cmd) or cmd.verb.text == "set":
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
        self._policy(device)
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

    def _policy(self, device) -> None:
        """The fragment policy (rules/REF001.md, "Which files are checked").

        An /export (its header says ``by RouterOS x.y``) lists everything the
        router has: every name must be defined in it.  A file without that
        header is a script applied to a router that already has a
        configuration: names of a kind are checked only when the file defines
        names of that kind itself (``own``: the first definition, for notes)."""
        self.export = device.source.export_version() is not None
        self.own: dict[str, Item] = {}
        for name, (kind, item) in self.interfaces.items():
            made = not item.implicit or item.arg("name") is not None  # added, or a port renamed
            if not made:
                continue
            self.own.setdefault("interface", item)
            if kind in ("bridge", "wireguard"):
                self.own.setdefault(kind, item)
        menus = {"interface-list": "/interface list", "pool": "/ip pool", "ppp-profile": "/ppp profile",
                 "dhcp-server": "/ip dhcp-server"}
        for kind, menu in menus.items():
            item = next((i for i in device.items(menu) if i.name and not i.implicit), None)
            if item is not None:
                self.own[kind] = item

    def assumed_by_script(self, kind: str, name: str) -> bool:
        """A name a script without an export header may use without
        defining it: what the default configuration creates, or the name
        RouterOS gives an interface of a kind this file creates none of."""
        if name in DEFCONF.get(kind, ()):
            return True
        if kind not in ("interface", "bridge", "wireguard"):
            return False
        m = AUTO_NAMED.match(name)
        if m is None:
            return False
        made = AUTO_NAMED_KIND[m.group(1)]
        return not any(k == made for k, _item in self.interfaces.values())

    def checked(self, kind: str) -> bool:
        """Are undefined names of ``kind`` reported in this file?"""
        return self.export or kind in self.own

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
        if not self.export and self.assumed_by_script(kind, name):
            return True  # a script may rely on what the router already has
        if kind in ("interface", "bridge", "wireguard"):
            return name in self.maybe.get("interface", ()) or self.interface_kind(name) is not None
        return name in self.by_kind.get(kind, ())


def defined_names(ctx) -> DefinedNames:
    """The names the device defines, built once per lint run for every REF check."""
    return ctx.shared(_build_defined_names)


def _build_defined_names(run) -> DefinedNames:
    return DefinedNames(run.device, run.facts)


def references_of(names: DefinedNames) -> list:
    """Every (item, parameter, name, node, Ref) of the device that names
    something; collected once per device (seven REF rules walk it)."""
    if names.references is None:
        names.references = list(_collect_references(names))
    return names.references


def references_to(names: DefinedNames, kind: str) -> list:
    """The references of ``references_of`` that may name a ``kind`` (the
    index by kind, built once: each REF rule reads only its own kind)."""
    if names.references_by_kind is None:
        index: dict[str, list] = {}
        for entry in references_of(names):
            for k in dict.fromkeys(entry[4].kinds):
                index.setdefault(k, []).append(entry)
        names.references_by_kind = index
    return names.references_by_kind.get(kind, [])


def _collect_references(names: DefinedNames):
    device = names.device
    for menu, params in REFS.items():
        for item in device.items(menu):
            props = item.props
            for param, ref in params.items():
                if param not in props:
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
                        yield item, "gateway", iface, node, IFACE_REF
                elif not looks_like_address(text):
                    yield item, "gateway", text, node, IFACE_REF
