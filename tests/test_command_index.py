"""The shared command index (``Facts.commands``) and the address parsers'
fast path: the same answers as a walk of every command and as ``ipaddress``."""

import ipaddress

import pytest

from rosc.model.builder import build_device
from rosc.model.facts import Facts, parse_interface, parse_ip, parse_network
from rosc.syntax.parser import parse_text

CONFIG = """\
/interface bridge
add name=br1
/ip firewall filter
add chain=input action=accept comment="a # in a string"
add chain=forward action=drop in-interface=br1 # not a comment
/ip address
add address=10.0.0.1/24 interface=br1
/system script
add name=s source=":if (1 = 1) do={ /ip firewall filter add chain=input action=drop }"
/ip firewall filter
add chain=output action=accept
/system scheduler
add name=t on-event={ /interface bridge set br1 vlan-filtering=yes }
"""


@pytest.fixture(scope="module")
def index():
    return Facts(build_device(parse_text(CONFIG, "x.rsc"))).commands


def test_menus_and_nesting_match_a_walk_of_every_command(index):
    device_commands = index.all
    top = {id(c) for c in index._top}
    assert index.nested == [c for c in device_commands if id(c) not in top]
    for path in {c.menu_path for c in device_commands}:
        assert index.in_menu(path) == [c for c in device_commands if c.menu_path == path]
    menus = ("/ip firewall filter", "/interface bridge")
    assert index.in_menus(menus) == [c for c in device_commands if c.menu_path in menus]
    assert [c.menu_path for c in index.nested_in(menus)] == ["/ip firewall filter", "/interface bridge"]
    assert [c for c, _names in index.named_in_menu("/ip address")] == index.in_menu("/ip address")


def test_argument_names_are_shared_by_commands_written_alike(index):
    names = dict(zip(map(id, index.all), index.arg_names()))
    first, second = [c for c in index.in_menu("/ip firewall filter") if c.verb is not None][:2]
    assert names[id(first)] == ("chain", "action", "comment")
    assert names[id(second)][:3] == ("chain", "action", "in-interface") and None in names[id(second)]
    output = [c for c in index.in_menu("/ip firewall filter") if c.get("chain") and c.get("chain").value.text == "output"][0]
    nested = index.nested_in(("/ip firewall filter",))[0]
    assert names[id(output)] is names[id(nested)]  # one tuple for (chain, action)


def test_around_finds_the_commands_holding_a_needle(index):
    text = CONFIG
    found = index.around(text, (" #",))
    tops = [c for c in found if index.is_top(c)]
    assert [c.get("chain").value.text for c in tops] == ["input", "forward"]  # the string's `#` too: a superset
    assert all(c in found for c in index.nested)
    assert index.around(text, ("no such text",)) == index.nested


@pytest.mark.parametrize("text", [
    "10.0.0.1", "10.0.0.1/24", "0.0.0.0/0", "255.255.255.255/32", "192.168.1.255/31", "01.2.3.4", "1.2.3.4/024",
    "1.2.3.4/33", "256.1.1.1", "1.2.3", "1.2.3.4/", "::1", "fe80::1/64", "2001:db8::/32", "", "x",
])
def test_address_fast_path_matches_ipaddress(text):
    for ours, theirs in ((parse_ip, ipaddress.ip_address), (parse_interface, ipaddress.ip_interface),
                         (parse_network, lambda t: ipaddress.ip_network(t, strict=False))):
        try:
            expected = theirs(text)
        except ValueError:
            expected = None
        got = ours(text)
        assert got == expected and type(got) is type(expected)
        if expected is not None and hasattr(expected, "network"):
            assert got.network == expected.network
