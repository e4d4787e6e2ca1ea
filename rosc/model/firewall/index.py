"""Finding the earlier rules that cover a rule without comparing every pair.

``CoverIndex`` holds the terminal rules seen so far in a chain, each filed
under one key of its most selective matcher:

* an address, port or protocol set under the smallest aligned block (a
  CIDR prefix; for ports and protocols the same over 16 or 8 bits) that
  holds it: a rule whose set contains another's has a block that contains
  the other's block, so a rule is looked up under its block's supernets
  only, of the lengths some rule was filed under;
* a finite set of interfaces under each of its names: a rule that covers
  another holds every one of the other's names, so one name is enough;
* an opaque constraint (a connection mark, an interface list whose
  members are not known...) under itself: a rule covers another only when
  each of its opaque constraints is one of the other's.

The key is the matcher whose bucket costs least: the rules it holds so far
times how broad the key is (a wide block, a protocol, which many later
lookups read), so a matcher many rules share (one uplink interface, one
port range, tcp) does not gather them all in one bucket.

A rule with no such matcher goes to a short list every lookup reads.  Each
candidate is then checked exactly with ``Rule.covers``.  ``epoch`` counts
the rules that may change marks or address lists (``Rule.mutating``): a
``mutable`` rule added in an earlier epoch covers nothing any more.
"""

from __future__ import annotations

from rosc.model.firewall.rules import Rule
from rosc.model.firewall.sets import Names, Ranges

# (dimension, bits) in the order a rule's key is chosen: the most selective first.
RANGE_DIMS = (("src", None), ("dst", None), ("dport", 16), ("sport", 16), ("proto", 8))
NAME_DIMS = ("in", "out")
# How broad a key is, beside an address or port block's (1 for a single value, up to 4 for everything):
PROTO_WEIGHT = 4.0  # few protocols: rules of one protocol are many
NAME_WEIGHT = 1.5
OPAQUE_WEIGHT = 2.0
WIDE_NAMES = 32  # more names than this: filing the rule under each costs more than any other key
_BITS = {4: 32, 6: 128}
_WIDTHS = {dim: bits for dim, bits in RANGE_DIMS if bits is not None}  # the others: an address's width


def _block(ranges: Ranges, bits: int) -> tuple[int, int] | None:
    """(prefix length, first value) of the smallest aligned block holding the set."""
    hull = ranges.hull()
    if hull is None:
        return None
    lo, hi = hull
    length = bits - (lo ^ hi).bit_length()
    return length, (lo >> (bits - length)) << (bits - length) if length < bits else lo


class CoverIndex:
    """``add(rule)`` terminal rules in chain order; ``covering(rule)`` the
    earlier ones that provably cover ``rule``, in order."""

    def __init__(self, family: int):
        self.family = family
        self._ranges: dict[tuple, list[Rule]] = {}
        self._names: dict[tuple, list[Rule]] = {}
        self._opaque: dict[tuple, list[Rule]] = {}  # (dimension, opaque constraint) -> rules
        self._general: list[Rule] = []
        self._epoch: dict[int, int] = {}
        self._sizes: dict[str, set[int]] = {}  # dimension -> the block lengths filed under it
        self._width = _BITS[family]  # of an address
        self._last: tuple[Rule, dict] | None = None  # the last rule's blocks
        self._firsts: dict[int, tuple] = {}  # id(names) -> (names, min(names))

    def _blocks(self, rule: Rule) -> dict[str, tuple[int, int]]:
        """The rule's block per range dimension it constrains (computed once:
        ``covering`` then ``add`` ask for the same rule)."""
        if self._last is not None and self._last[0] is rule:
            return self._last[1]
        out = {}
        space = rule.space
        for dim, bits in RANGE_DIMS:
            constraint = space.get(dim)
            if constraint is None or type(constraint.known) is not Ranges:
                continue
            block = _block(constraint.known, bits if bits is not None else self._width)
            if block is not None:
                out[dim] = block
        self._last = (rule, out)
        return out

    def add(self, rule: Rule, epoch: int = 0) -> None:
        if rule.undecidable:
            return  # covers nothing
        self._epoch[id(rule)] = epoch
        # The key of least cost: the bucket's size now (plus one) times how broad the key
        # is (a broad key is read by many later lookups); the first such key on a tie.
        best, kind, key = None, None, None
        space = rule.space
        blocks = self._blocks(rule)
        for dim, bits in RANGE_DIMS:
            block = blocks.get(dim)
            if block is None or block[0] == 0 or space[dim].opaque:
                continue
            option = (dim, *block)
            width = bits if bits is not None else self._width
            weight = PROTO_WEIGHT if dim == "proto" else 1.0 + 3.0 * (width - block[0]) / width
            cost = (len(self._ranges.get(option, ())) + 1) * weight
            if best is None or cost < best:
                best, kind, key = cost, "range", option
        wide = None  # a set of many names (an interface list of every VLAN): filed under each, read last
        for dim in NAME_DIMS:
            constraint = space.get(dim)
            if constraint is None or constraint.opaque or type(constraint.known) is not Names or constraint.known.co:
                continue
            names = constraint.known.names
            if not names:
                continue
            if len(names) > WIDE_NAMES:
                wide = wide or (dim, names)
                continue
            buckets = self._names
            size = max(len(buckets.get((dim, n), ())) for n in names) if len(names) > 1 else \
                len(buckets.get((dim, next(iter(names))), ()))
            cost = (size + 1) * NAME_WEIGHT
            if best is None or cost < best:
                best, kind, key = cost, "names", (dim, names)
        for dim, constraint in space.items():
            for opaque in constraint.opaque:
                option = (dim, opaque)
                cost = (len(self._opaque.get(option, ())) + 1) * OPAQUE_WEIGHT
                if best is None or cost < best:
                    best, kind, key = cost, "opaque", option
        if kind is None and wide is not None:
            kind, key = "names", wide
        if kind is None:
            self._general.append(rule)
        elif kind == "range":
            self._ranges.setdefault(key, []).append(rule)
            self._sizes.setdefault(key[0], set()).add(key[1])
        elif kind == "opaque":
            self._opaque.setdefault(key, []).append(rule)
        else:
            for name in key[1]:
                self._names.setdefault((key[0], name), []).append(rule)

    def _first(self, names) -> str:
        """``min(names)``, once per set of names (rules share the members of an interface list)."""
        found = self._firsts.get(id(names))
        if found is None or found[0] is not names:
            found = self._firsts[id(names)] = (names, min(names))
        return found[1]

    def covering(self, rule: Rule, epoch: int = 0) -> list[Rule]:
        found: dict[int, Rule] = {}
        for candidate in self._general:
            if candidate.covers(rule):
                found[id(candidate)] = candidate
        # a dimension the rule leaves open has no block: only sizes 0 would hold it, and none is filed
        ranges = self._ranges
        for dim, (length, first) in self._blocks(rule).items():
            sizes = self._sizes.get(dim)
            if not sizes:
                continue
            width = _WIDTHS.get(dim, self._width)
            for size in sizes:
                if size > length:
                    continue
                shift = width - size
                bucket = ranges.get((dim, size, (first >> shift) << shift))
                if bucket:
                    for candidate in bucket:
                        if id(candidate) not in found and candidate.covers(rule):
                            found[id(candidate)] = candidate
        space = rule.space
        for dim in NAME_DIMS:
            constraint = space.get(dim)
            if constraint is None:
                continue  # every interface: no finite set of names holds it
            known = constraint.known
            if known.co or not known.names:
                continue
            for candidate in self._names.get((dim, self._first(known.names)), ()):
                if id(candidate) not in found and candidate.covers(rule):
                    found[id(candidate)] = candidate
        if self._opaque:
            for dim, constraint in rule.space.items():
                for opaque in constraint.opaque:
                    for candidate in self._opaque.get((dim, opaque), ()):
                        if id(candidate) not in found and candidate.covers(rule):
                            found[id(candidate)] = candidate
        return sorted((r for r in found.values() if not r.mutable or self._epoch[id(r)] == epoch),
                      key=lambda r: r.index)
