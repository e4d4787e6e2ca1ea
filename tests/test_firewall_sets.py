"""The set algebra of the firewall model agrees with plain Python sets."""

from hypothesis import given, settings
from hypothesis import strategies as st

from rosc.model.firewall.sets import Dim, Ranges

TOP = 63
pairs = st.lists(st.tuples(st.integers(0, TOP), st.integers(0, TOP)).map(sorted), max_size=6)


def members(r: Ranges) -> set[int]:
    return {v for lo, hi in r.spans for v in range(lo, hi + 1)}


@settings(max_examples=400, deadline=None)
@given(pairs, pairs)
def test_contains_intersect_complement_match_sets(a, b):
    ra, rb = Ranges.of(a, TOP), Ranges.of(b, TOP)
    sa, sb = members(ra), members(rb)
    assert ra.contains(rb) == (sb <= sa)
    assert Dim(ra).contains(Dim(rb)) == (sb <= sa)
    assert members(ra.intersect(rb)) == sa & sb
    assert members(ra.complement()) == set(range(TOP + 1)) - sa
    assert members(ra.union(rb)) == sa | sb


def test_contains_of_many_spans_is_exact():
    lists = Ranges.of([(i * 10, i * 10 + 3) for i in range(300)], 4000)
    assert lists.contains(Ranges.of([(20, 22), (2990, 2993)], 4000))
    assert not lists.contains(Ranges.of([(20, 22), (2994, 2994)], 4000))
    assert not lists.contains(Ranges.of([(4, 4)], 4000))
    assert lists.contains(lists) and lists.contains(Ranges.of([], 4000))
    # the cached span starts are not part of the value
    assert lists == Ranges.of([(i * 10, i * 10 + 3) for i in range(300)], 4000)
