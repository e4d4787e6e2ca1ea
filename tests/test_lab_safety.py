"""A lab reads only its own files and a build never overwrites them, never
half-writes, never writes outside its folder (issue 10)."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ARTICLE
from rosc.cli.main import main
from rosc.lab.build import build_lab
from rosc.lab.loader import load_lab

R1 = """\
/system identity
set name=r1
/ip address
add address=10.0.0.1/30 interface=ether1
"""
R2 = """\
/system identity
set name=r2
/ip address
add address=10.0.0.2/30 interface=ether1
"""
SECRET = "root:$6$very-secret-hash:19000:0:99999:7:::\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def make_lab(folder: Path, devices: str, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (files or {"r1.rsc": R1, "r2.rsc": R2}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    (folder / "lab.toml").write_text(f'[lab]\nname = "t"\n\n[devices]\n{devices}\n[cables]\n"r1:ether1" = "r2:ether1"\n')
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the output folder -----------------------------------------------------------------------------


def test_build_into_the_lab_folder_is_refused_and_writes_nothing(tmp_path):
    lab = tmp_path / "article"
    shutil.copytree(ARTICLE, lab)
    before = snapshot(lab)
    result = run("build", lab, "-o", lab)
    assert result.exit_code == 2
    assert "holds files of the lab" in result.output and "nothing written" in result.output
    assert snapshot(lab) == before


@pytest.mark.parametrize("where", ["parent", "same-through-a-link", "subfolder-with-a-device-file"])
def test_output_folders_that_hold_lab_files_are_refused(tmp_path, where):
    lab = make_lab(tmp_path / "lab", 'r1 = "r1.rsc"\nr2 = "sub/r2.rsc"', {"r1.rsc": R1, "sub/r2.rsc": R2})
    out = {"parent": tmp_path, "subfolder-with-a-device-file": lab / "sub"}.get(where)
    if where == "same-through-a-link":
        out = tmp_path / "link"
        out.symlink_to(lab)
    before = snapshot(tmp_path)
    result = run("build", lab, "-o", out)
    assert result.exit_code == 2, result.output
    assert snapshot(tmp_path) == before


def test_build_replaces_its_own_earlier_build_whole(tmp_path):
    lab = make_lab(tmp_path / "lab", 'r1 = "r1.rsc"\nr2 = "r2.rsc"')
    out = tmp_path / "out"
    assert run("build", lab, "-o", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [".rosc-build", "REPORT.md", "r1.rsc", "r2.rsc", "topology.svg"]
    (lab / "lab.toml").write_text((lab / "lab.toml").read_text().replace('r2 = "r2.rsc"', 'r2 = "r2.rsc"\nr3 = "r1.rsc"'))
    assert run("build", lab, "-o", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [".rosc-build", "REPORT.md", "r1.rsc", "r2.rsc", "r3.rsc", "topology.svg"]
    (lab / "lab.toml").write_text((lab / "lab.toml").read_text().replace('r3 = "r1.rsc"\n', ""))
    assert run("build", lab, "-o", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [".rosc-build", "REPORT.md", "r1.rsc", "r2.rsc", "topology.svg"]  # r3.rsc went
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folder left


def test_a_folder_with_files_rosc_did_not_write_is_left_alone(tmp_path):
    lab = make_lab(tmp_path / "lab", 'r1 = "r1.rsc"\nr2 = "r2.rsc"')
    out = tmp_path / "configs"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    result = run("build", lab, "-o", out)
    assert result.exit_code == 2
    assert "holds files rosc build did not write (notes.txt)" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_a_symlinked_output_folder_stays_a_link(tmp_path):
    lab = make_lab(tmp_path / "lab", 'r1 = "r1.rsc"\nr2 = "r2.rsc"')
    (tmp_path / "real").mkdir()
    link = tmp_path / "out"
    link.symlink_to("real")
    for _ in range(2):
        assert run("build", lab, "-o", link).exit_code == 0
        assert link.is_symlink() and (tmp_path / "real" / "r1.rsc").is_file()


def test_a_failure_half_way_leaves_the_previous_build(tmp_path, monkeypatch):
    lab = make_lab(tmp_path / "lab", 'r1 = "r1.rsc"\nr2 = "r2.rsc"')
    out = tmp_path / "out"
    assert run("build", lab, "-o", out).exit_code == 0
    before = snapshot(out)
    (lab / "r1.rsc").write_text(R1.replace("10.0.0.1/30", "10.0.0.1/30 comment=new"))
    (lab / "r2.rsc").write_text(R2.replace("10.0.0.2/30", "10.0.0.2/30 comment=new"))
    calls = []
    real_fsync = os.fsync

    def fsync_then_disk_full(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_then_disk_full)
    result = run("build", lab, "-o", out)
    assert result.exit_code == 2
    assert "cannot write the build" in result.output and "nothing written" in result.output
    monkeypatch.undo()
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lab", "out"]


def test_built_files_get_the_umask_mode(tmp_path):
    lab = make_lab(tmp_path / "lab", 'r1 = "r1.rsc"\nr2 = "r2.rsc"')
    old = os.umask(0o022)
    try:
        report = build_lab(lab, tmp_path / "out")
    finally:
        os.umask(old)
    assert report.written
    for path in report.written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755
    old = os.umask(0o077)
    try:
        build_lab(lab, tmp_path / "private")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "private" / "r1.rsc").stat().st_mode) == 0o600


# --- names ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["../../x", "a/b", ".hidden", "a\\\\b", "c:d", ""])
def test_variant_names_that_are_not_file_names_are_located_errors(tmp_path, variant):
    lab = make_lab(tmp_path / "lab", f'r1 = "r1.rsc"\n[devices.r2]\nvariants = {{ "{variant}" = "r2.rsc" }}\n')
    result = run("build", lab, "-o", tmp_path / "out", "--force")
    assert "LAB001" in result.output and "variant name" in result.output, result.output
    assert "lab.toml:7:" in result.output
    assert not (tmp_path / "x.rsc").exists() and not (tmp_path / "r2-..").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lab"] + (["out"] if (tmp_path / "out").exists() else [])
    if (tmp_path / "out").exists():
        assert all("/" not in n for n in os.listdir(tmp_path / "out"))


def test_a_device_and_a_variant_that_build_to_one_file_are_an_error(tmp_path):
    lab = make_lab(
        tmp_path / "lab",
        'r1 = "r1.rsc"\nr2-x = "r2.rsc"\n[devices.r2]\nvariants = { x = "r2.rsc", y = "r2.rsc" }\n',
    )
    result = run("build", lab, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "variant x of r2 and device r2-x would both be built into r2-x.rsc" in result.output
    assert "lab.toml:8:" in result.output
    forced = run("build", lab, "-o", tmp_path / "out", "--force")
    assert forced.exit_code == 2 and "nothing written" in forced.output
    assert not (tmp_path / "out").exists()


def test_names_that_differ_only_in_case_collide(tmp_path):
    lab = make_lab(tmp_path / "lab", 'r1 = "r1.rsc"\nr2 = "r2.rsc"\nR2 = "r2.rsc"\n')
    result = run("build", lab, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "would both be built into R2.rsc" in result.output


# --- files outside the lab --------------------------------------------------------------------------


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "elsewhere" / "shadow"
    path.parent.mkdir()
    path.write_text(SECRET)
    return path


@pytest.mark.parametrize("how", ["relative", "absolute", "symlink", "symlinked-folder"])
def test_device_files_outside_the_lab_are_not_read(tmp_path, secret, how):
    lab = tmp_path / "lab"
    lab.mkdir()
    name = {"relative": "../elsewhere/shadow", "absolute": str(secret)}.get(how, "r2.rsc")
    if how == "symlink":
        (lab / "r2.rsc").symlink_to(secret)
    if how == "symlinked-folder":
        (lab / "conf").symlink_to(secret.parent)
        name = "conf/shadow"
    make_lab(lab, f'r1 = "r1.rsc"\nr2 = "{name}"', {"r1.rsc": R1})
    loaded, diagnostics = load_lab(lab)
    assert [d.code for d in diagnostics] == ["LAB001"]
    assert "is outside the lab folder" in diagnostics[0].message and diagnostics[0].span.line == 6
    assert all(SECRET.strip() not in str(d.message) for d in diagnostics)
    assert ("r2", None) not in loaded.files
    result = run("build", lab, "-o", tmp_path / "out", "--force")
    assert "is outside the lab folder" in result.output and "very-secret-hash" not in result.output
    assert all("very-secret-hash" not in p.read_text() for p in (tmp_path / "out").iterdir())


def test_allow_outside_lab_reads_them(tmp_path):
    outside = tmp_path / "shared" / "r2.rsc"
    outside.parent.mkdir()
    outside.write_text(R2)
    lab = make_lab(tmp_path / "lab", 'r1 = "r1.rsc"\nr2 = "../shared/r2.rsc"', {"r1.rsc": R1})
    assert run("build", lab, "-o", tmp_path / "out").exit_code == 1
    result = run("build", lab, "-o", tmp_path / "out", "--allow-outside-lab")
    assert result.exit_code == 0, result.output
    assert "set name=r2" in (tmp_path / "out" / "r2.rsc").read_text()
    assert run("routes", lab, "--device", "r2", "--allow-outside-lab").exit_code == 0


def test_the_lab_checks_of_the_language_server_never_read_outside(tmp_path, secret):
    from rosc.lab.runner import check_lab

    lab = tmp_path / "lab"
    make_lab(lab, f'r1 = "r1.rsc"\nr2 = "{secret}"', {"r1.rsc": R1})
    found = check_lab(lab)
    assert any(d.code == "LAB001" and "outside the lab folder" in d.message for d in found)
    assert all("very-secret-hash" not in d.message for d in found)


def test_the_output_folder_is_swapped_in_one_step_on_linux(tmp_path):
    import sys

    from rosc.lab.output_folder import _exchange

    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "old").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "new").write_text("b")
    assert _exchange(tmp_path / "a", tmp_path / "b") is True
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["new"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["old"]


def test_a_lab_toml_that_links_outside_is_refused(tmp_path, secret):
    lab = tmp_path / "lab"
    lab.mkdir()
    (lab / "lab.toml").symlink_to(secret)
    result = run("build", lab, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "outside the lab folder" in result.output
    assert "very-secret-hash" not in result.output


def test_a_fifo_named_by_lab_toml_is_not_opened(tmp_path):
    lab = make_lab(tmp_path / "lab", 'r1 = "r1.rsc"\nr2 = "r2.rsc"', {"r1.rsc": R1})
    os.mkfifo(lab / "r2.rsc")
    loaded, diagnostics = load_lab(lab)
    assert [d.code for d in diagnostics] == ["LAB001"]
    assert "FIFO" in diagnostics[0].message


def test_build_error_is_raised_by_the_api_too(tmp_path):
    from rosc.lab.build import BuildError

    lab = make_lab(tmp_path / "lab", 'r1 = "r1.rsc"\nr2 = "r2.rsc"')
    with pytest.raises(BuildError):
        build_lab(lab, lab)
