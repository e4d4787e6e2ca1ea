"""References to named objects beyond interfaces, pools and profiles:
routing tables and VRFs, wireless and wifi security profiles, wifi and
CAPsMAN configurations, queues, IPsec peers and profiles, user groups,
hotspot profiles, DHCP options, OSPF areas, logging actions, SNMP
communities, certificates, scripts run by the scheduler.

Which parameters name what comes from the vocabulary's value types
(``ref:KIND`` in ``grammar/vocabulary``), plus the RouterOS 6 CAPsMAN menus
it does not type; what defines a name of each kind, and what RouterOS has
built in, from ``NAMED_KINDS``.  The fragment policy of the other reference
checks applies (rules/REF001.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from rosc.checks.names import defined_names, line_of
from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.device import Item, literal
from rosc.model.list_values import TextSpan, list_elements
from rosc.syntax.tree import Word
from rosc.vocabulary.tree import load
from rosc.vocabulary.value_types import Enum, ListOf, PairOf, Union


@dataclass(frozen=True, slots=True)
class Kind:
    words: str  # for messages: "routing table"
    menus: tuple[str, ...]  # the menus whose items define names of this kind
    builtin: frozenset[str] = frozenset()
    v6_builtin: frozenset[str] = frozenset()  # RouterOS 6 has these too
    exported: bool = True  # False: /export never lists them (certificates)
    name_param: str = "name"


_DEFAULT = frozenset({"default"})

NAMED_KINDS = {
    "routing-table": Kind("routing table", ("/routing table", "/ip vrf"), frozenset({"main"})),
    "vrf": Kind("VRF", ("/ip vrf",), frozenset({"main"})),
    "security-profile": Kind("wireless security profile", ("/interface wireless security-profiles",), _DEFAULT),
    "wifi-configuration": Kind("wifi configuration", ("/interface wifi configuration",)),
    "wifi-security": Kind("wifi security profile", ("/interface wifi security",)),
    "wifi-channel": Kind("wifi channel", ("/interface wifi channel",)),
    "wifi-datapath": Kind("wifi datapath", ("/interface wifi datapath",)),
    "wifi-steering": Kind("wifi steering profile", ("/interface wifi steering",)),
    "wifi-interworking": Kind("wifi interworking profile", ("/interface wifi interworking",)),
    "capsman-configuration": Kind("CAPsMAN configuration", ("/caps-man configuration",)),
    "capsman-security": Kind("CAPsMAN security profile", ("/caps-man security",)),
    "capsman-channel": Kind("CAPsMAN channel", ("/caps-man channel",)),
    "capsman-datapath": Kind("CAPsMAN datapath", ("/caps-man datapath",)),
    "queue": Kind("queue", ("/queue simple", "/queue tree")),
    "ipsec-peer": Kind("IPsec peer", ("/ip ipsec peer",)),
    "ipsec-profile": Kind("IPsec profile", ("/ip ipsec profile",), _DEFAULT),
    "ipsec-proposal": Kind("IPsec proposal", ("/ip ipsec proposal",), _DEFAULT),
    "ipsec-policy-group": Kind("IPsec policy group", ("/ip ipsec policy group",), _DEFAULT),
    "ipsec-mode-config": Kind("IPsec mode-config", ("/ip ipsec mode-config",), frozenset({"request-only"})),
    "user-group": Kind("user group", ("/user group",), frozenset({"read", "write", "full"})),
    "hotspot-profile": Kind("hotspot profile", ("/ip hotspot profile",), _DEFAULT),
    "hotspot-server": Kind("hotspot server", ("/ip hotspot",)),
    "dhcp-option": Kind("DHCP option", ("/ip dhcp-server option",)),
    "dhcp-option-set": Kind("DHCP option set", ("/ip dhcp-server option sets",)),
    "ospf-area": Kind("OSPF area", ("/routing ospf area",), v6_builtin=frozenset({"backbone"})),
    "ospf-instance": Kind("OSPF instance", ("/routing ospf instance",), v6_builtin=_DEFAULT),
    "logging-action": Kind("logging action", ("/system logging action",),
                           frozenset({"memory", "disk", "echo", "remote"})),
    "snmp-community": Kind("SNMP community", ("/snmp community",), frozenset({"public"})),
    "certificate": Kind("certificate", ("/certificate",), exported=False),
    "script": Kind("script", ("/system script",)),
}

# Parameters the vocabulary does not type as references (RouterOS 6 CAPsMAN), or whose menus it reads
# differently (DHCP clients name their own built-in options, not /ip dhcp-server option).
EXTRA_REFS = {
    ("/caps-man provisioning", "master-configuration"): ("capsman-configuration", False),
    ("/caps-man provisioning", "slave-configurations"): ("capsman-configuration", True),
    ("/caps-man interface", "configuration"): ("capsman-configuration", False),
    ("/caps-man configuration", "security"): ("capsman-security", False),
    ("/caps-man configuration", "channel"): ("capsman-channel", False),
    ("/caps-man configuration", "datapath"): ("capsman-datapath", False),
    ("/system scheduler", "on-event"): ("script", False),  # a script's name, or its text (_script_name)
}
SKIP_MENUS = frozenset({"/ip dhcp-client", "/ipv6 dhcp-client"})
# Reported by REF001-REF007 (rosc.checks.references).
OTHER_RULES = frozenset({"interface", "bridge", "pool", "ppp-profile", "interface-list", "dhcp-server", "wireguard",
                         "address-list", "interface-lists"})
ROUTING_KINDS = frozenset({"routing-table", "vrf"})


@dataclass(slots=True, eq=False)
class NamedRef:
    item: object
    param: str
    name: str
    node: object
    kind: str


@dataclass(slots=True, eq=False)
class NamedIndex:
    defined: dict[str, dict[str, object]]  # kind -> name -> item
    unknowable: set[str]
    refs: list[NamedRef]
    version: int


def named_index(ctx) -> NamedIndex:
    return ctx.shared(_build)


def _menu_params(vocabulary, menu: str) -> dict[str, tuple[str, bool, bool, frozenset[str]]]:
    """param -> (kind, list, pair, special words) for the reference parameters of ``menu``."""
    out: dict[str, tuple[str, bool, bool, frozenset[str]]] = {}
    found = vocabulary.menu(menu)
    if found is not None and menu not in SKIP_MENUS:
        for name, param in found.params.items():
            kind = param.ref_kind
            if name == "parent" and menu == "/queue tree":
                kind = "queue"  # an interface, a queue tree, or global
            if kind is None or kind in OTHER_RULES:
                continue
            t = param.type
            options = t.options if isinstance(t, Union) else (t,)
            special = frozenset(v for o in options if isinstance(o, Enum) for v in o.values)
            many = any(isinstance(o, ListOf) for o in options)
            pair = any(isinstance(o, PairOf) for o in options)
            out[name] = (kind, many, pair, special)
            for alias in param.aliases:
                out.setdefault(alias, out[name])
    for (m, param), (kind, many) in EXTRA_REFS.items():
        if m == menu:
            out[param] = (kind, many, False, frozenset({"none"}))
    return out


def _build(run) -> NamedIndex:
    device, facts = run.device, run.facts
    vocabulary = load()
    defined: dict[str, dict[str, object]] = {}
    unknowable: set[str] = set()
    menus_of: dict[str, list[str]] = {}
    for kind, spec in NAMED_KINDS.items():
        for menu in spec.menus:
            menus_of.setdefault(menu, []).append(kind)
    index = run.facts.commands
    for cmd in index.in_menus(menus_of):
        kinds = menus_of[index.path_of(cmd)]
        if cmd.verb is None:
            continue
        if cmd.verb.text == "import" or not index.is_top(cmd) and cmd.verb.text == "add":
            unknowable.update(kinds)  # named at run time, or by a certificate file's contents
        name = cmd.get(NAMED_KINDS[kinds[0]].name_param)
        if cmd.verb.text == "add" and name is not None and literal(name) is None:
            unknowable.update(kinds)
    for menu, kinds in menus_of.items():
        for item in device.items(menu):
            name = item.get("name")
            if name:
                for kind in kinds:
                    defined.setdefault(kind, {}).setdefault(name, item)
    refs: list[NamedRef] = []
    # `set api-ssl certificate=...` on items the file never adds (/ip service) is not placed on an item
    placed = {m: list(items) for m, items in device.menus.items()}
    for cmd in device.unresolved:
        placed.setdefault(cmd.menu_path, []).append(Item(cmd.menu_path, {a.name: a for a in cmd.named}, cmd, [cmd]))
    for menu, items in placed.items():
        params = _menu_params(vocabulary, menu)
        if not params:
            continue
        for item in items:
            if item.removed:
                continue
            for param, arg in item.props.items():
                spec = params.get(param)
                if spec is None or literal(arg) is None:
                    continue
                kind, many, pair, special = spec
                for text, node in _values(item, param, many, pair):
                    if text and text not in special and not text.startswith("$"):
                        refs.append(NamedRef(item, param, text, node, kind))
    for menu in ("/ip route", "/ipv6 route"):  # gateway=ADDRESS@TABLE: looked up in TABLE
        for item in device.items(menu):
            for text, node in list_elements(item, "gateway"):
                if "@" in text:
                    table = text.rpartition("@")[2]
                    start = node.end - len(table) if type(node) is TextSpan else None
                    refs.append(NamedRef(item, "gateway", table, TextSpan(start, node.end) if start else node,
                                         "routing-table"))
    return NamedIndex(defined, unknowable, refs, facts.routeros_major)


def _values(item, param: str, many: bool, pair: bool):
    if many:
        yield from list_elements(item, param)
        return
    text, node = item.get(param), item.node(param)
    if pair and text and "/" in text:
        first, _, second = text.partition("/")
        if type(node) is not Word:
            yield first, node
            yield second, node
            return
        yield first, TextSpan(node.start, node.start + len(first))
        yield second, TextSpan(node.start + len(first) + 1, node.end)
        return
    yield text, node


def _known(index: NamedIndex, names, ref: NamedRef) -> bool:
    spec = NAMED_KINDS.get(ref.kind)
    if spec is None:
        return True
    if ref.name in spec.builtin or index.version < 7 and ref.name in spec.v6_builtin:
        return True
    if ref.name in index.defined.get(ref.kind, ()):
        return True
    if ref.kind == "queue" and ref.param == "parent" and ref.item.menu == "/queue tree":
        return names.defined("interface", ref.name) or ref.name == "global"
    return False


def _checked(index: NamedIndex, names, kind: str) -> bool:
    """The fragment policy: an export must define what it uses (except what
    exports never hold); a script only what it defines names of itself."""
    spec = NAMED_KINDS[kind]
    if kind in index.unknowable:
        return False
    if names.export and spec.exported:
        return True
    return bool(index.defined.get(kind))


def _unresolved(ctx, kinds):
    index = named_index(ctx)
    names = defined_names(ctx)
    for ref in index.refs:
        if ref.kind not in kinds or _known(index, names, ref) or not _checked(index, names, ref.kind):
            continue
        if ref.kind == "script" and not _script_name(ref.name):
            continue
        yield index, names, ref


def _script_name(text: str) -> bool:
    """``on-event=backup-daily`` runs the script of that name; anything with
    spaces, a path, a command or a variable is the script's text itself."""
    return all(c.isalnum() or c in "-_." for c in text) and not text.startswith((":", "/"))


def _report(ctx, index: NamedIndex, names, ref: NamedRef, notes: list[str]):
    spec = NAMED_KINDS[ref.kind]
    known = sorted(index.defined.get(ref.kind, {}))
    import difflib  # only when a suggestion is needed: not at start-up

    close = difflib.get_close_matches(ref.name, known, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    menu = spec.menus[0]
    if not names.export:
        first = next(iter(index.defined.get(ref.kind, {}).values()), None)
        if first is not None and first.node() is not None:
            notes = notes + [
                f"This file has no export header, so rosc reads it as a script for a router that already has a "
                f"configuration; it checks {spec.words} names because the file defines {spec.words}s itself "
                f"(line {line_of(ctx, first.node())})."
            ]
    return ctx.finding(
        ref.node,
        f"{ref.param}={ref.name} names {_article(spec.words)} that is not defined in this file{hint}",
        notes=notes,
        fix=f"correct the name, or create it with `{menu} add name={ref.name} ...` before this line",
    )


def _article(words: str) -> str:
    return ("an " if words[0] in "aeiouAEIOU" else "a ") + words


@rule("REF012", "undefined-routing-table", area="references", severity=Severity.ERROR,
      summary="A routing table or VRF that is used but not defined (RouterOS 7)")
def undefined_routing_table(ctx):
    if ctx.facts.routeros_major < 7:
        return  # RouterOS 6 creates a routing table as soon as a route or mark names it
    for index, names, ref in _unresolved(ctx, ROUTING_KINDS):
        notes = [
            "RouterOS 7 wants a routing table added to /routing table before anything refers to it (VRFs "
            "create theirs); an unknown name makes the command fail, so the route, mark or rule is not created "
            "(help.mikrotik.com: Moving from ROSv6 to ROSv7; Policy Routing).",
        ]
        if ref.kind == "routing-table":
            notes.append("Add it with `fib` when its routes are to forward packets: `/routing table add fib "
                         f"name={ref.name}`.")
        yield _report(ctx, index, names, ref, notes)


@rule("REF013", "routing-table-not-in-fib", area="references", severity=Severity.WARNING,
      summary="Traffic or routes sent to a routing table that was added without fib")
def routing_table_not_in_fib(ctx):
    device = ctx.device
    if ctx.facts.routeros_major < 7:
        return
    tables = {}
    for item in device.items("/routing table"):
        if item.name and not item.disabled and not _has_fib(item):
            tables[item.name] = item
    if not tables:
        return
    index = named_index(ctx)
    reported: set[str] = set()
    for ref in index.refs:
        if ref.kind != "routing-table" or ref.name not in tables or ref.name in reported:
            continue
        if ref.item.menu not in ("/ip route", "/ipv6 route", "/ip firewall mangle", "/ipv6 firewall mangle",
                                 "/routing rule", "/ip route rule"):
            continue
        reported.add(ref.name)
        table = tables[ref.name]
        line = line_of(ctx, table.node())
        yield ctx.finding(
            ref.node,
            f"{ref.param}={ref.name}: routing table {ref.name} (line {line}) was added without fib, so packets are "
            "never forwarded with its routes",
            notes=[
                "The fib property should be specified if the routing table is intended to push routes to the "
                "forwarding table (help.mikrotik.com: Moving from ROSv6 to ROSv7); without it the table only "
                "keeps routes for routing protocols, and marks or rules that send packets to it do not work.",
            ],
            fix=f"define the table with fib: `/routing table add fib name={ref.name}`",
        )


def _has_fib(item) -> bool:
    if item.flag("fib"):
        return True
    return any(type(a) is Word and a.text == "fib" for cmd in item.commands for a in cmd.args)


@rule("REF014", "undefined-named-object", area="references", severity=Severity.ERROR,
      summary="A security profile, configuration, queue, IPsec peer, group or script that is not defined")
def undefined_named_object(ctx):
    kinds = frozenset(NAMED_KINDS) - ROUTING_KINDS
    for index, names, ref in _unresolved(ctx, kinds):
        spec = NAMED_KINDS[ref.kind]
        notes = [
            f"RouterOS looks the name up among the {spec.words}s ({spec.menus[0]}) when the command runs: when "
            f"none is called {ref.name}, the command fails with \"input does not match any value\" and the item "
            "is not created, so an imported file goes on without it.",
        ]
        if spec.builtin:
            notes.append(f"Built in: {', '.join(sorted(spec.builtin))}.")
        if not spec.exported:
            notes.append("An /export never lists certificates; rosc checks these names only because this file "
                         "creates certificates itself.")
        yield _report(ctx, index, names, ref, notes)
