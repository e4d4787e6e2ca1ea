"""Reading one input: at most ``MAX_INPUT_BYTES``, each input read once.

``rosc parse /dev/zero`` must not read forever, and a FIFO can be read only
once (a second read waits for a writer that never comes), so every command
reads an input through :func:`read_limited` exactly once and keeps the
bytes."""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

MAX_INPUT_BYTES = 64 * 1024 * 1024  # 64 MiB: a 100,000-command export is about 15 MB
_CHUNK = 1 << 20


class InputTooLarge(Exception):
    """An input longer than the limit (a device file, /dev/zero, a stream)."""

    def __init__(self, limit: int):
        super().__init__(f"larger than {describe_size(limit)}, the most rosc reads of one input")
        self.limit = limit


def describe_size(size: int) -> str:
    if size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MiB"
    if size % 1024 == 0:
        return f"{size // 1024} KiB"
    return f"{size} bytes"


def read_limited(stream: BinaryIO, limit: int = MAX_INPUT_BYTES) -> bytes:
    """All of ``stream``, or InputTooLarge once more than ``limit`` bytes come."""
    chunks = []
    total = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise InputTooLarge(limit)


def read_path(path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the file ``path`` (FIFOs and devices included, read once)."""
    with open(path, "rb", buffering=0) as fh:
        return read_limited(fh, limit)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def describe_os_error(exc: OSError) -> str:
    """``exc`` as a short lower-case reason: "permission denied"."""
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:] if reason else "unknown error"


def path_status(name: str) -> str | None:
    """Why ``name`` cannot be opened, or None when it can be stat-ed: a
    missing file, a dangling symbolic link, a symbolic link loop..."""
    try:
        os.stat(name)
        return None
    except OSError as exc:
        try:
            st = os.lstat(name)
        except OSError:
            return f"{describe_os_error(exc)}" if not isinstance(exc, FileNotFoundError) else "no such file or folder"
        if stat.S_ISLNK(st.st_mode):
            if isinstance(exc, FileNotFoundError):
                try:
                    target = os.readlink(name)
                except OSError:
                    target = "?"
                return f"a symbolic link to {target}, which does not exist"
            return f"cannot follow the symbolic link: {describe_os_error(exc)}"
        return describe_os_error(exc)
