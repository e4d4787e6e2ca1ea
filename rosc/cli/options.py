"""Options shared by several ``rosc`` commands (``lint``, ``build``, ``lsp``)."""

from __future__ import annotations

import click

from rosc.lint.config import Config, check_patterns


def split_patterns(values: tuple[str, ...]) -> list[str]:
    """``--select A,B --select C`` → ["A", "B", "C"]."""
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


def apply_options(config: Config, select: tuple[str, ...], ignore: tuple[str, ...]) -> Config:
    """``--select``/``--ignore`` over the configuration; ConfigError for a
    pattern that selects no rule (``--select NOPE`` would turn every check off)."""
    if select:
        patterns = split_patterns(select)
        check_patterns("--select", patterns)
        config.select = patterns
    if ignore:
        patterns = split_patterns(ignore)
        check_patterns("--ignore", patterns)
        config.ignore = config.ignore + patterns
    return config


def target_version_option(fn):
    """``--target-version``: check against this RouterOS version."""
    return click.option(
        "--target-version", "target_version", metavar="VERSION", callback=_parse_target_version,
        help="Check against this RouterOS version (7.16, 6.49.10); default: the settings' "
             "target-version, else each file's export header, else every version rosc knows.",
    )(fn)


def _parse_target_version(ctx, param, value):
    if value is None:
        return None
    from rosc.vocabulary.versions import VersionError, parse_version

    try:
        return parse_version(value)
    except VersionError as exc:
        raise click.BadParameter(str(exc)) from None


def apply_target_version(config: Config, version) -> None:
    if version is not None:
        config.target_version = version
        config.target_origin = "--target-version"
