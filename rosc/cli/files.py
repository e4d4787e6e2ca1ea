"""Finding and reading the files named on the command line."""

from __future__ import annotations

import sys
from pathlib import Path

SKIP_DIRS = {".git", "build", "__pycache__", ".venv", "node_modules"}


class InputError(Exception):
    """A path that cannot be read: exit status 2."""


def expand(paths: tuple[str, ...]) -> list[str]:
    """Files named, and the ``*.rsc`` files below folders named, in order."""
    out: list[str] = []
    for name in paths:
        if name == "-":
            out.append(name)
            continue
        path = Path(name)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*.rsc") if p.is_file() and not (set(p.relative_to(path).parts[:-1]) & SKIP_DIRS)
            )
            out.extend(str(p) for p in found)
        elif path.exists():
            out.append(name)
        else:
            raise InputError(f"{name}: no such file or folder")
    return out


def read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
