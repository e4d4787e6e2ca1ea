"""Configuration: ``[tool.rosc]`` in ``pyproject.toml`` or a ``rosc.toml``.

    [tool.rosc]                # in rosc.toml, the same keys at top level
    select = ["ALL"]           # rule ids, id prefixes ("SEC") or areas ("security")
    ignore = ["SEC001"]
    fail-on = "error"          # info | warning | error
    target-version = "7.16"    # check against this RouterOS version (default:
                               # the export header's, else every version)
    [tool.rosc.severity]
    ADDR005 = "error"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rosc.diagnostics import Severity
from rosc.vocabulary.versions import Version, VersionError, parse_version


class ConfigError(Exception):
    """A configuration file that cannot be used: exit status 2."""


@dataclass(slots=True)
class Config:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    path: Path | None = None
    target_version: Version | None = None
    target_origin: str = ""

    def enabled(self, rule) -> bool:
        return _matches(rule, self.select) and not _matches(rule, self.ignore)

    def severity_of(self, rule) -> Severity:
        return self.severity.get(rule.id, rule.severity)


def _matches(rule, patterns: list[str]) -> bool:
    for pattern in patterns:
        p = pattern.strip()
        if p.upper() == "ALL" or rule.id.upper().startswith(p.upper()) or p.lower() == rule.area or p == rule.name:
            return True
    return False


def find_config(start: Path) -> Path | None:
    """The nearest ``rosc.toml``, or ``pyproject.toml`` with a ``[tool.rosc]`` table."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        candidate = folder / "rosc.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                if "rosc" in tomllib.loads(candidate.read_text(encoding="utf-8")).get("tool", {}):
                    return candidate
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
                continue
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    table = data.get("tool", {}).get("rosc", {}) if path.name == "pyproject.toml" else data
    config = Config(path=path)
    known = {"select", "ignore", "severity", "fail-on", "extend-ignore", "target-version"}
    unknown = set(table) - known
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    for key in ("select", "ignore", "extend-ignore"):
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: `{key}` must be a list of rule ids")
        if key == "select":
            config.select = value
        else:
            config.ignore.extend(value)
    if "target-version" in table:
        value = table["target-version"]
        if not isinstance(value, str):
            raise ConfigError(f"{path}: `target-version` must be a string, e.g. target-version = \"7.16\"")
        try:
            config.target_version = parse_version(value)
        except VersionError as exc:
            raise ConfigError(f"{path}: target-version: {exc}") from None
        config.target_origin = f"`target-version` in {path.name}"
    try:
        for rule_id, level in table.get("severity", {}).items():
            config.severity[rule_id] = Severity.parse(level)
        if "fail-on" in table:
            config.fail_on = Severity.parse(table["fail-on"])
    except (ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return config
