"""The sets a match space is made of.

* ``Ranges``: a set of integers kept as sorted, disjoint, inclusive
  ``(lo, hi)`` pairs: addresses (as integers), ports, protocol numbers;
* ``Names``: a finite set of names or the complement of one (interfaces:
  ``in-interface=!ether1`` is every interface but ether1);
* ``frozenset``: the few small finite domains (connection states...).

``Dim`` is what one rule says about one dimension of a packet: a known set
(an exact one of the kinds above) and ``opaque`` constraints rosc keeps by
their text only (an interface list whose members are not all known, an
address list filled at run time).  The packet must be in the known set and
satisfy every opaque constraint.  Everything here is immutable.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(slots=True, frozen=True)
class Ranges:
    """A set of integers in ``[0, top]`` as sorted disjoint inclusive ranges."""

    spans: tuple[tuple[int, int], ...]
    top: int
    # the spans' first values, for ``contains``; filled on first use (not part of the value)
    starts: tuple[int, ...] | None = field(default=None, compare=False, repr=False)

    @staticmethod
    def of(pairs, top: int) -> "Ranges":
        if len(pairs) == 1:  # one address, network or port: nothing to merge
            lo, hi = pairs[0]
            lo, hi = max(0, lo), min(top, hi)
            return Ranges(((lo, hi),) if lo <= hi else (), top)
        merged: list[list[int]] = []
        for lo, hi in sorted(pairs):  # clamping keeps the order of the starts: clamp after sorting
            if lo < 0:
                lo = 0
            if hi > top:
                hi = top
            if lo > hi:
                continue
            if merged and lo <= merged[-1][1] + 1:
                if hi > merged[-1][1]:
                    merged[-1][1] = hi
            else:
                merged.append([lo, hi])
        return Ranges(tuple((a, b) for a, b in merged), top)

    @staticmethod
    def everything(top: int) -> "Ranges":
        return Ranges(((0, top),), top)

    @property
    def empty(self) -> bool:
        return not self.spans

    @property
    def full(self) -> bool:
        return self.spans == ((0, self.top),)

    def complement(self) -> "Ranges":
        out, start = [], 0
        for lo, hi in self.spans:
            if lo > start:
                out.append((start, lo - 1))
            start = hi + 1
        if start <= self.top:
            out.append((start, self.top))
        return Ranges(tuple(out), self.top)

    def union(self, other: "Ranges") -> "Ranges":
        return Ranges.of(self.spans + other.spans, max(self.top, other.top))

    def intersect(self, other: "Ranges") -> "Ranges":
        out, i, j = [], 0, 0
        a, b = self.spans, other.spans
        while i < len(a) and j < len(b):
            lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
            if lo <= hi:
                out.append((lo, hi))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return Ranges(tuple(out), min(self.top, other.top))

    def contains(self, other: "Ranges") -> bool:
        """``other`` ⊆ ``self``: each of ``other``'s spans lies in one of
        ``self``'s (spans are disjoint and not adjacent, so a span inside
        the union lies inside one), found by bisection; the first span
        outside ends the test.  O(m log n), not O(n + m): two address
        lists of hundreds of entries each are compared often."""
        mine, theirs = self.spans, other.spans
        if mine == theirs or not theirs:
            return True
        if not mine or theirs[0][0] < mine[0][0] or theirs[-1][1] > mine[-1][1]:
            return False
        if len(mine) == 1:
            return True  # inside the hull, which is the only span
        starts = self._starts()
        for a, b in theirs:
            k = bisect_right(starts, a) - 1
            if k < 0 or b > mine[k][1]:
                return False
        return True

    def _starts(self) -> tuple[int, ...]:
        if self.starts is None:
            object.__setattr__(self, "starts", tuple(lo for lo, _hi in self.spans))
        return self.starts  # type: ignore[return-value]

    def disjoint(self, other: "Ranges") -> bool:
        return self.intersect(other).empty

    def hull(self) -> tuple[int, int] | None:
        return (self.spans[0][0], self.spans[-1][1]) if self.spans else None

    def single(self) -> int | None:
        return self.spans[0][0] if len(self.spans) == 1 and self.spans[0][0] == self.spans[0][1] else None


@dataclass(slots=True, frozen=True)
class Names:
    """A finite set of names (``co=False``) or everything but them (``co=True``)."""

    names: frozenset[str]
    co: bool = False

    @staticmethod
    def everything() -> "Names":
        return Names(frozenset(), True)

    @property
    def empty(self) -> bool:
        return not self.co and not self.names

    @property
    def full(self) -> bool:
        return self.co and not self.names

    def complement(self) -> "Names":
        return Names(self.names, not self.co)

    def __contains__(self, name: str) -> bool:
        return (name in self.names) != self.co

    def union(self, other: "Names") -> "Names":
        if not self.co and not other.co:
            return Names(self.names | other.names)
        if self.co and other.co:
            return Names(self.names & other.names, True)
        pos, neg = (self, other) if not self.co else (other, self)
        return Names(neg.names - pos.names, True)

    def intersect(self, other: "Names") -> "Names":
        if not self.co and not other.co:
            return Names(self.names & other.names)
        if self.co and other.co:
            return Names(self.names | other.names, True)
        pos, neg = (self, other) if not self.co else (other, self)
        return Names(pos.names - neg.names)

    def minus(self, other: "Names") -> "Names":
        return self.intersect(other.complement())

    def contains(self, other: "Names") -> bool:
        """``other`` ⊆ ``self``."""
        if not self.co:
            return not other.co and other.names <= self.names
        if other.co:
            return self.names <= other.names
        return not (other.names & self.names)

    def disjoint(self, other: "Names") -> bool:
        return self.intersect(other).empty


@dataclass(slots=True, frozen=True)
class Dim:
    """One rule's constraint on one dimension: ``known`` ∩ every opaque constraint."""

    known: object  # Ranges, Names or frozenset
    opaque: frozenset = frozenset()

    def intersect(self, other: "Dim") -> "Dim":
        return Dim(_intersect(self.known, other.known), self.opaque | other.opaque)

    @property
    def empty(self) -> bool:
        return _empty(self.known)

    def contains(self, other: "Dim") -> bool:
        """Provably ``other`` ⊆ ``self``: every opaque constraint of ``self``
        is one of ``other``'s and the known sets nest."""
        if self.opaque and not self.opaque <= other.opaque:
            return False
        mine, theirs = self.known, other.known
        if mine is theirs:
            return True
        if type(mine) is Ranges and len(mine.spans) == 1:  # the common case, inlined
            lo, hi = mine.spans[0]
            for a, b in theirs.spans:
                if a < lo or b > hi:
                    return False
            return True
        return _empty(theirs) or _contains(mine, theirs)

    def disjoint(self, other: "Dim") -> bool:
        """Provably no packet is in both (opaque constraints cannot prove it)."""
        return _empty(_intersect(self.known, other.known))


def _intersect(a, b):
    if type(a) is frozenset:
        return a & b
    return a.intersect(b)


def _contains(a, b) -> bool:
    if type(a) is frozenset:
        return b <= a
    return a.contains(b)


def _empty(a) -> bool:
    if type(a) is frozenset:
        return not a
    return a.empty
