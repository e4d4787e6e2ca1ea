"""Syntax tree shapes, spans and menu context."""

from rosc.syntax.tree import Block, Command, Comment, Concat, Expression, Operator, String, Substitution, Variable, Word


def commands(result):
    return [s for s in result.script.body if type(s) is Command]


def test_menu_header_then_commands(parse):
    r = parse("/ip address\nadd address=10.0.0.1/24 interface=ether1\n")
    header, add = commands(r)
    assert header.is_menu_change and header.menu == ("ip", "address")
    assert add.menu == ("ip", "address") and add.verb.text == "add" and add.path == ()
    assert [(a.name, a.value.text) for a in add.named] == [("address", "10.0.0.1/24"), ("interface", "ether1")]
    assert not r.diagnostics


def test_path_and_command_on_one_line_do_not_change_context(parse):
    r = parse("/interface\n/ip address add address=1.1.1.1/32 interface=lo\nbridge add name=br\n")
    _, add, bridge = commands(r)
    assert add.menu == ("ip", "address") and add.path == ("ip", "address") and add.absolute
    assert bridge.menu == ("interface", "bridge") and bridge.verb.text == "add"


def test_v7_slash_path(parse):
    (cmd,) = commands(parse("/ip/address/add address=1.1.1.1/32 interface=lo\n"))
    assert cmd.menu == ("ip", "address") and cmd.verb.text == "add"


def test_system_identity_set(parse):
    (cmd,) = commands(parse("/system identity set name=core\n"))
    assert cmd.menu == ("system", "identity") and cmd.verb.text == "set"
    assert cmd.get("name").value.text == "core"


def test_item_selectors_and_numbers(parse):
    r = parse("/interface ethernet\nset [ find default-name=ether1 ] name=wan\nset 0 disabled=yes\nremove numbers=1,2\n")
    _, s1, s2, rm = commands(r)
    sub = s1.args[0]
    assert type(sub) is Substitution
    (find,) = sub.body
    assert find.verb.text == "find" and find.menu == ("interface", "ethernet")
    assert find.get("default-name").value.text == "ether1"
    assert type(s2.args[0]) is Word and s2.args[0].text == "0"
    assert rm.get("numbers").value.text == "1,2"


def test_find_where(parse):
    (cmd,) = commands(parse('/ip firewall filter remove [find where comment~"x" and !disabled]\n'))
    find = cmd.args[0].body[0]
    assert find.verb.text == "find"
    assert [type(a).__name__ for a in find.args] == ["Word", "Concat", "Word", "Word"]


def test_negated_and_typed_values(parse):
    (cmd,) = commands(parse(
        "/ip firewall filter add chain=forward dst-address=!10.0.0.0/8 src-address=10.0.0.1-10.0.0.9 "
        "dst-port=80,443 timeout=1d2h3m mac-address=AA:BB:CC:DD:EE:FF src-address-list=!lan "
        "ipv6=2001:db8::/32 time=00:05:00 log=yes\n"
    ))
    values = {a.name: a.value.text for a in cmd.named}
    assert values["dst-address"] == "!10.0.0.0/8"
    assert values["ipv6"] == "2001:db8::/32"
    assert values["time"] == "00:05:00"


def test_string_escapes(parse):
    (cmd,) = commands(parse(r'/system note set note="a\"b\\c\nd\te\$f\?g\_h\4F\a" show-at-login=no' + "\n"))
    s = cmd.get("note").value
    assert type(s) is String
    assert s.value == 'a"b\\c\nd\te$f?g hO\a'
    assert not s.interpolated


def test_interpolation_is_marked(parse):
    (cmd,) = commands(parse(':put "name is $name and $[/system identity get name]"\n'))
    assert cmd.args[0].interpolated


def test_scripting_constructs(parse):
    text = (
        ":local x 5\n"
        ":global g\n"
        ":set x ($x + 1)\n"
        ':if ($x > 3) do={ :put "big" } else={ :put "small" }\n'
        ":foreach i in=[/interface find] do={\n"
        "    :log info [/interface get $i name]\n"
        "}\n"
        ":for i from=1 to=10 step=2 do={ :put $i }\n"
        ":while ($x < 10) do={ :set x ($x + 1) }\n"
        ":do { :put [:resolve example.com] } on-error={ :log warning \"no dns\" }\n"
        ":delay 1s\n"
        ":local arr {1;2;3}\n"
        ':local map {"a"=1;"b-c"=2}\n'
        ':put ($map->"a")\n'
        ':put $"var-name"\n'
        ":return $x\n"
        ':error "boom"\n'
    )
    r = parse(text)
    assert not r.diagnostics, r.diagnostics
    verbs = [c.verb.text for c in commands(r)]
    assert verbs == [":local", ":global", ":set", ":if", ":foreach", ":for", ":while", ":do", ":delay", ":local", ":local", ":put", ":put", ":return", ":error"]
    if_cmd = commands(r)[3]
    assert type(if_cmd.args[0]) is Expression
    assert [a.name for a in if_cmd.named] == ["do", "else"]
    arr = commands(r)[9].args[1]
    assert type(arr) is Block and [s.args[0].text for s in arr.body] == ["1", "2", "3"]
    mapping = commands(r)[10].args[1]
    assert [s.args[0].name for s in mapping.body] == ["a", "b-c"]
    expr = commands(r)[11].args[0]
    assert [type(i) for i in expr.items] == [Variable, Operator, String]
    var = commands(r)[12].args[0]
    assert type(var) is Variable and var.name == "var-name" and var.quoted


def test_spans_are_exact(parse):
    text = "/ip address\nadd address=10.0.0.1/24 \\\n    interface=ether1\n"
    r = parse(text)
    add = commands(r)[1]
    arg = add.get("interface")
    span = r.source.span(arg.start, arg.end)
    assert (span.line, span.column, span.end_line, span.end_column) == (3, 5, 3, 21)
    assert text[arg.start : arg.key_end] == "interface"
    assert text[arg.value.start : arg.value.end] == "ether1"
    assert text[add.start : add.end] == "add address=10.0.0.1/24 \\\n    interface=ether1"


def test_comments_are_kept_and_attached(parse):
    r = parse("# header\n/ip address\n# first\n# second\nadd address=1.1.1.1/32 interface=lo\n")
    kinds = [type(s) for s in r.script.body]
    assert kinds == [Comment, Command, Comment, Comment, Command]
    add = r.script.body[-1]
    assert [c.text for c in add.comments] == ["# first", "# second"]


def test_embedded_script_is_parsed_with_outer_spans(parse):
    text = (
        '/system script add name=s source="/ip address\\r\\\n'
        '    \\nadd address=1.2.3.4/24 interface=ether1\\r\\\n'
        '    \\n:put \\"hi\\""\n'
    )
    r = parse(text)
    assert not r.diagnostics
    (cmd,) = commands(r)
    script = cmd.get("source").value.script
    inner = list(script.commands())
    assert [c.verb.text if c.verb else None for c in inner] == [None, "add", ":put"]
    add = inner[1]
    assert add.menu == ("ip", "address")
    arg = add.get("interface")
    assert text[arg.start : arg.end] == "interface=ether1"
    assert text[arg.start : arg.key_end] == "interface"


def test_error_inside_embedded_script_points_into_outer_file(parse):
    text = '/system scheduler add name=x on-event="/ip address add address=\\"1.1.1.1 ]"\n'
    r = parse(text)
    codes = [d.code for d in r.diagnostics]
    assert "SYN002" in codes or "SYN004" in codes
    d = r.diagnostics[0]
    assert "inside `on-event=`" in d.message
    assert d.span.line == 1 and d.span.column > len("/system scheduler add name=x on-event=")


def test_syntax_error_recovers_at_next_command(parse):
    r = parse("/ip address\nadd address=1.1.1.1/24 ]\nadd address=2.2.2.2/24 interface=ether2\n/ip route add gateway=1.1.1.1\n")
    assert [d.code for d in r.diagnostics] == ["SYN004"]
    assert r.diagnostics[0].span.line == 2
    cmds = commands(r)
    assert [c.get("address").value.text for c in cmds if c.get("address")] == ["2.2.2.2/24"]
    assert cmds[-1].menu == ("ip", "route")


def test_unexpected_token_message_is_in_plain_words(parse):
    r = parse(':put (1 + )\n:local x [\n')
    messages = [d.message for d in r.diagnostics]
    assert all("RBRACK" not in m and "LPAR" not in m for m in messages)
    assert any("never closed" in m for m in messages)


def test_unknown_menu_keeps_words(parse):
    r = parse("/zzz qqq add name=x\n/zzz qqq frob name=x\n/zzz qqq\nfrob name=y\n")
    add, frob, header, relative = commands(r)
    assert (add.menu, add.verb.text) == (("zzz", "qqq"), "add")
    assert (frob.menu, frob.verb.text) == (("zzz", "qqq"), "frob")
    assert header.is_menu_change and header.menu == ("zzz", "qqq")
    assert (relative.menu, relative.verb.text) == (("zzz", "qqq"), "frob")


def test_relative_submenu_under_context(parse):
    r = parse("/ip dhcp-server\nnetwork add address=10.0.0.0/24 gateway=10.0.0.1\nadd name=d interface=ether2\n")
    _, net, add = commands(r)
    assert net.menu == ("ip", "dhcp-server", "network") and net.verb.text == "add"
    assert add.menu == ("ip", "dhcp-server")


def test_key_with_empty_value(parse):
    (cmd,) = commands(parse("/ip address set 0 comment= disabled=no\n"))
    assert cmd.get("comment").value is None


def test_glued_variable(parse):
    (cmd,) = commands(parse(":put ether$i\n"))
    assert type(cmd.args[0]) is Concat


def test_every_sample_parses_without_errors():
    from conftest import sample_files
    from rosc.syntax.parser import parse_bytes
    from rosc.diagnostics import Severity

    for path in sample_files():
        r = parse_bytes(path.read_bytes(), str(path))
        assert not [d for d in r.diagnostics if d.severity >= Severity.ERROR], path
