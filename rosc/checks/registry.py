"""The rule registry: every check is a small function with a stable id.

    @rule("ADDR003", "duplicate-address", area="addressing", severity=Severity.ERROR,
          summary="The same address is configured twice")
    def duplicate_address(ctx):
        ...
        yield ctx.finding(node, "message", notes=[...], fix="...")

A rule's documentation lives in ``rules/<ID>.md`` (what it checks, why it
matters, a bad example and the fixed example); the tests run both examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from rosc.diagnostics import Diagnostic, Severity

AREAS = {
    "syntax": "how the file is written",
    "vocabulary": "menus, parameters and value types RouterOS knows",
    "references": "names used before or without being defined",
    "addressing": "IP addresses, prefixes and networks",
    "pools": "IP pools, DHCP servers and PPP profiles",
    "routing": "routes, gateways and their resolution",
    "wireguard": "WireGuard interfaces and peers",
    "security": "exposure of the router itself",
    "lab": "checks across the devices of a lab",
}


@dataclass(slots=True, frozen=True)
class Rule:
    id: str
    name: str
    area: str
    severity: Severity
    summary: str
    check: Callable[..., Iterator[Diagnostic]] | None  # None: reported by the parser
    scope: str = "device"  # "device" or "lab"


RULES: dict[str, Rule] = {}


def rule(id: str, name: str, *, area: str, severity: Severity, summary: str, scope: str = "device"):
    """Register a check function under ``id``."""
    if area not in AREAS:
        raise ValueError(f"unknown rule area {area!r}")

    def register(fn):
        if id in RULES:
            raise ValueError(f"rule id {id} registered twice")
        RULES[id] = Rule(id, name, area, severity, summary, fn, scope)
        return fn

    return register


def register_parser_rule(id: str, name: str, severity: Severity, summary: str, area: str = "syntax") -> None:
    RULES[id] = Rule(id, name, area, severity, summary, None)


# Diagnostics the parser itself reports, so they can be listed, documented,
# selected and ignored like any other rule.
for _id, _name, _sev, _summary in [
    ("SYN001", "unexpected-token", Severity.ERROR, "Something RouterOS cannot read at this point of a command"),
    ("SYN002", "unterminated-string", Severity.ERROR, "A quote that is never closed"),
    ("SYN003", "unclosed-bracket", Severity.ERROR, "A bracket, brace or parenthesis that is never closed"),
    ("SYN004", "unmatched-closing-bracket", Severity.ERROR, "A closing bracket with no matching opening one"),
    ("SYN005", "invalid-utf8", Severity.WARNING, "Bytes that are not UTF-8 text"),
    ("SYN006", "nul-byte", Severity.ERROR, "A NUL byte in the file"),
    ("SYN007", "byte-order-mark", Severity.WARNING, "The file starts with a byte order mark"),
    ("SYN008", "unknown-escape", Severity.WARNING, "A backslash escape RouterOS does not define"),
    ("SYN009", "continuation-trailing-space", Severity.WARNING, "Spaces after a line-continuation backslash"),
    ("SYN010", "stray-character", Severity.ERROR, "A backslash, `$` or character out of place"),
    ("SYN011", "nesting-too-deep", Severity.ERROR, "Brackets nested deeper than rosc reads"),
]:
    register_parser_rule(_id, _name, _sev, _summary)


def all_rules() -> dict[str, Rule]:
    """Every rule, with the check modules imported."""
    import rosc.checks  # noqa: F401  (registers the checks)
    import rosc.lab.checks  # noqa: F401  (registers the lab rules)

    return dict(sorted(RULES.items()))
