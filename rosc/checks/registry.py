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

What the rules are without importing them: ``rosc.checks.rule_index``, a
table of every discovered rule's fields (all but ``check``) and module,
written by ``python -m rosc.checks.registry`` and compared with
``discover`` by ``tests/test_rule_index.py`` (a stale table fails).
``rule_index()`` reads it for ``rosc rules``, ``rosc rule``, option and
settings checks and SARIF; ``device_rules(enabled)`` imports only the
modules of the rules ``enabled`` keeps.

A rule's documentation lives in ``rules/<ID>.md`` (what it checks, why it
matters, a bad example and the fixed example); the tests run both examples.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
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


def device_rules(enabled: Callable[[Rule], bool] | None = None) -> dict[str, Rule]:
    """The parser's rules and every device check, by id.  With ``enabled``,
    the device checks it keeps (asked of their indexed metadata), importing
    only the modules that hold them; the parser's rules always."""
    if enabled is None:
        return {r.id: r for r in (*PARSER_RULES, *discover(DEVICE_RULES_PACKAGE))}
    out = {r.id: r for r in PARSER_RULES}
    modules = _index_modules()
    for meta in rule_index().values():
        module = modules.get(meta.id, "")
        if module.startswith(DEVICE_RULES_PACKAGE + ".") and enabled(meta):
            found = _module_rules(module).get(meta.id)
            if found is None:
                raise LookupError(f"rule {meta.id} is not in {module}: "
                                  "rosc/checks/rule_index.py is stale (python -m rosc.checks.registry)")
            out[meta.id] = found
    return out


@cache
def _module_rules(name: str) -> dict[str, Rule]:
    """The rules marked in the module ``name``, by id."""
    out = {}
    for value in vars(import_module(name)).values():
        marked = getattr(value, _MARK, None)
        if type(marked) is Rule and marked.check is value:
            out[marked.id] = marked
    return out


@cache
def rule_index() -> dict[str, Rule]:
    """Every rule rosc has, by id in order, from the generated table: the
    rules' fields without importing a check (``check`` is None in each)."""
    from rosc.checks.rule_index import FIELDS, RULES

    known = {f.name for f in fields(Rule)}
    rows = ({n: v for n, v in zip(FIELDS, row) if n in known} for row in RULES)
    rules = {r.id: r for r in (*PARSER_RULES, *(Rule(**row, check=None) for row in rows))}
    return dict(sorted(rules.items()))


@cache
def _index_modules() -> dict[str, str]:
    from rosc.checks.rule_index import RULES

    return {row[0]: row[-1] for row in RULES}


def index_text() -> str:
    """The text of ``rosc/checks/rule_index.py`` for the rules discovered now."""
    names = tuple(f.name for f in fields(Rule) if f.name != "check")
    rows = []
    for rule in sorted((*discover(DEVICE_RULES_PACKAGE), *discover(LAB_RULES_PACKAGE)), key=lambda r: r.id):
        cells = [f"Severity.{v.name}" if isinstance(v, Severity) else repr(v) for v in (getattr(rule, n) for n in names)]
        rows.append(f"    ({', '.join(cells)}, {rule.check.__module__!r}),\n")
    return (
        '"""Every discovered rule\'s fields (all but ``check``) and the module that\n'
        "holds it, so the rules can be listed and selected without importing them.\n\n"
        "Generated by ``python -m rosc.checks.registry``; do not edit.\n"
        '``tests/test_rule_index.py`` fails when it differs from what ``discover`` finds."""\n\n'
        "from rosc.diagnostics import Severity\n\n"
        f"FIELDS = {names!r}  # then the module\n\n"
        "RULES = (\n" + "".join(rows) + ")\n"
    )


def all_rules() -> dict[str, Rule]:
    """Every rule rosc has, device and lab, by id in order."""
    rules = {**device_rules(), **{r.id: r for r in discover(LAB_RULES_PACKAGE)}}
    return dict(sorted(rules.items()))


if __name__ == "__main__":  # python -m rosc.checks.registry: rewrite the rule index
    from pathlib import Path

    from rosc.checks import registry  # the module the checks import, not this __main__ copy

    target = Path(__file__).with_name("rule_index.py")
    target.write_text(registry.index_text(), encoding="utf-8")
    print(f"wrote {target}")
