"""RouterOS's own type hints (the ``desc`` of an argument in a
``/console/inspect`` dump) turned into rosc's type expressions
(``rosc.vocabulary.value_types``), and the completion values of the deep dump
sorted into words, flags and references.

``desc`` describes one item ("A.B.C.D    (IP address)", "1s..1d    (time
interval)", "pap|chap|mschap1|mschap2[,Authentication*]"); it says nothing of
lists or of the other forms an argument accepts, and a version whose dump
gives no ``desc`` for an argument means RouterOS could not say it in one line.
So the union over versions is unknown as soon as one version is silent.
"""

from __future__ import annotations

import re

UNKNOWN = ""  # no type RouterOS states in every version

_INT_RANGE = re.compile(r"(-?\d+)\.\.(-?\d+)\Z")
_ENUM_LIST = re.compile(r"([A-Za-z0-9][A-Za-z0-9./_-]*(?:\|[A-Za-z0-9][A-Za-z0-9./_-]*)*)\[,[A-Za-z0-9]+\*\]\Z")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9._-]*\Z")
_ALTERNATIVES = re.compile(r"((?:[a-z][a-z0-9-]* \| )+)(.*)\Z")

# desc text (after the first run of spaces, in brackets) -> rosc base type
_BRACKETED = {
    "(time interval)": "time",
    "(IP address)": "ipv4",
    "(IP prefix)": "ipv4-prefix",
    "(IPv6 prefix)": "ipv6-prefix",
    "(IP address range)": "ipv4-range",
    "(MAC address)": "mac",
}

# Completion styles: values RouterOS offers as words of the argument's type,
# and styles of things that are not values (`!` and `,` syntax marks, folders
# of files, live objects of the router the dump was taken on).
WORD_STYLES = frozenset({"none", "arg"})


def desc_type(desc: str | None) -> str:
    """The rosc type expression ``desc`` states, or UNKNOWN."""
    if desc is None:
        return UNKNOWN
    text = desc.strip()
    words: list[str] = []
    m = _ALTERNATIVES.match(text)
    if m:  # "none | A.B.C.D    (IP address)"
        words = [w.strip() for w in m.group(1).split("|") if w.strip()]
        text = m.group(2)
    base = _base(text)
    if base == UNKNOWN:
        return UNKNOWN
    return base + (f"|enum({'|'.join(words)})" if words else "")


def _base(text: str) -> str:
    if text in ("time interval",):
        return "time"
    if text.startswith("string value") or text in ("see documentation", "script"):
        return "string"
    if text.startswith("hexadecimal string value"):
        return "hex"
    for tail, base in _BRACKETED.items():
        if text.endswith(tail):
            return base
    m = _INT_RANGE.match(text)
    if m:
        return f"int({m.group(1)}..{m.group(2)})"
    m = _ENUM_LIST.match(text)
    if m:
        return f"list<enum({m.group(1)})>"
    return UNKNOWN


def union(types: list[str]) -> str:
    """One type accepting what any of ``types`` (one per version) accepts."""
    if not types or UNKNOWN in types:
        return UNKNOWN
    distinct = list(dict.fromkeys(types))
    if "string" in distinct:
        return "string"
    if len(distinct) == 1:
        return distinct[0]
    enums = [t for t in distinct if t.startswith("list<enum(")]
    if len(enums) == len(distinct):  # value lists that grew from version to version
        values: list[str] = []
        for t in reversed(enums):
            values.extend(v for v in t[len("list<enum(") : -2].split("|") if v not in values)
        return f"list<enum({'|'.join(values)})>"
    return "|".join(distinct)


def with_words(type_: str, words: list[str]) -> str:
    """``type_`` plus the words RouterOS completes (``time`` + ``none`` ->
    ``time|enum(none)``); words the type already accepts are left out."""
    if type_ in (UNKNOWN, "string") or type_.startswith("list<enum("):
        return type_
    known = set(re.findall(r"[A-Za-z0-9._-]+", type_.partition("enum(")[2]))
    extra = [w for w in words if _WORD.match(w) and w not in known]
    if not extra:
        return type_
    return f"{type_}|enum({'|'.join(extra)})"


def completion_type(words: list[str]) -> str:
    """The type a completion list alone states: only ``yes`` and ``no`` make a
    boolean; any other list is values RouterOS suggests, not a closed set (an
    argument completing ``auto`` may still take a number)."""
    return "bool" if sorted(words) == ["no", "yes"] else UNKNOWN
