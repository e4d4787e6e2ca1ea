"""One packet through one device, in the order of the manual's "Packet Flow
in RouterOS" page: raw prerouting, mangle prerouting, NAT dstnat, the
routing decision, then filter input (to the router) or mangle forward,
filter forward, mangle postrouting and NAT srcnat (through it).

``device_flow(run, ...)`` walks each chain with ``rosc.model.firewall.walk``
and returns every stage with the rule that decided, the rules that may have
matched first (then the result is not certain), and the non-terminal rules
passed (marks, logs).  A dst-nat rewrites the destination (and port) before
the routing decision; a ``mark-routing`` picks the routing table.  The
routing decision uses the routing analysis the ROUTE checks share.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from rosc.checks.routing_analysis import analyse as routing
from rosc.model.firewall import Verdict, packet, policy, walk

DST_NAT = frozenset({"dst-nat", "redirect", "netmap"})


@dataclass(slots=True, eq=False)
class Stage:
    name: str  # "raw prerouting", "routing decision"...
    verdict: Verdict | None = None  # None for the routing decision
    text: str = ""  # what happened, for people


@dataclass(slots=True, eq=False)
class Flow:
    stages: list[Stage] = field(default_factory=list)
    outcome: str = ""  # "accepted" (to the router), "forwarded", "dropped", "no route"
    certain: bool = True
    dst: object = None  # after dst-nat
    dst_port: int | None = None
    out_interface: str | None = None
    dropped_by: object = None  # the Rule that dropped it

    @property
    def dropped(self) -> bool:
        return self.outcome in ("dropped", "no route")


def describe_rule(rule) -> str:
    comment = rule.item.get("comment")
    return f"line {rule.line}: action={rule.action}" + (f' ("{comment}")' if comment else "")


def verdict_text(verdict: Verdict) -> str:
    if verdict.rule is not None:
        text = describe_rule(verdict.rule)
        if verdict.path:
            text += " (reached through " + ", ".join(f"jump at line {r.line}" for r in verdict.path) + ")"
    else:
        text = "no rule decides: the chain's policy, accept"
    if verdict.maybes:
        text += "; may be decided first by " + ", ".join(f"line {r.line}" for r in verdict.maybes[:5])
        text += " (matchers rosc cannot decide)"
    for step in verdict.steps:
        text += f"; passes line {step.line} ({step.action})"
    return text


def device_flow(run, *, in_interface: str, src, dst, protocol=None, dst_port=None, src_port=None,
                state: str = "new") -> Flow:
    """The path of one packet through the device of ``run``."""
    fw = run.shared(policy)
    src, dst = ipaddress.ip_address(str(src)), ipaddress.ip_address(str(dst))
    family = dst.version
    flow = Flow(dst=dst, dst_port=dst_port)
    nat = "none"

    def pkt(out_interface=None):
        return packet(family, in_interface=in_interface, out_interface=out_interface, src=src, dst=flow.dst,
                      protocol=protocol, src_port=src_port, dst_port=flow.dst_port, state=state, nat=nat,
                      ipsec="in:none/out:none")

    def stage(name: str, table: str, chain: str, out_interface=None) -> Verdict:
        verdict = walk(fw, table, chain, pkt(out_interface), family)
        flow.stages.append(Stage(name, verdict, verdict_text(verdict)))
        flow.certain = flow.certain and verdict.certain
        return verdict

    def stop(verdict: Verdict) -> Flow:
        flow.outcome, flow.dropped_by = "dropped", verdict.rule
        return flow

    if stage("raw prerouting", "raw", "prerouting").dropped:
        return stop(flow.stages[-1].verdict)
    mangle = stage("mangle prerouting", "mangle", "prerouting")
    if mangle.dropped:
        return stop(mangle)
    table = "main"
    for step in [*mangle.steps, *([mangle.rule] if mangle.rule is not None else [])]:
        if step.action == "mark-routing" and step.item.get("new-routing-mark"):
            table = step.item.get("new-routing-mark")
    if family == 4 and state == "new":
        dstnat = stage("nat dstnat", "nat", "dstnat")
        if dstnat.action in DST_NAT and dstnat.rule is not None:
            before = (flow.dst, flow.dst_port)
            _rewrite(flow, dstnat, run, in_interface)
            nat = "dstnat"
            if (flow.dst, flow.dst_port) != before:
                flow.stages[-1].text += f"; destination now {flow.dst}" + (f":{flow.dst_port}" if flow.dst_port else "")
            else:
                flow.stages[-1].text += "; to-addresses not readable: destination kept"
    local = any(a.ip == flow.dst for a in run.facts.addresses)
    if local:
        flow.stages.append(Stage("routing decision", None, f"{flow.dst} is an address of the router: input"))
        verdict = stage("filter input", "filter", "input")
        if verdict.dropped:
            return stop(verdict)
        flow.outcome = "accepted"
        return flow
    out_iface, text = _route(run, flow.dst, table)
    flow.stages.append(Stage("routing decision", None, text))
    if out_iface is None:
        flow.outcome = "no route"
        return flow
    flow.out_interface = out_iface
    for name, table_name, chain in (("mangle forward", "mangle", "forward"), ("filter forward", "filter", "forward"),
                                    ("mangle postrouting", "mangle", "postrouting")):
        verdict = stage(name, table_name, chain, out_iface)
        if verdict.dropped:
            return stop(verdict)
    if family == 4 and state == "new":
        srcnat = stage("nat srcnat", "nat", "srcnat", out_iface)
        if srcnat.action in ("masquerade", "src-nat", "same", "netmap") and srcnat.rule is not None:
            flow.stages[-1].text += f"; source rewritten ({srcnat.action})"
    flow.outcome = "forwarded"
    return flow


def _rewrite(flow: Flow, verdict: Verdict, run, in_interface: str) -> None:
    item = verdict.rule.item
    if verdict.action == "redirect":
        mine = [a.ip for a in run.facts.addresses if a.interface == in_interface and a.ip.version == flow.dst.version]
        if mine:
            flow.dst = mine[0]
    else:
        first = (item.get("to-addresses") or "").split("-")[0].split("/")[0]
        try:
            flow.dst = ipaddress.ip_address(first)
        except ValueError:
            pass
    ports = (item.get("to-ports") or "").split("-")[0]
    if ports.isdigit():
        flow.dst_port = int(ports)


def _route(run, dst, table: str) -> tuple[str | None, str]:
    """(output interface, text) of the active route to ``dst`` in ``table`` (longest prefix)."""
    analysis = routing(run)  # DeviceRun.shared, as a check's context would
    best = None
    for result in analysis.results:
        route = result.route
        if not result.active or route.disabled or route.table != table or dst not in route.dst:
            continue
        if best is None or route.dst.prefixlen > best.route.dst.prefixlen:
            best = result
    if best is None:
        return None, f"no active route to {dst} in table {table}: dropped"
    route = best.route
    interfaces = best.interfaces or ([route.interface] if route.interface else [])
    origin = route.item.origin if route.item is not None else None
    where = f"line {run.device.source.line_col(origin.start)[0]}" if origin is not None else route.kind
    if not interfaces:
        return None, f"the route to {route.dst} ({where}) has no output interface rosc can tell: not followed"
    gateways = ", ".join(route.gateways) or route.note or "connected"
    return interfaces[0], f"route {route.dst} via {gateways} ({where}, table {table}): out {interfaces[0]}"

