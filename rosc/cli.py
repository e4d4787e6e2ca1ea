"""The ``rosc`` command line."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

import click
from rich.console import Console

from rosc import __version__
from rosc.diagnostics import Severity
from rosc.files import InputError, expand, read
from rosc.render import print_diagnostics

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rosc")
def main() -> None:
    """rosc: compiler and linter for MikroTik RouterOS scripts (.rsc)."""


def _fail_input(exc: InputError) -> None:
    _console(stderr=True).print(f"[bold red]error[/]: {exc}", highlight=False)
    sys.exit(EXIT_USAGE)


@main.command()
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="Print the syntax tree as JSON.")
def parse(file: str, as_json: bool) -> None:
    """Parse FILE ('-' for stdin) and report syntax errors; --json dumps the tree."""
    from rosc.parser import parse_bytes
    from rosc.tree_json import to_json

    try:
        data = read(file)
    except InputError as exc:
        _fail_input(exc)
    name = "<stdin>" if file == "-" else file
    result = parse_bytes(data, name)
    if as_json:
        doc = to_json(result.script, result.source)
        doc["path"] = name
        doc["diagnostics"] = [d.as_dict() for d in result.diagnostics]
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    print_diagnostics(_console(stderr=as_json), result.diagnostics, {name: result.source})
    if not as_json and not result.diagnostics:
        commands = sum(1 for _ in result.script.commands())
        click.echo(f"{name}: {commands} commands, no syntax errors")
    sys.exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff of the changes.")
def fmt(paths: tuple[str, ...], check: bool, diff: bool) -> None:
    """Rewrite PATHS (files, folders, '-' for stdin) in canonical RouterOS form."""
    from rosc.formatting import format_bytes, write_atomic

    try:
        files = expand(paths)
    except InputError as exc:
        _fail_input(exc)
    out, err = _console(), _console(stderr=True)
    changed = failed = unchanged = 0
    status = EXIT_OK
    for name in files:
        try:
            data = read(name)
        except InputError as exc:
            err.print(f"[bold red]error[/]: {exc}", highlight=False)
            status = EXIT_USAGE
            continue
        shown = "<stdin>" if name == "-" else name
        result = format_bytes(data, shown)
        from rosc.parser import parse_bytes  # for excerpts of diagnostics

        if result.diagnostics:
            source = parse_bytes(data, shown).source
            print_diagnostics(err, result.diagnostics, {shown: source})
        if result.output is None:
            failed += 1
            err.print(f"error: cannot format {shown}: fix the errors above first", highlight=False)
            continue
        if name == "-":
            if diff:
                _print_diff(result.original, result.output, shown)
            elif check:
                pass
            else:
                sys.stdout.buffer.write(result.output.encode("utf-8", errors="surrogateescape"))
            changed += result.changed
            unchanged += not result.changed
            continue
        if not result.changed:
            unchanged += 1
            continue
        changed += 1
        if diff:
            _print_diff(result.original, result.output, shown)
        if check:
            err.print(f"would reformat {shown}", highlight=False)
        elif not diff:
            try:
                write_atomic(Path(name), result.output)
            except OSError as exc:
                err.print(f"[bold red]error[/]: {shown}: cannot write: {exc.strerror or exc}", highlight=False)
                status = EXIT_USAGE
                continue
            err.print(f"reformatted {shown}", highlight=False)
    verb = "would be reformatted" if (check or diff) else "reformatted"
    parts = [f"{changed} file{'s' if changed != 1 else ''} {verb}", f"{unchanged} unchanged"]
    if failed:
        parts.append(f"{failed} failed")
    if files != ["-"]:
        err.print(", ".join(parts) + ".", highlight=False)
    if status == EXIT_USAGE:
        sys.exit(EXIT_USAGE)
    if failed or (check and changed):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--fail-on",
    type=click.Choice(["info", "warning", "error"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at least this severe.",
)
def lint(paths: tuple[str, ...], fail_on: str) -> None:
    """Check PATHS (files, folders, '-' for stdin) and report findings."""
    from rosc.parser import parse_bytes

    try:
        files = expand(paths)
    except InputError as exc:
        _fail_input(exc)
    out = _console()
    threshold = Severity.parse(fail_on)
    counts = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
    status = EXIT_OK
    for name in files:
        try:
            data = read(name)
        except InputError as exc:
            _console(stderr=True).print(f"[bold red]error[/]: {exc}", highlight=False)
            status = EXIT_USAGE
            continue
        shown = "<stdin>" if name == "-" else name
        result = parse_bytes(data, shown)
        print_diagnostics(out, result.diagnostics, {shown: result.source})
        for d in result.diagnostics:
            counts[d.severity] += 1
            if d.severity >= threshold and status == EXIT_OK:
                status = EXIT_FINDINGS
    summary = ", ".join(f"{n} {sev.label}{'s' if n != 1 else ''}" for sev, n in counts.items())
    out.print(f"{len(files)} file{'s' if len(files) != 1 else ''} checked: {summary}", highlight=False)
    sys.exit(status)


def _print_diff(before: str, after: str, name: str) -> None:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{name}", f"{name} (formatted)"
    )
    sys.stdout.write("".join(lines))


if __name__ == "__main__":  # pragma: no cover
    main()
