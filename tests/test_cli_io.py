"""The command line as a hostile user tries it: names that look like
markup, FIFOs, endless inputs, broken links, too many jobs, JSON of
undecodable bytes (issue 10)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from click.testing import CliRunner

from rosc.cli.main import main

CLEAN = "/system identity\nset name=core\n"
WARN = "/system identity set \\ \n    name=x\n"  # SYN009 warning
UGLY = "/ip address add interface=ether1 address=10.0.0.1/24\n"


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def rosc(*args, timeout=60, **kwargs):
    return subprocess.run([sys.executable, "-m", "rosc", *map(str, args)], capture_output=True, timeout=timeout, **kwargs)


# --- markup in user text ----------------------------------------------------------------------------


def test_paths_with_markup_are_printed_as_they_are(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "[old].rsc").write_text(UGLY)
    result = run("fmt", "--check", "[old].rsc")
    assert result.exit_code == 1 and "would reformat [old].rsc" in result.output
    result = run("fmt", "[old].rsc")
    assert result.exit_code == 0 and "reformatted [old].rsc" in result.output
    result = run("lint", "[nope].rsc")
    assert result.exit_code == 2 and "error: [nope].rsc: no such file or folder" in result.output
    (tmp_path / "[old].rsc").write_text(WARN)
    assert "[old].rsc:1:22: warning[SYN009]" in run("lint", "[old].rsc").output


def test_a_missing_path_with_a_closing_tag_is_an_error_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("lint", "[/x]a.rsc")
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "error: [/x]a.rsc: no such file or folder" in result.output


def test_fmt_prints_a_markup_name_after_writing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "[").mkdir()
    (tmp_path / "[" / "bold].rsc").write_text(UGLY)
    result = run("fmt", "[/bold].rsc")
    assert result.exit_code == 0, result.output
    assert "reformatted [/bold].rsc" in result.output


def test_emoji_codes_and_brackets_in_messages_stay_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ":smile:.rsc").write_text(WARN)
    result = run("lint", ":smile:.rsc")
    assert ":smile:.rsc:1:22:" in result.output


def test_a_file_name_that_is_not_utf8_is_shown_with_escapes(tmp_path):
    name = os.fsencode(tmp_path) + b"/caf\xe9.rsc"
    with open(name, "wb") as fh:
        fh.write(WARN.encode())
    proc = rosc("lint", os.fsdecode(name))
    assert proc.returncode == 0, proc.stderr
    assert b"caf\\xe9.rsc:1:22: warning[SYN009]" in proc.stdout
    assert b"Traceback" not in proc.stderr


# --- reading each input once, and not forever --------------------------------------------------------


def _feed(fifo, data: bytes):
    def write():
        with open(fifo, "wb") as fh:
            fh.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_lint_reads_a_fifo_once_and_shows_the_excerpt(tmp_path):
    fifo = tmp_path / "pipe.rsc"
    os.mkfifo(fifo)
    writer = _feed(fifo, WARN.encode())
    proc = rosc("lint", fifo, timeout=30)
    writer.join(5)
    assert proc.returncode == 0, proc.stderr
    assert b"pipe.rsc:1:22: warning[SYN009]" in proc.stdout
    assert b"1 | /system identity set \\" in proc.stdout


def test_process_substitution_works_with_lint_and_parse(tmp_path):
    for command in ("lint", "parse"):
        proc = subprocess.run(
            ["bash", "-c", f'"{sys.executable}" -m rosc {command} <(printf "%s" "$TEXT")'],
            capture_output=True, timeout=30, env={**os.environ, "TEXT": WARN},
        )
        assert proc.returncode == 0, proc.stderr
        assert b"warning[SYN009]" in proc.stdout + proc.stderr


def test_an_endless_input_stops_at_the_limit():
    proc = rosc("parse", "/dev/zero", timeout=60)
    assert proc.returncode == 2
    assert b"/dev/zero: larger than 64 MiB, the most rosc reads of one input" in proc.stderr


def test_the_limit_applies_to_stdin_and_lint(monkeypatch):
    import rosc.cli.files as files

    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 1000)
    result = run("lint", "-", input="#" * 1001 + "\n")
    assert result.exit_code == 2
    assert "<stdin>: larger than 1000 bytes, the most rosc reads of one input" in result.output
    assert run("lint", "-", input="#" * 900 + "\n").exit_code == 0


def test_symlink_loop_is_not_reported_as_missing(tmp_path):
    loop = tmp_path / "a.rsc"
    loop.symlink_to("a.rsc")
    for command in ("lint", "parse"):
        result = run(command, loop)
        assert result.exit_code == 2
        assert "no such file" not in result.output
        assert "symbolic link" in result.output and "too many levels of symbolic links" in result.output


def test_unreadable_file_in_a_folder_walk_is_reported(tmp_path):
    (tmp_path / "ok.rsc").write_text(CLEAN)
    (tmp_path / "dangling.rsc").symlink_to("nowhere.rsc")
    result = run("lint", tmp_path)
    assert result.exit_code == 2
    assert "dangling.rsc: a symbolic link to nowhere.rsc, which does not exist" in result.output
    assert "1 file checked" in result.output


# --- JSON is UTF-8 ------------------------------------------------------------------------------------


def test_parse_json_is_valid_utf8_for_undecodable_bytes(tmp_path):
    path = tmp_path / "latin1.rsc"
    path.write_bytes(b'/system identity set name="caf\xe9"\n')
    proc = rosc("parse", "--json", path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
    assert "caf\ufffd" in json.dumps(doc, ensure_ascii=False)
    assert [d["code"] for d in doc["diagnostics"]] == ["SYN005"]


def test_lint_json_and_sarif_are_valid_utf8(tmp_path):
    path = tmp_path / "latin1.rsc"
    path.write_bytes(b"/system identity set name=caf\xe9 \\ \n    comment=x\n")
    for fmt in ("json", "sarif"):
        proc = rosc("lint", "--format", fmt, path)
        json.loads(proc.stdout.decode("utf-8"))


# --- -j ----------------------------------------------------------------------------------------------


def test_jobs_are_capped_at_the_cpus_and_the_files(tmp_path, monkeypatch):
    import concurrent.futures

    for i in range(4):
        (tmp_path / f"w{i}.rsc").write_text(WARN)
    seen = []
    real = concurrent.futures.ProcessPoolExecutor

    class Counting(real):
        def __init__(self, max_workers=None, **kwargs):
            seen.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counting)
    result = run("lint", "-j", "256", tmp_path)
    assert result.exit_code == 0, result.output
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert all(n <= min(cpus, 4) for n in seen), seen
    assert "4 files checked: 0 errors, 4 warnings" in result.output
