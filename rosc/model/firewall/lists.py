"""Interface lists and firewall address lists, resolved from the file.

Interface lists (manual: Interface Lists): a list's members are its
``/interface list member`` entries, plus the members of the lists named in
its ``include``, minus those of the lists in its ``exclude``.  ``all`` is
every interface, ``none`` none; ``dynamic`` and ``static`` depend on what
runs and are not known.  Membership is by name only: a PPPoE client running
over ether1 is *not* in WAN because ether1 is; it is in WAN only when it is
listed itself.  A list that RouterOS fills at run time (``/interface
detect-internet``, a PPP profile's ``interface-list``) is not known.

Address lists (manual: Address-lists): the entries ``/ip firewall
address-list`` (or ``/ipv6 ...``) adds, when every entry is an address,
network or range.  A list is not known when it is empty in the file, when
an entry is a DNS name or has a timeout, or when something adds entries at
run time: a firewall rule's ``add-src-to-address-list``/``add-dst-...``,
a DHCP server's or lease's ``address-lists``, a PPP profile's
``address-list``, a DNS static entry's ``address-list``, or a script.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from rosc.model.device import TRUE_WORDS, Device, literal
from rosc.model.firewall import values
from rosc.model.firewall.sets import Names, Ranges

ADDRESS_LIST_MENUS = {4: "/ip firewall address-list", 6: "/ipv6 firewall address-list"}
_SCRIPTED_ADD = re.compile(r"address-list[ \t]*/?[ \t]*add\b")


def scripted_add_lines(source) -> frozenset[int]:
    """The 1-based lines where the text adds to an address list
    (``address-list add`` or ``address-list/add``): on a top-level command's
    line that is the command itself, anywhere else a script that fills a
    list when it runs."""
    starts = source.line_starts
    return frozenset(bisect_right(starts, found.start()) for found in _SCRIPTED_ADD.finditer(source.text))


class InterfaceLists:
    """``members(name)``: the interfaces of a list, or None when rosc cannot know them."""

    def __init__(self, device: Device):
        self._own: dict[str, set[str]] = {}
        self._include: dict[str, list[str]] = {}
        self._exclude: dict[str, list[str]] = {}
        self._dynamic: set[str] = set()
        for item in device.items("/interface list"):
            name = item.name
            if not name:
                continue
            self._own.setdefault(name, set())
            self._include[name] = _names(item.get("include"))
            self._exclude[name] = _names(item.get("exclude"))
            if (item.arg("include") and item.get("include") is None) or (item.arg("exclude") and item.get("exclude") is None):
                self._dynamic.add(name)  # computed by the script
        for item in device.items("/interface list member"):
            name, iface = item.get("list"), item.get("interface")
            if item.disabled or not name:
                continue
            if iface is None:
                self._dynamic.add(name)
                continue
            self._own.setdefault(name, set()).add(iface)
        for item in device.items("/interface detect-internet"):
            for key in ("detect-interface-list", "lan-interface-list", "wan-interface-list", "internet-interface-list"):
                value = item.get(key)
                if value and value not in ("none", "all"):
                    self._dynamic.add(value)
        for item in device.items("/ppp profile"):
            value = item.get("interface-list")
            if value and value not in ("none", "all"):
                self._dynamic.add(value)
        self._memo: dict[str, Names | None] = {}

    def known(self, name: str) -> bool:
        """Whether the file defines the list (or it is built in)."""
        return name in self._own or name in ("all", "none", "dynamic", "static")

    def members(self, name: str) -> Names | None:
        """The list's interfaces (``Names``; ``all`` is the complement of
        nothing), or None when they are not known from the file."""
        if name in self._memo:
            return self._memo[name]
        self._memo[name] = None  # an include loop stays unknown
        self._memo[name] = found = self._resolve(name)
        return found

    def static_members(self, name: str) -> set[str]:
        """The interfaces listed by ``/interface list member`` for the list itself."""
        return set(self._own.get(name, ()))

    def _resolve(self, name: str) -> Names | None:
        if name == "all":
            return Names.everything()
        if name == "none":
            return Names(frozenset())
        if name in ("dynamic", "static") or name in self._dynamic or name not in self._own:
            return None
        out = Names(frozenset(self._own[name]))
        for other in self._include.get(name, ()):
            found = self.members(other)
            if found is None:
                return None
            out = out.union(found)
        for other in self._exclude.get(name, ()):
            found = self.members(other)
            if found is None:
                return None
            out = out.minus(found)
        return out


class AddressLists:
    """``entries(name, family)``: the addresses of a list, or None when not known."""

    def __init__(self, device: Device):
        self._entries: dict[tuple[str, int], list[tuple[int, int]] | None] = {}
        scripted_ok: set[int] = set()  # lines where a top-level address-list command starts
        source = device.source
        for family, menu in ADDRESS_LIST_MENUS.items():
            for item in device.items(menu):  # thousands of entries: each argument read once
                if item.origin is not None:
                    scripted_ok.add(source.line_col(item.origin.start)[0])
                name = item.get("list")
                if not name or _flag(item, "disabled"):
                    continue
                key = (name, family)
                current = self._entries.setdefault(key, [])
                if current is None:
                    continue
                pair = values.address_range(item.get("address") or "", family)
                if pair is None or item.arg("timeout") is not None or _flag(item, "dynamic"):
                    self._entries[key] = None
                else:
                    current.append(pair)
        self.filled_at_run_time: set[str] = set()
        self.scripted = False  # some script adds entries: no list is known
        for menu in ("/ip firewall filter", "/ip firewall mangle", "/ip firewall raw", "/ip firewall nat",
                     "/ipv6 firewall filter", "/ipv6 firewall mangle", "/ipv6 firewall raw", "/ipv6 firewall nat"):
            for item in device.items(menu):
                if (item.get("action") or "").startswith("add-"):
                    self.filled_at_run_time.add(item.get("address-list") or "")
        for menu, key in (("/ip dhcp-server", "address-lists"), ("/ip dhcp-server lease", "address-lists"),
                          ("/ppp profile", "address-list"), ("/ip dns static", "address-list"),
                          ("/ipv6 dhcp-server", "address-lists")):
            for item in device.items(menu):
                self.filled_at_run_time.update(values_of(item.get(key)))
        if not source.probe(scripted_add_lines) <= scripted_ok:  # not only top-level `address-list add` lines
            self.scripted = True

    def entries(self, name: str, family: int) -> Ranges | None:
        if self.scripted or name in self.filled_at_run_time:
            return None
        found = self._entries.get((name, family))
        if not found:
            return None
        return Ranges.of(found, values.TOP[family])


def _flag(item, name: str) -> bool:
    """``item.flag(name)`` (default False) without its two calls when the argument is there."""
    arg = item.props.get(name)
    if arg is not None:
        return literal(arg) in TRUE_WORDS
    return bool(item.defaults) and item.flag(name)


def values_of(text: str | None) -> list[str]:
    return [p for p in (text or "").split(",") if p]


def _names(text: str | None) -> list[str]:
    return values_of(text)
