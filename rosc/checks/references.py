"""Reference checks on one device: names used but never defined, names
defined twice, bridge ports in two bridges, IP configuration on a bridge
port.

RouterOS resolves a name (``interface=lan``, ``address-pool=dhcp``,
``profile=vpn``) when the command runs: a name that does not exist makes the
command fail with "input does not match any value of ...", and the rest of an
imported file goes on without that item.
"""

from __future__ import annotations

from rosc.checks.names import (
    defined_names,
    line_of,
    looks_like_address,
    references_to,
    with_article,
)
from rosc.checks.reference_table import (
    BUILTIN,
    DEFINE_HINT,
    FIREWALLS,
    KIND_WORDS,
    LIST_FILLERS,
)
from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.device import Item, literal
from rosc.model.facts import INTERFACE_MENUS


def _undefined(ctx, kind: str):
    names = defined_names(ctx)
    if kind in names.unknowable:
        return
    for item, param, text, node, ref in references_to(names, kind):
        if text in ref.special or text.startswith("<"):
            continue  # `<pppoe-user1>`: a dynamic interface, named at run time
        if ref.address_ok and looks_like_address(text):
            continue
        kinds = ref.kinds
        if kind == "bridge" or kind == "wireguard":
            if kinds != (kind,):
                continue
            got = names.interface_kind(text)
            if got == kind or text in names.maybe.get("interface", ()):
                continue
            if got is None and (not names.checked(kind) or not names.export and names.assumed_by_script(kind, text)):
                continue
            if got is None:
                message = f"{param}={text} names {with_article(KIND_WORDS[kind])} that is not defined in this file"
            else:
                what = "a built-in port" if got == "builtin" else f"a {got} interface"
                message = f"{param}={text} must name {with_article(KIND_WORDS[kind])}, but {text} is {what}"
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
        if not names.checked(kind):
            continue  # a script that defines no name of this kind relies on the router's configuration
        if len(kinds) > 1:
            message = f"{param}={text} names neither an interface nor an interface list defined in this file"
        else:
            message = f"{param}={text} names {with_article(KIND_WORDS[kind])} that is not defined in this file"
        yield _report(ctx, kind, item, param, text, node, message)


def _report(ctx, kind, item, param, text, node, message):
    names = defined_names(ctx)
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
    own = names.own.get(kind) if not names.export else None
    if own is not None and own.node() is not None:
        notes.append(
            f"This file has no export header, so rosc reads it as a script for a router that already has a "
            f"configuration; it checks {KIND_WORDS[kind]} names because the file defines "
            f"{KIND_WORDS[kind]}s itself (line {line_of(ctx, own.node())})."
        )
    fix = f"correct the name, or {DEFINE_HINT.get(kind, 'define it')} before this line"
    return ctx.finding(node, message, notes=notes, fix=fix)


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
    index = ctx.facts.commands
    for menu, pairs in fill_params.items():  # script blocks count too: lists are often filled at run time
        for cmd, names in index.named_in_menu(menu):
            if cmd.verb is None:
                continue
            for family, param in pairs:
                if param not in names:
                    continue
                arg = cmd.get(param)
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
            props = item.props
            if "src-address-list" not in props and "dst-address-list" not in props and not item.defaults:
                continue  # (most rules)
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
    names = defined_names(ctx)
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
    line = line_of(ctx, first.node("name") if first.arg("name") is not None else first.node())
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
        line = line_of(ctx, other.node())
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
