"""Options shared by several ``rosc`` commands."""

from __future__ import annotations

import click


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


def apply_target_version(config, version) -> None:
    if version is not None:
        config.target_version = version
        config.target_origin = "--target-version"
