"""The ``rosc`` command line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from rosc import __version__
from rosc.cli.files import InputError, find_inputs, read
from rosc.cli.options import apply_options, apply_target_version, target_version_option
from rosc.cli.output import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, PlainOut, console, error, fail, json_text, plain, text_out
from rosc.diagnostics import Severity
from rosc.lint.config import ConfigError, find_config, load_config
from rosc.report.text import excerpt, excerpt_lines, print_diagnostics
from rosc.syntax.reading import describe_os_error

class _Commands(click.Group):
    """The commands of ``rosc``; the lab's (``build``, ``route``, ``routes``,
    ``graph``: ``rosc.cli.lab``; ``flow``: ``rosc.cli.flow``) are imported only when one of them runs or
    the help lists them, so ``rosc lint`` does not pay for them."""

    LAZY = ("build", "route", "routes", "graph", "flow")

    def list_commands(self, ctx) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx, name: str):
        if name in self.LAZY and name not in self.commands:
            if name == "flow":  # rosc flow: one packet through one device
                from rosc.cli.flow import flow as command
            else:
                from rosc.cli import lab

                command = getattr(lab, name)
            self.add_command(command)
        return super().get_command(ctx, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rosc")
def main() -> None:
    """rosc: compiler and linter for MikroTik RouterOS scripts (.rsc)."""
    for stream in (sys.stdout, sys.stderr):
        # a file name or script text that is not UTF-8 must not end the run with UnicodeEncodeError
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass


def _fail_input(exc: Exception) -> None:
    fail(str(exc))


def _fail_config(exc: ConfigError) -> None:
    err = text_out(stderr=True)
    error(err, str(exc))
    if exc.source is not None and exc.span is not None:
        lines = excerpt_lines(exc.source, exc.span) if type(err) is PlainOut else excerpt(exc.source, exc.span)
        for line in lines:
            err.print(line)
    sys.exit(EXIT_USAGE)


@main.command()
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="Print the syntax tree as JSON.")
def parse(file: str, as_json: bool) -> None:
    """Parse FILE ('-' for stdin) and report syntax errors; --json dumps the tree."""
    from rosc.syntax.parser import parse_bytes
    from rosc.syntax.tree_json import to_json

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
        text = json_text(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    print_diagnostics(text_out(stderr=as_json), result.diagnostics, {name: result.source})
    if not as_json and not result.diagnostics:
        commands = sum(1 for _ in result.script.commands())
        plain(text_out(), f"{name}: {commands} commands, no syntax errors")
    sys.exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff of the changes.")
def fmt(paths: tuple[str, ...], check: bool, diff: bool) -> None:
    """Rewrite PATHS (files, folders, '-' for stdin) in canonical RouterOS form.

    Only regular files are rewritten (a symbolic link: the file it points
    to), keeping owner, group, mode and hard links; read-only files and
    files changed while rosc runs are left as they are."""
    from rosc.format.formatter import format_bytes
    from rosc.format.safe_write import WriteRefused, read_for_rewrite, rewrite
    from rosc.syntax.reading import InputTooLarge
    from rosc.syntax.source import encode_text

    writing = not (check or diff)
    try:
        found = find_inputs(paths)
    except InputError as exc:
        _fail_input(exc)
    err = text_out(stderr=True)
    changed = failed = unchanged = unwritten = 0
    status = EXIT_OK
    for problem in found.errors:
        error(err, problem)
        status = EXIT_USAGE
    for name in found.files:
        shown = "<stdin>" if name == "-" else name
        original = None
        try:
            if writing and name != "-":
                original = read_for_rewrite(name)
                data = original.data
            else:
                data = read(name)
        except InputError as exc:
            error(err, str(exc))
            status = EXIT_USAGE
            unwritten += 1
            continue
        except (WriteRefused, InputTooLarge) as exc:
            error(err, f"{shown}: not formatted: {exc}")
            status = EXIT_USAGE
            unwritten += 1
            continue
        except OSError as exc:
            error(err, f"{shown}: cannot read: {describe_os_error(exc)}")
            status = EXIT_USAGE
            unwritten += 1
            continue
        result = format_bytes(data, shown)
        if result.diagnostics:
            print_diagnostics(err, result.diagnostics, {shown: result.source})
        if result.output is None:
            failed += 1
            plain(err, f"error: cannot format {shown}: fix the errors above first")
            continue
        if name == "-":
            if diff:
                _print_diff(result.original, result.output, shown)
            elif check:
                pass
            else:
                sys.stdout.buffer.write(encode_text(result.output))
            changed += result.changed
            unchanged += not result.changed
            continue
        if not result.changed:
            unchanged += 1
            continue
        if diff:
            _print_diff(result.original, result.output, shown)
        if check:
            plain(err, f"would reformat {shown}")
        elif not diff:
            try:
                rewrite(original, encode_text(result.output))
            except WriteRefused as exc:
                error(err, f"{shown}: not rewritten: {exc}")
                status = EXIT_USAGE
                unwritten += 1
                continue
            except OSError as exc:
                error(err, f"{shown}: cannot write: {describe_os_error(exc)}")
                status = EXIT_USAGE
                unwritten += 1
                continue
            plain(err, f"reformatted {shown}")
        changed += 1
    verb = "would be reformatted" if (check or diff) else "reformatted"
    parts = [f"{changed} file{'s' if changed != 1 else ''} {verb}", f"{unchanged} unchanged"]
    if failed:
        parts.append(f"{failed} failed")
    if unwritten:
        parts.append(f"{unwritten} not {'read' if not writing else 'written'}")
    if found.files != ["-"]:
        plain(err, ", ".join(parts) + ".")
    if status == EXIT_USAGE:
        sys.exit(EXIT_USAGE)
    if failed or (check and changed):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


def _lint_one(task: tuple[str, object, bool]) -> tuple[str, list, object, str | None]:
    """Lint one file (in a worker process with -j): (name, diagnostics,
    source for the excerpts or None, error).  The file is read once, here."""
    from rosc.lint.engine import lint_bytes

    name, config, want_source = task
    try:
        data = read(name)
    except InputError as exc:
        return name, [], None, str(exc)
    shown = "<stdin>" if name == "-" else name
    result = lint_bytes(data, shown, config)
    source = result.source if want_source and result.diagnostics else None
    return name, result.diagnostics, source, None


def worker_count(jobs: int, files: int) -> int:
    """Processes for ``-j``: never more than the CPUs rosc may use (more
    only add start-up and contention) or than there are files."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(jobs, cpus, files))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--select", multiple=True, help="Rules to run: ids, id prefixes (SEC) or areas; repeat or comma-separate.")
@click.option("--ignore", multiple=True, help="Rules to skip, as for --select.")
@click.option(
    "--fail-on",
    type=click.Choice(["info", "warning", "error"]),
    default=None,
    help="Exit 1 when a finding is at least this severe (default: error, or the config's fail-on).",
)
@click.option(
    "--format", "fmt_", type=click.Choice(["text", "json", "sarif", "github", "gitlab"]), default="text", show_default=True,
    help="Output format: text, JSON, SARIF 2.1.0 (GitHub code scanning), GitHub annotations, GitLab Code Quality.",
)
@click.option("--sarif-help-uri", metavar="TEMPLATE",
              help="helpUri of each rule in SARIF output, {id} replaced by the rule id (default: rosc's PyPI page).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="rosc.toml or pyproject.toml to use.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Lint files in N processes (at most one per CPU).")
@target_version_option
def lint(paths, select, ignore, fail_on, fmt_, config_path, jobs, sarif_help_uri, target_version) -> None:
    """Check PATHS (files, folders, '-' for stdin) and report findings."""

    try:
        found = find_inputs(paths)
        config = load_config(Path(config_path) if config_path else find_config(Path.cwd()))
        config = apply_options(config, select, ignore)
        apply_target_version(config, target_version)
    except InputError as exc:
        _fail_input(exc)
    except ConfigError as exc:
        _fail_config(exc)
    files = found.files
    err = text_out(stderr=True)
    status = EXIT_OK
    for problem in found.errors:
        error(err, problem)
        status = EXIT_USAGE
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    tasks = [(name, config, fmt_ == "text") for name in files]
    workers = worker_count(jobs, len(files))
    if workers > 1 and "-" not in files:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_lint_one, tasks, chunksize=max(1, len(tasks) // (workers * 4))))
    else:
        results = [_lint_one(t) for t in tasks]
    everything = []
    out = text_out()
    for name, diagnostics, source, problem in results:
        if problem is not None:
            error(err, problem)
            status = EXIT_USAGE
            continue
        everything.extend(diagnostics)
        if fmt_ == "text" and diagnostics:
            shown = "<stdin>" if name == "-" else name
            print_diagnostics(out, diagnostics, {shown: source} if source is not None else {})
    if fmt_ != "text":
        from rosc.report.formats import DEFAULT_HELP_URI, to_github, to_gitlab, to_json, to_sarif
    if fmt_ == "json":
        click.echo(json_text(to_json(everything, len(files))))
    elif fmt_ == "sarif":
        click.echo(json_text(to_sarif(everything, sarif_help_uri or DEFAULT_HELP_URI)))
    elif fmt_ == "gitlab":
        click.echo(json_text(to_gitlab(everything)))
    elif fmt_ == "github":
        text = to_github(everything)
        if text:
            click.echo(text)
    if fmt_ == "text":
        counts = {sev: sum(1 for d in everything if d.severity == sev) for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        summary = ", ".join(f"{n} {sev.label}{'s' if n != 1 else ''}" for sev, n in counts.items())
        plain(out, f"{len(files)} file{'s' if len(files) != 1 else ''} checked: {summary}")
    if status == EXIT_OK and any(d.severity >= threshold for d in everything):
        status = EXIT_FINDINGS
    sys.exit(status)


@main.command(name="rules")
@click.option("--area", help="Only the rules of this area.")
def rules_cmd(area: str | None) -> None:
    """List every check: id, name, area, default severity, summary."""
    from rosc.checks.registry import AREAS, rule_index

    if area and area not in AREAS:
        fail(f"unknown area {area!r}; areas: {', '.join(AREAS)}")
    shown = [r for r in rule_index().values() if not area or r.area == area]
    rows = [(r.id, r.name, r.area, r.severity.label, r.summary) for r in shown]
    out = console()
    if out.is_terminal:
        from rich.table import Table

        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for col in ("id", "name", "area", "severity", "summary"):
            table.add_column(col)
        for row in rows:
            table.add_row(*row)
        out.print(table)
        plain(out, f"{len(rows)} rules")
        return
    # Piped or redirected: one rule a line, columns aligned, never wrapped,
    # so grep, sort and column work on it.
    header = ("id", "name", "area", "severity", "summary")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths)) + "  " + row[4])
    click.echo(f"{len(rows)} rules")


@main.command(name="rule")
@click.argument("rule_id")
def rule_cmd(rule_id: str) -> None:
    """Print the documentation page of RULE_ID."""
    
    from rosc.checks.rule_pages import load_page
    from rosc.checks.registry import rule_index

    rules = rule_index()
    key = rule_id.upper()
    if key not in rules:
        by_name = {r.name: r.id for r in rules.values()}
        if rule_id in by_name:
            key = by_name[rule_id]
        else:
            import difflib

            close = difflib.get_close_matches(key, list(rules) + list(by_name), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else "; `rosc rules` lists them"
            fail(f"no rule {rule_id!r}{hint}")
    page = load_page(key)
    if page is None:
        fail(f"rule {key} has no page")
    from rich.markdown import Markdown

    console().print(Markdown(page.text))


@main.command()
@target_version_option
def lsp(target_version) -> None:
    """Run the language server (LSP over stdio) for editors."""
    from rosc.lsp.server import serve

    serve(target_version)


def _print_diff(before: str, after: str, name: str) -> None:
    import difflib

    from rosc.syntax.source import encode_text

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{name}", f"{name} (formatted)"
    )
    # the bytes of the file as they are (a diff of a Windows-1251 file is in Windows-1251)
    sys.stdout.flush()
    sys.stdout.buffer.write(encode_text("".join(lines)))
    sys.stdout.buffer.flush()




if __name__ == "__main__":  # pragma: no cover
    main()
