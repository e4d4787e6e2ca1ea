"""Configuration: ``[tool.rosc]`` in ``pyproject.toml`` or a ``rosc.toml``.

    [tool.rosc]                # in rosc.toml, the same keys at top level
    select = ["ALL"]           # rule ids, id prefixes ("SEC"), areas ("security") or rule names
    ignore = ["SEC001"]
    fail-on = "error"          # info | warning | error
    target-version = "7.16"    # check against this RouterOS version (default:
                               # the export header's, else every version)
    [tool.rosc.severity]
    ADDR005 = "error"

Every problem is a :class:`ConfigError` located at the key or value
(``rosc.toml:3:10``): exit status 2.  A pattern in ``select``/``ignore``
that names no rule, or a ``severity`` key that is not a rule id, is an
error: a typo must not silently turn every check off.  The settings are
the table ``SETTINGS``: one entry per key, each a function that checks the
value and stores it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rosc.diagnostics import Severity, Span
from rosc.syntax.source import Source
from rosc.vocabulary.versions import Version, VersionError, parse_version


class ConfigError(Exception):
    """A configuration that cannot be used: exit status 2.  ``str()`` is
    ``PATH:LINE:COL: MESSAGE`` (just MESSAGE for a command-line option)."""

    def __init__(self, message: str, source: Source | None = None, span: Span | None = None):
        self.message = message
        self.source = source
        self.span = span
        where = f"{source.path}:{span.line}:{span.column}: " if source is not None and span is not None else ""
        super().__init__(where + message)


@dataclass(slots=True)
class Config:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    path: Path | None = None
    target_version: Version | None = None  # None: the export header's, else every version
    target_origin: str = ""  # where target_version came from, for messages

    def enabled(self, rule) -> bool:
        return _matches(rule, self.select) and not _matches(rule, self.ignore)

    def severity_of(self, rule) -> Severity:
        return self.severity.get(rule.id, rule.severity)


def _matches(rule, patterns: list[str]) -> bool:
    for pattern in patterns:
        p = pattern.strip()
        if p and (p.upper() == "ALL" or rule.id.upper().startswith(p.upper()) or p.lower() == rule.area or p == rule.name):
            return True
    return False


def _rules() -> dict:
    from rosc.checks.registry import rule_index

    return rule_index()


def unknown_pattern(pattern: str) -> str | None:
    """Why ``pattern`` selects no rule (with the closest names), or None."""
    rules = _rules()
    if any(_matches(r, [pattern]) for r in rules.values()):
        return None
    names = sorted({*rules, *(r.name for r in rules.values()), *(r.area for r in rules.values())})
    import difflib  # only when a suggestion is needed: not at start-up

    close = difflib.get_close_matches(pattern.strip().upper(), [n.upper() for n in names], n=3, cutoff=0.6)
    close_names = [n for n in names if n.upper() in close]
    hint = f"; did you mean {', '.join(close_names)}?" if close_names else "; `rosc rules` lists them"
    return f"{pattern!r} is no rule id, id prefix, rule name or area{hint}"


def check_patterns(option: str, patterns: list[str]) -> None:
    """ConfigError for the first pattern of a command-line option that selects no rule."""
    for pattern in patterns:
        problem = unknown_pattern(pattern)
        if problem is not None:
            raise ConfigError(f"{option}: {problem}")


def find_config(start: Path) -> Path | None:
    """The nearest ``rosc.toml``, or ``pyproject.toml`` with a ``[tool.rosc]``
    table (or one too broken to tell: its error is then reported)."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        candidate = folder / "rosc.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            import tomllib  # only when there is a pyproject.toml to look into: not at start-up

            try:
                tool = tomllib.loads(text).get("tool", {})
            except tomllib.TOMLDecodeError:
                if "tool.rosc" in text:
                    return candidate
                continue
            if not isinstance(tool, dict) or "rosc" in tool:
                return candidate
    return None


class _Reader:
    """Checks one configuration file and fills a Config, with locations."""

    def __init__(self, path: Path, text: str, prefix: tuple[str, ...]):
        self.source = Source(text, str(path))
        from rosc.lint.toml_locations import Locator  # only when there is a file to read

        self.locator = Locator(text)
        self.prefix = prefix
        self.config = Config(path=path)

    def span(self, *key: str, value: bool = False) -> Span:
        loc = self.locator.key(*self.prefix, *key)
        if loc is None:
            return self.source.span(0, 0)
        if value:
            return self.source.span(loc.value_start, loc.value_end)
        return self.source.span(loc.key_start, loc.key_end)

    def element(self, key: str, item: str) -> Span:
        """Where the string ``item`` of the list ``key`` is written."""
        loc = self.locator.key(*self.prefix, key)
        if loc is not None:
            text = self.source.text
            for quoted in (f'"{item}"', f"'{item}'"):
                at = text.find(quoted, loc.value_start)
                if at >= 0:
                    return self.source.span(at, at + len(quoted))
        return self.span(key, value=True)

    def fail(self, message: str, span: Span) -> ConfigError:
        return ConfigError(message, self.source, span)


def _kind(value) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "a table"}.get(
        type(value), "a date or time"
    )


def _rule_list(target: str) -> Callable[[_Reader, str, object], None]:
    def check(reader: _Reader, key: str, value) -> None:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise reader.fail(f"`{key}` must be a list of rule ids, e.g. {key} = [\"SEC001\"], not {_kind(value)}", reader.span(key, value=True))
        for item in value:
            problem = unknown_pattern(item)
            if problem is not None:
                raise reader.fail(f"`{key}`: {problem}", reader.element(key, item))
        if target == "select":
            reader.config.select = list(value)
        else:
            reader.config.ignore.extend(value)

    return check


def _fail_on(reader: _Reader, key: str, value) -> None:
    try:
        if not isinstance(value, str):
            raise ValueError(f"must be info, warning or error, not {_kind(value)}")
        reader.config.fail_on = Severity.parse(value)
    except ValueError as exc:
        raise reader.fail(f"`{key}`: {exc}", reader.span(key, value=True)) from None


def _severity_table(reader: _Reader, key: str, value) -> None:
    if not isinstance(value, dict):
        raise reader.fail(f"`{key}` must be a table of RULE = \"info|warning|error\", not {_kind(value)}", reader.span(key, value=True))
    rules = _rules()
    for rule_id, level in value.items():
        if rule_id not in rules:
            import difflib  # only when a suggestion is needed: not at start-up

            close = difflib.get_close_matches(rule_id.upper(), list(rules), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise reader.fail(f"[{key}]: {rule_id!r} is not a rule id{hint}", reader.span(key, rule_id))
        try:
            if not isinstance(level, str):
                raise ValueError(f"must be info, warning or error, not {_kind(level)}")
            reader.config.severity[rule_id] = Severity.parse(level)
        except ValueError as exc:
            raise reader.fail(f"[{key}] {rule_id}: {exc}", reader.span(key, rule_id, value=True)) from None


def _target_version(reader: _Reader, key: str, value) -> None:
    if not isinstance(value, str):
        raise reader.fail(f"`{key}` must be a string, e.g. {key} = \"7.16\", not {_kind(value)}", reader.span(key, value=True))
    try:
        reader.config.target_version = parse_version(value)
    except VersionError as exc:
        raise reader.fail(f"`{key}`: {exc}", reader.span(key, value=True)) from None
    reader.config.target_origin = f"`{key}` in {reader.config.path.name if reader.config.path else 'the settings'}"


# key -> the function that checks its value and stores it in the Config
SETTINGS: dict[str, Callable[[_Reader, str, object], None]] = {
    "select": _rule_list("select"),
    "ignore": _rule_list("ignore"),
    "extend-ignore": _rule_list("ignore"),
    "fail-on": _fail_on,
    "severity": _severity_table,
    "target-version": _target_version,
}


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        source = Source(raw.decode("utf-8", errors="replace"), str(path))
        raise ConfigError("not UTF-8 text", source, source.span(exc.start, exc.start + 1)) from None
    import tomllib  # only with a settings file: not at start-up

    from rosc.lint.toml_locations import toml_error

    pyproject = path.name == "pyproject.toml"
    reader = _Reader(path, text, ("tool", "rosc") if pyproject else ())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        offset, message = toml_error(exc, text)
        raise reader.fail(f"not valid TOML: {message}", reader.source.span(offset, min(len(text), offset + 1))) from None
    table = data
    if pyproject:
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            reader.prefix = ()
            raise reader.fail(f"`tool` must be a table ([tool.rosc] holds rosc's settings), not {_kind(tool)}", reader.span("tool"))
        table = tool.get("rosc", {})
        if not isinstance(table, dict):
            raise reader.fail(f"[tool.rosc] must be a table of settings, not {_kind(table)}", reader.span())
    for key, value in table.items():
        check = SETTINGS.get(key)
        if check is None:
            import difflib  # only when a suggestion is needed: not at start-up

            close = difflib.get_close_matches(key, list(SETTINGS), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise reader.fail(f"unknown setting `{key}`{hint}; known: {', '.join(sorted(SETTINGS))}", reader.span(key))
        check(reader, key, value)
    return reader.config
