"""The commands of one device, indexed once for all the checks.

Many checks want the commands of a few menus, or only the commands a
script runs (nested in a block, a substitution, a script string): rather
than each walking every command of the file and joining its menu path,
they ask this index, built in one pass over ``Device.commands()``.
"""

from __future__ import annotations

from bisect import bisect_right

from rosc.syntax.tree import Arg, Command


class CommandIndex:
    """``Device.commands()`` by menu path, and which of them are nested."""

    __slots__ = ("all", "by_menu", "paths", "nested", "_top_ids", "_names", "_names_by_menu", "_top", "_top_starts")

    def __init__(self, commands: list[Command], top: list):
        self.all = commands
        self.paths: dict[tuple[str, ...], str] = {}  # cmd.menu -> cmd.menu_path, joined once per menu
        self.by_menu: dict[str, list[Command]] = {}  # menu path -> its commands, in source order
        self._top_ids = {id(s) for s in top}
        self.nested: list[Command] = []  # commands a script runs (not at the top level of the file), in order
        self._names: list[tuple] | None = None
        self._names_by_menu: dict[str, list[tuple]] = {}
        self._top: list[Command] = [s for s in top if type(s) is Command]
        self._top_starts: list[int] | None = None
        paths, by_menu, top_ids, nested = self.paths, self.by_menu, self._top_ids, self.nested
        for cmd in commands:
            menu = cmd.menu
            path = paths.get(menu)
            if path is None:
                path = paths[menu] = "/" + " ".join(menu)
            found = by_menu.get(path)
            if found is None:
                by_menu[path] = [cmd]
            else:
                found.append(cmd)
            if id(cmd) not in top_ids:
                nested.append(cmd)

    def arg_names(self) -> list[tuple]:
        """For each command of ``all``, the names of its arguments in order
        (None for a positional value): the same tuple object for commands
        written alike, so that checks can decide once per distinct tuple."""
        if self._names is None:
            interned: dict[tuple, tuple] = {}
            out = []
            paths, by_menu = self.paths, self._names_by_menu
            for cmd in self.all:
                names = tuple([a.name if type(a) is Arg else None for a in cmd.args])
                names = interned.setdefault(names, names)
                out.append(names)
                path = paths[cmd.menu]
                found = by_menu.get(path)
                if found is None:
                    by_menu[path] = [(cmd, names)]
                else:
                    found.append((cmd, names))
            self._names = out
        return self._names

    def named_in_menu(self, path: str) -> list[tuple[Command, tuple]]:
        """``in_menu(path)`` with the ``arg_names`` of each command."""
        self.arg_names()
        return self._names_by_menu.get(path, [])

    def around(self, text: str, needles: tuple[str, ...]) -> list[Command]:
        """The commands that may hold one of ``needles`` in their arguments:
        the top-level ones whose source ``text`` has one between their start
        and end, and every nested one (a script in a string may spell a
        character with an escape).  For checks that look for a rare word,
        instead of visiting every argument of the file."""
        if self._top_starts is None:
            self._top_starts = [c.start for c in self._top]
        starts, top = self._top_starts, self._top
        found: dict[int, Command] = {}
        if not top:
            return list(self.nested)
        # only where a command is (a part of a file, as for the edited statements): a needle starts before a command's end
        first, last = starts[0], top[-1].end + max(map(len, needles), default=0)
        for needle in needles:
            at = text.find(needle, first, last)
            while at != -1:
                i = bisect_right(starts, at) - 1
                if i >= 0 and at < top[i].end:
                    found.setdefault(id(top[i]), top[i])
                at = text.find(needle, at + 1, last)
        return list(found.values()) + self.nested

    def path_of(self, cmd: Command) -> str:
        """``cmd.menu_path``, without joining it again."""
        path = self.paths.get(cmd.menu)
        return path if path is not None else cmd.menu_path

    def in_menu(self, path: str) -> list[Command]:
        """The commands (nested ones included) whose menu is ``path``, in source order."""
        return self.by_menu.get(path, [])

    def in_menus(self, paths) -> list[Command]:
        """The commands of several menus, in source order."""
        lists = [found for p in dict.fromkeys(paths) if (found := self.by_menu.get(p))]
        if len(lists) <= 1:
            return list(lists[0]) if lists else []
        wanted = set(dict.fromkeys(paths))
        return [c for c in self.all if self.paths[c.menu] in wanted]

    def is_top(self, cmd: Command) -> bool:
        return id(cmd) in self._top_ids

    def nested_in(self, paths) -> list[Command]:
        """The nested commands (run by a script) of the menus ``paths``."""
        wanted = set(paths)
        return [c for c in self.nested if self.path_of(c) in wanted]
