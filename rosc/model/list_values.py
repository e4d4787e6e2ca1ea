"""Pointing into comma-separated values (``allowed-address=a,b,c``)."""

from __future__ import annotations

from dataclasses import dataclass

from rosc.model.device import Item
from rosc.syntax.tree import Word


@dataclass(slots=True, eq=False)
class TextSpan:
    """A stretch of the source to point a finding at (part of a value)."""

    start: int
    end: int


def list_elements(item: Item, name: str) -> list[tuple[str, object]]:
    """The comma-separated elements of ``name``'s literal value, each with the
    node to point at (the element itself when the value is a bare word)."""
    text = item.get(name)
    arg = item.arg(name)
    if not text or arg is None:
        return []
    value = arg.value
    out = []
    pos = 0
    for part in text.split(","):
        if part:
            node = TextSpan(value.start + pos, value.start + pos + len(part)) if type(value) is Word else item.node(name)
            out.append((part, node))
        pos += len(part) + 1
    return out
