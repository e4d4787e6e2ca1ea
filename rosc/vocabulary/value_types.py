"""Parameter value types: a small type language and a checker.

Type expressions (as written in ``grammar/vocabulary/*.toml``)::

    string  bool  int  int(1..4094)  num  time  rate  size  hex
    ipv4  ipv4-prefix  ipv4-range  ipv6  ipv6-prefix  ipv6-range
    ip  ip-prefix  ip-range  mac  port  port-list
    enum(a|b|c)   list<T>   pair<T>   range<T>   T|U   ref:interface

``list<T>`` is comma-separated, ``pair<T>`` is ``x/y`` (queue limits),
``range<T>`` is ``a`` or ``a-b`` (VLAN id ranges).

``check(type, value)`` returns None when the literal ``value`` is valid for
the type, otherwise a short message for a network engineer.
"""

from __future__ import annotations

import ipaddress
import re
from functools import cache, lru_cache

from rosc.vocabulary.type_forms import (  # noqa: F401 (REF_KINDS, TypeSyntaxError: read from here too)
    REF_KINDS,
    Base,
    Enum,
    IntRange,
    ListOf,
    PairOf,
    RangeOf,
    Ref,
    Type,
    TypeSyntaxError,
    Union,
    _BASES,
    _short_list,
)

def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside (), <>."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in "(<":
            depth += 1
        elif ch in ")>":
            depth -= 1
            if depth < 0:
                raise TypeSyntaxError(f"unbalanced brackets in type {text!r}")
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if depth:
        raise TypeSyntaxError(f"unbalanced brackets in type {text!r}")
    parts.append("".join(cur))
    return parts


def _parse_int(text: str) -> int | None:
    text = text.strip()
    return None if text == "" else int(text, 0)


@lru_cache(maxsize=None)
def parse_type(text: str) -> Type:
    """Parse a type expression such as ``time|enum(none)``."""
    text = text.strip()
    if not text:
        raise TypeSyntaxError("empty type expression")
    parts = _split_top(text, "|")
    if len(parts) > 1:
        opts: list[Type] = []
        for p in parts:
            t = parse_type(p)
            opts.extend(t.options if isinstance(t, Union) else (t,))
        return Union(tuple(opts))
    if text in _BASES:
        return Base(text)
    if text.startswith("ref:"):
        kind = text[4:]
        if kind not in REF_KINDS:
            raise TypeSyntaxError(f"unknown reference kind {kind!r}")
        return Ref(kind)
    m = re.fullmatch(r"(enum|int)\((.*)\)", text)
    if m:
        head, body = m.groups()
        if head == "enum":
            values = tuple(v.strip() for v in body.split("|"))
            if not all(values):
                raise TypeSyntaxError(f"empty enum value in {text!r}")
            return Enum(values)
        lo, sep, hi = body.partition("..")
        if not sep:
            raise TypeSyntaxError(f"int range needs min..max: {text!r}")
        try:
            return IntRange(_parse_int(lo), _parse_int(hi))
        except ValueError as exc:
            raise TypeSyntaxError(f"bad int range {text!r}") from exc
    m = re.fullmatch(r"(list|pair|range)<(.*)>", text)
    if m:
        item = parse_type(m.group(2))
        return {"list": ListOf, "pair": PairOf, "range": RangeOf}[m.group(1)](item)
    raise TypeSyntaxError(f"unknown type {text!r}")


def ref_kind(t: Type) -> str | None:
    """The ``ref:`` kind inside ``t`` (first one found), else None."""
    if isinstance(t, Ref):
        return t.kind
    if isinstance(t, (ListOf, PairOf, RangeOf)):
        return ref_kind(t.item)
    if isinstance(t, Union):
        for o in t.options:
            k = ref_kind(o)
            if k:
                return k
    return None


# ---------------------------------------------------------------- checking

_BOOL = {"yes", "no", "true", "false"}
# compiled the first time a value of their type is checked (``_rx``), not at import
_PATTERNS = {
    "time-unit": (r"(\d+(?:\.\d+)?)(w|d|h|ms|us|ns|m|s)", re.I),
    "clock": (r"(?:(\d+)w)?(?:(\d+)d)?\s*(\d{1,3}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?", 0),
    "rate": (r"\d+(?:\.\d+)?[kKMGT]?(?:bps)?", 0),
    "size": (r"\d+(?:\.\d+)?(?:[kKMGT](?:i?B)?|B)?", 0),
    "dotted-quad": (r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(?:/[0-9]+)?", 0),
    "mac": (r"[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}", 0),
}


@cache
def _rx(name: str) -> re.Pattern:
    return re.compile(*_PATTERNS[name])


def _q(value: str) -> str:
    return f"`{value}`"


def _to_int(value: str) -> int | None:
    if re.fullmatch(r"-?[0-9]+", value):
        return int(value, 10)
    if re.fullmatch(r"0[xX][0-9A-Fa-f]+", value):
        return int(value, 16)
    return None


def _check_int(value: str, lo: int | None = None, hi: int | None = None, what: str = "number") -> str | None:
    n = _to_int(value)
    if n is None:
        return f"expected a whole number, got {_q(value)}"
    if lo is not None and n < lo:
        return f"{what} {value} is below the minimum {lo}"
    if hi is not None and n > hi:
        return f"{what} {value} is above the maximum {hi}"
    return None


def _check_time(value: str) -> str | None:
    v = value.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", v) or _rx("clock").fullmatch(v):
        return None
    pos, seen = 0, set()
    for m in _rx("time-unit").finditer(v):
        unit = m.group(2).lower()
        if m.start() != pos or unit in seen:
            break
        seen.add(unit)
        pos = m.end()
    else:
        if pos == len(v) and v:
            return None
    if pos and _rx("clock").fullmatch(v[pos:].strip()):
        return None
    return f"{_q(value)} is not a duration (use e.g. 30s, 5m, 1h30m, 1d, 00:05:00)"


def _check_ipv4(value: str) -> str | None:
    parts = value.split(".")
    if len(parts) != 4:
        return f"{_q(value)} is not an IPv4 address: it needs 4 numbers separated by dots"
    for p in parts:
        if not (p.isascii() and p.isdigit()):
            return f"{_q(value)} is not an IPv4 address: {_q(p)} is not a number"
        if int(p) > 255:
            return f"{_q(value)} is not an IPv4 address: octet {int(p)} is above 255"
    return None


def _v4(value: str) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(".".join(str(int(p)) for p in value.split(".")))


def _check_ipv6(value: str) -> str | None:
    addr = value.split("%", 1)[0]
    try:
        ipaddress.IPv6Address(addr)
    except ValueError:
        return f"{_q(value)} is not an IPv6 address"
    return None


def _check_prefix(value: str, family: int) -> str | None:
    addr, slash, length = value.partition("/")
    err = _check_ipv4(addr) if family == 4 else _check_ipv6(addr)
    if err or not slash:
        return err
    top = 32 if family == 4 else 128
    if family == 4 and "." in length:
        if _check_ipv4(length):
            return f"{_q(value)}: {_q(length)} is not a prefix length or netmask"
        try:
            ipaddress.IPv4Network(f"0.0.0.0/{_v4(length)}")
        except ValueError:
            return f"{_q(value)}: {_q(length)} is not a valid netmask"
        return None
    if not (length.isascii() and length.isdigit()):
        return f"{_q(value)}: prefix length {_q(length)} is not a number"
    if int(length) > top:
        return f"{_q(value)}: prefix length {int(length)} is above {top}"
    return None


def _check_range(value: str, family: int) -> str | None:
    if "-" not in value:
        return _check_prefix(value, family)
    lo, _, hi = value.partition("-")
    check = _check_ipv4 if family == 4 else _check_ipv6
    err = check(lo) or check(hi)
    if err:
        return err
    a = _v4(lo) if family == 4 else ipaddress.IPv6Address(lo.split("%")[0])
    b = _v4(hi) if family == 4 else ipaddress.IPv6Address(hi.split("%")[0])
    if a > b:
        return f"{_q(value)}: range start {lo} is after its end {hi}"
    return None


def _family_of(value: str) -> int:
    return 6 if ":" in value else 4


def _check_port(value: str) -> str | None:
    return _check_int(value, 1, 65535, "port")


def _check_port_list(value: str) -> str | None:
    # port lists are matchers (firewall dst-port=, src-port=): 0 matches port 0
    for item in value.split(","):
        lo, dash, hi = item.partition("-")
        err = _check_int(lo, 0, 65535, "port") or (_check_int(hi, 0, 65535, "port") if dash else None)
        if err:
            return err
        if dash and _to_int(lo) > _to_int(hi):
            return f"port range {item} starts after it ends"
    return None


def _check_base(name: str, value: str) -> str | None:
    if name == "string":
        return None
    if name == "bool":
        if value.lower() in _BOOL:
            return None
        return f"expected yes or no, got {_q(value)}"
    if name == "int":
        return _check_int(value)
    if name == "num":
        if re.fullmatch(r"-?\d+(?:\.\d+)?", value):
            return None
        return f"expected a number, got {_q(value)}"
    if name == "time":
        return _check_time(value)
    if name == "rate":
        return None if _rx("rate").fullmatch(value) else f"{_q(value)} is not a rate (use e.g. 512k, 10M, 1G)"
    if name == "size":
        return None if _rx("size").fullmatch(value) else f"{_q(value)} is not a size (use e.g. 2048KiB, 10M)"
    if name == "hex":
        return None if re.fullmatch(r"(0x)?[0-9A-Fa-f]+", value) else f"{_q(value)} is not a hexadecimal value"
    if name == "mac":
        return None if _rx("mac").fullmatch(value) else f"{_q(value)} is not a MAC address (use e.g. 4C:5E:0C:12:34:56)"
    if name == "port":
        return _check_port(value)
    if name == "port-list":
        return _check_port_list(value)
    if name == "ipv4":
        return _check_ipv4(value)
    if name == "ipv6":
        return _check_ipv6(value)
    if name == "ip":
        return (_check_ipv6 if _family_of(value) == 6 else _check_ipv4)(value)
    if name.endswith("-prefix"):
        fam = {"ipv4": 4, "ipv6": 6}.get(name[:-7], _family_of(value))
        return _check_prefix(value, fam)
    if name.endswith("-range"):
        fam = {"ipv4": 4, "ipv6": 6}.get(name[:-6], _family_of(value))
        return _check_range(value, fam)
    raise AssertionError(name)  # pragma: no cover


def _check_enum(values: tuple[str, ...], value: str) -> str | None:
    if value in values:
        return None
    msg = f"expected one of: {_short_list(values)}; got {_q(value)}"
    import difflib  # only when a suggestion is needed: not at start-up

    close = difflib.get_close_matches(value, values, n=1, cutoff=0.6)
    if close:
        msg += f" (did you mean {_q(close[0])}?)"
    return msg


def _check(t: Type, value: str, neg: bool = False) -> str | None:
    if isinstance(t, Base):
        if value == "" and t.name != "string":
            return f"empty value, expected {t.describe()}"
        return _check_base(t.name, value)
    if isinstance(t, Ref):
        if _rx("dotted-quad").fullmatch(value):
            return _check_prefix(value, 4)  # an address, not a name: check it as one
        return None
    if isinstance(t, IntRange):
        return _check_int(value, t.lo, t.hi, "value")
    if isinstance(t, Enum):
        return _check_enum(t.values, value)
    if isinstance(t, ListOf):
        if value == "":
            return None
        for item in value.split(","):
            item = item.strip()
            if neg and item.startswith("!"):
                item = item[1:]
            err = _check(t.item, item)
            if err:
                return err
        return None
    if isinstance(t, RangeOf):
        lo, dash, hi = value.partition("-")
        if not dash:
            return _check(t.item, value)
        err = _check(t.item, lo) or _check(t.item, hi)
        if err is None and isinstance(t.item, (IntRange, Base)) and _to_int(lo) is not None \
                and _to_int(hi) is not None and _to_int(lo) > _to_int(hi):
            return f"range {value} starts after it ends"
        return err
    if isinstance(t, PairOf):
        halves = value.split("/")
        if len(halves) != 2:
            return f"expected two values written as x/y, got {_q(value)}"
        return _check(t.item, halves[0]) or _check(t.item, halves[1])
    if isinstance(t, Union):
        errors = []
        for o in t.options:
            err = _check(o, value, neg)
            if err is None:
                return None
            errors.append(err)
        return _union_message(t, value, errors)
    raise TypeError(t)  # pragma: no cover


def _union_message(t: Union, value: str, errors: list[str]) -> str:
    # Prefer the message of the option that "looks like" the value.
    words = [v for o in t.options if isinstance(o, Enum) for v in o.values]
    for o, err in zip(t.options, errors):
        if isinstance(o, (Base, IntRange, PairOf, ListOf, RangeOf)) and _looks_like(o, value):
            return err + (f" or one of: {_short_list(tuple(words))}" if words else "")
    msg = f"expected {t.describe()}; got {_q(value)}"
    import difflib  # only when a suggestion is needed: not at start-up

    close = difflib.get_close_matches(value, words, n=1, cutoff=0.6)
    if close:
        msg += f" (did you mean {_q(close[0])}?)"
    return msg


def _looks_like(t: Type, value: str) -> bool:
    if not value or not (value[0].isdigit() or value[0] in ":-"):
        return False
    if isinstance(t, Base):
        return t.name not in ("string", "bool")
    return True


def check(type_: Type | str, value: str, negatable: bool = False) -> str | None:
    """Return None if ``value`` is valid for ``type_``, else a short message."""
    t = parse_type(type_) if isinstance(type_, str) else type_
    if negatable and value.startswith("!"):
        value = value[1:]
    elif value.startswith("!") and not negatable and _check(t, value) is not None:
        if _check(t, value[1:]) is None:
            return f"{_q(value)}: this parameter does not accept negation with `!`"
    return _check(t, value, negatable)
