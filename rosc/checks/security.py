"""Security checks: exposure of the router itself.

Switch the whole area off with ``--ignore security`` (or ``ignore =
["security"]`` in the configuration).

The firewall questions ("does anything stop a new connection from the
internet to the router's SSH port?") are answered by walking the rules in
order, as RouterOS does, for one probe packet: a new connection from an
arbitrary internet host, arriving on a WAN interface.  Matchers rosc cannot
decide make the answer uncertain, and an uncertain answer is never reported.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.device import Item, literal
from rosc.model.facts import Facts
from rosc.syntax.tree import Arg, Command, Substitution, Word

MIN_PASSWORD = 8

# /ip service: name -> default port, in `print` order (numbers select by it).
SERVICES = {
    "telnet": 23,
    "ftp": 21,
    "www": 80,
    "ssh": 22,
    "www-ssl": 443,
    "api": 8728,
    "winbox": 8291,
    "api-ssl": 8729,
}
SERVICE_ORDER = list(SERVICES)
DISABLED_BY_DEFAULT = frozenset({"www-ssl"})  # needs a certificate; off in a fresh RouterOS 7

FILTER = "/ip firewall filter"
RAW = "/ip firewall raw"
DROPPING = frozenset({"drop", "reject", "tarpit"})
ADDRESS_TYPES = frozenset(
    {"local", "unicast", "broadcast", "multicast", "anycast", "blackhole", "prohibit", "unreachable"}
)
# Parameters that do not narrow what a rule matches.
NEUTRAL = frozenset(
    {
        "chain", "action", "comment", "log", "log-prefix", "disabled", "jump-target", "reject-with",
        "address-list", "address-list-timeout", "copy-from",
    }
)


# --- weak passwords ---------------------------------------------------------

ACCOUNTS = {"/ppp secret": "PPP secret", "/user": "user"}


def _selected_names(cmd: Command) -> list[str] | None:
    """The item names a `set` selects, when written as names or `[find name=X]`."""
    positional = [a for a in cmd.args if type(a) is not Arg]
    numbers = cmd.get("numbers")
    selector = positional[0] if positional else (numbers.value if numbers is not None else None)
    if type(selector) is Word:
        parts = [p for p in selector.text.split(",") if p]
        return None if any(p.isdigit() for p in parts) else parts
    if type(selector) is Substitution and len(selector.body) == 1 and type(selector.body[0]) is Command:
        find = selector.body[0]
        args = [a for a in find.args if not (type(a) is Word and a.text == "where")]
        if find.verb is not None and find.verb.text == "find" and len(args) == 1 and type(args[0]) is Arg:
            name = literal(args[0]) if args[0].name == "name" else None
            if name:
                return [name]
    return None


def _password_problem(name: str, password: str) -> str | None:
    if password == "":
        return "is empty"
    if password.casefold() == name.casefold():
        return "equals its name"
    if len(password) < MIN_PASSWORD:
        return f"is shorter than {MIN_PASSWORD} characters"
    return None


@rule(
    "SEC001", "weak-password", area="security", severity=Severity.WARNING,
    summary="A PPP secret or router user whose password equals its name or is short",
)
def weak_password(ctx):
    for menu, kind in ACCOUNTS.items():
        known: set[str] = set()
        for item in ctx.device.items(menu):
            name = item.name
            if name:
                known.add(name)
            password = item.get("password")
            if not name or password is None or item.disabled:
                continue  # exports leave passwords out: nothing to judge
            problem = _password_problem(name, password)
            if problem:
                yield _weak(ctx, item.node("password"), kind, name, problem)
        # `set admin password=...`, `set [find name=admin] password=...` on
        # users the file never adds (the built-in admin).
        index = ctx.facts.commands
        for stmt in index.in_menu(menu):
            if stmt.verb is None or stmt.verb.text != "set" or not index.is_top(stmt):
                continue
            arg = stmt.get("password")
            password = literal(arg)
            if password is None:
                continue
            for name in _selected_names(stmt) or ():
                if name in known:
                    continue  # the model already applied it to that item
                problem = _password_problem(name, password)
                if problem:
                    yield _weak(ctx, arg.value if arg.value is not None else arg, kind, name, problem)


def _weak(ctx, node, kind: str, name: str, problem: str):
    return ctx.finding(
        node,
        f"the password of {kind} {name} {problem}",
        notes=[
            "Guessing a password that equals the account name, or one this short, takes an attacker a few "
            "tries: password guessing against PPPoE, VPN and management logins is constant on the internet.",
            "rosc never prints the password; it only says what is wrong with it.",
        ],
        fix=f"set a long random password (at least {MIN_PASSWORD} characters, better 16 or more) and give it "
        "to the account's user",
    )


# --- the input firewall -----------------------------------------------------


@dataclass(slots=True, frozen=True)
class Probe:
    interface: str
    protocol: str  # "tcp" or "udp"
    port: int


class Firewall:
    """The IPv4 filter and raw rules of a device, for `Probe`s."""

    def __init__(self, device, facts: Facts):
        self.decidable = not any(c.menu_path in (FILTER, RAW) for c in device.unresolved)
        self.filter = self._chains(device, FILTER)
        self.raw = self._chains(device, RAW)
        self.lists: dict[str, set[str] | None] = {}
        for item in device.items("/interface list"):
            if item.name:
                uncertain = item.get("include") or item.get("exclude")
                self.lists[item.name] = None if uncertain else set()
        for item in device.items("/interface list member"):
            name, iface = item.get("list"), item.get("interface")
            if item.disabled or not name or not iface:
                continue
            if name not in self.lists:
                self.lists[name] = set()
            if self.lists[name] is not None:
                self.lists[name].add(iface)

    def _chains(self, device, menu: str) -> dict[str, list[Item]]:
        chains: dict[str, list[Item]] = {}
        for item in device.items(menu):
            if item.disabled:
                continue
            if item.arg("place-before") is not None:
                self.decidable = False  # the order in the file is not the order on the router
            chain = item.get("chain")
            if chain is None:
                self.decidable = False
                continue
            chains.setdefault(chain, []).append(item)
        return chains

    @property
    def has_input_rules(self) -> bool:
        return bool(self.filter.get("input"))

    def exposed(self, probe: Probe) -> bool | None:
        """True: the probe reaches the router; False: something drops it;
        None: rosc cannot tell."""
        if not self.decidable:
            return None
        verdict, uncertain = self._walk(self.raw, "prerouting", probe, {})
        if verdict == "drop":
            return False
        raw_uncertain = uncertain
        verdict, uncertain = self._walk(self.filter, "input", probe, {})
        if verdict == "drop":
            return False
        if uncertain or raw_uncertain:
            return None
        return True

    def _walk(self, chains, chain: str, probe: Probe, memo: dict) -> tuple[str | None, bool]:
        """(verdict, uncertain): "drop", "accept" or None when the packet
        falls off the end of the chain (or returns from it).  ``memo`` holds
        each chain's answer (None while it is being walked: a jump loop), so
        every rule is looked at once per probe."""
        if chain in memo:
            return memo[chain] or (None, True)
        memo[chain] = None
        memo[chain] = result = self._walk_rules(chains, chain, probe, memo)
        return result

    def _walk_rules(self, chains, chain: str, probe: Probe, memo: dict) -> tuple[str | None, bool]:
        uncertain = False
        for item in chains.get(chain, ()):
            match = self._match(item, probe)
            if match is False:
                continue
            action = item.get("action", "accept")
            if action in DROPPING:
                if match:
                    return "drop", uncertain
                uncertain = True
            elif action == "accept":
                if match:
                    return "accept", uncertain
            elif action == "jump":
                target = item.get("jump-target")
                if not target or target == chain:
                    uncertain = True
                    continue
                verdict, inner = self._walk(chains, target, probe, memo)
                if match:
                    uncertain = uncertain or inner
                    if verdict is not None:
                        return verdict, uncertain
                elif verdict == "drop" or inner:
                    uncertain = True
            elif action == "return":
                if match:
                    return None, uncertain
                uncertain = True
            # log, passthrough, add-*-to-address-list...: the packet goes on
        return None, uncertain

    def _match(self, item: Item, probe: Probe) -> bool | None:
        result: bool | None = True
        for name in item.props:
            if name in NEUTRAL:
                continue
            value = item.get(name)
            if value is None:
                return None
            negated = value.startswith("!")
            matched = self._match_one(name, value[1:] if negated else value, probe)
            if matched is not None and negated:
                matched = not matched
            if matched is False:
                return False
            if matched is None:
                result = None
        return result

    def _match_one(self, name: str, value: str, probe: Probe) -> bool | None:
        if name == "in-interface":
            return None if value.startswith("all-") else value == probe.interface
        if name == "in-interface-list":
            if value in ("all", "static"):
                return True
            if value in ("none", "dynamic"):
                return False
            members = self.lists.get(value)
            return None if members is None else probe.interface in members
        if name == "protocol":
            return value in ({"tcp", "6"} if probe.protocol == "tcp" else {"udp", "17"})
        if name == "dst-port":
            ports = _ports(value)
            return None if ports is None else any(lo <= probe.port <= hi for lo, hi in ports)
        if name == "connection-state":
            return "new" in value.split(",")
        if name == "connection-nat-state":
            return False  # a new connection to the router is neither src- nor dst-natted
        if name == "dst-address-type":
            kinds = value.split(",")
            if set(kinds) <= ADDRESS_TYPES:
                return "local" in kinds or "unicast" in kinds
            return None
        if name == "src-address":
            net = _network(value)
            return None if net is None else net.prefixlen == 0
        if name == "src-address-list":
            return False  # an arbitrary internet host is in none of the lists
        if name == "src-address-type":
            return "unicast" in value.split(",")
        if name == "dst-address":
            net = _network(value)
            return True if net is not None and net.prefixlen == 0 else None
        if name == "ipsec-policy":
            return {"in,none": True, "in,ipsec": False}.get(value)
        if name == "tcp-flags" and probe.protocol == "tcp" and value == "syn":
            return True
        return None


def _network(text: str):
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def _ports(text: str) -> list[tuple[int, int]] | None:
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        if not lo.isdigit() or (hi and not hi.isdigit()):
            return None
        out.append((int(lo), int(hi or lo)))
    return out


def _wan_nodes(device, facts: Facts) -> dict[str, object]:
    """WAN interface -> the node that makes it a WAN interface."""
    out: dict[str, object] = {}
    for item in device.items("/interface pppoe-client"):
        if item.name in facts.wan_interfaces and item.name not in out:
            out[item.name] = item.node("name")
    for item in device.items("/ip dhcp-client"):
        iface = item.get("interface")
        if iface in facts.wan_interfaces and iface not in out:
            out[iface] = item.node("interface")
    for item in device.items("/interface list member"):
        iface = item.get("interface")
        if iface in facts.wan_interfaces and iface not in out:
            out[iface] = item.node("interface")
    for iface in sorted(facts.wan_interfaces):
        out.setdefault(iface, None)
    return out


def _wan_match(firewall: Firewall, ifaces: list[str]) -> str:
    """How a rule would match these WAN interfaces: their WAN list, or the interface."""
    for name, members in sorted(firewall.lists.items()):
        if name.upper().startswith("WAN") and members and set(ifaces) <= members:
            return f"in-interface-list={name}"
    return f"in-interface={ifaces[0]}" if len(ifaces) == 1 else "in-interface-list=WAN"


def _names(items: list[str]) -> str:
    return ", ".join(items)


# --- router services ----------------------------------------------------------


@dataclass(slots=True)
class ServiceState:
    disabled: bool | None
    port: int | None
    address: str | None  # None: computed by the script


def _service_states(device, index=None) -> dict[str, ServiceState]:
    """The eight services after the file's `/ip service` commands (``index``,
    the run's ``CommandIndex``, finds them without a walk of the file)."""
    states = {
        name: ServiceState(name in DISABLED_BY_DEFAULT, port, "") for name, port in SERVICES.items()
    }
    body = device.script.body if index is None else [c for c in index.in_menu("/ip service") if index.is_top(c)]
    for stmt in body:
        if type(stmt) is not Command or stmt.verb is None or stmt.menu_path != "/ip service":
            continue
        verb = stmt.verb.text
        if verb not in ("set", "edit", "enable", "disable"):
            continue
        names = _service_selection(stmt)
        targets = [states[n] for n in names] if names is not None else list(states.values())
        exact = names is not None
        changes: dict[str, object] = {}
        if verb in ("enable", "disable"):
            changes["disabled"] = verb == "disable"
        else:
            for arg in stmt.named:
                if arg.name == "disabled":
                    text = literal(arg)
                    changes["disabled"] = {"yes": True, "true": True, "no": False, "false": False}.get(text or "")
                elif arg.name == "port":
                    text = literal(arg)
                    changes["port"] = int(text) if text and text.isdigit() else None
                elif arg.name == "address":
                    changes["address"] = literal(arg)
        for state in targets:
            for key, value in changes.items():
                setattr(state, key, value if exact else None)
    return states


def _service_selection(cmd: Command) -> list[str] | None:
    positional = [a for a in cmd.args if type(a) is not Arg]
    numbers = cmd.get("numbers")
    selector = positional[0] if positional else (numbers.value if numbers is not None else None)
    if type(selector) is Word:
        out = []
        for part in selector.text.split(","):
            if part in SERVICES:
                out.append(part)
            elif part.isdigit() and int(part) < len(SERVICE_ORDER):
                out.append(SERVICE_ORDER[int(part)])
            else:
                return None
        return out
    if type(selector) is Substitution and len(selector.body) == 1 and type(selector.body[0]) is Command:
        find = selector.body[0]
        if find.verb is None or find.verb.text != "find":
            return None
        args = [a for a in find.args if not (type(a) is Word and a.text == "where")]
        if not args:
            return list(SERVICES)
        if len(args) == 1 and type(args[0]) is Arg and args[0].name == "name":
            value = literal(args[0])
            return [value] if value in SERVICES else None
    return None


def _open_to_all(address: str | None) -> bool | None:
    if address is None:
        return None
    parts = [p for p in address.split(",") if p]
    if not parts:
        return True
    nets = [_network(p) for p in parts]
    if any(n is None for n in nets):
        return None
    return any(n.version == 4 and n.prefixlen == 0 for n in nets)


@rule(
    "SEC002", "services-open-to-wan", area="security", severity=Severity.WARNING,
    summary="Router services reachable from a WAN interface with no input firewall",
)
def services_open_to_wan(ctx):
    facts = ctx.facts
    if not facts.wan_interfaces:
        return
    firewall = Firewall(ctx.device, facts)
    states = _service_states(ctx.device, ctx.facts.commands)
    groups: dict[tuple[str, ...], list[str]] = {}
    wan = _wan_nodes(ctx.device, facts)
    for iface in wan:
        exposed = []
        for name, state in states.items():  # address= does not filter packets (Services): still exposed
            if state.disabled is not False or state.port is None or state.address is None:
                continue
            if firewall.exposed(Probe(iface, "tcp", state.port)) is True:
                exposed.append(name)
        if exposed:
            groups.setdefault(tuple(exposed), []).append(iface)
    for services, ifaces in groups.items():
        plural = len(ifaces) > 1
        where = f"WAN interface{'s' if plural else ''} {_names(ifaces)}"
        why = (
            "there is no input firewall"
            if not firewall.has_input_rules
            else "no rule in chain=input drops new connections to them"
        )
        match = _wan_match(firewall, ifaces)
        limited = [f"{n} (address={states[n].address})" for n in services if _open_to_all(states[n].address) is False]
        yield ctx.finding(
            wan[ifaces[0]],
            f"the router's {'services' if len(services) > 1 else 'service'} {_names(list(services))} "
            f"{'are' if len(services) > 1 else 'is'} reachable from {where}: {why}",
            notes=[
                "RouterOS services listen on every interface, and the input chain accepts whatever no rule "
                "drops: anyone upstream can try passwords on them or attack them (help.mikrotik.com: Services "
                "recommends disabling unused ones).",
                f"Services enabled by default: {_names([s for s in SERVICES if s not in DISABLED_BY_DEFAULT])}; "
                "rosc counts them enabled unless this file disables them.",
            ] + ([f"{_names(limited)}: address= does not drop packets at the network level, the service only "
                  "refuses the login; blocking untrusted networks is the firewall's job (help.mikrotik.com: "
                  "Services)."] if limited else []),
            fix="add an input filter for the WAN side, e.g. `/ip firewall filter add chain=input "
            f"connection-state=established,related action=accept` then `add chain=input {match} action=drop`, "
            "and disable the services you do not use (`/ip service disable telnet,ftp,www,api`)",
        )


@rule(
    "SEC003", "open-dns-resolver", area="security", severity=Severity.WARNING,
    summary="DNS allow-remote-requests=yes with nothing stopping queries from the WAN",
)
def open_dns_resolver(ctx):
    dns = ctx.device.single("/ip dns")
    if dns is None or not dns.flag("allow-remote-requests"):
        return
    facts = ctx.facts
    if not facts.wan_interfaces:
        return
    firewall = Firewall(ctx.device, facts)
    open_on = [
        iface
        for iface in sorted(facts.wan_interfaces)
        if firewall.exposed(Probe(iface, "udp", 53)) is True or firewall.exposed(Probe(iface, "tcp", 53)) is True
    ]
    if not open_on:
        return
    yield ctx.finding(
        dns.node("allow-remote-requests"),
        f"the router answers DNS queries and nothing drops them from WAN interface"
        f"{'s' if len(open_on) > 1 else ''} {_names(open_on)}: it is an open resolver",
        notes=[
            "With allow-remote-requests=yes the router answers DNS on UDP and TCP port 53 on every interface. "
            "Open resolvers are abused for DNS amplification attacks and leak what the cache holds.",
            "When allow-remote-requests is used, limit access to TCP and UDP port 53 to known hosts "
            "(help.mikrotik.com: DNS).",
        ],
        fix=f"drop port 53 from the WAN: `/ip firewall filter add chain=input {_wan_match(firewall, open_on)} "
        "protocol=udp dst-port=53 action=drop` (and the same for tcp), or a general WAN drop rule in chain=input",
    )


# --- NAT without a forward filter -------------------------------------------

# Point-to-point links: their addresses are not a LAN that masquerade hides.
TUNNELS = frozenset(
    {"wireguard", "gre", "gre6", "ipip", "6to4", "eoip", "pppoe-client", "l2tp-client", "sstp-client",
     "ovpn-client", "pptp-client"}
)


RFC1918 = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]


def _kind(facts: Facts, iface: str) -> str | None:
    found = facts.interfaces.get(iface)
    return found.kind if found is not None else None



@rule(
    "SEC004", "masquerade-without-forward-filter", area="security", severity=Severity.INFO,
    summary="A private LAN behind masquerade with no forward firewall",
)
def masquerade_without_forward_filter(ctx):
    device = ctx.device
    masquerade = [
        i
        for i in device.items("/ip firewall nat")
        if not i.disabled and i.get("chain") == "srcnat" and i.get("action") == "masquerade"
    ]
    if not masquerade:
        return
    if any(c.menu_path == FILTER for c in device.unresolved):
        return
    if any(not i.disabled and i.get("chain") in ("forward", None) for i in device.items(FILTER)):
        return
    facts = ctx.facts
    outside = set(facts.wan_interfaces) | {i.get("out-interface") for i in masquerade if i.get("out-interface")}
    lans = [
        a
        for a in facts.addresses
        if a.iface.version == 4
        and any(a.network.subnet_of(n) for n in RFC1918)
        and a.interface not in outside
        and _kind(facts, a.interface) not in TUNNELS
    ]
    if not lans:
        return
    first = masquerade[0]
    outs = []
    for item in masquerade:
        name = item.get("out-interface") or item.get("out-interface-list")
        if name and name not in outs:
            outs.append(name)
    out = ", ".join(outs)
    shown = ", ".join(f"{a.network} on {a.interface}" for a in lans[:3]) + (", ..." if len(lans) > 3 else "")
    yield ctx.finding(
        first.node("action"),
        f"masquerade hides {shown} behind {out or 'the outgoing interface'}, but no firewall rule filters "
        "forwarded traffic: hosts upstream can still open connections into the LAN",
        notes=[
            "Masquerade only rewrites the source of outgoing connections; it does not stop new connections "
            "coming in. A host on the upstream network (the ISP's side) can route the LAN's private prefix "
            "to this router and reach every LAN host.",
            "RouterOS's default configuration drops them with `chain=forward connection-state=new "
            "connection-nat-state=!dstnat in-interface-list=WAN action=drop` (\"defconf: drop all from WAN "
            "not DSTNATed\").",
        ],
        fix="add a forward filter: accept established,related, then `/ip firewall filter add chain=forward "
        "connection-state=new connection-nat-state=!dstnat in-interface-list=WAN action=drop`",
    )
