"""One firewall rule: its action and the set of packets it matches.

A rule's *match space* is a product of dimensions (``DIMENSIONS``): in and
out interface, source and destination address, protocol, ports, connection
state, connection NAT state and IPsec policy.  ``in-interface`` and
``in-interface-list`` both narrow the ``in`` dimension, ``src-address`` and
``src-address-list`` the ``src`` one, and so on; ``!`` complements.

Matchers rosc does not model are of two kinds:

* deterministic ones (``dst-address-type``, ``tcp-flags``,
  ``connection-mark``, ``content``...): kept as opaque constraints by their
  text, so the same matcher with the same value on two rules is the same
  set of packets, and a rule holding one only *may* match a packet;
* stateful or unreadable ones (``limit``, ``nth``, ``random``,
  ``connection-rate``, a value computed by a script...): the rule is
  ``undecidable``: it may match any packet its other matchers allow, and it
  covers nothing.

Either way a check never calls a rule dead because of a matcher rosc does
not understand: ``Rule.covers`` is only true when it is provable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from rosc.model.device import TRUE_WORDS, Item, literal
from rosc.model.firewall import values
from rosc.model.firewall.sets import Dim, Names, Ranges
from rosc.syntax.tree import Word

DIMENSIONS = ("in", "out", "src", "dst", "proto", "sport", "dport", "state", "nat", "ipsec", "other")


class Match(Enum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


# Parameters that say what to do, not which packets: they never narrow the match.
ACTION_PARAMS = frozenset({
    "chain", "action", "comment", "log", "log-prefix", "disabled", "jump-target", "reject-with", "address-list",
    "address-list-timeout", "to-addresses", "to-ports", "passthrough", "place-before", "copy-from", "hw-offload",
    "route-dst", "sniff-id", "sniff-target", "sniff-target-port", "socks5-server", "socks5-port", "socksify-service",
    "randomise-ports", "numbers",
})
# Parameters two otherwise identical rules may differ in (``Rule.signature``).
SIGNATURE_IGNORES = frozenset({"comment", "disabled"})
# Matchers whose result depends on counters, time of arrival or chance: nothing provable.
STATEFUL = frozenset({
    "limit", "dst-limit", "nth", "random", "connection-limit", "connection-rate", "psd", "connection-bytes",
})

# Actions that end the walk of a chain for a packet they match, by table ("return" ends the chain).
TERMINAL = {
    "filter": frozenset({"accept", "drop", "reject", "tarpit", "return"}),
    "raw": frozenset({"accept", "drop", "return"}),
    "nat": frozenset({"accept", "return", "src-nat", "masquerade", "dst-nat", "redirect", "same", "netmap",
                      "endpoint-independent-nat"}),
    "mangle": frozenset({"accept", "drop", "return"}),
}
DROPPING = frozenset({"drop", "reject", "tarpit"})
# Mangle actions that stop the walk only with passthrough=no (Mangle: the marking actions' passthrough).
MANGLE_PASSTHROUGH = frozenset({
    "mark-packet", "mark-connection", "mark-routing", "change-mss", "change-dscp", "change-ttl", "set-priority",
    "clear-df", "strip-ipv4-options", "route",
})
# Matchers on what rules of the same walk can change: marks (mark-*), DSCP, TTL, MSS and priority
# (change-*, set-priority), and address lists rosc cannot resolve (add-*-to-address-list).
MUTABLE = frozenset({
    "connection-mark", "packet-mark", "routing-mark", "dscp", "ttl", "tcp-mss", "priority", "src-address-list",
    "dst-address-list", "hotspot",
})
# Actions that change what a MUTABLE matcher sees (a jump may run any of them).
MUTATING = frozenset({
    "jump", "mark-packet", "mark-connection", "mark-routing", "change-dscp", "change-ttl", "change-mss",
    "set-priority", "add-src-to-address-list", "add-dst-to-address-list", "strip-ipv4-options", "clear-df",
})
# Actions rosc does not know the end of (socksify hands the packet elsewhere): neither terminal nor covering.
UNCLEAR = frozenset({"socksify", "notrack"})


def _universe(dim: str, family: int):
    if dim in ("in", "out"):
        return Names.everything()
    if dim in ("src", "dst"):
        return Ranges.everything(values.TOP[family])
    if dim == "proto":
        return Ranges.everything(values.PROTO_TOP)
    if dim in ("sport", "dport"):
        return Ranges.everything(values.PORT_TOP)
    if dim == "state":
        return values.STATES
    if dim == "nat":
        return values.NAT_STATES
    if dim == "ipsec":
        return values.IPSEC_STATES
    return frozenset({"*"})  # "other": only opaque constraints


_UNIVERSES = {(dim, family): Dim(_universe(dim, family)) for dim in DIMENSIONS for family in (4, 6)}


def universe(dim: str, family: int) -> Dim:
    """The constraint that lets every packet through (immutable, shared)."""
    return _UNIVERSES[(dim, family)]


def complement(known, dim: str, family: int):
    if type(known) is frozenset:
        return _universe(dim, family) - known
    return known.complement()


@dataclass(slots=True, eq=False)
class Rule:
    """A rule of a chain.  ``index`` counts the chain's rules (disabled too)
    from 0; ``line`` is the 1-based line of the command that adds it."""

    item: Item
    family: int  # 4 or 6
    table: str  # filter, nat, mangle, raw
    chain: str
    index: int
    action: str
    line: int
    space: dict[str, Dim] = field(default_factory=dict)
    undecidable: list[str] = field(default_factory=list)  # why the rule may match anything its other matchers allow
    opaque: list[str] = field(default_factory=list)  # the deterministic matchers kept by their text
    # every parameter but the comment and ``disabled`` with its text (the action included when left
    # out), as a frozenset: two rules with the same signature are the same rule; None when a value is computed
    signature: frozenset | None = None
    disabled: bool = False  # ``disabled=yes``: kept in the chain, never walked

    @property
    def jump_target(self) -> str | None:
        return self.item.get("jump-target") if self.action == "jump" else None

    @property
    def terminal(self) -> bool:
        """Whether a packet this rule matches goes no further in the chain."""
        if self.action in TERMINAL[self.table]:
            return True
        return self.table == "mangle" and self.action in MANGLE_PASSTHROUGH and self.item.get("passthrough") == "no"

    @property
    def dropping(self) -> bool:
        return self.action in DROPPING

    @property
    def exact(self) -> bool:
        """Every matcher of the rule is modelled exactly (no opaque, nothing undecidable)."""
        return not self.undecidable and not self.opaque

    @property
    def unconditional(self) -> bool:
        """The rule matches every packet of its chain."""
        if self.undecidable or self.opaque:
            return False
        family = self.family
        for name, dim in self.space.items():
            if not dim.contains(_UNIVERSES[(name, family)]):
                return False
        return True

    @property
    def mutable(self) -> bool:
        """Whether an opaque matcher of the rule reads something an earlier rule
        of the same walk may change (a mark, an address list filled at run time):
        the rule then proves nothing about a rule after such a change."""
        for dim in self.space.values():
            for key in dim.opaque:
                if key[0] in MUTABLE:
                    return True
        return False

    @property
    def mutating(self) -> bool:
        """Whether the rule may change what a ``mutable`` rule reads."""
        return self.action in MUTATING

    def node(self, name: str | None = None):
        return self.item.node(name)

    def dim(self, name: str) -> Dim:
        found = self.space.get(name)
        return found if found is not None else _UNIVERSES[(name, self.family)]

    def matches(self, packet: dict[str, Dim]) -> Match:
        """YES when every packet of ``packet`` (a packet or a class of them,
        see ``rosc.model.firewall.packet``) is matched, NO when none is,
        MAYBE otherwise or when rosc cannot tell."""
        result = Match.YES
        for name, dim in self.space.items():
            other = packet.get(name) or universe(name, self.family)
            if dim.disjoint(other):
                return Match.NO
            if not dim.contains(other):
                result = Match.MAYBE
        if self.undecidable:
            return Match.MAYBE
        return result

    def covers(self, other: "Rule") -> bool:
        """Provably every packet ``other`` matches is matched by this rule."""
        if self.undecidable or self.family != other.family:
            return False
        theirs = other.space
        for name, dim in self.space.items():
            found = theirs.get(name)
            if not dim.contains(found if found is not None else _UNIVERSES[(name, self.family)]):
                return False
        return True

    def overlaps(self, other: "Rule") -> bool:
        """Whether some packet may be matched by both (False only when provably none is)."""
        return not any(self.dim(n).disjoint(other.dim(n)) for n in set(self.space) | set(other.space))

    def describe(self) -> str:
        return f"line {self.line}: chain={self.chain} action={self.action}"


# matcher name -> (dimension, parser, needs the family)
_MATCHERS = {
    "in-interface": ("in", values.interfaces),
    "out-interface": ("out", values.interfaces),
    "protocol": ("proto", values.protocol),
    "src-port": ("sport", values.ports),
    "dst-port": ("dport", values.ports),
    "connection-state": ("state", values.states),
    "connection-nat-state": ("nat", values.nat_states),
    "ipsec-policy": ("ipsec", values.ipsec_states),
}
_LISTS = {"in-interface-list": "in", "out-interface-list": "out"}
_ADDRESSES = {"src-address": "src", "dst-address": "dst"}
_ADDRESS_LISTS = {"src-address-list": "src", "dst-address-list": "dst"}


_SKIP = ("skip",)  # a cache entry: a parameter that says what to do, not which packets


def build_rule(item: Item, family: int, table: str, chain: str, index: int, line: int, lists,
               cache: dict | None = None) -> Rule:
    """The rule of ``item``; ``lists`` is the ``Policy`` (interface and address lists);
    ``cache`` keeps, by family, what each (parameter, text) already read stands for (rules repeat them)."""
    cache = (cache if cache is not None else {}).setdefault(family, {})  # (parameter, text) -> entry
    props = item.props
    action = item.get("action") or "accept"
    arg = props.get("disabled")  # Item.disabled, without its three calls
    disabled = literal(arg) in TRUE_WORDS if arg is not None else bool(item.defaults) and item.disabled
    rule = Rule(item, family, table, chain, index, action, line, disabled=disabled)
    signature: list | None = [] if "action" in props else [("action", "accept")]
    space = rule.space
    for name, arg in props.items():  # one pass: each value read once, for the space and the signature
        value = arg.value
        text = value.text if type(value) is Word else literal(arg)  # literal(), the common case inlined
        if text is None:
            if name not in SIGNATURE_IGNORES:
                signature = None
            if name not in ACTION_PARAMS and not name.startswith("new-"):
                rule.undecidable.append(f"{name} is computed by the script")
            continue
        key = (name, text)
        if signature is not None and name not in SIGNATURE_IGNORES:
            signature.append(key)
        entry = cache.get(key)
        if entry is None:
            entry = cache[key] = _entry(name, text, family, lists)
        if entry is _SKIP:
            continue
        dim, constraint, unmodelled = entry
        if dim is None:
            rule.undecidable.append(constraint)
            continue
        if unmodelled:
            rule.opaque.append(name)
        current = space.get(dim)
        space[dim] = constraint if current is None else current.intersect(constraint)
    rule.signature = frozenset(signature) if signature is not None else None
    return rule


def _entry(name: str, text: str, family: int, lists) -> tuple:
    """What one literal parameter of a rule stands for: ``_SKIP``, (None, why
    the rule is undecidable, False) or (dimension, constraint, unmodelled)."""
    if name in ACTION_PARAMS or name.startswith("new-"):
        return _SKIP
    if name in STATEFUL:
        return None, f"{name} depends on counters or chance", False
    negated = text.startswith("!")
    body = text[1:] if negated else text
    dim, known, opaque = _constraint(name, body, negated, family, lists)
    if dim is None:
        return "other", Dim(frozenset({"*"}), frozenset({(name, text)})), True
    if known is not None and negated:
        known = complement(known, dim, family)
    return dim, Dim(known if known is not None else _universe(dim, family), opaque), False


def _constraint(name: str, body: str, negated: bool, family: int, lists):
    """(dimension, known set or None, opaque constraints) of one matcher;
    dimension None when rosc does not model the matcher."""
    if name in _MATCHERS:
        dim, parse = _MATCHERS[name]
        known = parse(body)
        if known is None:
            return None, None, frozenset()
        return dim, known, frozenset()
    if name in _ADDRESSES:
        known = values.addresses(body, family)
        return (_ADDRESSES[name], known, frozenset()) if known is not None else (None, None, frozenset())
    if name in _LISTS:
        known = lists.interface_lists.members(body)
        if known is None:
            return _LISTS[name], None, frozenset({(name, negated, body)})
        return _LISTS[name], known, frozenset()
    if name in _ADDRESS_LISTS:
        known = lists.address_lists.entries(body, family)
        if known is None:
            return _ADDRESS_LISTS[name], None, frozenset({(name, negated, body)})
        return _ADDRESS_LISTS[name], known, frozenset()
    return None, None, frozenset()
