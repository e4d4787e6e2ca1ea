"""Firewall chains: jumps to chains nothing defines, custom chains nothing
jumps to, and ``return`` in a built-in chain (FW026–FW028).

RouterOS's tables have built-in chains (filter: input, forward, output;
NAT: srcnat, dstnat; mangle: prerouting, input, forward, output,
postrouting; raw: prerouting, output); any other chain name is a custom
chain that packets enter only through ``action=jump jump-target=NAME`` of
the same table, and ``action=return`` passes control back to the rule after
that jump (help.mikrotik.com: Filter, NAT, Mangle, Raw).
"""

from __future__ import annotations

from rosc.checks.firewall_lookup import TABLES, line_of, rules
from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.device import literal


def _jumps(table):
    """chain -> the jump rules that target it; None when some jump-target
    is computed by the script."""
    out: dict[str, list] = {}
    for item in table.items:
        if item.get("action") != "jump":
            continue
        arg = item.arg("jump-target")
        if arg is not None and literal(arg) is None:
            return None
        target = item.get("jump-target")
        if target:
            out.setdefault(target, []).append(item)
    return out


def _tables(ctx, needs):
    """The decidable tables with rules.  A script fragment (no export header)
    runs on a router that has rules of its own: a table is judged only when
    the file shows the side ``needs`` names (its own custom chains, or its own
    jumps), as the fragment policy of rules/REF001.md does for names."""
    firewall = rules(ctx)
    for menu in TABLES:
        table = firewall.table(menu)
        if not table.decidable or not table.items:
            continue
        if not firewall.export and not needs(table):
            continue
        yield menu, table


def _custom_chains(table) -> bool:
    return any(chain not in table.builtin for chain in table.chains)


def _has_jumps(table) -> bool:
    return any(item.get("action") == "jump" for item in table.items)


@rule(
    "FW026", "jump-to-undefined-chain", area="firewall", severity=Severity.WARNING,
    summary="A jump rule whose target chain has no rule in the table",
)
def jump_to_undefined_chain(ctx):
    for menu, table in _tables(ctx, _custom_chains):
        jumps = _jumps(table)
        if jumps is None:
            continue
        disabled_chains = {i.get("chain") for i in ctx.device.items(menu) if i.disabled}
        for target, items in jumps.items():
            if target in table.chains or target in disabled_chains:
                continue
            for item in items:
                yield ctx.finding(
                    item.node("jump-target"),
                    f"jump-target={target}: no rule of {menu} is in chain {target}, so the jump does nothing",
                    notes=[
                        "A jump sends the packet through the rules of the target chain and, when none decides, "
                        "back to the rule after the jump (help.mikrotik.com: Filter, `jump` and `return`). A chain "
                        "with no rules decides nothing: whatever the rules there were meant to drop or accept "
                        "passes on.",
                        _known(table),
                    ],
                    fix=f"correct the chain name, or add the rules of chain {target}",
                )


@rule(
    "FW027", "chain-never-jumped-to", area="firewall", severity=Severity.WARNING,
    summary="A custom chain with rules that no jump rule of the table enters",
)
def chain_never_jumped_to(ctx):
    for menu, table in _tables(ctx, _has_jumps):
        jumps = _jumps(table)
        if jumps is None:
            continue
        disabled_jumps = {i.get("jump-target") for i in ctx.device.items(menu) if i.disabled}
        dynamic = _dynamic_jumps(ctx.device) if menu == "/ip firewall filter" else None
        for chain, items in table.chains.items():
            if chain in table.builtin or chain in jumps:
                continue
            if dynamic is not None and (dynamic[1] is None or chain in dynamic[0]
                                        or any(chain.startswith(p) for p in dynamic[1])):
                continue  # RouterOS jumps there with dynamic rules
            note = (
                f"A jump to {chain} exists but is disabled." if chain in disabled_jumps else
                f"Packets enter a chain that is not built in ({', '.join(table.builtin)} in {menu}) only "
                "through a rule with action=jump jump-target=" + chain + " in the same table."
            )
            yield ctx.finding(
                items[0].node("chain"),
                f"chain {chain} of {menu} has {len(items)} rule{'s' if len(items) != 1 else ''}, but no rule "
                f"jumps to it: {'they never see' if len(items) != 1 else 'it never sees'} a packet",
                notes=[note],
                fix=f"add `action=jump jump-target={chain}` where the traffic should be checked (e.g. in chain "
                f"{table.builtin[0]}), or correct the chain name",
            )


@rule(
    "FW028", "return-in-builtin-chain", area="firewall", severity=Severity.WARNING,
    summary="action=return in a built-in chain, where there is no jump to return to",
)
def return_in_builtin_chain(ctx):
    for menu, table in _tables(ctx, lambda table: True):
        for chain in table.builtin:
            items = table.chains.get(chain, ())
            for index, item in enumerate(items):
                if item.get("action") != "return":
                    continue
                after = len(items) - index - 1
                skipped = f"; the {after} rule{'s' if after != 1 else ''} below it (line {line_of(ctx, items[index + 1])}" \
                    f"{' on' if after > 1 else ''}) never see{'s' if after == 1 else ''} what it matches" if after else ""
                yield ctx.finding(
                    item.node("action"),
                    f"action=return in the built-in chain {chain}: nothing jumped here, so the packet leaves "
                    f"the chain undecided{skipped}",
                    notes=[
                        "`return` passes control back to the chain the jump came from (help.mikrotik.com: Filter, "
                        "`return`). A built-in chain is entered by the packet flow, not by a jump: a return there "
                        "ends the chain for the packet as if it had run past the last rule: in the filter the "
                        "packet is accepted, in NAT it is not translated, and the rules below never see it.",
                    ],
                    fix="use action=accept when the matched packets should pass, or move the rule into a custom "
                    "chain that a jump rule enters",
                )


def _dynamic_jumps(device):
    """(chains, prefixes) RouterOS's own dynamic rules jump to: a PPP
    profile's ``incoming-filter``/``outgoing-filter`` (help.mikrotik.com:
    PPP AAA), HotSpot's ``hs-``/``pre-hs-`` chains; prefixes None when a
    profile's chain is computed."""
    chains: set[str] = set()
    for item in device.items("/ppp profile"):
        for param in ("incoming-filter", "outgoing-filter"):
            arg = item.arg(param)
            if arg is not None and literal(arg) is None:
                return chains, None
            if item.get(param):
                chains.add(item.get(param))
    prefixes = ("hs-", "pre-hs-") if device.items("/ip hotspot") or device.items("/ip hotspot profile") else ()
    return chains, prefixes


def _known(table) -> str:
    chains = list(table.chains)
    shown = ", ".join(chains[:6]) + (", ..." if len(chains) > 6 else "")
    return f"Chains with rules in this table: {shown}."
