"""Interface checks: bridges and VLANs (a VLAN on a bridge port, VLAN
interfaces the bridge VLAN table does not tag for the bridge, VLAN settings
that have no effect without vlan-filtering, an access port alone in its
VLAN), PPPoE servers on a bridge port or on an interface with an address,
and MTUs the link cannot carry.

help.mikrotik.com: Bridge VLAN Table; Layer2 misconfiguration; PPPoE.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rosc.checks.names import line_of
from rosc.checks.registry import rule
from rosc.diagnostics import Severity
from rosc.model.device import Item, literal
from rosc.model.facts import split_list, to_int

BRIDGE_VLAN = "/interface bridge vlan"
PPPOE_SERVER = "/interface pppoe-server server"


def parse_vlan_ids(text: str | None) -> set[int] | None:
    """``10,20-22`` → {10, 20, 21, 22}; None when it is not a literal list."""
    if text is None:
        return None
    out: set[int] = set()
    for part in split_list(text):
        lo, sep, hi = part.partition("-")
        if not lo.isdigit() or sep and not hi.isdigit():
            return None
        first, last = int(lo), int(hi) if sep else int(lo)
        if last - first > 4096:
            return None
        out.update(range(first, last + 1))
    return out


@dataclass(slots=True, eq=False)
class BridgeVlans:
    """One bridge's VLAN setup."""

    item: Item
    name: str
    filtering: bool
    pvid: int
    entries: list[tuple[Item, set[int], list[str], list[str]]] = field(default_factory=list)  # item, ids, tagged, untagged
    ports: list[Item] = field(default_factory=list)
    vlans: list[Item] = field(default_factory=list)  # VLAN interfaces on the bridge
    undecidable: bool = False  # computed values, lists rosc cannot expand
    by_vid: dict[int, list[tuple[Item, set[int], list[str], list[str]]]] = field(default_factory=dict)

    def add_entry(self, entry: tuple[Item, set[int], list[str], list[str]]) -> None:
        self.entries.append(entry)
        for vid in entry[1]:
            self.by_vid.setdefault(vid, []).append(entry)

    def carries(self, vid: int) -> list[tuple[Item, set[int], list[str], list[str]]]:
        """The entries whose vlan-ids hold ``vid``, in file order (indexed: a
        bridge may have thousands of entries and as many VLAN interfaces)."""
        return self.by_vid.get(vid, [])


def bridge_vlans(ctx) -> dict[str, BridgeVlans]:
    return ctx.shared(_bridges)


def _bridges(run) -> dict[str, BridgeVlans]:
    device, facts = run.device, run.facts
    out: dict[str, BridgeVlans] = {}
    for item in device.items("/interface bridge"):
        if item.name and not item.disabled:
            out[item.name] = BridgeVlans(item, item.name, item.flag("vlan-filtering"), to_int(item.get("pvid"), 1))
    lists = set(facts.interface_lists)
    for item in device.items(BRIDGE_VLAN):
        bridge = out.get(item.get("bridge") or "")
        if bridge is None or item.disabled:
            continue
        ids = parse_vlan_ids(item.get("vlan-ids"))
        tagged, untagged = split_list(item.get("tagged")), split_list(item.get("untagged"))
        if ids is None or any(literal(item.arg(p)) is None for p in ("tagged", "untagged", "vlan-ids") if item.arg(p)):
            bridge.undecidable = True
            continue
        if any(t in lists for t in tagged + untagged):
            bridge.undecidable = True
        bridge.add_entry((item, ids, tagged, untagged))
    for item in facts.bridge_ports:
        bridge = out.get(item.get("bridge") or "")
        if bridge is not None:
            bridge.ports.append(item)
    for item in device.items("/interface vlan"):
        bridge = out.get(item.get("interface") or "")
        if bridge is not None and not item.disabled:
            bridge.vlans.append(item)
    # a script may build the VLAN table or turn filtering on at run time
    if facts.commands.nested_in(("/interface bridge", BRIDGE_VLAN, "/interface bridge port")):
        for bridge in out.values():
            bridge.undecidable = True
    return out


BRIDGING = "help.mikrotik.com: Bridge VLAN Table"


@rule("IF001", "vlan-on-bridge-port", area="interfaces", severity=Severity.ERROR,
      summary="A VLAN interface on an interface that is a bridge port")
def vlan_on_bridge_port(ctx):
    bridge_of = ctx.facts.bridge_of
    for item in ctx.device.items("/interface vlan"):
        parent = item.get("interface")
        bridge = bridge_of.get(parent or "")
        if bridge is None or item.disabled:
            continue
        vid = item.get("vlan-id") or "?"
        yield ctx.finding(
            item.node("interface"),
            f"VLAN interface {item.name or vid} is on {parent}, which is a port of bridge {bridge}: it never "
            "receives any traffic",
            notes=[
                f"Once {parent} is a bridge port, everything it receives is captured by {bridge} before any packet "
                f"processing; a VLAN interface on {parent} sees nothing, so DHCP and routing on it fail, often only "
                "for some hosts (help.mikrotik.com: Layer2 misconfiguration, \"VLAN interface on a slave "
                "interface\").",
            ],
            fix=f"create the VLAN interface on the bridge (interface={bridge}) and, with vlan-filtering, tag "
            f"VLAN {vid} for {bridge} and {parent} in /interface bridge vlan",
        )


@rule("IF002", "vlan-interface-not-tagged-on-bridge", area="interfaces", severity=Severity.ERROR,
      summary="A VLAN interface on a vlan-filtering bridge whose VLAN table does not tag the bridge for it")
def vlan_interface_not_tagged_on_bridge(ctx):
    for bridge in bridge_vlans(ctx).values():
        if not bridge.filtering or bridge.undecidable:
            continue
        for vlan in bridge.vlans:
            vid = to_int(vlan.get("vlan-id"), -1)
            if vid < 0 or literal(vlan.arg("vlan-id")) is None:
                continue
            entries = bridge.carries(vid)
            if any(bridge.name in tagged for _item, _ids, tagged, _u in entries):
                continue
            if entries:
                where = f"the entry for VLAN {vid} (line {line_of(ctx, entries[0][0].node())}) does not list " \
                        f"{bridge.name} in tagged"
            else:
                where = f"no entry of /interface bridge vlan carries VLAN {vid}"
            yield ctx.finding(
                vlan.node("interface"),
                f"VLAN interface {vlan.name or vid} (vlan-id={vid}) is on bridge {bridge.name}, which has "
                f"vlan-filtering=yes, but {where}: the router receives nothing on it",
                notes=[
                    "With VLAN filtering the bridge VLAN table decides which VLANs each port carries, the bridge "
                    "itself (the CPU port) included; a VLAN interface on the bridge only gets its VLAN when the "
                    f"bridge is a tagged member of it ({BRIDGING}: management access, tagged=bridge1,...).",
                ],
                fix=f"add {bridge.name} to tagged of VLAN {vid}: `/interface bridge vlan add bridge={bridge.name} "
                f"tagged={bridge.name},<trunk ports> vlan-ids={vid}`",
            )


@rule("IF003", "vlan-settings-without-filtering", area="interfaces", severity=Severity.WARNING,
      summary="A bridge VLAN table or port PVIDs on a bridge whose vlan-filtering is off")
def vlan_settings_without_filtering(ctx):
    for bridge in bridge_vlans(ctx).values():
        if bridge.filtering or bridge.undecidable:
            continue
        pvids = [p for p in bridge.ports if to_int(p.get("pvid"), 1) != 1]
        if not bridge.entries and not pvids:
            continue
        what = []
        if bridge.entries:
            what.append(f"{len(bridge.entries)} /interface bridge vlan entr{'ies' if len(bridge.entries) > 1 else 'y'}")
        if pvids:
            what.append(f"{len(pvids)} port{'s' if len(pvids) > 1 else ''} with a pvid")
        node = bridge.item.node("vlan-filtering") if bridge.item.arg("vlan-filtering") else bridge.item.node("name")
        yield ctx.finding(
            node,
            f"bridge {bridge.name} has {' and '.join(what)}, but vlan-filtering is off: none of it has any effect",
            notes=[
                "The bridge VLAN table and the ports' pvid, frame-types and ingress-filtering only act once "
                f"vlan-filtering=yes; until then the bridge forwards every frame as it is ({BRIDGING}: \"PVID has "
                "no effect until VLAN filtering is enabled\").",
                "The manual enables it last, from a port outside the bridge or the serial console, because a "
                "wrong VLAN table can lock you out.",
            ],
            fix=f"finish the setup with `/interface bridge set {bridge.name} vlan-filtering=yes` (after checking "
            "the management access), or remove the VLAN settings",
        )


@rule("IF004", "access-port-alone-in-its-vlan", area="interfaces", severity=Severity.WARNING,
      summary="An access port whose PVID no other port, trunk or VLAN interface of the bridge carries")
def access_port_alone_in_its_vlan(ctx):
    for bridge in bridge_vlans(ctx).values():
        if not bridge.filtering or bridge.undecidable:
            continue
        by_pvid: dict[int, list[Item]] = {}
        for port in bridge.ports:
            if literal(port.arg("pvid")) is None and port.arg("pvid") is not None:
                continue
            by_pvid.setdefault(to_int(port.get("pvid"), 1), []).append(port)
        vlan_ids = {to_int(v.get("vlan-id"), -1) for v in bridge.vlans}
        for pvid, ports in by_pvid.items():
            if len(ports) != 1 or pvid == bridge.pvid or pvid in vlan_ids:
                continue
            port = ports[0]
            name = port.get("interface")
            others = [e for e in bridge.carries(pvid) if any(m != name for m in e[2] + e[3])]
            if others:
                continue
            yield ctx.finding(
                port.node("pvid"),
                f"{name} is an access port of VLAN {pvid} on bridge {bridge.name}, but no other port, trunk or VLAN "
                f"interface of the bridge carries VLAN {pvid}: hosts on {name} reach nothing",
                notes=[
                    f"The pvid tags what {name} receives with VLAN {pvid}; the bridge forwards it only to ports the "
                    f"VLAN table allows for VLAN {pvid} (the dynamic untagged entry holds {name} alone), so it goes "
                    f"nowhere ({BRIDGING}).",
                ],
                fix=f"tag VLAN {pvid} on the trunk (and on {bridge.name} if the router serves it): "
                f"`/interface bridge vlan add bridge={bridge.name} tagged=<trunk>,{bridge.name} vlan-ids={pvid}`, "
                "or correct the pvid",
            )


@rule("IF005", "pppoe-server-on-bridge-port", area="interfaces", severity=Severity.ERROR,
      summary="A PPPoE server on an interface that is a bridge port")
def pppoe_server_on_bridge_port(ctx):
    bridge_of = ctx.facts.bridge_of
    for item in ctx.device.items(PPPOE_SERVER):
        iface = item.get("interface")
        bridge = bridge_of.get(iface or "")
        if bridge is None or item.disabled:
            continue
        yield ctx.finding(
            item.node("interface"),
            f"the PPPoE server runs on {iface}, which is a port of bridge {bridge}: it never sees the clients' "
            "discovery packets",
            notes=[
                f"Frames received on a bridge port are captured by the bridge before any packet processing, so "
                f"the PADI broadcasts of the clients reach {bridge}, not a server listening on {iface} "
                "(help.mikrotik.com: Layer2 misconfiguration; PPPoE, \"Discovery phase\").",
            ],
            fix=f"run the server on the bridge: `interface={bridge}`",
        )


@rule("IF006", "pppoe-server-interface-has-address", area="interfaces", severity=Severity.WARNING,
      summary="A PPPoE server on an interface that also has an IP address or a DHCP server")
def pppoe_server_interface_has_address(ctx):
    facts = ctx.facts
    device = ctx.device
    for item in device.items(PPPOE_SERVER):
        iface = item.get("interface")
        if not iface or item.disabled:
            continue
        addresses = [a for a in facts.addresses if a.interface == iface]
        dhcp = [d for d in device.items("/ip dhcp-server") if d.get("interface") == iface and not d.disabled]
        if not addresses and not dhcp:
            continue
        what = (f"the address {addresses[0].iface} (line {line_of(ctx, addresses[0].item.node())})" if addresses
                else f"the DHCP server {dhcp[0].name or ''} (line {line_of(ctx, dhcp[0].node())})".replace("  ", " "))
        yield ctx.finding(
            item.node("interface"),
            f"the PPPoE server on {iface} shares the interface with {what}",
            notes=[
                "The PPPoE manual says not to assign an IP address to the interface that receives the PPPoE "
                "requests, and advises against static addresses or DHCP on it: a customer can then skip PPPoE "
                "(and its authentication, limits and accounting) and talk IP to the router directly "
                "(help.mikrotik.com: PPPoE).",
            ],
            fix=f"move the address (or DHCP server) off {iface}: give the customers PPPoE only, and put "
            "management on another interface or VLAN",
        )


PPPOE_OVERHEAD = 8  # PPPoE header 6 bytes + PPP protocol 2 bytes (help.mikrotik.com: PPPoE, MTU)


@rule("IF007", "pppoe-mtu-too-large", area="interfaces", severity=Severity.WARNING,
      summary="A PPPoE max-mtu or max-mru larger than the Ethernet link can carry")
def pppoe_mtu_too_large(ctx):
    facts = ctx.facts
    for menu in ("/interface pppoe-client", PPPOE_SERVER):
        for item in ctx.device.items(menu):
            iface = item.get("interface")
            if item.disabled or not iface:
                continue
            carrier = facts.interfaces.get(iface)
            mtu = to_int(carrier.item.get("mtu"), 1500) if carrier is not None and carrier.item is not None else 1500
            limit = mtu - PPPOE_OVERHEAD
            for param in ("max-mtu", "max-mru"):
                value = item.get(param)
                if value is None or not value.isdigit() or int(value) <= limit:
                    continue
                what = "PPPoE client" if menu.endswith("client") else "PPPoE server"
                yield ctx.finding(
                    item.node(param),
                    f"{param}={value} on the {what} {item.name or ''} is larger than {iface} can carry: its MTU "
                    f"{mtu} leaves {limit} bytes for PPP".replace("  ", " "),
                    notes=[
                        "PPPoE adds 6 bytes of header and PPP 2 more to every packet, so over a 1500-byte Ethernet "
                        "link the PPPoE MTU and MRU must not be larger than 1492 (help.mikrotik.com: PPPoE, MTU); "
                        "larger packets are fragmented or dropped, which shows as web pages that never finish "
                        "loading.",
                    ],
                    fix=f"set {param}={limit} (or leave it at auto), or raise the MTU of {iface} if the provider "
                    "supports larger frames (RFC 4638)",
                )


VLAN_TAG = 4  # an 802.1Q tag rides in the L2MTU of the parent


@rule("IF008", "mtu-above-l2mtu", area="interfaces", severity=Severity.ERROR,
      summary="An MTU larger than the L2MTU of the interface, or of the port a VLAN rides on")
def mtu_above_l2mtu(ctx):
    facts = ctx.facts
    for name, found in facts.interfaces.items():
        item = found.item
        if item is None or item.disabled:
            continue
        mtu = item.get("mtu")
        if not mtu or not mtu.isdigit():
            continue
        own = item.get("l2mtu")
        if own and own.isdigit() and int(mtu) > int(own):
            limit, where = int(own), f"its own l2mtu={own}"
        elif found.kind == "vlan":
            parent = facts.interfaces.get(item.get("interface") or "")
            l2 = parent.item.get("l2mtu") if parent is not None and parent.item is not None else None
            if not l2 or not l2.isdigit() or int(mtu) + VLAN_TAG <= int(l2):
                continue
            limit, where = int(l2) - VLAN_TAG, f"the l2mtu={l2} of {item.get('interface')} minus the 4-byte VLAN tag"
        else:
            continue
        yield ctx.finding(
            item.node("mtu"),
            f"mtu={mtu} on {name} is larger than {where} allows ({limit}): RouterOS refuses it",
            notes=[
                "RouterOS will not set an MTU larger than the L2MTU, and a VLAN's MTU must fit the L2MTU of the "
                "interface it rides on (help.mikrotik.com: Layer2 misconfiguration, \"MTU on the master "
                "interface\"); the command fails with \"could not set MTU\" and the interface keeps its old one.",
            ],
            fix="raise the l2mtu of the physical ports first (`/interface ethernet set ... l2mtu=...`), or lower the mtu",
        )
