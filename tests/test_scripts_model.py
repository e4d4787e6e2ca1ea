"""The scope analysis (rosc.model.scripts): which scripts a file holds, where
each name is declared and used, with spans that point at the name in the
file, also inside strings and inside scripts kept in strings."""

from __future__ import annotations

from rosc.model.script_strings import FILE_MAP, StringCode, StringVariable, TextMap, interpolations
from rosc.model.scripts import analyze
from rosc.syntax.parser import parse_text
from rosc.syntax.tree import String, walk


def run(text: str):
    result = parse_text(text)
    return analyze(result.script, result.source), result


def names_at_spans(text: str, analysis):
    """(kind, name, the file text at the name's span) of every use."""
    return [(u.kind, u.name, text[u.name_start : u.name_end]) for u in analysis.uses]


def test_units_of_a_file():
    text = (
        ':global f do={ :return 1 }\n'
        '/system script add name=s source=":put 1"\n'
        '/system scheduler add name=j on-event={ :put 2 }\n'
        '/tool netwatch add host=1.1.1.1 down-script=":put 3"\n'
        ':execute { :put 4 }\n'
    )
    analysis, _ = run(text)
    assert [(u.kind, u.label) for u in analysis.units] == [
        ("file", "this file"),
        ("function", "the function `f`"),
        ("script", "the script `s`"),
        ("scheduler", "the `on-event=` script of `j` (/system scheduler)"),
        ("hook", "the `down-script=` script (/tool netwatch)"),
        ("execute", "the `:execute` script"),
    ]
    assert analysis.units[1].is_function and analysis.units[1].open_world
    assert analysis.units[4].hook == (("tool", "netwatch"), "down-script")
    assert "host" in analysis.units[4].builtins


def test_spans_point_at_the_name_in_code_strings_and_embedded_scripts():
    text = (
        ':local wan "ether1"\n'
        ':put "$wan is $[:tostr $wan]"\n'
        '/system script add name=s source=":local ip 1\\r\\n:log info \\"ip \\$ip on \\$[:tostr \\$ip]\\"\\r\\n:put \\$\\"ip\\""\n'
    )
    analysis, _ = run(text)
    spans = names_at_spans(text, analysis)
    assert spans == [("read", "wan", "wan"), ("read", "wan", "wan"), ("read", "ip", "ip"), ("read", "ip", "ip"), ("read", "ip", "ip")]
    decl = next(d for d in analysis.declarations if d.name == "ip")
    assert text[decl.name_start : decl.name_end] == "ip" and len(decl.uses) == 3
    assert all(u.declaration is decl for u in decl.uses)


def test_import_time_dollars_belong_to_the_storing_script():
    text = '{\n:local msg "x"\n/system script add name=s source=":log info $msg \\$other"\n}\n'
    analysis, _ = run(text)
    msg = [u for u in analysis.uses if u.name == "msg"]
    assert len(msg) == 1 and msg[0].import_time and msg[0].unit.kind == "file" and msg[0].declaration is not None
    other = [u for u in analysis.uses if u.name == "other"]
    assert len(other) == 1 and not other[0].import_time and other[0].unit.kind == "script"


def test_scopes_and_visibility():
    text = "{\n  :local a 1\n  :if (true) do={\n    :local b 2\n    :put ($a + $b)\n  }\n  :put $a\n}\n"
    analysis, _ = run(text)
    inner = text.index(":put ($a")
    assert sorted(d.name for d in analysis.visible_at(inner)) == ["a", "b"]
    assert sorted(d.name for d in analysis.visible_at(text.index(":put $a\n}"))) == ["a"]
    assert analysis.visible_at(text.index(":local a")) == []
    b_read = next(u for u in analysis.uses if u.name == "b")
    assert b_read.declaration.scope.encloses(b_read.scope)


def test_globals_are_one_variable_across_scripts():
    text = ':global n 0\n/system script add name=s source=":global n\\r\\n:set n (\\$n + 1)"\n'
    analysis, _ = run(text)
    first = analysis.declarations[0]
    decls, uses = analysis.same_variable(first)
    assert len(decls) == 2 and [u.kind for u in uses] == ["set", "read"]
    assert all(u.unit.kind == "script" for u in uses)


def test_site_at_finds_the_name_under_the_cursor():
    text = ":local counter 1\n:put ($counter + 1)\n"
    analysis, _ = run(text)
    use = analysis.site_at(text.index("$counter") + 3)
    assert use.name == "counter" and use.declaration is analysis.declarations[0]
    assert analysis.site_at(text.index(":local") + 8) is analysis.declarations[0]
    assert analysis.site_at(text.index("+ 1")) is None


def test_calls_and_jumps():
    text = ':global f do={ :foreach i in={1} do={ :break }; :return 1 }\n$f a=1 "x"\n:continue\n'
    analysis, _ = run(text)
    (call,) = analysis.calls
    assert call.use.name == "f" and [a.name for a in call.named] == ["a"] and len(call.positional) == 1
    assert [(j.word, j.in_loop, j.in_function) for j in analysis.jumps] == [
        ("break", True, True), ("return", False, True), ("continue", False, False)]
    assert analysis.units[1].returns and analysis.units[1].function_like


def test_interpolations_of_a_string():
    text = ':put "a $x b \\$y c $[:pick \\"ab\\" 0] d $($x + 1) $"\n'
    result = parse_text(text)
    string = next(n for n in walk(result.script) if type(n) is String)
    pieces = interpolations(string, FILE_MAP)
    kinds = [type(p) for p in pieces]
    assert kinds == [StringVariable, StringCode, StringCode]
    assert text[pieces[0].start : pieces[0].end] == "$x"
    assert text[pieces[1].start : pieces[1].end] == '[:pick \\"ab\\" 0]'
    read = [n for n in walk(pieces[2].body[0]) if type(n).__name__ == "Variable"]
    assert [text[v.start : v.end] for v in read] == ["$x"]


def test_text_map_of_an_embedded_script():
    text = '/system script add name=s source=":put \\"\\$a\\""\n'
    result = parse_text(text)
    outer = next(n for n in walk(result.script) if type(n) is String and n.script is not None)
    inner_map = FILE_MAP.of_string(outer)
    assert isinstance(inner_map, TextMap)
    dollar = text.index("\\$a")  # `\$` decodes to `$`, located at its backslash
    assert not inner_map.written_unescaped(dollar)
    assert inner_map.written_unescaped(text.index(":put"))


def test_syntax_errors_make_their_script_incomplete():
    text = '/system script add name=s source=":put (1 + ]"\n:put 1\n'
    result = parse_text(text)
    errors = [(d.span.offset, d.span.end) for d in result.diagnostics if d.severity >= 3]
    analysis = analyze(result.script, result.source, errors)
    assert [u.kind for u in analysis.units if u.incomplete] == ["script"]
