"""Locate the data folders (`grammar/`, `rules/`) shipped with rosc.

In a wheel they live at ``rosc/_data/<name>``; in a source checkout (editable
install, or running from the tree) they are top-level folders beside the
package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder holding the shipped data set ``name``."""
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"rosc data folder {name!r} is missing from this installation")
