"""Firewall rule order: rules that can never match (FW001–FW003).

Within one chain RouterOS tries the rules in order and stops at the first
terminal rule that matches (Filter, NAT, Mangle, RAW pages: ``accept``,
``drop``, ``reject``, ``tarpit``, the NAT actions, ``return``; a mangle
mark only with ``passthrough=no``).  A rule whose whole match space lies
inside an earlier terminal rule's never sees a packet.  ``jump`` is not
terminal (the packet comes back when the target chain returns or ends), so
a jump never shadows anything.  Everything rests on
``rosc.model.firewall``: a rule with a matcher rosc does not model covers
nothing, so no rule is called dead because of such a matcher.

The analysis is computed once per run (``ctx.shared(order_analysis)``) and
finds covering rules through ``CoverIndex``, never by comparing all pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.firewall import Policy, Rule, policy
from rosc.model.firewall.index import CoverIndex


@dataclass(slots=True, eq=False)
class ChainOrder:
    """What the order of one chain leaves unreachable."""

    after_unconditional: tuple[Rule, list[Rule]] | None = None  # (the rule, the rules after it)
    duplicates: dict[int, tuple[Rule, Rule]] = field(default_factory=dict)  # id(rule) -> (rule, earlier twin)
    shadowed: list[tuple[Rule, list[Rule]]] = field(default_factory=list)  # (rule, the earlier rules covering it)


def chain_order(rules: list[Rule], family: int) -> ChainOrder:
    """FW001–FW003 findings of one chain's active rules (in order)."""
    out = ChainOrder()
    index = CoverIndex(family)
    seen: dict[tuple, tuple[Rule, int]] = {}
    epoch = 0  # counts the rules that may change marks or address lists
    for position, current in enumerate(rules):
        if current.unconditional and current.terminal:
            if position + 1 < len(rules):
                out.after_unconditional = (current, rules[position + 1:])
            return out
        signature = current.signature
        twin, when = seen.get(signature, (None, 0)) if signature is not None else (None, 0)
        if twin is not None and (when == epoch or not twin.mutable):
            out.duplicates[id(current)] = (current, twin)
        else:
            covering = index.covering(current, epoch)
            if covering:
                out.shadowed.append((current, covering))
            if signature is not None:
                seen[signature] = (current, epoch)
        if current.terminal:
            index.add(current, epoch)
        if current.mutating:
            epoch += 1
    return out


def order_analysis(run) -> list[tuple[Policy, object, ChainOrder]]:
    """Every decidable chain's ``ChainOrder``, as (policy, chain, order)."""
    fw = run.shared(policy)
    out = []
    for chain in fw.chains.values():
        if not fw.decidable(chain.table, chain.family):
            continue
        active = chain.active
        if len(active) > 1:
            out.append((fw, chain, chain_order(active, chain.family)))
    return out


def _where(rule: Rule) -> str:
    comment = rule.item.get("comment")
    text = f"line {rule.line} ({rule.action}"
    return text + (f', "{comment}")' if comment else ")")


def _family(rule: Rule) -> str:
    return "/ipv6 firewall" if rule.family == 6 else "/ip firewall"


@rule(
    "FW001", "shadowed-rule", area="firewall", severity=Severity.WARNING,
    summary="A firewall rule that never matches: earlier terminal rules of its chain take every packet it matches",
)
def shadowed_rule(ctx):
    for _fw, _chain, order in ctx.shared(order_analysis):
        for current, covering in order.shadowed:
            first = covering[0]
            same = all(c.action == current.action for c in covering)
            what = "is redundant" if same else f"never runs: its action {current.action} never happens"
            notes = [
                f"{_family(current)} {current.table} chain {current.chain}: every packet this rule matches is "
                f"matched first by {', '.join(_where(c) for c in covering[:5])}"
                + (f" and {len(covering) - 5} more" if len(covering) > 5 else "") + ".",
                "RouterOS tries a chain's rules in order and stops at the first terminal rule that matches.",
            ]
            if current.undecidable or current.opaque:
                notes.append("The rule's other matchers only narrow it further; they do not change the result.")
            yield ctx.finding(
                current.item.node(), f"this rule {what}: the rule at line {first.line} ({first.action}) already "
                "takes every packet it matches", notes=notes,
                fix="delete the rule, or move it above the rule that covers it if it should decide first",
            )


@rule(
    "FW002", "duplicate-rule", area="firewall", severity=Severity.WARNING,
    summary="A firewall rule identical to an earlier one of the same chain",
)
def duplicate_rule(ctx):
    for _fw, _chain, order in ctx.shared(order_analysis):
        for current, twin in order.duplicates.values():
            consequence = (
                "it never matches: the first one takes every packet" if twin.terminal
                else f"a packet it matches is handled twice ({current.action})"
            )
            yield ctx.finding(
                current.item.node(),
                f"this rule repeats the rule at line {twin.line} of chain {current.chain}: {consequence}",
                notes=[f"{_family(current)} {current.table}: the two differ at most in their comments."],
                fix="delete one of the two",
            )


@rule(
    "FW003", "rules-after-unconditional", area="firewall", severity=Severity.WARNING,
    summary="Rules after an unconditional drop, reject or accept in the same chain never run",
)
def rules_after_unconditional(ctx):
    for _fw, _chain, order in ctx.shared(order_analysis):
        if order.after_unconditional is None:
            continue
        stop, after = order.after_unconditional
        first = after[0]
        more = f" and the {len(after) - 1} rules after it" if len(after) > 1 else ""
        yield ctx.finding(
            first.item.node(),
            f"this rule{more} never run{'s' if not more else ''}: the rule at line {stop.line} ({stop.action}, "
            f"no matchers) ends chain {first.chain} for every packet",
            notes=[
                f"{_family(first)} {first.table} chain {first.chain}: a terminal rule without matchers decides "
                "every packet that reaches it; RouterOS never tries the rules below it. Lines: "
                + ", ".join(str(r.line) for r in after[:10]) + (" ..." if len(after) > 10 else "") + ".",
            ],
            fix=f"move the rules above line {stop.line}, or delete them if they are left over",
        )
