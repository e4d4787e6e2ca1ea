"""Writing a build folder all at once (``rosc build -o DIR``).

    write_folder(Path("out"), [("core.rsc", text), ("REPORT.md", report)])

* Every file is written into a new folder beside ``DIR`` and flushed to
  disk; only then does that folder take ``DIR``'s place, in one rename
  (Linux: an atomic exchange, ``renameat2(RENAME_EXCHANGE)``; elsewhere two
  renames, the previous build kept under a hidden name until the new one is
  in place).  A failure on the way leaves ``DIR`` as it was: never half a
  build, never one build's files mixed with another's.
* ``DIR`` may be replaced only when it holds nothing but what an earlier
  build wrote (listed in its ``.rosc-build``) or files this build writes; a
  folder with anything else in it is refused, so no file of the user's is
  ever deleted.  A ``DIR`` that is a symbolic link stays one: its target is
  replaced.
* Files are created with mode 0666 and folders with 0777, less the umask,
  as any tool's output; a folder that is replaced keeps its mode.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import stat
from pathlib import Path

from rosc.format.safe_write import fsync_folder

MARKER = ".rosc-build"
_MARKER_HEAD = "# written by `rosc build`; the next build replaces this folder and the files listed here\n"


class OutputError(Exception):
    """The build cannot be written there; nothing was written."""


def written_before(folder: Path) -> set[str] | None:
    """The files an earlier build listed in ``folder/.rosc-build``."""
    try:
        text = (folder / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def _check_replaceable(target: Path, names: set[str]) -> None:
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{target} exists and is not a folder")
    allowed = (written_before(target) or set()) | names | {MARKER}
    foreign = []
    for entry in sorted(os.listdir(target)):
        if entry not in allowed or not stat.S_ISREG(os.lstat(target / entry).st_mode):
            foreign.append(entry)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise OutputError(
            f"{target} holds files rosc build did not write ({shown}); a build replaces its whole folder, "
            "so rosc leaves it alone: choose an empty or new folder, or remove them"
        )


def _new_folder(parent: Path, name: str, kind: str) -> Path:
    for _ in range(100):
        candidate = parent / f".{name}.{secrets.token_hex(4)}.rosc-{kind}"
        try:
            os.mkdir(candidate, 0o777)  # less the umask
        except FileExistsError:
            continue
        return candidate
    raise OutputError(f"cannot create a temporary folder in {parent}")


def _write_file(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)  # less the umask
    with os.fdopen(fd, "wb") as fh:
        fh.write(text.encode("utf-8", errors="surrogateescape"))
        fh.flush()
        os.fsync(fh.fileno())


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def write_folder(target: Path, files: list[tuple[str, str]]) -> list[Path]:
    """Make ``target`` hold exactly ``files`` (name, text); the paths written."""
    names = [name for name, _ in files]
    if len({n.casefold() for n in names}) != len(names):
        raise OutputError("two outputs have the same file name")
    real = Path(os.path.realpath(target))
    real.parent.mkdir(parents=True, exist_ok=True)
    _check_replaceable(real, set(names))
    stage = _new_folder(real.parent, real.name, "build")
    try:
        for name, text in files:
            _write_file(stage / name, text)
        _write_file(stage / MARKER, _MARKER_HEAD + "".join(f"{n}\n" for n in names))
        fsync_folder(stage)
        if os.path.lexists(real):
            os.chmod(stage, stat.S_IMODE(os.stat(real).st_mode))
            if _exchange(stage, real):
                shutil.rmtree(stage)  # now the previous build
            else:
                old = _new_folder(real.parent, real.name, "old")
                os.rmdir(old)
                os.rename(real, old)
                try:
                    os.rename(stage, real)
                except BaseException:
                    os.rename(old, real)
                    raise
                shutil.rmtree(old)
        else:
            os.rename(stage, real)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    fsync_folder(real.parent)
    return [Path(target) / name for name in names]
