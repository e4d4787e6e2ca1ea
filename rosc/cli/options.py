"""Options shared by ``rosc lint`` and ``rosc build``."""

from __future__ import annotations

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
