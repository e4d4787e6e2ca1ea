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
from rosc.cli.files import InputError, expand, read
from rosc.cli.options import apply_target_version, target_version_option
from rosc.report.text import print_diagnostics

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
    from rosc.format.formatter import format_bytes, write_atomic

    try:
        files = expand(paths)
    except InputError as exc:
        _fail_input(exc)
    err = _console(stderr=True)
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
        if result.diagnostics:
            print_diagnostics(err, result.diagnostics, {shown: result.source})
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


def _lint_one(task: tuple[str, object]) -> tuple[str, list, str | None]:
    """Lint one file (in a worker process with -j): (name, diagnostics, error)."""
    from rosc.lint.engine import lint_bytes

    name, config = task
    try:
        data = read(name)
    except InputError as exc:
        return name, [], str(exc)
    shown = "<stdin>" if name == "-" else name
    return name, lint_bytes(data, shown, config).diagnostics, None


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
    "--format", "fmt_", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True,
    help="Output format.",
)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="rosc.toml or pyproject.toml to use.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=1, show_default=True, help="Lint files in N processes.")
@target_version_option
def lint(paths, select, ignore, fail_on, fmt_, config_path, jobs, target_version) -> None:
    """Check PATHS (files, folders, '-' for stdin) and report findings."""
    from rosc.lint.config import ConfigError, find_config, load_config
    from rosc.report.formats import to_github, to_json, to_sarif
    from rosc.syntax.source import decode

    try:
        files = expand(paths)
        config = load_config(Path(config_path) if config_path else find_config(Path.cwd()))
    except InputError as exc:
        _fail_input(exc)
    except ConfigError as exc:
        _console(stderr=True).print(f"[bold red]error[/]: {exc}", highlight=False)
        sys.exit(EXIT_USAGE)
    if select:
        config.select = [p for s in select for p in s.split(",") if p]
    if ignore:
        config.ignore = config.ignore + [p for s in ignore for p in s.split(",") if p]
    apply_target_version(config, target_version)
    threshold = Severity.parse(fail_on) if fail_on else config.fail_on
    tasks = [(name, config) for name in files]
    if jobs > 1 and len(files) > 1 and "-" not in files:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_lint_one, tasks, chunksize=max(1, len(tasks) // (jobs * 4))))
    else:
        results = [_lint_one(t) for t in tasks]
    err = _console(stderr=True)
    status = EXIT_OK
    everything = []
    out = _console()
    for name, diagnostics, error in results:
        if error is not None:
            err.print(f"[bold red]error[/]: {error}", highlight=False)
            status = EXIT_USAGE
            continue
        everything.extend(diagnostics)
        if fmt_ == "text" and diagnostics:
            shown = "<stdin>" if name == "-" else name
            source = decode(read(name), shown)[0] if name != "-" else None
            print_diagnostics(out, diagnostics, {shown: source} if source else {})
    if fmt_ == "json":
        click.echo(to_json(everything, len(files)))
    elif fmt_ == "sarif":
        click.echo(to_sarif(everything))
    elif fmt_ == "github":
        text = to_github(everything)
        if text:
            click.echo(text)
    if fmt_ == "text":
        counts = {sev: sum(1 for d in everything if d.severity == sev) for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        summary = ", ".join(f"{n} {sev.label}{'s' if n != 1 else ''}" for sev, n in counts.items())
        out.print(f"{len(files)} file{'s' if len(files) != 1 else ''} checked: {summary}", highlight=False)
    if status == EXIT_OK and any(d.severity >= threshold for d in everything):
        status = EXIT_FINDINGS
    sys.exit(status)


@main.command(name="rules")
@click.option("--area", help="Only the rules of this area.")
def rules_cmd(area: str | None) -> None:
    """List every check: id, name, area, default severity, summary."""
    from rosc.checks.registry import AREAS, all_rules

    out = _console()
    from rich.table import Table

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("id", "name", "area", "severity", "summary"):
        table.add_column(col)
    shown = 0
    for rule in all_rules().values():
        if area and rule.area != area:
            continue
        table.add_row(rule.id, rule.name, rule.area, rule.severity.label, rule.summary)
        shown += 1
    if area and area not in AREAS:
        _console(stderr=True).print(f"[bold red]error[/]: unknown area {area!r}; areas: {', '.join(AREAS)}", highlight=False)
        sys.exit(EXIT_USAGE)
    out.print(table)
    out.print(f"{shown} rules", highlight=False)


@main.command(name="rule")
@click.argument("rule_id")
def rule_cmd(rule_id: str) -> None:
    """Print the documentation page of RULE_ID."""
    import difflib

    from rosc.checks.rule_pages import load_page
    from rosc.checks.registry import all_rules

    rules = all_rules()
    key = rule_id.upper()
    if key not in rules:
        by_name = {r.name: r.id for r in rules.values()}
        if rule_id in by_name:
            key = by_name[rule_id]
        else:
            close = difflib.get_close_matches(key, list(rules) + list(by_name), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else "; `rosc rules` lists them"
            _console(stderr=True).print(f"[bold red]error[/]: no rule {rule_id!r}{hint}", highlight=False)
            sys.exit(EXIT_USAGE)
    page = load_page(key)
    if page is None:
        _console(stderr=True).print(f"[bold red]error[/]: rule {key} has no page", highlight=False)
        sys.exit(EXIT_USAGE)
    from rich.markdown import Markdown

    _console().print(Markdown(page.text))


@main.command()
@target_version_option
def lsp(target_version) -> None:
    """Run the language server (LSP over stdio) for editors."""
    from rosc.lsp.server import serve

    serve(target_version)


def _print_diff(before: str, after: str, name: str) -> None:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{name}", f"{name} (formatted)"
    )
    sys.stdout.write("".join(lines))


from rosc.cli.lab import build, graph, route, routes  # noqa: E402  (lab commands: rosc build/route/routes/graph)

for _command in (build, route, routes, graph):
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
