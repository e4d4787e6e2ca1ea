"""The rule registry: every check is a small function with a stable id.

    @rule("ADDR003", "duplicate-address", area="addressing", severity=Severity.ERROR,
          summary="The same address is configured twice")
    def duplicate_address(ctx):
        ...
        yield ctx.finding(node, "message", notes=[...], fix="...")

``@rule`` only marks the function; nothing is registered at import time.
The rules are *discovered*: ``discover(package)`` imports every module of a
package and collects the marked functions, so this module imports no rule
and a new rule needs no entry anywhere else.  Device rules live in
``rosc.checks``, lab rules in ``rosc.lab.checks``.

A rule's documentation lives in ``rules/<ID>.md`` (what it checks, why it
matters, a bad example and the fixed example); the tests run both examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pkgutil import walk_packages
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
    "firewall": "firewall rule sets: order, reachability, NAT and marks",
    "interfaces": "bridges, VLANs, MTU and where PPPoE servers run",
    "dhcp": "DHCP servers, their networks, leases and what they hand out",
    "ipv6": "IPv6 addresses, neighbour discovery, prefix pools and routes",
    "ppp": "PPP servers, secrets, profiles and clients",
    "script": "variables, scopes and functions of the scripting language",
    "lab": "checks across the devices of a lab",
}

DEVICE_RULES_PACKAGE = "rosc.checks"
LAB_RULES_PACKAGE = "rosc.lab.checks"
_MARK = "__rosc_rule__"


@dataclass(slots=True, frozen=True)
class Rule:
    id: str
    name: str
    area: str
    severity: Severity
    summary: str
    check: Callable[..., Iterator[Diagnostic]] | None  # None: reported by the parser
    scope: str = "device"  # "device" or "lab"
    # local: what the rule reports for a top-level statement depends only on
    # that statement (its text, its menu, the target version, the settings),
    # and its messages name no line of the file: the language server re-runs
    # it on the statements an edit touched only (rosc.lint.incremental).
    local: bool = False


def rule(id: str, name: str, *, area: str, severity: Severity, summary: str, scope: str = "device", local: bool = False):
    """Mark a check function as the rule ``id`` (see the module docstring)."""
    if area not in AREAS:
        raise ValueError(f"unknown rule area {area!r}")

    def mark(fn):
        setattr(fn, _MARK, Rule(id, name, area, severity, summary, fn, scope, local))
        return fn

    return mark


# Diagnostics the parser itself reports, so they can be listed, documented,
# selected and ignored like any other rule.
PARSER_RULES = tuple(
    Rule(id, name, "syntax", severity, summary, None)
    for id, name, severity, summary in [
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
        ("SYN013", "comment-in-continuation", Severity.ERROR, "A comment line between the lines of a command continued with `\\`"),
        ("SYN020", "utf16-or-utf32-file", Severity.ERROR, "The file is UTF-16 or UTF-32 text, not UTF-8"),
    ]
)


@cache
def discover(package: str) -> tuple[Rule, ...]:
    """The rules marked with ``@rule`` in the modules of ``package``, by id."""
    found: dict[str, Rule] = {}
    root = import_module(package)
    modules = [root] + [import_module(info.name) for info in walk_packages(root.__path__, package + ".")]
    for module in modules:
        for value in vars(module).values():
            marked = getattr(value, _MARK, None)
            if type(marked) is Rule and marked.check is value:
                other = found.get(marked.id)
                if other is not None and other is not marked:
                    raise ValueError(f"rule id {marked.id} is used twice ({other.check.__module__}, {module.__name__})")
                found[marked.id] = marked
    return tuple(sorted(found.values(), key=lambda r: r.id))


def device_rules() -> dict[str, Rule]:
    """The parser's rules and every device check, by id."""
    return {r.id: r for r in (*PARSER_RULES, *discover(DEVICE_RULES_PACKAGE))}


def all_rules() -> dict[str, Rule]:
    """Every rule rosc has, device and lab, by id in order."""
    rules = {**device_rules(), **{r.id: r for r in discover(LAB_RULES_PACKAGE)}}
    return dict(sorted(rules.items()))
