"""Rewriting a file as a careful editor does (``rosc fmt``).

    original = read_for_rewrite("core.rsc")        # WriteRefused, OSError, InputTooLarge
    rewrite(original, new_bytes)                    # WriteRefused, OSError

What it guarantees (README, "What fmt and build guarantee"):

* only regular files are rewritten; a FIFO, a device, a socket or a folder
  is refused before it is opened (opening a FIFO would wait for a writer);
* a symbolic link is followed: the file it points to is rewritten and the
  link stays a link (a loop or a dangling link is an error);
* a file without write permission (mode 0444, a read-only mount) is refused,
  also for root;
* the new text goes to a temporary file in the same folder, flushed to disk
  (``fsync``), given the original's owner, group, permission bits (setuid,
  setgid and sticky included) and extended attributes (ACLs are extended
  attributes), then renamed over the original: a crash leaves either the old
  file or the new one, never half of one;
* when that replacement would change what other names see — a file with
  several hard links, or a file whose owner or attributes the new file
  cannot be given (a file of another user in a shared folder) — the file is
  rewritten in place instead (same inode, so every name and the owner stay),
  after a backup copy of the original has been flushed to disk beside it;
  the backup is removed once the new text is on disk, and kept (and named)
  if anything fails;
* just before the original is replaced, rosc checks that it is still the
  file it read (same inode, size, modification and change time, same
  bytes); a file edited meanwhile is left as it is.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from rosc.syntax.reading import MAX_INPUT_BYTES, InputTooLarge, file_kind, read_limited


_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class WriteRefused(Exception):
    """The file was left as it is, for the reason given."""


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A regular file as rosc read it, to be rewritten later."""

    path: Path  # as the user named it
    real: Path  # the file itself: symbolic links resolved
    data: bytes
    stat: os.stat_result  # of the open file, when it was read


def read_for_rewrite(path, limit: int = MAX_INPUT_BYTES) -> ReadFile:
    """Read ``path`` once, refusing what ``rewrite`` could not replace."""
    path = Path(path)
    try:
        real = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise WriteRefused("a loop of symbolic links") from None
        raise
    st = os.stat(real)
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused(f"{file_kind(st.st_mode)}, not a regular file: fmt rewrites regular files only")
    # O_NONBLOCK: should the name become a FIFO between stat and open,
    # opening must not wait for a writer
    fd = os.open(real, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC)
    with os.fdopen(fd, "rb", buffering=0) as fh:
        opened = os.fstat(fh.fileno())
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino):
            raise WriteRefused("the file changed while rosc opened it")
        data = read_limited(fh, limit)
    return ReadFile(path, real, data, opened)


def rewrite(original: ReadFile, data: bytes) -> None:
    """Replace the text of ``original`` by ``data`` (see the module docstring)."""
    st = original.stat
    if not _writable(original.real, st):
        raise WriteRefused(f"read-only (mode {stat.S_IMODE(st.st_mode):04o}): rosc does not rewrite it")
    if st.st_nlink > 1:
        _rewrite_in_place(original, data)
        return
    try:
        _replace(original, data)
    except _KeepInode:
        _rewrite_in_place(original, data)


class _KeepInode(Exception):
    """A new file could not get the original's owner or attributes."""


def _writable(real: Path, st: os.stat_result) -> bool:
    if not os.access(real, os.W_OK):  # permissions, ACLs, read-only mounts
        return False
    if getattr(os, "geteuid", lambda: -1)() == 0:  # root may write anything: respect the mode as an editor does
        return bool(st.st_mode & 0o222)
    return True


def _changed(original: ReadFile) -> bool:
    """Whether the file at ``original.real`` is no longer what rosc read."""
    try:
        now = os.stat(original.real)
    except OSError:
        return True
    before = original.stat
    if (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns, now.st_ctime_ns) != (
        before.st_dev, before.st_ino, before.st_size, before.st_mtime_ns, before.st_ctime_ns,
    ):
        return True
    # timestamps can be coarse (FAT: 2 s), so compare the bytes too
    try:
        with open(original.real, "rb", buffering=0) as fh:
            return read_limited(fh, len(original.data)) != original.data
    except (OSError, InputTooLarge):  # InputTooLarge: it grew
        return True


_CHANGED = "the file changed while rosc was formatting it; it is left as it is (run fmt again)"


def _temp_name(folder: Path, name: str, kind: str) -> Path:
    return folder / f".{name}.{secrets.token_hex(4)}.rosc-{kind}"


def _create(folder: Path, name: str, kind: str) -> tuple[int, Path]:
    for _ in range(100):
        candidate = _temp_name(folder, name, kind)
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC, 0o600)
        except FileExistsError:
            continue
        return fd, candidate
    raise FileExistsError(errno.EEXIST, "cannot create a temporary file", str(folder))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _copy_xattrs(src: Path, fd: int) -> None:
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(src)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return
        raise _KeepInode() from None
    for name in names:
        try:
            os.setxattr(fd, name, os.getxattr(src, name))
        except OSError:
            raise _KeepInode() from None


def _replace(original: ReadFile, data: bytes) -> None:
    real, st = original.real, original.stat
    try:
        fd, tmp = _create(real.parent, real.name, "tmp")
    except PermissionError:
        # a folder rosc may not write to: only the file itself can change
        raise _KeepInode() from None
    try:
        try:
            _write_all(fd, data)
            made = os.fstat(fd)
            if (st.st_uid, st.st_gid) != (made.st_uid, made.st_gid) and hasattr(os, "fchown"):
                try:
                    os.fchown(fd, st.st_uid, st.st_gid)
                except PermissionError:
                    raise _KeepInode() from None
            if hasattr(os, "fchmod"):
                os.fchmod(fd, stat.S_IMODE(st.st_mode))
            else:
                os.chmod(tmp, stat.S_IMODE(st.st_mode))  # after chown, which clears setuid and setgid
            _copy_xattrs(real, fd)
            os.fsync(fd)
        finally:
            os.close(fd)
        if _changed(original):
            raise WriteRefused(_CHANGED)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_folder(real.parent)


def _rewrite_in_place(original: ReadFile, data: bytes) -> None:
    real = original.real
    try:
        fd, backup = _create(real.parent, real.name, "backup")
    except OSError as exc:
        raise WriteRefused(
            "it can only be rewritten in place (several hard links, or an owner rosc cannot give a new file), "
            f"and rosc cannot put a backup copy beside it: {exc.strerror or exc}"
        ) from None
    keep_backup = False
    try:
        try:
            _write_all(fd, original.data)
            os.fsync(fd)
        finally:
            os.close(fd)
        fsync_folder(real.parent)
        target = os.open(real, os.O_RDWR | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC)
        try:
            opened = os.fstat(target)
            if (opened.st_dev, opened.st_ino) != (original.stat.st_dev, original.stat.st_ino) or _changed(original):
                raise WriteRefused(_CHANGED)
            try:
                _overwrite(target, data)
            except OSError as exc:
                try:  # put the original text back
                    _overwrite(target, original.data)
                except OSError:
                    keep_backup = True
                    raise OSError(exc.errno, f"{exc.strerror}; the original text is kept in {backup}") from None
                raise
        finally:
            os.close(target)
    finally:
        if not keep_backup:
            os.unlink(backup)


def _overwrite(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    _write_all(fd, data)
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
