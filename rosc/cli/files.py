"""Finding and reading the files named on the command line.

Each input is read once (a FIFO or ``-`` cannot be read twice) and at most
``MAX_INPUT_BYTES`` of it (``rosc parse /dev/zero`` stops).  A path that is
missing, a dangling symbolic link or a loop of them is an error with its
reason; a folder that cannot be read is an error too, not a silent skip."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from rosc.syntax.reading import MAX_INPUT_BYTES, InputTooLarge, describe_os_error, path_status, read_limited, read_path

SKIP_DIRS = {".git", "build", "__pycache__", ".venv", "node_modules"}


class InputError(Exception):
    """A path that cannot be read: exit status 2."""


class Inputs:
    """The files to work on, and what could not be looked at while finding them."""

    __slots__ = ('files', 'errors')
    __match_args__ = __slots__

    def __init__(self, files: list[str] | None = None, errors: list[str] | None = None) -> None:
        self.files = [] if files is None else files
        self.errors = [] if errors is None else errors

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(files={self.files!r}, errors={self.errors!r})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.files, self.errors) == (other.files, other.errors)
        return NotImplemented

    __hash__ = None  # compared by value, so unhashable (as a dataclass)


def find_inputs(paths: tuple[str, ...]) -> Inputs:
    """Files named, and the ``*.rsc`` files below folders named, in order.
    A named path that does not exist raises InputError (nothing is done);
    what cannot be read below a folder is collected in ``errors``."""
    out = Inputs()
    for name in paths:
        if name == "-":
            out.files.append(name)
            continue
        problem = path_status(name)
        if problem is not None:
            raise InputError(f"{name}: {problem}")
        if os.path.isdir(name):
            _walk(name, out)
        else:
            out.files.append(name)
    return out


def _walk(top: str, out: Inputs) -> None:
    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else top
        out.errors.append(f"{where}: cannot read the folder: {describe_os_error(exc)}")

    for folder, dirs, names in os.walk(top, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in names:
            if not name.endswith(".rsc"):
                continue
            path = Path(folder) / name
            problem = path_status(str(path))
            if problem is not None:
                out.errors.append(f"{path}: {problem}")
                continue
            if stat.S_ISREG(os.stat(path).st_mode):
                found.append(path)
            # a FIFO, device or socket named *.rsc is not a script someone saved: skipped
    out.files.extend(str(p) for p in sorted(found))


def read(name: str, limit: int | None = None) -> bytes:
    """The bytes of one input (``-``: standard input), read once, at most
    ``limit`` (default ``MAX_INPUT_BYTES``) of them."""
    shown = "<stdin>" if name == "-" else name
    limit = MAX_INPUT_BYTES if limit is None else limit
    try:
        if name == "-":
            return read_limited(sys.stdin.buffer, limit)
        return read_path(name, limit)
    except InputTooLarge as exc:
        raise InputError(f"{shown}: {exc}") from None
    except OSError as exc:
        problem = path_status(name) if name != "-" else None
        raise InputError(f"{shown}: cannot read: {problem or describe_os_error(exc)}") from None
