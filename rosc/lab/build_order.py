"""The script ``rosc build`` writes for one device: canonical text, ordered
so that pasting it into a router with its default configuration works.

RouterOS runs a pasted script line by line: a command that names something
not created yet (a bridge port of a bridge added further down, a DHCP server
whose pool comes later, a PPP secret whose profile does not exist yet)
fails, and the rest goes on without it.  ``build_script`` keeps every
command of one menu together and in the order written (order matters inside
a menu: firewall rules, ``set`` after ``add``), and moves whole menus so
that each comes after the menus it refers to: bridges before their ports,
pools before DHCP servers and PPP profiles, profiles before secrets and
servers, interfaces before their addresses and routes.  Menus keep the
order they have in the file whenever that already works.

Comments travel with the command right below them; the comment block that
opens the file stays on top.  Each command group is written by
``rosc.format.emitter`` (the ``rosc fmt`` canonical form).  A file with script
commands (``:local``, ``:if``, ``:foreach``...) at the top level is not
reordered (the order of its statements may matter): it is only formatted.
"""

from __future__ import annotations

from rosc.format.emitter import emit, layout
from rosc.format.formatter import same_meaning
from rosc.format.equivalence import signature
from rosc.model.device import literal
from rosc.syntax.parser import ParseResult, parse_text
from rosc.syntax.tree import Command, Comment, Script

# Menus whose items are interfaces other menus name.
INTERFACES = (
    "/interface ethernet",
    "/interface bridge",
    "/interface bonding",
    "/interface vlan",
    "/interface macvlan",
    "/interface veth",
    "/interface vrrp",
    "/interface wireguard",
    "/interface pppoe-client",
    "/interface l2tp-client",
    "/interface sstp-client",
    "/interface ovpn-client",
    "/interface pptp-client",
    "/interface gre",
    "/interface eoip",
    "/interface ipip",
    "/interface vxlan",
    "/interface wireless",
    "/interface wifi",
    "/interface lte",
    "/interface list",
)

# menu -> the menus it refers to (and must come after).
DEPENDS: dict[str, tuple[str, ...]] = {
    "/interface bonding": ("/interface ethernet",),
    "/interface vlan": ("/interface ethernet", "/interface bridge", "/interface bonding"),
    "/interface macvlan": ("/interface ethernet", "/interface bridge", "/interface vlan"),
    "/interface vrrp": ("/interface ethernet", "/interface bridge", "/interface vlan", "/interface bonding"),
    "/interface bridge": ("/interface ethernet",),
    "/interface bridge port": INTERFACES,
    "/interface bridge vlan": ("/interface bridge", "/interface bridge port"),
    "/interface wireguard peers": ("/interface wireguard",),
    "/interface list member": INTERFACES,
    "/interface pppoe-client": INTERFACES + ("/ppp profile",),
    "/interface l2tp-client": INTERFACES + ("/ppp profile",),
    "/interface sstp-client": INTERFACES + ("/ppp profile",),
    "/interface ovpn-client": INTERFACES + ("/ppp profile",),
    "/interface pptp-client": INTERFACES + ("/ppp profile",),
    "/interface pppoe-server server": INTERFACES + ("/ppp profile",),
    "/interface l2tp-server server": ("/ppp profile",),
    "/interface sstp-server server": ("/ppp profile",),
    "/interface ovpn-server server": ("/ppp profile",),
    "/interface pptp-server server": ("/ppp profile",),
    "/ppp profile": ("/ip pool", "/interface bridge", "/interface list", "/ipv6 pool"),
    "/ppp secret": ("/ppp profile", "/ip pool"),
    "/ip pool": (),
    "/ip dhcp-server": INTERFACES + ("/ip pool", "/ip address"),
    "/ip dhcp-server network": ("/ip dhcp-server",),
    "/ip dhcp-server lease": ("/ip dhcp-server",),
    "/ip dhcp-client": INTERFACES,
    "/ip address": INTERFACES,
    "/ipv6 address": INTERFACES + ("/ipv6 pool",),
    "/ipv6 dhcp-client": INTERFACES,
    "/routing table": (),
    "/ip route": INTERFACES + ("/ip address", "/routing table", "/ip dhcp-client"),
    "/ipv6 route": INTERFACES + ("/ipv6 address", "/routing table"),
    "/routing rule": ("/routing table",) + INTERFACES,
    "/ip firewall filter": INTERFACES + ("/ip firewall address-list",),
    "/ip firewall nat": INTERFACES + ("/ip firewall address-list",),
    "/ip firewall mangle": INTERFACES + ("/ip firewall address-list", "/routing table"),
    "/ip firewall raw": INTERFACES + ("/ip firewall address-list",),
    "/ipv6 firewall filter": INTERFACES + ("/ipv6 firewall address-list",),
    "/ip neighbor discovery-settings": ("/interface list",),
    "/tool mac-server": ("/interface list",),
    "/tool mac-server mac-winbox": ("/interface list",),
}


def _is_script_statement(stmt) -> bool:
    if type(stmt) is not Command:
        return False
    if stmt.verb is None:
        return not stmt.is_menu_change
    return stmt.verb.text.startswith(":") or not stmt.menu and not stmt.path and not stmt.absolute


def order_groups(script: Script, text: str) -> tuple[list, list[tuple[str, list]]] | None:
    """(leading comments, [(menu, statements)] in build order), or None when
    the script must keep its order."""
    body = script.body
    if any(_is_script_statement(s) for s in body):
        return None
    head: list = []
    i = 0
    # the opening comment block, when a blank line separates it from what follows
    while i < len(body) and type(body[i]) is Comment:
        i += 1
    if 0 < i < len(body) and text.count("\n", body[i - 1].end, body[i].start) >= 2:
        head = body[:i]
    else:
        i = 0
    groups: dict[str, list] = {}
    pending: list = []
    last = None
    rest = body[i:]
    for n, stmt in enumerate(rest):
        if type(stmt) is Comment:
            pending.append(stmt)
            continue
        if stmt.is_menu_change:
            nxt = next((s for s in rest[n + 1 :] if type(s) is Command and not s.is_menu_change), None)
            if nxt is not None and nxt.menu == stmt.menu:
                pending.append(stmt)
            continue
        menu = stmt.menu_path
        groups.setdefault(menu, []).extend(pending + [stmt])
        pending = []
        last = menu
    if pending:
        pending = [s for s in pending if type(s) is Comment]
        if last is None:
            head.extend(pending)
        else:
            groups[last].extend(pending)
    return head, [(menu, groups[menu]) for menu in _topological(groups)]


def _names(stmts: list) -> tuple[set[str], set[str]]:
    """(names the commands define with name=, literal values they refer to)."""
    defined: set[str] = set()
    used: set[str] = set()
    for stmt in stmts:
        if type(stmt) is not Command or stmt.verb is None:
            continue
        for arg in stmt.named:
            value = literal(arg)
            if value is None:
                continue
            if arg.name == "name":
                if stmt.verb.text in ("add", "set"):
                    defined.add(value)
                continue
            if arg.name in ("comment", "password", "public-key", "private-key", "preshared-key"):
                continue
            for part in value.split(","):
                part = part.strip().lstrip("!")
                if part:
                    used.add(part.split("%")[-1].split("@")[0])
    return defined, used


def _topological(groups: dict[str, list]) -> list[str]:
    """Menus in an order where each comes after the menus whose objects it
    names (as DEPENDS allows); among the ones free to go, the one first in
    the file goes first."""
    menus = list(groups)
    present = {m: i for i, m in enumerate(menus)}
    names = {m: _names(groups[m]) for m in menus}
    needs: dict[str, set[str]] = {}
    for m in menus:
        used = names[m][1]
        needs[m] = {d for d in DEPENDS.get(m, ()) if d in present and d != m and names[d][0] & used}
    out: list[str] = []
    placed: set[str] = set()
    while len(out) < len(menus):
        ready = [m for m in menus if m not in placed and needs[m] <= placed]
        if not ready:  # a cycle: keep the file's order for the rest
            ready = [m for m in menus if m not in placed]
        choice = min(ready, key=present.__getitem__)
        out.append(choice)
        placed.add(choice)
    return out


def build_text(parsed: ParseResult, header: str | None = None) -> str:
    """The canonical, paste-safe text of a parsed file."""
    script, text = parsed.script, parsed.source.text
    ordered = order_groups(script, text)
    if ordered is None:
        body = emit(script, text)
    else:
        head, groups = ordered
        layouts = []
        if head:
            layouts.append(layout(Script(head), text))
        for _menu, stmts in groups:
            layouts.append(layout(Script(stmts), text))
        parts = [laid.text.rstrip("\n") for laid in layouts]
        body = "\n\n".join(p for p in parts if p) + "\n" if parts else ""
        if not _groups_read_back(parsed, layouts, bool(head)) and not _same_commands(parsed, body):
            body = emit(script, text)
    if header:
        body = "".join(f"# {line}\n" for line in header.splitlines()) + body
    return body


def build_script(device, header: str | None = None) -> str:
    """``build_text`` for a ``rosc.lab.topology.LabDevice``."""
    return build_text(device.lint.parse, header)


def _groups_read_back(parsed: ParseResult, layouts: list, has_head: bool) -> bool:
    """Whether each group's text reads back as its statements (fmt's safety
    check, ``same_meaning``: only the statements whose text changed are
    parsed again) and starts with its menu's header, so that the groups read
    the same one after the other.  ``order_groups`` keeps each menu's
    commands in their order; when this says no, ``_same_commands`` parses
    the whole output again."""
    for n, laid in enumerate(layouts):
        if (n > 0 or not has_head) and any(type(stmt) is not Comment and not menu for stmt, _, _, menu in laid.parts):
            return False  # a command outside any header would read in the previous group's menu
        if not same_meaning(parsed, laid):
            return False
    return True


def _same_commands(parsed: ParseResult, output: str) -> bool:
    """The built text holds the same commands, each menu's in the same order."""
    again = parse_text(output, parsed.source.path)
    if again.has_errors:
        return False
    return _by_menu(signature(again.script)) == _by_menu(signature(parsed.script))


def _by_menu(sig: tuple) -> dict:
    out: dict = {}
    for entry in sig:
        if entry[0] == "cmd":
            out.setdefault(entry[1], []).append(entry)
        else:
            out.setdefault("#", []).append(entry)
    for value in out.values():
        if value and value[0][0] == "#":
            value.sort()
    return out
