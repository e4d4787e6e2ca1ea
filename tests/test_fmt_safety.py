"""``rosc fmt`` never loses the user's data: symbolic and hard links, owner,
mode and attributes, read-only files, FIFOs, edits made while it runs, and
a write that fails (issue 10)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from rosc.cli.main import main

UGLY = "/ip address add interface=ether1 address=10.0.0.1/24\n"
PRETTY = "/ip address\nadd address=10.0.0.1/24 interface=ether1\n"
ROOT = os.geteuid() == 0


def fmt(*args):
    return CliRunner().invoke(main, ["fmt", *map(str, args)])


@pytest.fixture
def shared():
    """A folder another user can reach (pytest's tmp_path is 0700 for root)."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="rosc-shared-", dir="/tmp")
    os.chmod(folder, 0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def as_nobody(args, cwd):
    """Run ``rosc ARGS`` in ``cwd`` as another user (for root: nobody), in a
    forked child: the interpreter may live where nobody cannot read (/root),
    so everything the command needs is imported before the fork."""
    import json

    import rosc.checks.registry
    import rosc.format.formatter  # noqa: F401
    import rosc.format.safe_write  # noqa: F401
    import rosc.lint.engine  # noqa: F401
    import rosc.report.formats  # noqa: F401

    rosc.checks.registry.all_rules()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        try:
            os.close(read_end)
            if ROOT:
                os.setgroups([])
                os.setresgid(65534, 65534, 65534)
                os.setresuid(65534, 65534, 65534)
            os.chdir(cwd)
            result = CliRunner().invoke(main, list(args))
            payload = {"code": result.exit_code, "stdout": result.stdout, "stderr": result.stderr, "exc": repr(result.exception)}
            with os.fdopen(write_end, "w") as fh:
                fh.write(json.dumps(payload))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as fh:
        payload = json.loads(fh.read() or "{}")
    os.waitpid(pid, 0)
    return subprocess.CompletedProcess(args, payload.get("code"), payload.get("stdout", ""), payload.get("stderr", ""))


def test_symlink_stays_a_link_and_its_target_is_formatted(tmp_path):
    real = tmp_path / "real.rsc"
    real.write_text(UGLY)
    link = tmp_path / "link.rsc"
    link.symlink_to("real.rsc")
    result = fmt(link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "real.rsc"
    assert real.read_text() == PRETTY


def test_symlink_into_another_folder_writes_there(tmp_path):
    (tmp_path / "configs").mkdir()
    real = tmp_path / "configs" / "core.rsc"
    real.write_text(UGLY)
    (tmp_path / "work").mkdir()
    link = tmp_path / "work" / "core.rsc"
    link.symlink_to(real)
    assert fmt(link).exit_code == 0
    assert link.is_symlink() and real.read_text() == PRETTY
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["core.rsc"]
    assert sorted(p.name for p in (tmp_path / "configs").iterdir()) == ["core.rsc"]


def test_hard_links_keep_sharing_the_new_text(tmp_path):
    one = tmp_path / "one.rsc"
    one.write_text(UGLY)
    two = tmp_path / "two.rsc"
    os.link(one, two)
    inode = one.stat().st_ino
    result = fmt(one)
    assert result.exit_code == 0, result.output
    assert one.stat().st_ino == two.stat().st_ino == inode
    assert two.read_text() == PRETTY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.rsc", "two.rsc"]  # the backup is gone


@pytest.mark.skipif(not ROOT, reason="giving a file to another user needs root")
def test_owner_group_and_setuid_mode_are_kept(tmp_path):
    path = tmp_path / "user.rsc"
    path.write_text(UGLY)
    os.chown(path, 1234, 4321)
    os.chmod(path, 0o4755)
    result = fmt(path)
    assert result.exit_code == 0, result.output
    st = path.stat()
    assert (st.st_uid, st.st_gid) == (1234, 4321)
    assert stat.S_IMODE(st.st_mode) == 0o4755
    assert path.read_text() == PRETTY


def test_extended_attributes_are_kept(tmp_path):
    path = tmp_path / "x.rsc"
    path.write_text(UGLY)
    try:
        os.setxattr(path, "user.origin", b"router-1")
    except OSError:
        pytest.skip("no user extended attributes on this file system")
    assert fmt(path).exit_code == 0
    assert os.getxattr(path, "user.origin") == b"router-1"
    assert path.read_text() == PRETTY


def test_a_posix_acl_is_kept(tmp_path):
    """An ACL granting user 1000 read access (what `setfacl -m u:1000:r` stores)."""
    import struct

    path = tmp_path / "acl.rsc"
    path.write_text(UGLY)

    def entry(tag, perm, who=0xFFFFFFFF):
        return struct.pack("<HHI", tag, perm, who)

    acl = struct.pack("<I", 2) + entry(0x01, 6) + entry(0x02, 4, 1000) + entry(0x04, 4) + entry(0x10, 4) + entry(0x20, 4)
    try:
        os.setxattr(path, "system.posix_acl_access", acl)
    except OSError:
        pytest.skip("no POSIX ACLs on this file system")
    assert fmt(path).exit_code == 0
    assert os.getxattr(path, "system.posix_acl_access") == acl
    assert path.read_text() == PRETTY


def test_read_only_file_is_refused_even_for_root(tmp_path):
    path = tmp_path / "ro.rsc"
    path.write_text(UGLY)
    path.chmod(0o444)
    result = fmt(path)
    assert result.exit_code == 2
    assert "read-only (mode 0444)" in result.output
    assert path.read_text() == UGLY and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert "0 files reformatted" in result.output


def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.rsc"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "rosc", "fmt", str(fifo)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "FIFO" in proc.stderr and "not a regular file" in proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_check_reads_a_fifo_once(tmp_path):
    fifo = tmp_path / "pipe.rsc"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "w") as fh:
            fh.write(UGLY)

    writer = threading.Thread(target=feed)
    writer.start()
    proc = subprocess.run([sys.executable, "-m", "rosc", "fmt", "--check", str(fifo)], capture_output=True, text=True, timeout=30)
    writer.join(5)
    assert proc.returncode == 1, proc.stderr
    assert f"would reformat {fifo}" in proc.stderr


def test_an_edit_made_while_fmt_runs_is_not_lost(tmp_path, monkeypatch):
    import rosc.format.formatter as formatter

    path = tmp_path / "busy.rsc"
    path.write_text(UGLY)
    edited = UGLY + "/ip route add gateway=10.0.0.254\n"
    real_emit = formatter.emit

    def emit_while_someone_saves(script, text):
        path.write_text(edited)  # the user saves in the editor meanwhile
        return real_emit(script, text)

    monkeypatch.setattr(formatter, "emit", emit_while_someone_saves)
    result = fmt(path)
    assert result.exit_code == 2
    assert "changed while rosc was formatting it" in result.output
    assert path.read_text() == edited
    assert "0 files reformatted" in result.output


def test_same_size_edit_within_the_same_timestamp_is_caught(tmp_path, monkeypatch):
    import rosc.format.formatter as formatter

    path = tmp_path / "busy.rsc"
    path.write_text(UGLY)
    before = path.stat()
    edited = UGLY.replace("10.0.0.1", "10.0.0.9")
    real_emit = formatter.emit

    def emit_while_someone_saves(script, text):
        with open(path, "r+") as fh:  # same inode, same size
            fh.write(edited)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # a coarse clock: same mtime
        return real_emit(script, text)

    monkeypatch.setattr(formatter, "emit", emit_while_someone_saves)
    result = fmt(path)
    assert result.exit_code == 2 and path.read_text() == edited


def test_a_failed_write_is_not_counted_as_reformatted(tmp_path, monkeypatch):
    path = tmp_path / "x.rsc"
    path.write_text(UGLY)

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    monkeypatch.setattr(os, "ftruncate", no_space)
    result = fmt(path)
    assert result.exit_code == 2
    assert "cannot write: no space left on device" in result.output
    assert "0 files reformatted, 0 unchanged, 1 not written." in result.output
    assert "reformatted x.rsc" not in result.output.replace(str(tmp_path) + "/", "")
    assert path.read_text() == UGLY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.rsc"]  # no temporary file left


def test_symlink_loop_and_dangling_link_are_named_as_such(tmp_path):
    loop = tmp_path / "loop.rsc"
    loop.symlink_to("loop.rsc")
    result = fmt(loop)
    assert result.exit_code == 2
    assert "symbolic link" in result.output and "no such file" not in result.output
    dangling = tmp_path / "gone.rsc"
    dangling.symlink_to("missing.rsc")
    result = fmt(dangling)
    assert result.exit_code == 2 and "a symbolic link to missing.rsc, which does not exist" in result.output


def test_fmt_a_folder_reports_broken_links_and_formats_the_rest(tmp_path):
    (tmp_path / "ok.rsc").write_text(UGLY)
    (tmp_path / "loop.rsc").symlink_to("loop.rsc")
    result = fmt(tmp_path)
    assert result.exit_code == 2
    assert "loop.rsc" in result.output
    assert (tmp_path / "ok.rsc").read_text() == PRETTY


# --- as another user ------------------------------------------------------------------------------


def _needs_other_user():
    if ROOT and not hasattr(os, "setresuid"):
        pytest.skip("cannot run as another user here")


def test_a_file_of_another_user_keeps_its_owner(shared):
    """A group-writable file of root in a shared folder, formatted by
    nobody: replacing it would give it to nobody; it is rewritten in place."""
    _needs_other_user()
    if not ROOT:
        pytest.skip("needs root to make a file of another user")
    folder = shared
    path = os.path.join(folder, "shared.rsc")
    with open(path, "w") as fh:
        fh.write(UGLY)
    os.chown(path, 0, 65534)
    os.chmod(path, 0o664)
    proc = as_nobody(["fmt", "shared.rsc"], folder)
    assert proc.returncode == 0, proc.stderr
    st = os.stat(path)
    assert (st.st_uid, st.st_gid) == (0, 65534) and stat.S_IMODE(st.st_mode) == 0o664
    assert open(path).read() == PRETTY
    assert sorted(os.listdir(folder)) == ["shared.rsc"]


def test_a_writable_file_in_a_folder_rosc_cannot_write_is_refused_untouched(shared):
    _needs_other_user()
    if not ROOT:
        pytest.skip("needs root to make a folder of another user")
    folder = shared
    os.chmod(folder, 0o755)
    path = os.path.join(folder, "x.rsc")
    with open(path, "w") as fh:
        fh.write(UGLY)
    os.chmod(path, 0o666)
    proc = as_nobody(["fmt", "x.rsc"], folder)
    assert proc.returncode == 2
    assert "backup" in proc.stderr
    assert open(path).read() == UGLY


def test_unreadable_folder_is_an_error_not_a_skip(shared):
    _needs_other_user()
    folder = shared
    os.mkdir(os.path.join(folder, "secret"))
    with open(os.path.join(folder, "secret", "a.rsc"), "w") as fh:
        fh.write(UGLY)
    with open(os.path.join(folder, "b.rsc"), "w") as fh:
        fh.write(PRETTY)
    os.chmod(os.path.join(folder, "secret"), 0o700 if ROOT else 0o000)
    try:
        for command in (["lint", "."], ["fmt", "--check", "."]):
            proc = as_nobody(command, folder)
            assert proc.returncode == 2, (command, proc.stdout, proc.stderr)
            assert "secret: cannot read the folder: permission denied" in proc.stderr
    finally:
        os.chmod(os.path.join(folder, "secret"), 0o755)


def test_time_is_not_spent_on_a_hanging_fifo_in_a_folder(tmp_path):
    os.mkfifo(tmp_path / "pipe.rsc")
    (tmp_path / "a.rsc").write_text(PRETTY)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "rosc", "lint", str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "1 file checked" in proc.stdout
    assert time.monotonic() - started < 30
