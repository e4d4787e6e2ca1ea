"""What real scripts do that the parser must read as RouterOS does, and
how it reports the mistakes real scripts make: one error per mistake, where
the mistake is."""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc

from click.testing import CliRunner

from rosc.cli.main import main
from rosc.diagnostics import Severity
from rosc.format.equivalence import signature
from rosc.format.formatter import format_text
from rosc.syntax.parser import parse_text
from rosc.syntax.tree import Command, Expression, Substitution, walk


def errors(result):
    return [d for d in result.diagnostics if d.severity >= Severity.ERROR]


def fmt(text: str) -> str:
    result = format_text(text)
    assert result.output is not None, [d.message for d in result.diagnostics]
    return result.output


# --------------------------------------------------------------- (:cmd ...)

FAILOVER = """\
:global failoverPingTimeout
:global failoverMonths {"jan"=1;"feb"=2;"mar"=3}
:global failoverLastIp
:local month "feb"
:if ([:typeof $failoverPingTimeout] = "nothing") do={ :set failoverPingTimeout (:totime 00:00:00.500) }
:set failoverLastIp (:pick [/ip address get [find interface=ether1] address] 0 3)
:local m (:$failoverMonths->$month)
:local longest ((:len $month) + 1)
:if ($m = 2) do={ :set failoverLastIp (:nothing) } else={ :set failoverLastIp ( :tostr $m ) }
/tool netwatch
add host=8.8.8.8 interval=10s up-script=":log info (:tostr [/ip route get 0 gateway])"
"""


def test_command_in_parentheses_reads_as_a_command():
    r = parse_text(FAILOVER)
    assert not r.diagnostics, [d.message for d in r.diagnostics]
    paren = [n for n in walk(r.script) if type(n) is Substitution and n.paren]
    verbs = [n.body[0].verb.text if n.body[0].verb else None for n in paren]
    assert verbs == [":totime", ":pick", None, ":len", ":nothing", ":tostr", ":tostr"]
    # the command inside runs in the menu around it, as in [ ]
    pick = paren[1].body[0]
    find = next(n for n in walk(pick) if type(n) is Command and n.verb is not None and n.verb.text == "find")
    assert find.menu == ("ip", "address")
    # `((:len $month) + 1)` is an expression holding one
    longest = next(c for c in r.script.body if type(c) is Command and c.args and getattr(c.args[0], "text", "") == "longest")
    assert type(longest.args[1]) is Expression and type(longest.args[1].items[0]) is Substitution


def test_command_in_parentheses_survives_fmt():
    out = fmt(FAILOVER)
    assert "(:totime 00:00:00.500)" in out and "(:$failoverMonths->$month)" in out and "(:nothing)" in out
    assert signature(parse_text(out).script) == signature(parse_text(FAILOVER).script)
    assert fmt(out) == out


# ------------------------------------------------------ colon-less commands

COLONLESS = """\
local cfg [[parse [/system script get "cfg-hotspot" source]]]
local iBrName ($cfg->"BridgeHS")
global hsCount
if ([/interface bridge find name=$iBrName]="") do={
     /interface bridge add name=$iBrName}
foreach i in=[/interface find where type=ether] do={
    put [/interface get $i name]
    set hsCount ($hsCount + 1)
}
for n from=1 to=3 do={ delay 1s }
while ($hsCount > 10) do={ set hsCount ($hsCount - 1) }
do { put [resolve example.com] } on-error={ log warning "no dns" }
"""


def test_colonless_scripting_commands_give_the_colon_form_tree():
    written = parse_text(COLONLESS)
    colon = parse_text(
        COLONLESS.replace("local ", ":local ").replace("global ", ":global ").replace("if (", ":if (")
        .replace("foreach ", ":foreach ").replace("    put ", "    :put ").replace("    set ", "    :set ")
        .replace("for n", ":for n").replace("{ delay", "{ :delay").replace("while (", ":while (")
        .replace("{ set", "{ :set").replace("do {", ":do {").replace("{ put [resolve", "{ :put [:resolve")
        .replace("[[parse", "[[:parse")
    )
    assert not written.diagnostics and not colon.diagnostics
    assert signature(written.script) == signature(colon.script)
    top = [c.verb.text for c in written.script.body if type(c) is Command]
    assert top == [":local", ":local", ":global", ":if", ":foreach", ":for", ":while", ":do"]
    verbs = {c.verb.text for c in written.script.commands() if c.verb is not None}
    assert {":parse", ":put", ":set", ":delay", ":resolve"} <= verbs
    # `log` is a menu of the root: `log warning` is `/log warning`, as `:log warning` is
    log = next(c for c in written.script.commands() if c.verb is not None and c.verb.text == "warning")
    assert log.menu == ("log",)
    # the span of a colon-less verb is what was written
    local = written.script.body[0]
    assert COLONLESS[local.verb.start : local.verb.end] == "local"


def test_colonless_words_stay_menu_commands_outside_the_root():
    r = parse_text("/ip address\nset [find interface=ether1] disabled=yes\nfind where dynamic\n")
    setting, finding = [c for c in r.script.body if c.verb is not None]
    assert (setting.verb.text, setting.menu) == ("set", ("ip", "address"))
    assert (finding.verb.text, finding.menu) == ("find", ("ip", "address"))
    inner = setting.args[0].body[0]
    assert (inner.verb.text, inner.menu) == ("find", ("ip", "address"))


def test_command_word_glued_to_its_argument():
    r = parse_text(':if($x>1) do={ :put[:len "abc"] }\n')
    assert not r.diagnostics
    cmd = r.script.body[0]
    assert cmd.verb.text == ":if" and type(cmd.args[0]) is Expression
    put = cmd.args[1].value.body[0]
    assert put.verb.text == ":put" and type(put.args[0]) is Substitution


def test_fmt_writes_the_colon():
    out = fmt("foreach i in=$list do={ put $i }\nlocal n 3\n")
    assert out == ":foreach i in=$list do={ :put $i }\n:local n 3\n"


# --------------------------------------------------- one error per mistake

PPP_FUNCTION = """\
# Disconnects all active PPP sessions at once
:global DisconnectActivePPPSessions do={
    :local pppSessions [/ppp active print count-only];
    :for i from=0 to=$pppSessions step=1 do= \\
    {
        /ppp active remove numbers=$i;
        :log info ("Removing PPP session no ".$i."...";
    }
    :log info ("Removed PPP sessions: ".$pppSessions);
}
$DisconnectActivePPPSessions;
/system identity set name=core
"""


def test_one_missing_parenthesis_is_one_error_where_it_is_missing():
    r = parse_text(PPP_FUNCTION)
    (error,) = errors(r)
    assert error.code == "SYN003"
    assert (error.span.line, error.span.column) == (7, 19)
    assert "`)` is missing before the `;` at 7:" in error.message
    # the rest of the file is read as it was meant
    assert [c.menu for c in r.script.body if type(c) is Command][-1] == ("system", "identity")


def test_missing_bracket_is_one_error():
    text = ":foreach i in=[/interface find do={\n    :put $i\n}\n/ip route add gateway=10.0.0.1\n"
    (error,) = errors(parse_text(text))
    assert error.code == "SYN003" and (error.span.line, error.span.column) == (1, 15)
    assert "to the end of the file" in error.notes[0]


def test_missing_bracket_closed_by_an_outer_closer_is_one_error_before_it():
    text = ":if ([:len [/interface find] > 0) do={\n    :put yes\n}\n/ip route add gateway=10.0.0.1\n"
    r = parse_text(text)
    (error,) = errors(r)
    assert error.code == "SYN003" and (error.span.line, error.span.column) == (1, 6)
    assert "`]` is missing before the `)` at 1:33" in error.message
    assert [c.menu for c in r.script.body if type(c) is Command][-1] == ("ip", "route")


def test_wrong_closer_is_one_error_with_the_open_bracket_in_a_note():
    r = parse_text(":put [ 1 )\n:put 2\n")
    (error,) = errors(r)
    assert error.code == "SYN004" and error.span.column == 10
    assert any("never closed" in n for n in error.notes)


def test_follow_on_errors_are_counted_not_shown():
    r = parse_text("/ip address add address=10.0.0.1/24 \\ interface=ether1 $ \\ comment=x\n/ip route add gateway=10.0.0.254\n")
    (error,) = errors(r)
    assert error.code == "SYN010" and error.span.column == 37
    assert any("2 more syntax errors in this command are not shown" in n for n in error.notes)


# ----------------------------------------------------- unterminated strings

FIREWALL = """\
/ip firewall filter
add action=accept chain=input comment="Allow established" connection-state=established,related
add action=jump chain=input comment="Jump to IN-LAN" rules" in-interface=bridge1 jump-target=IN-LAN
add action=accept chain=IN-LAN comment="Allow DNS" dst-port=53 protocol=udp
add action=accept chain=IN-LAN comment="Allow WinBox" dst-port=8291 protocol=tcp
add action=return chain=IN-LAN comment="Return from IN-LAN"
add action=drop chain=input comment="Drop everything else" log=yes log-prefix="IN FILTER:"
"""


def test_odd_quote_is_reported_where_the_quotes_start_to_pair_wrongly():
    r = parse_text(FIREWALL)
    (error,) = errors(r)
    line3 = FIREWALL.splitlines()[2]
    assert error.code == "SYN002"
    assert (error.span.line, error.span.column) == (3, line3.index('rules"') + 6)
    assert "the last quote, at 7:" in error.message
    assert error.notes and error.notes[0].startswith(f"the string probably should end at 3:{len(line3) + 1}")
    # the lines after it are read as the commands they are
    chains = [c.get("chain").value.text for c in r.script.body if type(c) is Command and c.get("chain")]
    assert chains == ["input", "IN-LAN", "IN-LAN", "IN-LAN", "input"]


def test_lone_open_quote_is_reported_where_it_is():
    text = '/system identity set name="core\n/ip address add address=10.0.0.1/24 interface=ether1\n'
    r = parse_text(text)
    (error,) = errors(r)
    assert (error.code, error.span.line, error.span.column) == ("SYN002", 1, 27)
    assert "it probably should end at 1:32" in error.notes[0]
    assert [c.menu for c in r.script.body if type(c) is Command] == [("ip", "address")]


# ------------------------------------------------------ brackets left open


def test_a_flood_of_open_brackets_is_capped_and_summed_up(tmp_path):
    path = tmp_path / "brackets.rsc"
    path.write_bytes(b"[" * 100_000)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "rosc", "parse", str(path)], capture_output=True)
    assert time.perf_counter() - start < 30
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    out = proc.stdout + proc.stderr
    assert len(out) < 5_000, len(out)
    assert out.count(b"error[") == 1  # nested too deep; the open ones in a note
    assert b"100,000 brackets, braces and parentheses opened in this command are never closed" in out


def test_open_brackets_at_the_end_are_listed_up_to_ten():
    text = ":if (true) do={ " * 12 + ":put 1\n"
    r = parse_text(text)
    errs = errors(r)
    assert [e.code for e in errs] == ["SYN003"] * 10
    assert "2 more brackets, braces and parentheses opened after this one are never closed" in errs[-1].notes[-1]


def test_a_flood_of_closers_on_one_line_is_one_error():
    r = parse_text("/ip address add address=10.0.0.1/24 " + "]" * 50_000 + "\n/ip route add gateway=1.1.1.1\n")
    (error,) = errors(r)
    assert error.code == "SYN004"
    assert "49,999 more syntax errors" in error.notes[0]


# ------------------------------------------- comments inside continuations

FILTER = """\
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input protocol=tcp \\
# WinBox from the office only
    dst-port=8291 src-address=192.168.88.0/24
add action=drop chain=input in-interface-list=WAN
"""


def test_comment_line_inside_a_continued_command_is_an_error():
    r = parse_text(FILTER)
    (error,) = errors(r)
    assert (error.code, error.span.line, error.span.column) == ("SYN013", 4, 1)
    assert error.fix and "above the command" in error.fix
    # the arguments after the comment are not read as a command of their own
    adds = [c for c in r.script.body if type(c) is Command and c.verb is not None]
    assert [a.get("action").value.text for a in adds] == ["accept", "drop"]
    assert all(c.verb is not None for c in r.script.body if type(c) is Command and not c.is_menu_change)


def test_comment_after_a_finished_command_is_fine():
    text = "/ip firewall filter\nadd action=accept chain=input \\\n    protocol=tcp\n# next\nadd action=drop chain=input\n"
    assert not parse_text(text).diagnostics


# ------------------------------------------------------- memory of strings


def _peak_per_byte(text: str) -> float:
    parse_text("")
    tracemalloc.start()
    try:
        parse_text(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / len(text)


def test_a_long_quoted_string_costs_memory_in_proportion():
    n = 1_000_000
    assert _peak_per_byte('/ip address add comment="' + "a" * n + '" interface=ether1\n') < 8
    assert _peak_per_byte(':put "' + "a" * n + '"\n') < 8
    assert _peak_per_byte('/ip address add comment="' + 'a\\"' * (n // 3) + '" interface=ether1\n') < 8
    # an escape costs more than a plain character, still a bounded amount
    assert _peak_per_byte('/ip address add comment="' + "ab\\C3" * (n // 5) + '" interface=ether1\n') < 60


def test_fmt_of_a_long_string_is_proportionate():
    n = 300_000
    text = '/system script add name=s source="' + ":put abc; " * (n // 10) + '"\n'
    result = CliRunner().invoke(main, ["fmt", "-"], input=text)
    assert result.exit_code == 0
    assert all(len(line) <= 80 for line in result.output.splitlines())


def test_script_command_after_a_menu_path_runs_in_that_menu():
    text = '/ip firewall filter :foreach r in=[find where chain="input"] do={ :put [get $r action] }\n/ip address print\n'
    r = parse_text(text)
    assert not r.diagnostics
    cmd = r.script.body[0]
    assert (cmd.verb.text, cmd.menu) == (":foreach", ("ip", "firewall", "filter"))
    find = cmd.args[1].value.body[0]
    assert (find.verb.text, find.menu) == ("find", ("ip", "firewall", "filter"))
    out = fmt(text)
    assert out == '/ip firewall filter\n:foreach r in=[ find where chain="input" ] do={ :put [ get $r action ] }\n/ip address\nprint\n'
    assert signature(parse_text(out).script) == signature(r.script)
