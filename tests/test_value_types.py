"""The value type language and checker."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rosc.vocabulary import tree as vocabulary
from rosc.vocabulary.value_types import (
    Base,
    Enum,
    IntRange,
    ListOf,
    PairOf,
    RangeOf,
    Ref,
    TypeSyntaxError,
    Union,
    check,
    parse_type,
    ref_kind,
)

# ------------------------------------------------------------------ parsing


def test_parse_simple_and_compound():
    assert parse_type("ipv4") == Base("ipv4")
    assert parse_type("int(1..4094)") == IntRange(1, 4094)
    assert parse_type("int(..10)") == IntRange(None, 10)
    assert parse_type("enum(a|b-c|802.3ad)") == Enum(("a", "b-c", "802.3ad"))
    assert parse_type("list<ipv4-prefix>") == ListOf(Base("ipv4-prefix"))
    assert parse_type("pair<rate>") == PairOf(Base("rate"))
    assert parse_type("range<int(1..4094)>") == RangeOf(IntRange(1, 4094))
    assert parse_type("ref:interface") == Ref("interface")
    assert parse_type("time|enum(none|never)") == Union((Base("time"), Enum(("none", "never"))))
    assert parse_type("list<ref:interface|enum(all)>") == ListOf(Union((Ref("interface"), Enum(("all",)))))


@pytest.mark.parametrize(
    "text", ["", "ipv5", "enum(a|)", "int(1)", "list<ipv4", "ref:toaster", "int(a..b)", "enum(a))"]
)
def test_parse_errors(text):
    with pytest.raises(TypeSyntaxError):
        parse_type(text)


def test_ref_kind():
    assert ref_kind(parse_type("ref:pool|enum(none)")) == "pool"
    assert ref_kind(parse_type("list<ref:interface-list>")) == "interface-list"
    assert ref_kind(parse_type("ipv4")) is None


# ------------------------------------------------------------------ accept / reject

VALID = [
    ("string", ""),
    ("string", "anything at all"),
    ("bool", "yes"),
    ("bool", "no"),
    ("bool", "true"),
    ("bool", "false"),
    ("int", "42"),
    ("int", "-3"),
    ("int", "0x1818"),
    ("int(1..4094)", "4094"),
    ("num", "0.1"),
    ("hex", "0x8000"),
    ("time", "25s"),
    ("time", "1d2h3m"),
    ("time", "500ms"),
    ("time", "1w"),
    ("time", "4w2d"),
    ("time", "00:05:00"),
    ("time", "1d00:05:00"),
    ("time", "30"),
    ("time", "31s250ms"),
    ("time|enum(none)", "none"),
    ("rate", "10M"),
    ("rate", "512k"),
    ("rate", "1000000"),
    ("size", "2048KiB"),
    ("size", "50k"),
    ("ipv4", "192.168.88.1"),
    ("ipv4", "0.0.0.0"),
    ("ipv4-prefix", "192.168.1.1/24"),  # host bits set: fine in /ip address
    ("ipv4-prefix", "0.0.0.0/0"),
    ("ipv4-prefix", "10.0.0.1"),
    ("ipv4-prefix", "10.0.0.0/255.0.0.0"),
    ("ipv4-range", "10.0.0.10-10.0.0.200"),
    ("ipv4-range", "10.1.0.0/16"),
    ("ipv4-range", "10.1.0.5"),
    ("ipv6", "fe80::1"),
    ("ipv6", "fe80::1%ether1"),
    ("ipv6-prefix", "2001:db8::/32"),
    ("ipv6-prefix", "::/0"),
    ("ipv6-range", "2001:db8::1-2001:db8::ff"),
    ("ip", "1.1.1.1"),
    ("ip", "2606:4700::1111"),
    ("ip-prefix", "::/0"),
    ("ip-prefix", "10.0.0.0/8"),
    ("mac", "4C:5E:0C:12:34:56"),
    ("mac", "4c-5e-0c-12-34-56"),
    ("port", "1"),
    ("port", "65535"),
    ("port-list", "80,443,8000-8100"),
    ("enum(accept|drop)", "drop"),
    ("list<ip-prefix>", "10.0.0.2/32,192.168.3.0/24"),
    ("list<ip-prefix>", ""),
    ("list<range<int(1..4094)>>", "10,20,100-200"),
    ("pair<rate>", "10M/50M"),
    ("pair<rate>|rate", "10M"),
    ("pair<time>", "0s/0s"),
    ("ref:interface", "ether1"),
    ("ref:pool|enum(none)", "none"),
    ("ipv4|ref:pool", "pppoe-pool"),
    ("list<ipv4|ref:interface>", "123.1.1.2,wireguard1"),
]

INVALID = [
    ("bool", "ye", "expected yes or no, got `ye`"),
    ("bool", "", "empty value"),
    ("int", "12a", "expected a whole number"),
    ("int", "1_000", "expected a whole number"),
    ("int(1..4094)", "0", "below the minimum 1"),
    ("int(1..4094)", "4095", "above the maximum 4094"),
    ("time", "5x", "is not a duration"),
    ("time", "1h1h", "is not a duration"),
    ("time", "h", "is not a duration"),
    ("rate", "10Q", "is not a rate"),
    ("ipv4", "300.1.1.1", "`300.1.1.1` is not an IPv4 address: octet 300 is above 255"),
    ("ipv4", "10.0.0", "needs 4 numbers"),
    ("ipv4", "10.0.0.x", "`x` is not a number"),
    ("ipv4", "१.1.1.1", "is not a number"),
    ("ipv4-prefix", "10.0.0.0/33", "prefix length 33 is above 32"),
    ("ipv4-prefix", "10.0.0.0/x", "is not a number"),
    ("ipv4-prefix", "10.0.0.0/255.0.255.0", "not a valid netmask"),
    ("ipv4-range", "10.0.0.9-10.0.0.1", "range start 10.0.0.9 is after its end 10.0.0.1"),
    ("ipv6", "fe80:::1", "is not an IPv6 address"),
    ("ipv6-prefix", "::/129", "above 128"),
    ("mac", "4C:5E:0C:12:34", "is not a MAC address"),
    ("port", "0", "below the minimum 1"),
    ("port", "65536", "above the maximum 65535"),
    ("port-list", "80,443,9000-8000", "starts after it ends"),
    ("port-list", "80,,443", "expected a whole number"),
    ("enum(accept|drop|masquerade)", "masqurade", "did you mean `masquerade`?"),
    ("list<range<int(1..4094)>>", "10,5000", "above the maximum 4094"),
    ("list<range<int(1..4094)>>", "20-10", "starts after it ends"),
    ("pair<rate>", "10M", "x/y"),
    ("time|enum(none|never)", "nevr", "did you mean `never`?"),
    ("time|enum(none)", "5x", "is not a duration"),
    # a reference that is written as a dotted quad is checked as an address
    ("list<ipv4|ref:interface>", "300.1.1.1", "octet 300 is above 255"),
    ("ref:interface", "10.0.0.256", "octet 256 is above 255"),
]


@pytest.mark.parametrize("type_, value", VALID)
def test_accepts(type_, value):
    assert check(type_, value) is None


@pytest.mark.parametrize("type_, value, message", INVALID)
def test_rejects_with_clear_message(type_, value, message):
    err = check(type_, value)
    assert err is not None and message in err, err


def test_enum_message_lists_choices():
    err = check("enum(masquerade|accept|drop)", "masqurade")
    assert err == "expected one of: masquerade, accept, drop; got `masqurade` (did you mean `masquerade`?)"
    long = check("enum(" + "|".join(f"v{i}" for i in range(20)) + ")", "zz")
    assert long.endswith("...; got `zz`")


def test_negation():
    assert check("ipv4-range", "!10.0.0.0/8", negatable=True) is None
    assert check("ref:interface-list", "!LAN", negatable=True) is None
    assert "does not accept negation" in check("ipv4-prefix", "!10.0.0.0/8")
    assert check("list<enum(syn|ack|fin)>", "syn,!ack", negatable=True) is None
    assert check("list<enum(syn|ack|fin)>", "syn,!ack") is not None
    assert check("ipv4-range", "!300.0.0.1", negatable=True) is not None


# ------------------------------------------------------------------ properties

octet = st.integers(0, 255)


@given(st.tuples(octet, octet, octet, octet), st.integers(0, 32))
def test_any_ipv4_prefix_is_accepted(octets, length):
    addr = ".".join(map(str, octets))
    assert check("ipv4", addr) is None
    assert check("ipv4-prefix", f"{addr}/{length}") is None
    assert check("ip-prefix", f"{addr}/{length}") is None


@given(st.tuples(octet, octet, octet), st.integers(256, 999), st.integers(0, 3))
def test_out_of_range_octet_is_named(octets, bad, pos):
    parts = [str(o) for o in octets]
    parts.insert(pos, str(bad))
    err = check("ipv4", ".".join(parts))
    assert f"octet {bad} is above 255" in err


@given(st.ip_addresses(v=6))
def test_any_ipv6_is_accepted(addr):
    assert check("ipv6", str(addr)) is None
    assert check("ip", str(addr)) is None
    assert check("ipv6-prefix", f"{addr}/64") is None


@given(st.ip_addresses(v=4), st.ip_addresses(v=4))
def test_ipv4_range_order(a, b):
    lo, hi = sorted([a, b])
    assert check("ipv4-range", f"{lo}-{hi}") is None
    if lo != hi:
        assert check("ipv4-range", f"{hi}-{lo}") is not None


@given(st.integers(-10_000, 10_000), st.integers(-100, 100), st.integers(0, 200))
def test_int_range(n, lo, width):
    hi = lo + width
    err = check(f"int({lo}..{hi})", str(n))
    assert (err is None) == (lo <= n <= hi)


@given(
    st.lists(
        st.tuples(st.sampled_from(["w", "d", "h", "m", "s", "ms"]), st.integers(0, 999)),
        min_size=1,
        max_size=6,
        unique_by=lambda t: t[0],
    )
)
def test_durations_in_any_unit_order(parts):
    assert check("time", "".join(f"{n}{u}" for u, n in parts)) is None


@given(st.lists(st.tuples(st.integers(1, 65535), st.integers(0, 100)), min_size=1, max_size=5))
def test_port_lists(items):
    text = ",".join(f"{p}-{min(p + w, 65535)}" if w else str(p) for p, w in items)
    assert check("port-list", text) is None


def _all_vocabulary_types():
    voc = vocabulary.load()
    seen = {}
    for path in voc.menus:
        menu = voc.menu(path)
        for spec in [menu, *menu.command_specs.values()]:
            for p in spec.params.values():
                seen[p.type_text] = p.type
    return sorted(seen.items())


VOCAB_TYPES = _all_vocabulary_types()


@settings(max_examples=300)
@given(st.sampled_from(VOCAB_TYPES), st.text(max_size=40), st.booleans())
def test_checker_never_crashes(typed, value, negatable):
    _, t = typed
    result = check(t, value, negatable)
    assert result is None or (isinstance(result, str) and result)


@given(st.text(alphabet="0123456789./-:!,abcdefx", max_size=30))
def test_checker_never_crashes_on_address_like_text(value):
    for t in ("ipv4", "ipv4-prefix", "ipv4-range", "ipv6-range", "ip-prefix", "port-list",
              "time", "list<range<int(1..4094)>>", "pair<rate>|rate", "mac", "size"):
        check(t, value, negatable=True)


def test_ipv4_agrees_with_ipaddress_for_canonical_text():
    for text in ["1.2.3.4", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.5"]:
        try:
            ipaddress.IPv4Address(text)
            ok = True
        except ValueError:
            ok = False
        assert (check("ipv4", text) is None) == ok
