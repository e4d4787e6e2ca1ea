"""RouterOS versions: parsing them, and in which versions a menu, command or
argument exists.

The generated tree knows one dump per 7.x minor release (the latest patch of
each, ``7.9`` ... ``7.24``) plus the 7.24 extra packages; the hand-written
overlay adds RouterOS 6 names, v7-only marks and hardware-only entries.  A
``Life`` says where one node of the tree lives:

* ``first``/``last``: the first and last minor release whose base package has
  it (``None`` when no base dump has it: an extra package only);
* ``package``: an extra package (``container``, ``wireless``, ``iot``...)
  provides it in the newest dump, beyond the base package;
* ``major``: the overlay's ``version = "6"`` or ``"7"`` (None: no mark);
* ``v6``: RouterOS 6 had it too, though RouterOS 7 dropped it and brought it
  back later (``/routing bgp instance``, back in 7.20).

``absence(life, target)`` answers whether the node exists in the target
version, and if not, why, in words for a message.  Granularity is the minor
release: a parameter added in 7.16.1 counts as a 7.16 parameter.
"""

from __future__ import annotations

import re

_set = object.__setattr__  # how a frozen instance's __init__ sets its fields

_VERSION = re.compile(r"v?(\d+)\.(\d+)(?:\.(\d+))?(?:(beta|rc)(\d+))?\Z", re.I)
_HEADER = re.compile(r"^#.*\bby RouterOS (\d+\.\d+(?:\.\d+)?(?:(?:beta|rc)\d+)?)", re.I | re.M)


class VersionError(ValueError):
    """A version string rosc cannot read."""


class Version:
    """A RouterOS version such as 7.14.3 (``text`` as written)."""

    __slots__ = ('major', 'minor', 'patch', 'text')
    __match_args__ = __slots__

    def __init__(self, major: int, minor: int, patch: int = 0, text: str = "") -> None:
        _set(self, 'major', major)
        _set(self, 'minor', minor)
        _set(self, 'patch', patch)
        _set(self, 'text', text)

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(major={self.major!r}, minor={self.minor!r}, "
                f"patch={self.patch!r}, text={self.text!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.major, self.minor, self.patch, self.text,
            ) == (
                other.major, other.minor, other.patch, other.text,
            )
        return NotImplemented

    def __lt__(self, other):
        if other.__class__ is self.__class__:
            return (self.major, self.minor, self.patch, self.text) < (other.major, other.minor, other.patch, other.text)
        return NotImplemented

    def __le__(self, other):
        if other.__class__ is self.__class__:
            return (self.major, self.minor, self.patch, self.text) <= (other.major, other.minor, other.patch, other.text)
        return NotImplemented

    def __gt__(self, other):
        if other.__class__ is self.__class__:
            return (self.major, self.minor, self.patch, self.text) > (other.major, other.minor, other.patch, other.text)
        return NotImplemented

    def __ge__(self, other):
        if other.__class__ is self.__class__:
            return (self.major, self.minor, self.patch, self.text) >= (other.major, other.minor, other.patch, other.text)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.major, self.minor, self.patch, self.text))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    @property
    def minor_release(self) -> str:
        return f"{self.major}.{self.minor}"

    def __str__(self) -> str:
        return self.text or f"{self.major}.{self.minor}" + (f".{self.patch}" if self.patch else "")


def parse_version(text: str) -> Version:
    """``"7.16"``, ``"7.14.3"``, ``"6.49.10"``, ``"7.15beta4"`` -> Version."""
    m = _VERSION.match(str(text).strip())
    if m is None:
        raise VersionError(f"`{text}` is not a RouterOS version (write it as 7.16 or 6.49.10)")
    major, minor = int(m.group(1)), int(m.group(2))
    if major not in (6, 7):
        raise VersionError(f"`{text}`: rosc knows RouterOS 6 and 7, not {major}")
    return Version(major, minor, int(m.group(3) or 0), str(text).strip().lstrip("vV"))


def header_version(text: str) -> Version | None:
    """The version in an export header (``# 2024-05-01 12:00:00 by RouterOS 7.14.3``)
    among the first lines of ``text``, or None."""
    m = _HEADER.search(text[:2000])
    if m is None:
        return None
    try:
        return parse_version(m.group(1))
    except VersionError:
        return None


class Target:
    """The RouterOS version a file is checked against, and where that came
    from (``--target-version``, ``rosc.toml``, ``the export header``)."""

    __slots__ = ('version', 'origin')
    __match_args__ = __slots__

    def __init__(self, version: Version, origin: str) -> None:
        _set(self, 'version', version)
        _set(self, 'origin', origin)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(version={self.version!r}, origin={self.origin!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.version, self.origin) == (other.version, other.origin)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.version, self.origin))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    @property
    def v6(self) -> bool:
        return self.version.major == 6


class Life:
    """Where one node of the vocabulary exists (see the module docstring)."""

    __slots__ = ('first', 'last', 'package', 'major', 'v6')
    __match_args__ = __slots__

    def __init__(
        self,
        first: int | None = None,
        last: int | None = None,
        package: bool = False,
        major: str | None = None,
        v6: bool = False,
    ) -> None:
        _set(self, 'first', first)
        _set(self, 'last', last)
        _set(self, 'package', package)
        _set(self, 'major', major)
        _set(self, 'v6', v6)

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(first={self.first!r}, last={self.last!r}, "
                f"package={self.package!r}, major={self.major!r}, v6={self.v6!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.first, self.last, self.package, self.major, self.v6,
            ) == (
                other.first, other.last, other.package, other.major, other.v6,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.first, self.last, self.package, self.major, self.v6))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)

    @property
    def generated(self) -> bool:
        return self.first is not None or self.package

    def span(self) -> str:
        """The versions in words: ``7.13-7.24``, ``7.9-7.12, and an extra package``."""
        parts = []
        if self.first is not None:
            parts.append(f"7.{self.first}" if self.first == self.last else f"7.{self.first}-7.{self.last}")
        if self.package:
            parts.append("an extra package" + (" in 7.24" if not parts else ""))
        if not parts:
            return {"6": "RouterOS 6 only", "7": "RouterOS 7"}.get(self.major or "", "every version rosc knows")
        return ", ".join(parts)


ALWAYS = Life()


class Absence:
    """Why a node is not in the target version."""

    __slots__ = ('reason', 'text')
    __match_args__ = __slots__

    def __init__(
        self,
        reason: str,  # "added", "removed", "v6-only", "v7-only"
        text: str,  # "appears in 7.13", "was removed in 7.13 (last in 7.12)"
    ) -> None:
        _set(self, 'reason', reason)
        _set(self, 'text', text)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(reason={self.reason!r}, text={self.text!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.reason, self.text) == (other.reason, other.text)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.reason, self.text))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self):  # pickling (-j workers) and copying, as a frozen dataclass does
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            _set(self, name, value)


def absence(life: Life, target: Version | None, known: tuple[int, int]) -> Absence | None:
    """None when the node exists in ``target`` (always when there is no target);
    ``known`` is the range of 7.x minor releases the generated tree covers."""
    if target is None or life is ALWAYS:
        return None
    lo, hi = known
    if target.major == 6:
        if life.v6:
            return None
        if life.major == "7":
            return Absence("v7-only", "exists in RouterOS 7 only")
        if life.first is not None and life.first > lo and life.major != "6":
            return Absence("added", f"appears in 7.{life.first}")
        return None
    if life.major == "6":
        return Absence("v6-only", "exists in RouterOS 6 only")
    if life.first is None:  # overlay-only (v7 or hardware), or an extra package's: no version facts,
        if life.last is not None and min(max(target.minor, lo), hi) > life.last:  # except an end
            return Absence("removed", f"was removed in 7.{_after(life.last, hi)} (last in 7.{life.last})")
        return None
    minor = min(max(target.minor, lo), hi)
    if minor < life.first:
        return Absence("added", f"appears in 7.{life.first}")
    if minor > life.last and not life.package:
        return Absence("removed", f"was removed in 7.{_after(life.last, hi)} (last in 7.{life.last})")
    return None


def _after(last: int, hi: int) -> int:
    return min(last + 1, hi)
