"""What the firewall checks of interfaces, NAT, chains and marks share.

``rules(ctx)`` is the firewall of a device as these checks read it: the
enabled rules of every ``/ip`` and ``/ipv6`` firewall table by chain, in
file order, and whether that order is the router's (``place-before``, a
chain the script computes, or a firewall command rosc cannot place makes a
table undecidable; checks stay silent on undecidable tables).
``lists`` resolves ``/interface list`` with ``include`` and ``exclude``
(through ``rosc.model.firewall``); ``uplinks(...)`` is where the main table's default routes
leave; ``lan_networks(...)`` the connected networks of the other
interfaces.  Computed once per lint run through ``ctx.shared``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from rosc.checks.routing_analysis import analyse, describe
from rosc.model.device import Device, Item, literal
from rosc.model.firewall import values
from rosc.model.firewall.lists import InterfaceLists
from rosc.model.facts import parse_network, parse_range

TABLES = {
    "/ip firewall filter": ("input", "forward", "output"),
    "/ip firewall nat": ("srcnat", "dstnat"),
    "/ip firewall mangle": ("prerouting", "input", "forward", "output", "postrouting"),
    "/ip firewall raw": ("prerouting", "output"),
    "/ipv6 firewall filter": ("input", "forward", "output"),
    "/ipv6 firewall nat": ("srcnat", "dstnat"),
    "/ipv6 firewall mangle": ("prerouting", "input", "forward", "output", "postrouting"),
    "/ipv6 firewall raw": ("prerouting", "output"),
}
LIST_MENUS = ("/interface list", "/interface list member")


@dataclass(slots=True, eq=False)
class Table:
    menu: str
    chains: dict[str, list[Item]] = field(default_factory=dict)  # enabled rules by chain, in file order
    items: list[Item] = field(default_factory=list)  # every enabled rule
    decidable: bool = True  # the file's order and chains are the router's
    computed: bool = False  # some rule's value is computed by the script
    parsed: dict = field(default_factory=dict)  # address text -> address_set(text), for this run's walks
    hosts: dict = field(default_factory=dict)  # chain -> [(rule, the single dst host it is limited to, or None)]
    lanes: dict = field(default_factory=dict)  # chain -> its Lanes (see ``candidates``)

    def address(self, text: str):
        try:
            return self.parsed[text]
        except KeyError:
            value = self.parsed[text] = address_set(text)
            return value

    def with_hosts(self, chain: str) -> list:
        """The chain's rules, each with the one destination address its
        ``dst-address`` (not negated) limits it to and the ports its
        ``dst-port`` limits it to: a walk for a packet to another single host
        or port skips it without matching."""
        try:
            return self.hosts[chain]
        except KeyError:
            out = []
            for item in self.chains.get(chain, ()):
                got = self.address(item.get("dst-address") or "")
                port = item.get("dst-port") or ""
                ports = None if port.startswith("!") else ports_of(port) if port else None
                out.append((item, got if got is not None and got[1] == got[2] else None, ports))
            value = self.hosts[chain] = out
            return value

    def candidates(self, chain: str, host, port: int | None, iface: str | None) -> list[int]:
        """The positions in ``with_hosts(chain)`` of the rules a packet to
        ``host`` (a single destination, or None: any), ``port`` and arriving
        on ``iface`` (None: any) may match, in order: the others are limited
        to another destination host or port (``walk`` skips them) or to
        another in-interface (``match`` says False), so a walk through a
        long chain reads only the rules that concern its packet."""
        try:
            lanes = self.lanes[chain]
        except KeyError:
            lanes = self.lanes[chain] = Lanes(self.with_hosts(chain))
        return lanes.candidates(host, port, iface)

    @property
    def builtin(self) -> tuple[str, ...]:
        return TABLES[self.menu]


MAX_PORTS = 16  # a dst-port with more ports than this is not filed by port


class Lanes:
    """The rules of one chain filed by one thing each limits packets to: the
    single destination host (``dst``), the destination ports (``port``,
    a short list) or the in-interface (``in``, a plain name, only for a
    rule whose values are all literal: ``match`` returns "may match" at a
    computed value before it reaches a later in-interface mismatch).  The
    key is the one whose bucket holds the fewest rules so far; a rule with
    none of them is ``general`` and read by every walk."""

    __slots__ = ("general", "buckets", "every")

    def __init__(self, rows: list):
        self.general: list[int] = []
        self.buckets: dict[str, dict] = {"dst": {}, "port": {}, "in": {}}
        self.every: dict[str, list[int]] = {"dst": [], "port": [], "in": []}
        for position, (item, only, ports) in enumerate(rows):
            options = []
            if only is not None:
                options.append((len(self.buckets["dst"].get(only, ())), 0, "dst", (only,)))
            if ports is not None:
                keys = _port_keys(ports)
                if keys:
                    bucket = self.buckets["port"]
                    options.append((max(len(bucket.get(k, ())) for k in keys), 1, "port", keys))
            arg = item.props.get("in-interface")
            iface = literal(arg) if arg is not None else None
            if (iface and not iface.startswith(("!", "all-")) and "*" not in iface
                    and all(literal(arg) is not None for arg in item.props.values())):
                options.append((len(self.buckets["in"].get(iface, ())), 2, "in", (iface,)))
            if not options:
                self.general.append(position)
                continue
            _size, _order, dim, keys = min(options)
            for key in keys:
                self.buckets[dim].setdefault(key, []).append(position)
            self.every[dim].append(position)

    def candidates(self, host, port: int | None, iface: str | None) -> list[int]:
        parts = [p for p in (
            self.general,
            self.buckets["dst"].get(host, ()) if host is not None else self.every["dst"],
            self.buckets["port"].get(port, ()) if port is not None else self.every["port"],
            self.buckets["in"].get(iface, ()) if iface is not None else self.every["in"],
        ) if p]
        if len(parts) == 1:
            return parts[0]
        return sorted(k for part in parts for k in part)


def _port_keys(ports: list[tuple[int, int]]) -> tuple[int, ...]:
    """Every port of a short dst-port list, or () when it holds too many to file."""
    if sum(max(0, hi - lo + 1) for lo, hi in ports) > MAX_PORTS:
        return ()
    return tuple(sorted({p for lo, hi in ports for p in range(lo, hi + 1)}))


@dataclass(slots=True, eq=False)
class Firewall:
    tables: dict[str, Table]
    scripted: set[str]  # menus that scripts inside the file change at run time
    export: bool  # an /export (header `by RouterOS x.y`): the whole configuration, not a script fragment
    lists: _Lists  # interface list -> members (None: rosc cannot tell)

    def table(self, menu: str) -> Table:
        return self.tables[menu]


def rules(ctx) -> Firewall:
    return ctx.shared(_firewall)


def _firewall(run) -> Firewall:
    device = run.device
    unresolved = {c.menu_path for c in device.unresolved}
    scripted = _scripted_menus(device)
    errors = device.syntax_errors
    tables = {}
    for menu in TABLES:
        table = Table(menu, decidable=menu not in unresolved and menu not in scripted)
        if errors and _unreadable(device.items(menu), errors):
            table.decidable = False  # the parser could not read a rule (or lost one) of this table
        for item in device.items(menu):
            if item.disabled:
                continue
            if item.arg("place-before") is not None:
                table.decidable = False
            if not table.computed:
                for arg in item.props.values():
                    if literal(arg) is None:
                        table.computed = True
                        break
            chain = item.get("chain")
            if chain is None:
                table.decidable = False
                continue
            table.chains.setdefault(chain, []).append(item)
            table.items.append(item)
        tables[menu] = table
    lists = _Lists(InterfaceLists(device),
                   uncertain=bool(scripted & set(LIST_MENUS)) or bool(unresolved & set(LIST_MENUS)))
    export = device.source.export_version() is not None
    return Firewall(tables, scripted, export, lists)


def _unreadable(items: list[Item], errors: list[tuple[int, int]]) -> bool:
    """Whether a syntax error lies between the first and the last command
    of the table's rules (a rule lost there would change the table)."""
    spans = [(c.start, c.end) for item in items for c in item.commands]
    if not spans:
        return False
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    return any(first <= start <= last for start, _ in errors)


def _scripted_menus(device: Device) -> set[str]:
    """Menus a command inside a script of the file (a scheduler, a hook, a
    ``:foreach``) changes: their rules at run time are not the file's."""
    top = {id(s) for s in device.script.body}
    out: set[str] = set()
    for cmd in device.commands():  # the walk every check shares
        if id(cmd) in top or cmd.verb is None:
            continue
        if cmd.verb.text in ("add", "set", "remove", "enable", "disable", "move", "edit"):
            out.add(cmd.menu_path)
    return out


class _Lists:
    """Interface list -> members, read through the firewall model's
    ``InterfaceLists`` (``include``/``exclude``, lists filled at run time);
    every list is unknown when a script changes lists or members."""

    __slots__ = ("_lists", "_uncertain")

    def __init__(self, lists, uncertain: bool):
        self._lists = lists
        self._uncertain = uncertain

    def get(self, name: str):
        return None if self._uncertain else self._lists.members(name)


def _names(text: str | None) -> list[str]:
    return [p for p in (text or "").split(",") if p]


def uplinks(ctx) -> dict[str, str]:
    """Interface -> how the main table's active IPv4 default routes leave
    through it (``the default route added by PPPoE client pppoe-out1``)."""
    return ctx.shared(uplinks_of_run)


def _uplinks_of(run) -> dict[str, str]:
    return run.shared(uplinks_of_run)


def uplinks_of_run(run) -> dict[str, str]:
    analysis = analyse(run)  # a DeviceRun shares like a context
    out: dict[str, str] = {}
    for result in analysis.results:
        route = result.route
        if route.dst.version != 4 or route.dst.prefixlen != 0 or route.table != "main" or not result.active:
            continue
        if route.kind == "dynamic" and route.interface:
            out.setdefault(route.interface, describe(route))
            continue
        for gw in result.gateways:
            if gw.ok and gw.interface:
                out.setdefault(gw.interface, describe(route))
    return out


def lan_networks(ctx) -> list[tuple[ipaddress.IPv4Network, str]]:
    """(network, interface) of the connected IPv4 networks of interfaces that
    are not uplinks."""
    return ctx.shared(lan_networks_of_run)


def lan_networks_of_run(run) -> list[tuple[ipaddress.IPv4Network, str]]:
    ups = _uplinks_of(run)
    wan = run.facts.wan_interfaces
    out = []
    for fact in run.facts.addresses:
        if fact.iface.version == 4 and fact.interface not in ups and fact.interface not in wan:
            out.append((fact.network, fact.interface))
    return out


def lan_index(ctx) -> "NetworkIndex":
    """``lan_networks(ctx)`` as a ``NetworkIndex``, built once per run."""
    return ctx.shared(lan_index_of_run)


def lan_index_of_run(run) -> "NetworkIndex":
    return NetworkIndex(run.shared(lan_networks_of_run))


class NetworkIndex:
    """``first(address)``: the first (network, interface) of a list that holds
    an IPv4 address, found with one dict look-up per prefix length the list
    uses, not by testing every network (a router with thousands of VLANs
    asks once per port forward)."""

    __slots__ = ("nets", "by_length")

    def __init__(self, nets: list):
        self.nets = nets
        self.by_length: dict[int, dict[int, int]] = {}
        for position, (net, _iface) in enumerate(nets):
            self.by_length.setdefault(net.prefixlen, {}).setdefault(int(net.network_address), position)

    def first(self, address) -> tuple | None:
        if address.version != 4:
            return None
        value, best = int(address), None
        for length, table in self.by_length.items():
            shift = 32 - length
            found = table.get(value >> shift << shift)
            if found is not None and (best is None or found < best):
                best = found
        return None if best is None else self.nets[best]


def address_set(value: str | None):
    """``10.0.0.0/24`` or ``10.0.0.1-10.0.0.9`` → (first, last) as ints with
    the IP version, else None."""
    if not value:
        return None
    if "-" in value:  # a range: parse_range does not order its ends
        lo, _, hi = value.partition("-")
        a, b = values.dotted_quad(lo), values.dotted_quad(hi)
        if a is not None and b is not None:
            return 4, a, b
    else:
        found = values.v4_network(value)  # the common case, without building ipaddress objects
        if found is not None:
            return 4, found[0], found[1]
    rng = parse_range(value)
    if rng is None:
        return None
    return rng[0].version, int(rng[0]), int(rng[1])


def overlaps(value: str, network) -> bool | None:
    got = address_set(value)
    if got is None:
        return None
    version, lo, hi = got
    if version != network.version:
        return False
    return lo <= int(network[-1]) and int(network[0]) <= hi


def line_of(ctx, item: Item) -> int | None:
    node = item.node()
    return ctx.source.line_col(node.start)[0] if node is not None else None


def network_of(text: str | None):
    return parse_network(text)


def ports_of(text: str) -> list[tuple[int, int]] | None:
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        if not lo.isdigit() or (hi and not hi.isdigit()):
            return None
        out.append((int(lo), int(hi or lo)))
    return out
