"""The firewall policy model (rosc.model.firewall): chains, actions, match
spaces, interface and address lists, and the walk of a chain."""

from __future__ import annotations

from textwrap import dedent

from rosc.checks.context import DeviceRun
from rosc.model.builder import build_device
from rosc.model.firewall import Match, Names, packet, policy, walk
from rosc.syntax.parser import parse_text

DEFCONF = dedent("""\
    /interface bridge add name=bridge
    /interface list add name=WAN
    /interface list add name=LAN
    /interface list member add interface=bridge list=LAN
    /interface list member add interface=ether1 list=WAN
    /ip address add address=192.168.88.1/24 interface=bridge
    /ip firewall filter
    add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
    add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
    add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
    add action=accept chain=input comment="defconf: accept to local loopback (for CAPsMAN)" dst-address=127.0.0.1
    add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
    add action=accept chain=forward comment="defconf: accept in ipsec policy" ipsec-policy=in,ipsec
    add action=accept chain=forward comment="defconf: accept out ipsec policy" ipsec-policy=out,ipsec
    add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related hw-offload=yes
    add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
    add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
    add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
    /ip firewall nat
    add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
    """)


def model(text: str):
    return policy(DeviceRun(build_device(parse_text(text, "t.rsc"))))


def test_chains_rules_lines_and_actions():
    fw = model(DEFCONF)
    inp = fw.chain("filter", "input")
    assert [r.line for r in inp.rules] == [8, 9, 10, 11, 12]
    assert [r.action for r in inp.rules] == ["accept", "drop", "accept", "accept", "drop"]
    assert all(r.terminal for r in inp.rules)
    fwd = fw.chain("filter", "forward")
    assert not fwd.rules[2].terminal  # fasttrack-connection goes on to the next rule
    assert fwd.builtin and inp.builtin
    assert fw.chain("nat", "srcnat").rules[0].terminal
    assert fw.chain("filter", "nothing").rules == []
    assert fw.decidable("filter")
    assert fw.rules("filter", 6) == []


def test_interface_list_negation_and_walk():
    fw = model(DEFCONF)
    from_wan = packet(in_interface="ether1", src="203.0.113.9", dst="192.168.88.1", protocol="tcp", dst_port=22)
    verdict = walk(fw, "filter", "input", from_wan)
    assert verdict.dropped and verdict.certain and verdict.rule.line == 12
    from_lan = packet(in_interface="bridge", src="192.168.88.0/24", dst="192.168.88.1", protocol="tcp", dst_port=22)
    verdict = walk(fw, "filter", "input", from_lan)
    assert verdict.action is None and verdict.decision == "accept" and verdict.certain
    reply = packet(in_interface="ether1", state="established")
    assert walk(fw, "filter", "input", reply).rule.line == 8


def test_connection_nat_state_and_ipsec():
    fw = model(DEFCONF)
    last = fw.chain("filter", "forward").rules[-1]
    natted = packet(in_interface="ether1", state="new", nat="dstnat", ipsec="in:none/out:none")
    plain = packet(in_interface="ether1", state="new", nat="none", ipsec="in:none/out:none")
    both = packet(in_interface="ether1", state="new", nat="both")
    assert last.matches(natted) is Match.NO
    assert last.matches(both) is Match.NO
    assert last.matches(plain) is Match.YES
    assert last.matches(packet(in_interface="ether1", state="new")) is Match.MAYBE
    assert walk(fw, "filter", "forward", natted).decision == "accept"
    assert walk(fw, "filter", "forward", plain).dropped


def test_covers_and_overlaps():
    fw = model(DEFCONF + dedent("""\
        /ip firewall filter
        add chain=forward action=accept src-address=10.0.0.0/8 protocol=tcp dst-port=1-1024
        add chain=forward action=accept src-address=10.1.0.0/16 protocol=tcp dst-port=22,80
        add chain=forward action=accept src-address=10.1.0.0/16 protocol=udp dst-port=53
        add chain=forward action=accept src-address=!10.0.0.0/8 protocol=tcp
        add chain=forward action=accept src-address=10.0.0.1-10.0.0.9 protocol=tcp dst-port=22
        add chain=forward action=accept src-address=10.0.0.0/8 limit=10/s
        add chain=forward action=accept src-address=10.2.0.0/16 tcp-flags=syn protocol=tcp dst-port=22
        add chain=forward action=accept src-address=10.2.0.0/16 tcp-flags=syn protocol=tcp dst-port=22
        """))
    rules = fw.chain("filter", "forward").rules[6:]
    wide, narrow, udp, outside, ranged, limited, flags1, flags2 = rules
    assert wide.covers(narrow) and not narrow.covers(wide)
    assert not wide.covers(udp) and not wide.overlaps(udp)
    assert not wide.overlaps(outside) and not outside.covers(narrow)
    assert wide.covers(ranged)
    assert not limited.covers(narrow) and limited.undecidable  # a rate limit proves nothing
    assert limited.matches(packet(src="10.1.1.1")) is Match.MAYBE
    assert limited.matches(packet(src="192.0.2.1")) is Match.NO
    assert flags1.covers(flags2) and not flags2.exact and wide.covers(flags1)
    assert not flags1.covers(wide)


def test_interface_lists_include_exclude_and_dynamic():
    fw = model(dedent("""\
        /interface list add name=WAN
        /interface list add name=LAN
        /interface list add name=INSIDE include=LAN,MGMT exclude=GUEST
        /interface list add name=MGMT
        /interface list add name=GUEST
        /interface list add name=DET
        /interface list add name=EVERYTHING include=all exclude=WAN
        /interface list member add interface=ether1 list=WAN
        /interface list member add interface=bridge list=LAN
        /interface list member add interface=guest list=LAN
        /interface list member add interface=ether5 list=MGMT
        /interface list member add interface=guest list=GUEST
        /interface list member add interface=ether9 list=WAN disabled=yes
        /interface pppoe-client add interface=ether1 name=pppoe-out1 user=u password=p
        /interface detect-internet set detect-interface-list=all wan-interface-list=DET
        """))
    lists = fw.interface_lists
    assert lists.members("WAN") == Names(frozenset({"ether1"}))
    assert "pppoe-out1" not in lists.members("WAN")  # the PPPoE client over ether1 is not itself in WAN
    assert lists.members("INSIDE") == Names(frozenset({"bridge", "ether5"}))
    assert lists.members("EVERYTHING") == Names(frozenset({"ether1"}), co=True)
    assert lists.members("DET") is None  # detect-internet fills it at run time
    assert lists.members("dynamic") is None and lists.members("nosuch") is None
    assert lists.members("all").full and lists.members("none").empty


def test_address_lists_known_and_unknown():
    fw = model(dedent("""\
        /ip firewall address-list
        add address=10.0.0.0/24 list=mgmt
        add address=10.0.1.5 list=mgmt
        add address=example.com list=named
        add address=192.0.2.1 list=temp timeout=1h
        add address=198.51.100.0/24 list=filled
        /ip firewall filter
        add chain=input action=accept src-address-list=mgmt
        add chain=input action=add-src-to-address-list address-list=filled protocol=tcp dst-port=23
        add chain=input action=drop src-address-list=filled
        add chain=input action=drop src-address-list=named
        """))
    entries = fw.address_lists.entries
    assert entries("mgmt", 4).spans == ((0x0A000000, 0x0A0000FF), (0x0A000105, 0x0A000105))
    assert entries("named", 4) is None and entries("temp", 4) is None and entries("filled", 4) is None
    assert entries("mgmt", 6) is None
    accept = fw.chain("filter", "input").rules[0]
    assert accept.matches(packet(src="10.0.1.5")) is Match.YES
    assert accept.matches(packet(src="10.0.2.5")) is Match.NO
    drop = fw.chain("filter", "input").rules[2]
    assert drop.matches(packet(src="198.51.100.1")) is Match.MAYBE
    verdict = walk(fw, "filter", "input", packet(src="198.51.100.1"))
    assert not verdict.certain and [r.line for r in verdict.maybes] == [10, 11]


def test_scripted_address_list_is_unknown():
    fw = model(dedent("""\
        /ip firewall address-list add address=10.0.0.0/24 list=mgmt
        /system script add name=s source="/ip firewall address-list add list=mgmt address=1.2.3.4"
        """))
    assert fw.address_lists.entries("mgmt", 4) is None


def test_jump_return_and_loops():
    fw = model(dedent("""\
        /ip firewall filter
        add chain=input action=jump jump-target=mgmt protocol=tcp
        add chain=input action=drop
        add chain=mgmt action=return src-address=10.9.0.0/16
        add chain=mgmt action=accept dst-port=22 protocol=tcp
        add chain=loop action=jump jump-target=loop
        add chain=forward action=jump jump-target=loop
        add chain=forward action=accept
        """))
    ssh = walk(fw, "filter", "input", packet(src="192.0.2.1", protocol="tcp", dst_port=22))
    assert ssh.action == "accept" and ssh.rule.line == 5 and [r.line for r in ssh.path] == [2]
    returned = walk(fw, "filter", "input", packet(src="10.9.1.1", protocol="tcp", dst_port=22))
    assert returned.dropped and returned.rule.line == 3 and returned.certain
    looped = walk(fw, "filter", "forward", packet())
    assert looped.action == "accept" and not looped.certain


def test_mangle_passthrough_and_ipv6():
    fw = model(dedent("""\
        /ip firewall mangle
        add chain=prerouting action=mark-routing new-routing-mark=isp2 src-address=10.0.2.0/24 passthrough=no
        add chain=prerouting action=mark-routing new-routing-mark=isp1 src-address=10.0.0.0/16
        /ipv6 firewall filter
        add chain=input action=accept protocol=icmpv6
        add chain=input action=drop src-address=fe80::/10 in-interface=ether1
        add chain=input action=drop src-address=10.0.0.0/8
        """))
    first, second = fw.chain("mangle", "prerouting").rules
    assert first.terminal and not second.terminal
    v6 = fw.chain("filter", "input", 6).rules
    assert v6[1].matches(packet(6, src="fe80::1", in_interface="ether1", protocol="udp")) is Match.YES
    assert v6[2].opaque  # an IPv4 address in an IPv6 rule is not read
    verdict = walk(fw, "mangle", "prerouting", packet(src="10.0.2.7"))
    assert verdict.rule is first


def test_order_not_known():
    fw = model(dedent("""\
        /ip firewall filter
        add chain=input action=accept protocol=icmp
        add chain=input action=drop place-before=0
        """))
    assert not fw.decidable("filter") and fw.decidable("nat")
    fw = model("/ip firewall filter\nset 5 disabled=yes\n")  # a rule the file does not show
    assert not fw.decidable("filter")


def test_disabled_rules_are_kept_but_not_walked():
    fw = model("/ip firewall filter\nadd chain=input action=drop disabled=yes\n")
    chain = fw.chain("filter", "input")
    assert chain.rules[0].disabled and chain.active == []
    assert walk(fw, "filter", "input", packet()).decision == "accept"


def test_computed_and_unreadable_values():
    fw = model('/ip firewall filter\nadd chain=input action=drop src-address=$bad\nadd chain=input action=drop dst-port=abc protocol=tcp\n')
    first, second = fw.chain("filter", "input").rules
    assert first.undecidable and first.matches(packet()) is Match.MAYBE
    assert second.opaque and second.matches(packet(protocol="tcp", dst_port=22)) is Match.MAYBE
    assert second.matches(packet(protocol="udp")) is Match.NO
