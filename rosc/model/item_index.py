"""Indexes of one menu's items while the model builder applies commands.

A change script selects items with ``[ find name=... ]``, ``set ether1``,
``remove [ find address=... ]``: answered by scanning the menu, each such
command costs the whole menu, and a script of them is quadratic.  A
``MenuIndex`` answers them from per-parameter indexes instead: for each
parameter a selector has asked about, value → the live items with that
value, in menu order.  An index is built on the first question about its
parameter and kept up to date by every change the builder makes (``add``,
``set``, ``remove``, ``enable``/``disable``, items that exist without being
added).

An item's value for a parameter is what ``find`` compares (``value_of``):
its literal value, or its implicit one (``default-name``, ``name`` of a
port nobody added); a value the file computes matches nothing.  ``default``
is not indexed: it asks whether the item is one RouterOS made, which a scan
answers.
"""

from __future__ import annotations

from bisect import insort

from rosc.model.device import Item

UNINDEXED = frozenset({"default"})
IMPLICIT_NAME = "\0implicit-name"  # the index of ``defaults["name"]`` (``set ether1`` finds a renamed port)


def value_of(item: Item, key: str) -> str | None:
    """The value ``[ find key=... ]`` compares for ``item`` (None: matches nothing)."""
    if key == "default-name":
        return item.defaults.get("default-name")
    if key == IMPLICIT_NAME:
        return item.defaults.get("name")
    got = item.get(key)
    if got is None and key == "name":
        got = item.defaults.get("name")
    return got


def depends_on_props(key: str) -> bool:
    return key not in ("default-name", IMPLICIT_NAME)


class MenuIndex:
    """The items of one menu (``items``, the model's own list, which this
    class appends to) with the indexes selectors need."""

    __slots__ = ("items", "_seq", "_by_key", "_live")

    def __init__(self, items: list[Item]):
        self.items = items
        self._seq: dict[int, int] = {id(item): n for n, item in enumerate(items)}
        self._by_key: dict[str, dict[str, list[Item]]] = {}
        self._live: list[Item] | None = None

    # --- changes -------------------------------------------------------------------

    def add(self, item: Item) -> None:
        self._seq[id(item)] = len(self._seq)
        self.items.append(item)
        for key, buckets in self._by_key.items():
            value = value_of(item, key)
            if value is not None:
                buckets.setdefault(value, []).append(item)  # the newest item is last in menu order
        if self._live is not None:
            self._live.append(item)

    def unlink(self, item: Item, keys) -> None:
        """Take ``item`` out of the indexes of ``keys`` (before changing them)."""
        for key in keys:
            buckets = self._by_key.get(key)
            if buckets is None:
                continue
            value = value_of(item, key)
            bucket = buckets.get(value) if value is not None else None
            if bucket is not None:
                bucket.remove(item)
                if not bucket:
                    del buckets[value]

    def link(self, item: Item, keys) -> None:
        """Put ``item`` back into the indexes of ``keys`` (after changing them)."""
        seq = self._seq
        for key in keys:
            buckets = self._by_key.get(key)
            if buckets is None:
                continue
            value = value_of(item, key)
            if value is not None:
                insort(buckets.setdefault(value, []), item, key=lambda i: seq[id(i)])

    def indexed(self, keys) -> list[str]:
        """The keys among ``keys`` that have an index (those a change must
        unlink and link again)."""
        return [k for k in keys if k in self._by_key]

    def set_props(self, item: Item, named: dict) -> None:
        keys = [k for k in self._by_key if depends_on_props(k) and k in named]
        self.unlink(item, keys)
        item.props.update(named)
        self.link(item, keys)

    def toggle(self, item: Item, disabled: str) -> None:
        keys = self.indexed(("disabled",))
        self.unlink(item, keys)
        item.defaults["disabled"] = disabled
        item.props.pop("disabled", None)
        self.link(item, keys)

    def remove(self, item: Item) -> None:
        if item.removed:
            return
        self.unlink(item, list(self._by_key))
        item.removed = True
        self._live = None

    # --- questions -----------------------------------------------------------------

    def live(self) -> list[Item]:
        """The items not removed, in menu order (do not change the list)."""
        if self._live is None:
            self._live = [i for i in self.items if not i.removed]
        return self._live

    def first_live(self) -> Item | None:
        if self._live is not None:
            return self._live[0] if self._live else None
        return next((i for i in self.items if not i.removed), None)

    def with_value(self, key: str, value: str) -> list[Item]:
        """The live items whose ``value_of(item, key)`` is ``value``, in menu order."""
        buckets = self._by_key.get(key)
        if buckets is None:
            buckets = self._by_key[key] = {}
            for item in self.items:
                if not item.removed:
                    v = value_of(item, key)
                    if v is not None:
                        buckets.setdefault(v, []).append(item)
        return buckets.get(value, [])

    def find(self, wanted: dict[str, str], matches) -> list[Item] | None:
        """The live items for which ``matches(item, key, value)`` holds for
        every wanted key and value, in menu order; None when no wanted key
        can be indexed (the caller scans)."""
        keys = [k for k in wanted if k not in UNINDEXED]
        if not keys:
            return None
        best = min((self.with_value(k, wanted[k]) for k in keys), key=len)
        return [i for i in best if all(matches(i, k, v) for k, v in wanted.items())]

    def by_name(self, text: str) -> Item | None:
        """The first live item named ``text`` (by its name or its implicit name)."""
        a = self.with_value("name", text)
        b = self.with_value(IMPLICIT_NAME, text)
        first = [bucket[0] for bucket in (a, b) if bucket]
        return min(first, key=lambda i: self._seq[id(i)]) if first else None
