"""The pre-commit hooks (.pre-commit-hooks.yaml), run by the real
``pre-commit`` tool in a temporary git repository.

The hook repository is a snapshot of this checkout's working tree (tracked
and untracked files, as git would list them), committed in a temporary
repository: ``pre-commit try-repo`` would only carry *tracked* changes, and
the hooks must be tested as they are now, committed or not.  pre-commit
builds the hook's environment with pip, which needs PyPI (or a configured
index) the first time: the environments are cached in
``$ROSC_TEST_PRE_COMMIT_HOME`` when that is set, else built in a temporary
folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PRE_COMMIT = shutil.which("pre-commit") or (
    str(Path(sys.executable).with_name("pre-commit")) if Path(sys.executable).with_name("pre-commit").exists() else None
)
GIT = shutil.which("git")

pytestmark = [
    pytest.mark.skipif(GIT is None, reason="git is not installed"),
    pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (pip install pre-commit)"),
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout of rosc"),
]

GOOD = "/system identity\nset name=r1\n"
UNFORMATTED = "/system identity set name=r1\n"
BAD = '/system identity set name="r1\n'  # SYN002: unterminated string


def git(*args: str, cwd: Path) -> str:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="rosc tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="rosc tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    return subprocess.run([GIT, *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def snapshot_of_checkout(dest: Path) -> str:
    """Commit this checkout's current files in a new repository at ``dest``;
    return the commit."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).split("\0")
    dest.mkdir()
    for name in filter(None, listed):
        src = ROOT / name
        if not src.is_file() or name.startswith(("tests/", "bench/", "samples/")):
            continue  # deleted in the working tree, or not needed to install
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "snapshot", cwd=dest)
    return git("rev-parse", "HEAD", cwd=dest).strip()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    base = tmp_path_factory.mktemp("precommit")
    hook_repo = base / "rosc-hooks"
    rev = snapshot_of_checkout(hook_repo)
    work = base / "project"
    work.mkdir()
    git("init", "-q", cwd=work)
    (work / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hook_repo}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: rosc-lint\n"
        "      - id: rosc-fmt\n"
    )
    (work / "good.rsc").write_text(GOOD)
    (work / "bad.rsc").write_text(BAD)
    (work / "messy.rsc").write_text(UNFORMATTED)
    (work / "notes.txt").write_text('not a script " at all\n')
    git("add", "-A", cwd=work)
    home = os.environ.get("ROSC_TEST_PRE_COMMIT_HOME") or str(base / "pre-commit-home")
    env = dict(os.environ, PRE_COMMIT_HOME=home, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    env.pop("VIRTUAL_ENV", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PRE_COMMIT, *args], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )

    installed = run("install-hooks")
    if installed.returncode != 0:
        text = installed.stdout + installed.stderr
        if any(s in text for s in ("Could not find a version", "Failed to establish", "Temporary failure", "No matching distribution")):
            pytest.skip(f"pre-commit could not build the hook environment (no package index?):\n{text[-800:]}")
        pytest.fail(f"pre-commit install-hooks failed:\n{text}")
    return work, run


def test_good_file_passes(project):
    work, run = project
    result = run("run", "--files", "good.rsc", "notes.txt")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rosc lint" in result.stdout and "Passed" in result.stdout
    assert (work / "good.rsc").read_text() == GOOD


def test_bad_file_is_rejected(project):
    work, run = project
    result = run("run", "rosc-lint", "--files", "bad.rsc")
    assert result.returncode == 1
    assert "Failed" in result.stdout and "SYN002" in result.stdout


def test_fmt_rewrites_a_file(project):
    work, run = project
    result = run("run", "rosc-fmt", "--files", "messy.rsc")
    assert result.returncode == 1  # pre-commit fails a hook that modified files
    assert "files were modified by this hook" in result.stdout
    assert (work / "messy.rsc").read_text() == GOOD
    again = run("run", "rosc-fmt", "--files", "messy.rsc")
    assert again.returncode == 0, again.stdout
