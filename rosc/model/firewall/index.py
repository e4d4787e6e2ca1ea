"""Finding the earlier rules that cover a rule without comparing every pair.

``CoverIndex`` holds the terminal rules seen so far in a chain, each filed
under one key of its most selective matcher:

* an address, port or protocol set under the smallest aligned block (a
  CIDR prefix; for ports and protocols the same over 16 or 8 bits) that
  holds it: a rule whose set contains another's has a block that contains
  the other's block, so a rule is looked up under its block's supernets
  only, of the lengths some rule was filed under;
* a finite set of interfaces under each of its names: a rule that covers
  another holds every one of the other's names, so one name is enough.

The key is the matcher whose bucket holds the fewest rules so far (ties:
the narrowest block for its width), so a matcher many rules share (one
uplink interface, one port range) does not gather them all in one bucket.

* an opaque constraint (a connection mark, an interface list whose
  members are not known...) under itself: a rule covers another only when
  each of its opaque constraints is one of the other's.

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
_BITS = {4: 32, 6: 128}


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

    def _bits(self, dim: str, bits: int | None) -> int:
        return bits if bits is not None else _BITS[self.family]

    def add(self, rule: Rule, epoch: int = 0) -> None:
        if rule.undecidable:
            return  # covers nothing
        self._epoch[id(rule)] = epoch
        options = []  # (bucket size now, -selectivity, kind, tie-break, key)
        for dim, bits in RANGE_DIMS:
            constraint = rule.space.get(dim)
            if constraint is None or constraint.opaque or type(constraint.known) is not Ranges:
                continue
            width = self._bits(dim, bits)
            block = _block(constraint.known, width)
            if block is not None and block[0] > 0:
                key = (dim, *block)
                options.append((len(self._ranges.get(key, ())), -block[0] / width, "range", len(options), key))
        for dim in NAME_DIMS:
            constraint = rule.space.get(dim)
            if constraint is None or constraint.opaque or type(constraint.known) is not Names or constraint.known.co:
                continue
            if constraint.known.names:
                size = max(len(self._names.get((dim, n), ())) for n in constraint.known.names)
                options.append((size, -1.0, "names", len(options), (dim, tuple(sorted(constraint.known.names)))))
        for dim, constraint in rule.space.items():
            for opaque in constraint.opaque:
                key = (dim, opaque)
                options.append((len(self._opaque.get(key, ())), -1.0, "opaque", len(options), key))
        if not options:
            self._general.append(rule)
            return
        _size, _score, kind, _n, key = min(options)
        if kind == "range":
            self._ranges.setdefault(key, []).append(rule)
            self._sizes.setdefault(key[0], set()).add(key[1])
        elif kind == "opaque":
            self._opaque.setdefault(key, []).append(rule)
        else:
            for name in key[1]:
                self._names.setdefault((key[0], name), []).append(rule)

    def covering(self, rule: Rule, epoch: int = 0) -> list[Rule]:
        found: dict[int, Rule] = {}
        for candidate in self._general:
            if candidate.covers(rule):
                found[id(candidate)] = candidate
        for dim, bits in RANGE_DIMS:
            sizes = self._sizes.get(dim)
            if not sizes:
                continue
            width = self._bits(dim, bits)
            block = _block(rule.dim(dim).known, width)
            if block is None:
                continue
            length, first = block
            for size in sizes:
                if size > length:
                    continue
                shift = width - size
                for candidate in self._ranges.get((dim, size, (first >> shift) << shift), ()):
                    if id(candidate) not in found and candidate.covers(rule):
                        found[id(candidate)] = candidate
        for dim in NAME_DIMS:
            known = rule.dim(dim).known
            if known.co or not known.names:
                continue
            for candidate in self._names.get((dim, min(known.names)), ()):
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
