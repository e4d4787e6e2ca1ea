"""The firewall of a device: tables, chains and rules in the order RouterOS walks them.

``policy(run)`` builds it once per lint run (call it through
``ctx.shared(policy)``); ``Policy.chain(table, name, family)`` gives a
chain's rules in order, disabled rules included (they are skipped by
``Chain.active``).  A table whose order rosc cannot know (a rule moved with
``place-before``, a ``set``/``remove`` rosc could not place, a rule without
``chain``) is not ``decidable``: checks about order stay silent on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rosc.model.device import Device
from rosc.model.firewall.lists import AddressLists, InterfaceLists
from rosc.model.firewall.rules import Rule, build_rule

TABLES = ("raw", "mangle", "nat", "filter")
FAMILIES = {4: "/ip firewall", 6: "/ipv6 firewall"}
BUILTIN_CHAINS = {
    "filter": ("input", "forward", "output"),
    "nat": ("srcnat", "dstnat"),
    "mangle": ("prerouting", "input", "forward", "output", "postrouting"),
    "raw": ("prerouting", "output"),
}


def menu_of(table: str, family: int = 4) -> str:
    return f"{FAMILIES[family]} {table}"


@dataclass(slots=True, eq=False)
class Chain:
    family: int
    table: str
    name: str
    rules: list[Rule] = field(default_factory=list)
    _active: list[Rule] | None = field(default=None, repr=False)  # filled on first use
    _built: int = field(default=0, repr=False)  # len(rules) when _active was computed

    @property
    def builtin(self) -> bool:
        return self.name in BUILTIN_CHAINS[self.table]

    @property
    def active(self) -> list[Rule]:
        """The enabled rules, in order (one list, computed once: do not change it)."""
        if self._active is None or len(self.rules) != self._built:
            self._active = [r for r in self.rules if not r.disabled]
            self._built = len(self.rules)
        return self._active


class Policy:
    """Every firewall table of a device, IPv4 and IPv6."""

    def __init__(self, device: Device):
        self.device = device
        self.interface_lists = InterfaceLists(device)
        self.address_lists = AddressLists(device)
        self.chains: dict[tuple[int, str, str], Chain] = {}
        self._undecidable: set[tuple[int, str]] = set()
        unresolved = {c.menu_path for c in device.unresolved}
        source = device.source
        cache: dict = {}  # family -> (matcher, text) -> its constraint: rule sets repeat their values
        for family in FAMILIES:
            for table in TABLES:
                menu = menu_of(table, family)
                if menu in unresolved:
                    self._undecidable.add((family, table))
                counts: dict[str, int] = {}
                for item in device.items(menu):
                    chain = item.get("chain")
                    if not chain:
                        self._undecidable.add((family, table))
                        continue
                    if item.arg("place-before") is not None:
                        self._undecidable.add((family, table))
                    node = item.origin if item.origin is not None else (item.commands[0] if item.commands else None)
                    line = source.line_col(node.start)[0] if node is not None else 0
                    index = counts.get(chain, 0)
                    counts[chain] = index + 1
                    rule = build_rule(item, family, table, chain, index, line, self, cache)
                    key = (family, table, chain)
                    if key not in self.chains:
                        self.chains[key] = Chain(family, table, chain)
                    self.chains[key].rules.append(rule)

    def chain(self, table: str, name: str, family: int = 4) -> Chain:
        """The chain (an empty one when the file has no rule in it)."""
        return self.chains.get((family, table, name)) or Chain(family, table, name)

    def table(self, table: str, family: int = 4) -> list[Chain]:
        """The chains of a table that hold rules, in the order the file first uses them."""
        return [c for (f, t, _), c in self.chains.items() if f == family and t == table]

    def rules(self, table: str | None = None, family: int | None = None) -> list[Rule]:
        return [r for (f, t, _), c in self.chains.items() for r in c.rules
                if (table is None or t == table) and (family is None or f == family)]

    def decidable(self, table: str, family: int = 4) -> bool:
        """Whether the file shows the table's rules in the order RouterOS holds them."""
        return (family, table) not in self._undecidable


def policy(run) -> Policy:
    """The firewall policy of a lint run's device (``ctx.shared(policy)``)."""
    return Policy(run.device)
