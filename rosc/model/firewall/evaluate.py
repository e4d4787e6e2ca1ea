"""Walking a chain for one packet (class), as RouterOS does.

Rules are tried in order; a rule that matches and is terminal decides
(``accept``, ``drop``, ``dst-nat``... or ``return``, which ends the chain);
``jump`` walks the target chain and goes on after the jump when the packet
comes back (it returned or fell off the end); every other action
(``log``, ``passthrough``, marks with ``passthrough=yes``...) is noted and
the walk goes on.  A rule that only *may* match (``Match.MAYBE``) is noted
in ``maybes``: the result is then not certain.  A built-in chain that ends
without a decision leaves the packet to the chain's policy, accept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rosc.model.firewall.rules import Match, Rule

MAX_DEPTH = 32  # jumps deeper than this (or a loop) leave the result uncertain


@dataclass(slots=True, eq=False)
class Verdict:
    """The outcome of one chain for one packet."""

    table: str
    chain: str
    action: str | None = None  # the deciding rule's action; None: the chain ended (or returned)
    rule: Rule | None = None
    maybes: list[Rule] = field(default_factory=list)  # rules that may have matched first
    steps: list[Rule] = field(default_factory=list)  # non-terminal rules that matched (marks, logs...)
    path: list[Rule] = field(default_factory=list)  # the jumps taken to reach the deciding rule

    @property
    def certain(self) -> bool:
        return not self.maybes

    @property
    def decision(self) -> str:
        """What happens to the packet: the action, or ``accept`` (the chain policy) when nothing decided."""
        return self.action if self.action not in (None, "return") else "accept"

    @property
    def dropped(self) -> bool:
        return self.action in ("drop", "reject", "tarpit")


def walk(policy, table: str, chain: str, pkt, family: int = 4) -> Verdict:
    """The verdict of ``chain`` of ``table`` for ``pkt`` (see ``packet``)."""
    verdict = Verdict(table, chain)
    _walk(policy, table, chain, pkt, family, verdict, (chain,))
    if verdict.action == "return":
        verdict.action = None
    return verdict


def _walk(policy, table, chain, pkt, family, verdict: Verdict, stack: tuple[str, ...]) -> bool:
    """Walk one chain into ``verdict``; True when a rule decided."""
    for rule in policy.chain(table, chain, family).active:
        match = rule.matches(pkt)
        if match is Match.NO:
            continue
        if rule.action == "jump":
            target = rule.jump_target
            if not target or target in stack or len(stack) > MAX_DEPTH:
                verdict.maybes.append(rule)
                continue
            if match is Match.YES:
                verdict.path.append(rule)
                if _walk(policy, table, target, pkt, family, verdict, stack + (target,)):
                    if verdict.action != "return":
                        return True
                    verdict.action, verdict.rule = None, None  # back from the jump
                verdict.path.pop()
            else:
                probe = Verdict(table, target)
                if _walk(policy, table, target, pkt, family, probe, stack + (target,)) or probe.maybes:
                    verdict.maybes.append(rule)
            continue
        if rule.terminal:
            if match is Match.YES:
                verdict.action, verdict.rule = rule.action, rule
                return True
            verdict.maybes.append(rule)
            continue
        if match is Match.YES:
            verdict.steps.append(rule)
    return False
