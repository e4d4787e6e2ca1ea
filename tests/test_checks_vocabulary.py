"""VOC001-003: menus, parameters and values checked against the vocabulary."""

from rosc.lint.engine import lint_bytes


def findings(text: str, code: str):
    return [d for d in lint_bytes(text.encode(), "t.rsc").diagnostics if d.code == code]


def test_unknown_menu_with_suggestion():
    (d,) = findings("/ip adress\nadd address=10.0.0.1/24 interface=ether1\n", "VOC001")
    assert "did you mean `/ip address`" in d.message and d.span.line == 1


def test_known_menus_and_v6_aliases_pass():
    assert not findings("/ip address\nadd address=10.0.0.1/24 interface=ether1\n/system identity set name=x\n", "VOC001")


def test_unknown_parameter_points_at_key():
    (d,) = findings("/ip address\nadd adress=10.0.0.1/24 interface=ether1\n", "VOC002")
    assert "did you mean `address`" in d.message
    assert (d.span.line, d.span.column, d.span.end_column) == (2, 5, 11)


def test_invalid_enum_value_is_error_at_value():
    (d,) = findings("/ip firewall nat\nadd action=masqurade chain=srcnat\n", "VOC003")
    assert d.severity.label == "error" and "masquerade" in d.message
    assert d.span.column == 12


def test_bool_and_computed_values():
    assert findings("/interface bridge\nadd name=br disabled=maybe\n", "VOC003")
    assert not findings("/interface bridge\nadd name=br disabled=$x\n", "VOC003")


def test_find_and_scripts_are_not_parameter_checked():
    assert not findings(':foreach i in=[/ip address find where bogus=1] do={ :put $i }\n', "VOC002")


def test_read_only_property_is_named_as_such():
    (d,) = findings("/interface bridge\nadd actual-mtu=1500 name=br1\n", "VOC002")
    assert d.message == "`actual-mtu` of `/interface bridge` is read-only: RouterOS shows it, but add does not take it"
    assert d.fix == "remove `actual-mtu=...`"


def test_firewall_port_zero_is_a_valid_match():
    assert not findings("/ip firewall raw\nadd action=drop chain=prerouting dst-port=0 protocol=tcp\n", "VOC003")
    assert findings("/ip firewall raw\nadd action=drop chain=prerouting dst-port=70000 protocol=tcp\n", "VOC003")


def test_routeros_type_hints_are_checked_where_they_say_everything():
    # the overlay gives no type for these: RouterOS's own hints do
    (d,) = findings("/ip neighbor discovery-settings\nset discover-interval=often\n", "VOC003")
    assert "is not a duration" in d.message and "(RouterOS's own type)" in d.notes[0]
    (d,) = findings("/ip dhcp-server\nadd dynamic-lease-identifiers=client-mac,opt82 interface=ether2 name=d1\n", "VOC003")
    assert "opt-82" in d.message
    assert not findings("/ip neighbor discovery-settings\nset discover-interval=30s\n", "VOC003")
    # an address hint describes one item, not the lists and names RouterOS also takes: not checked
    assert not findings("/ip dhcp-server network\nadd address=10.0.0.0/24 dns-server=10.0.0.1,10.0.0.2 gateway=10.0.0.1\n", "VOC003")
