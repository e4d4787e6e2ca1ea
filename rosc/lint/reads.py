"""What a rule reads, recorded while it runs (for ``rosc.lint.incremental``).

A recording run hands the rules a device, its facts and its source that
note, into the set of the rule running, what was asked for:

* a menu's name, for ``Device.items(menu)`` (and ``single``, ``identity``):
  the items of a menu are made from the top-level commands of that menu
  only (``rosc.model.builder``), so an edit elsewhere leaves them as they
  were;
* ``ALL`` for anything that can see every statement: ``commands()``,
  ``script``, ``menus``, ``unresolved``, ``syntax_errors``;
* ``TEXT`` for a read of the raw text (``Source.text``);
* ``TOKENS`` for a read of the text inside the spans of syntax-tree leaves
  only (``Source.token_text``): an edit that leaves the tree node for node
  as it was leaves those the same;
* a probe's function, for a value computed from the raw text that does not
  depend on offsets (``Source.probe``): it is computed again on the edited
  text and compared;
* ``LINES`` for a line number asked for (``Source.line_col``, ``span``; not
  the span of a finding made through ``WatchedContext``), which an edit
  adding a line changes everywhere after it.

What a shared analysis (``run.shared``) or a cached fact (``run.facts.x``)
read while it was computed is added to the set of every rule that uses it,
also when it was computed earlier, for another rule.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cached_property

from rosc.checks.context import CheckContext, DeviceRun
from rosc.model.device import Device
from rosc.model.facts import Facts
from rosc.syntax.source import Source, export_version_of

ALL = "<all>"
TEXT = "<text>"
TOKENS = "<tokens>"
LINES = "<lines>"
_CACHED = frozenset(name for name, value in vars(Facts).items() if isinstance(value, cached_property))


class Reads:
    """The set being filled (the running rule's, or an analysis's)."""

    __slots__ = ("current", "probed")

    def __init__(self):
        self.current: set[str] = set()
        self.probed: dict = {}  # probe function -> its value on this run's text

    def swap(self, new: set[str]) -> set[str]:
        old, self.current = self.current, new
        return old


class WatchedSource(Source):
    __slots__ = ("reads", "quiet")

    def __init__(self, source: Source, reads: Reads):
        Source.text.__set__(self, Source.text.__get__(source))
        self.path = source.path
        self.line_starts = source.line_starts
        self.reads = reads
        self.quiet = 0  # > 0 while a finding takes its own span (WatchedContext)

    @property
    def text(self) -> str:
        self.reads.current.add(TEXT)
        return Source.text.__get__(self)

    @property
    def token_text(self) -> str:
        self.reads.current.add(TOKENS)
        return Source.text.__get__(self)

    def export_version(self):
        # not a read: relint compares the export header before anything else
        return export_version_of(Source.text.__get__(self))

    def probe(self, fn):
        reads = self.reads
        reads.current.add(fn)
        try:
            return reads.probed[fn]
        except KeyError:
            value = reads.probed[fn] = fn(Source(Source.text.__get__(self), self.path, self.line_starts))
            return value

    def _line_col(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(Source.text.__get__(self))))
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def line_col(self, offset: int) -> tuple[int, int]:
        if not self.quiet:
            self.reads.current.add(LINES)
        return self._line_col(offset)

    def line_text(self, line: int) -> str:
        self.reads.current.add(TEXT)
        return Source.line_text(self, line)


class WatchedContext(CheckContext):
    """A rule's context whose findings' own spans are no line read: a
    finding is moved with its span, which is computed again."""

    __slots__ = ()

    def finding(self, *args, **kwargs):
        source = self.run.device.source
        source.quiet += 1
        try:
            return super().finding(*args, **kwargs)
        finally:
            source.quiet -= 1


class WatchedDevice(Device):
    __slots__ = ("reads",)

    @classmethod
    def of(cls, device: Device, reads: Reads) -> "WatchedDevice":
        out = cls.__new__(cls)
        for name in ("path", "source", "script", "menus", "unresolved", "syntax_errors", "_commands"):
            getattr(Device, name).__set__(out, getattr(Device, name).__get__(device))
        out.reads = reads
        return out

    def _all(self, name: str):
        self.reads.current.add(ALL)
        return getattr(Device, name).__get__(self)

    script = property(lambda self: self._all("script"))
    menus = property(lambda self: self._all("menus"))
    unresolved = property(lambda self: self._all("unresolved"))
    syntax_errors = property(lambda self: self._all("syntax_errors"))

    def commands(self):
        self.reads.current.add(ALL)
        found = Device._commands.__get__(self)
        if found is None:
            from rosc.syntax.tree import all_commands

            found = all_commands(Device.script.__get__(self).body)
            Device._commands.__set__(self, found)
        return found

    def items(self, menu: str, include_disabled: bool = True):
        self.reads.current.add(menu)
        return [i for i in Device.menus.__get__(self).get(menu, ()) if not i.removed and (include_disabled or not i.disabled)]


class WatchedFacts(Facts):
    """Facts whose cached values remember what computing them read."""

    def __init__(self, device: Device, reads: Reads):
        super().__init__(device)
        self._reads_of: dict[str, set[str]] = {}
        self._watch = reads

    def __getattribute__(self, name: str):
        if name not in _CACHED:
            return object.__getattribute__(self, name)
        reads = object.__getattribute__(self, "_watch")
        known = object.__getattribute__(self, "_reads_of")
        if name in known:
            reads.current |= known[name]
            return object.__getattribute__(self, name)
        outer = reads.swap(set())
        try:
            value = object.__getattribute__(self, name)
        finally:
            mine = reads.swap(outer)
            known[name] = mine
            outer |= mine
        return value


class WatchedRun(DeviceRun):
    """A ``DeviceRun`` over a watched device, source and facts."""

    __slots__ = ("reads", "_reads_of")

    def __init__(self, device: Device, target=None):
        reads = Reads()
        device = WatchedDevice.of(device, reads)
        Device.source.__set__(device, WatchedSource(Device.source.__get__(device), reads))
        super().__init__(device, target)
        self.facts = WatchedFacts(device, reads)
        self.reads = reads
        self._reads_of: dict = {}

    def shared(self, analysis):
        reads = self.reads
        try:
            value = self._shared[analysis]
        except KeyError:
            outer = reads.swap(set())
            try:
                value = self._shared[analysis] = analysis(self)
            finally:
                mine = reads.swap(outer)
                self._reads_of[analysis] = mine
                outer |= mine
            return value
        reads.current |= self._reads_of[analysis]
        return value

    def reading(self, fn):
        """``fn()`` and the set of what it read."""
        outer = self.reads.swap(set())
        try:
            value = fn()
        finally:
            mine = self.reads.swap(outer)
        return value, mine
