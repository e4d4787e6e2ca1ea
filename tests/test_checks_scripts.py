"""The script checks (SCR001-SCR016): realistic configurations with the
mistakes scripts make at 3 am, the same configurations fixed, the cautious
corners of the language, and the real-world corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, corpus_files
from lint_helpers import diags, findings, only, pointed
from rosc.lint.config import Config
from rosc.lint.engine import lint_bytes, lint_parsed
from rosc.syntax.parser import parse_bytes

CONFIGS = Path(__file__).resolve().parent / "script_configs"


def scr(text: str):
    return [d for d in diags(text) if d.code.startswith("SCR")]


def summary(text: str):
    return sorted((d.code, d.span.line, pointed(text, d)) for d in scr(text))


def config(name: str) -> str:
    return (CONFIGS / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- realistic configurations


def test_failover_script_with_scope_mistakes():
    text = config("failover_bad.rsc")
    assert summary(text) == [
        ("SCR003", 21, "\\$newState"),  # set in both branches of the :if, read after it
        ("SCR003", 22, "\\$newState"),
        ("SCR004", 27, "\\$wanState"),  # the Netwatch script never declares the global
        ("SCR006", 22, "wanState"),  # the "update" of the global only sets a local
        ("SCR007", 27, ":return"),  # a Netwatch hook has no caller
    ]
    d = next(d for d in scr(text) if d.code == "SCR004")
    assert "line 14" in d.message and "wan-failover" in d.message
    assert d.fix == "add `:global wanState` at the start of the `down-script=` script (/tool netwatch)"


def test_ddns_updater_with_typos_and_an_undeclared_global():
    text = config("ddns_bad.rsc")
    assert summary(text) == [
        ("SCR001", 12, "\\$curentIP"),
        ("SCR002", 14, "lastIp"),
        ("SCR004", 17, "\\$lastIP"),
        ("SCR011", 20, "$ddnsHost"),
        ("SCR014", 9, "\\$interface"),
    ]
    by_code = {d.code: d for d in scr(text)}
    assert "did you mean `currentIP`?" in by_code["SCR001"].message
    assert by_code["SCR002"].fix == "write `lastIP`"
    assert "the `interface` property of each item of `/ip address`" in by_code["SCR014"].message


def test_backup_scheduler_that_reads_the_locals_of_the_file():
    text = config("backup_bad.rsc")
    assert summary(text) == [
        ("SCR001", 11, "\\$backupName"),  # the scheduler's script cannot see the file's locals
        ("SCR001", 12, "\\$backupName"),
        ("SCR005", 7, "backupName"),  # ...so the file's own locals are never read
        ("SCR005", 8, "keepDays"),
        ("SCR008", 24, ":break"),
        ("SCR009", 26, "# keep sessions"),
        ("SCR010", 27, "#add action=drop chain=input in-interface=ether1 \\"),
        ("SCR013", 19, "subjet"),
        ("SCR015", 11, "file-name"),
    ]
    d = next(d for d in scr(text) if d.code == "SCR001")
    assert "the `:local backupName` at line 7 belongs to this file" in d.message
    assert "did you mean `subject=`?" in next(d for d in scr(text) if d.code == "SCR013").message


@pytest.mark.parametrize("name", ["failover_fixed.rsc", "ddns_fixed.rsc", "backup_fixed.rsc"])
def test_the_fixed_configurations_are_clean(name):
    assert scr(config(name)) == []


# --------------------------------------------------------------------------- SCR001 / SCR002 / SCR003


def test_undeclared_read_in_a_scheduler_script():
    text = '/system scheduler add name=s interval=1m on-event=":log info \\$uptime"\n'
    d = only(text, "SCR001")
    assert pointed(text, d) == "\\$uptime"
    assert "never declared in the `on-event=` script of `s`" in d.message


def test_read_before_the_declaration():
    text = "{\n  :put $x\n  :local x 1\n  :put $x\n}\n"
    d = only(text, "SCR001")
    assert d.span.line == 2 and "comes later, at line 3" in d.message
    assert d.fix == "move `:local x` above this line"


def test_manual_case_sensitivity_example():
    d = only(':local myVar "hello"\n:put $myVAr\n:put $myVar\n', "SCR001")
    assert "did you mean `myVar`?" in d.message


def test_set_of_an_undeclared_variable_in_a_hook():
    text = '/ppp profile add name=p on-up=":set counter 1"\n'
    d = only(text, "SCR002")
    assert pointed(text, d) == "counter"


def test_block_scoped_local_and_global():
    assert [d.span.line for d in findings("{\n  { :local b 4 }\n  :put $b\n}\n", "SCR003")] == [3]
    # the manual: a global declared in an inner block is not visible after it...
    d = only("{\n  { :global b 4 }\n  :put $b\n}\n", "SCR003")
    assert "declare `:global b` again" in d.fix
    # ...until it is declared again
    assert scr("{\n  { :global b 4 }\n  :global b\n  :put $b\n}\n") == []


def test_loop_and_onerror_variables_live_in_their_bodies():
    text = ":foreach k,v in={a=1} do={ :put \"$k=$v\" }\n:for i from=1 to=3 do={ :put $i }\n:put $i\n"
    assert [(d.code, d.span.line) for d in scr(text)] == [("SCR003", 3)]
    assert scr(":onerror e in={ :error \"x\" } do={ :log error $e }\n") == []
    assert scr(":onerror e { :error \"x\" } do={ :log error $e }\n") == []


def test_hook_variables_are_provided():
    assert scr('/ip dhcp-server add name=d interface=ether2 lease-script=":log info \\$leaseActIP"\n') == []
    assert scr('/ppp profile add name=p on-up=":log info \\"\\$user \\$\\"remote-address\\"\\""\n') == []
    assert scr('/tool netwatch add host=1.1.1.1 down-script=":log info \\$\\"rtt-avg\\""\n') == []
    # but not another hook's
    assert [d.code for d in scr('/ppp profile add name=p on-up=":log info \\$leaseActIP"\n')] == ["SCR001"]


def test_a_command_do_block_sees_the_command_properties():
    text = '/system scheduler add name=s on-event="/interface monitor-traffic ether1 once do={ :log info \\$\\"rx-bits-per-second\\" }"\n'
    assert scr(text) == []


def test_function_arguments_are_not_undeclared():
    text = ':global f do={ :put "$a $1 $0"; :return ($b + 1) }\n:put [$f a=1 b=2 "x"]\n'
    assert scr(text) == []


def test_a_script_that_may_be_called_is_reported_only_with_evidence():
    # a /system script called as [:parse ...] takes its arguments as variables
    text = '/system script add name=fetch source=":if ([:len \\$url] > 0) do={ /tool fetch url=\\$url }"\n'
    assert scr(text) == []
    # a misspelt local of the same script is evidence
    text = '/system script add name=s source=":local counter 0\\r\\n:put \\$Counter"\n'
    assert sorted(d.code for d in scr(text)) == ["SCR001", "SCR005"]
    # a script that returns a value is written to be called: case alone proves nothing
    text = '/system script add name=s source=":local MAX 4000\\r\\n:if (\\$max > \\$MAX) do={ :return \\$MAX }\\r\\n:return \\$max"\n'
    assert scr(text) == []


def test_underscore_ends_a_name_inside_a_string():
    # `"$day_$hour"` reads `$day` then `_` (names are letters and digits)
    text = ':local day 1\n:local hour 2\n:put "$day_$hour"\n'
    assert scr(text) == []
    assert scr('/ip dhcp-server add name=d interface=ether2 lease-script=":log info \\"\\$leaseServerName_x\\""\n') == []


def test_a_query_reads_properties_of_the_items():
    # undeclared `$name` inside a query is the item's property, not an error
    assert scr('/system scheduler add name=s on-event="/interface print where name=\\$name"\n') == []


def test_unreadable_scripts_are_not_judged():
    # a syntax error drops a statement: what it declared is unknown
    text = ':local a (1 + ]\n:put $a\n:put $b\n'
    assert scr(text) == []


# --------------------------------------------------------------------------- SCR004


def test_function_reading_a_global_it_does_not_declare():
    # the manual's example (Scripting Tips and Tricks)
    text = ':global myVar "test"\n:global myFunc do={\n  :put "global var=$myVar"\n}\n[$myFunc]\n'
    d = only(text, "SCR004")
    assert d.span.line == 3 and "the function `myFunc`" in d.message
    fixed = ':global myVar "test"\n:global myFunc do={\n  :global myVar\n  :put "global var=$myVar"\n}\n[$myFunc]\n'
    assert scr(fixed) == []


def test_calling_a_function_from_a_function():
    text = ":global test do={ :return ($1 + 1) }\n:global testtest do={ :local y [$test 5]; :put $y }\n$testtest\n"
    assert [(d.code, d.span.line) for d in scr(text)] == [("SCR004", 2)]


def test_a_global_passed_as_argument_is_an_argument():
    text = ':global host "a"\n:global ping do={ :put $host }\n$ping host="b"\n'
    assert scr(text) == []


# --------------------------------------------------------------------------- SCR005 / SCR006


def test_unused_local_and_reads_that_count():
    assert [d.span.line for d in findings(":local a 1\n:local b 2\n:put $b\n", "SCR005")] == [1]
    # reads in strings, in $[ ] and $( ), and bare names in expressions count
    assert scr(':local a 1\n:put "$a"\n') == []
    assert scr(':local a 1\n:put "$[:tostr $a]"\n') == []
    assert scr(':local a 2\n:put "$($a * 3)"\n') == []
    assert scr("{ :local a true; :local b false; :put (a&&b) }\n") == []
    # set but never read
    d = only(":local a\n:set a 5\n", "SCR005")
    assert "set (line 2) but never read" in d.message
    # declared again before being read
    d = only(":local a 1\n:local a 2\n:put $a\n", "SCR005")
    assert "declared again at line 2" in d.message


def test_a_local_read_by_a_function_body_is_not_unused():
    # whether a function body sees the locals around it is not something to
    # bet a warning on: such a read keeps the local used
    assert findings(":local a 1\n:local f do={ :put $a }\n$f\n", "SCR005") == []


def test_local_shadowing_a_global():
    d = only(":global state\n:local state 1\n:put $state\n", "SCR006")
    assert "hides the global `state` declared at line 1" in d.message
    assert scr(":global state\n{ :global other; :local x 1; :put $x }\n") == []


# --------------------------------------------------------------------------- SCR007 / SCR008


def test_return_only_reported_where_there_is_no_caller():
    assert [d.code for d in scr('/system scheduler add name=s on-event=":return 1"\n')] == ["SCR007"]
    assert scr('/system script add name=s source=":return 1"\n') == []  # may be [:parse]d
    assert scr(":global f do={ :return 1 }\n") == []


def test_break_and_continue_need_a_loop():
    assert scr(":foreach i in={1;2} do={ :if ($i = 2) do={ :break } }\n") == []
    assert scr(":while (true) do={ :continue }\n") == []
    assert scr(":do { :break } while=(true)\n") == []
    assert [d.code for d in scr(":if (true) do={ :continue }\n")] == ["SCR008"]
    d = only(":foreach i in={1} do={ :local f do={ :break }; $f }\n", "SCR008")
    assert any("defined inside a loop" in n for n in d.notes)
    # leaving a `:do { } on-error={}` through the error the stray `break` raises
    # is a known idiom (Queritt's Telegram script): not reported
    assert scr(":do { :if (true) do={ break }; :put 1 } on-error={}\n") == []


# --------------------------------------------------------------------------- SCR009 / SCR010


def test_trailing_comment_after_a_command():
    text = "/ip address add address=10.0.0.1/24 interface=ether1 # the uplink\n"
    d = only(text, "SCR009")
    assert pointed(text, d) == "# the uplink"
    assert scr(":global a; # comment after a semicolon\n") == []
    assert scr(":local tag #todo\n:put $tag\n") == []  # a lone #word can be a value
    assert [d.code for d in scr("/ip address add address=10.0.0.1/24 interface=ether1 #uplink\n")] == ["SCR009"]


def test_comment_ending_in_backslash():
    assert [d.code for d in scr("# a note \\\n    /ip address print\n")] == ["SCR010"]
    assert scr("# a note \\\n# more\n/ip address print\n") == []
    assert scr("# a note \\\n/ip address print\n") == []  # not indented: not a continuation


def test_spaces_around_equals():
    # the manual's incorrect examples (Scripting: Whitespace between tokens)
    text = ":for i from = 1 to = 2 do = { :put $i }\n"
    d = findings(text, "SCR017")
    assert [pointed(text, x) for x in d] == ["from = 1"]
    assert [d.code for d in scr("/ip route add gateway = 3.3.3.3\n")] == ["SCR017"]
    assert scr(":for i from= 1 to= 2 do={ :put $i }\n") == []
    assert scr(':put ("a" = "b")\n') == []  # inside an expression `=` compares


# --------------------------------------------------------------------------- SCR011


def test_unescaped_dollar_in_a_stored_script():
    text = '/system script add name=s source=":log info $msg"\n'
    d = only(text, "SCR011")
    assert pointed(text, d) == "$msg"
    assert d.fix == "write `\\$msg`"
    # escaped: the stored script reads it (and may be called with msg=)
    assert scr('/system script add name=s source=":log info \\$msg"\n') == []
    # declared in the importing script: substituted on purpose
    assert scr('{\n  :local msg "hi"\n  /system script add name=s source=":log info $msg"\n}\n') == []


def test_unescaped_dollar_inside_a_hook_that_stores_a_scheduler():
    # the on-login script substitutes $user (a HotSpot variable) into the job
    text = '/ip hotspot user profile add name=p on-login="/system scheduler add name=\\$user on-event=\\"/ip hotspot user remove \\\\\\"\\$user\\\\\\"\\""\n'
    assert scr(text) == []


# --------------------------------------------------------------------------- SCR012 / SCR013 / SCR014


def test_argument_with_the_name_of_a_declared_global():
    # the manual's example (Scripting: Functions)
    text = ':global my2 "123"\n:global myFunc do={ :global my2; :put $my2; :set my2 "lala"; :put $my2 }\n$myFunc my2=1234\n'
    d = only(text, "SCR012")
    assert pointed(text, d) == "my2=1234"


def test_argument_never_read():
    text = ':global notify do={ :log warning $message }\n$notify mesage="down"\n'
    d = only(text, "SCR013")
    assert pointed(text, d) == "mesage" and "did you mean `message=`?" in d.message
    # bare names and strings are reads too
    assert scr(':global f do={ :return (a && b) }\n:put [$f a=true b=false]\n') == []
    assert scr(':global f do={ :return "$a" }\n:put [$f a=1]\n') == []
    # a function made with [:parse] cannot be read: not checked
    assert scr(':global f [:parse ":put 1"]\n$f a=1\n') == []


def test_variable_named_like_a_property_in_a_query():
    # the manual's example (Scripting: Reserved variable names)
    text = '{\n:local type "ether1";\n/interface print where name=$type;\n}\n'
    d = only(text, "SCR014")
    assert pointed(text, d) == "$type"
    assert scr('{\n:local customname "ether1";\n/interface print where name=$customname;\n}\n') == []
    # outside a query the name is the variable
    assert scr('{\n:local comment "x";\n/ip address add address=10.0.0.1/24 interface=ether1 comment=$comment\n}\n') == []


# --------------------------------------------------------------------------- SCR015 / SCR016


def test_invalid_names_and_keywords():
    d = only(":local my-var 1\n:put $\"my-var\"\n", "SCR015")
    assert "`$my-var` reads `$my` followed by `-var`" in d.message
    assert scr(':local "my-var" 1\n:put $"my-var"\n') == []
    assert [d.code for d in scr(":local in 1\n:put $in\n")] == ["SCR016"]


# --------------------------------------------------------------------------- colon-less and odd forms


def test_colon_less_scripting_commands():
    text = "{\n  local a 1\n  if ($a = 1) do={ local b 2; put $b }\n  put $b\n}\n"
    assert [(d.code, d.span.line) for d in scr(text)] == [("SCR003", 4)]


def test_set_targets_that_are_elements_or_variables():
    assert scr(':local a [:toarray ""]\n:set ($a->"x") 1\n') == []
    assert scr(":local n 0\n:set $n ($n + 1)\n:put $n\n") == []


def test_function_set_with_set_do():
    # `:set name do={...}` and `:set ($arr->key) do={...}` define functions
    text = ':global plugins [:toarray ""]\n:set ($plugins->"p") do={ :put $arg }\n'
    assert scr(text) == []


def test_bad_input_never_breaks_the_analysis():
    for text in ['$', ':local', ':set', ':foreach', ':local "a', '"$[', '"$(', ":onerror", "/system script add source=\"$[\"",
                 ':global f do={', ":for i from=1 to=2 do=", ":do", "{ :local a 1 }}", ":set ($a->", '"$[:put \\"x]"']:
        lint_bytes(text.encode(), "t.rsc")


# --------------------------------------------------------------------------- commands inside scripts


def test_commands_inside_scripts_are_checked_where_they_are_written():
    # the vocabulary checks see the commands of stored scripts, with their
    # place in the file (the parser maps embedded scripts back)
    text = ('/system script add name=s source=":if (true) do={ /ip adress print }"\n'
            '/system scheduler add name=j on-event={ /ip firewall filter add chain=input actoin=drop }\n')
    found = {d.code: pointed(text, d) for d in diags(text)}
    assert found == {"VOC001": "/ip adress", "VOC002": "actoin"}


def test_the_analysis_lists_the_commands_stored_scripts_run():
    from rosc.model.scripts import analyze
    from rosc.syntax.parser import parse_text

    text = ('/ip address add address=10.0.0.1/24 interface=ether1\n'
            '/system script add name=s source="/ip address add address=10.0.1.1/24 interface=ether2"\n'
            ':global f do={ /ip route add gateway=10.0.0.254 }\n')
    result = parse_text(text)
    stored = [(cmd.menu_path, unit.kind) for cmd, unit in analyze(result.script, result.source).stored_commands()]
    assert stored == [("/ip address", "script"), ("/ip route", "function")]


# --------------------------------------------------------------------------- the corpus

# Findings on the real-world corpus, each read and confirmed: file, line,
# rule -> why it is true.
EXPECTED = {
    # scripts of the BlackVS collection
    ("BlackVS__Mikrotik-scripts/functions__examples__examples.ftp.txt.rsc", 4, "SCR005"): "ftpport is set and never passed to the ftp function",
    ("BlackVS__Mikrotik-scripts/functions__func_getminbykey__func_getminbykey.rsc", 13, "SCR005"): "res declared, only resTime is used",
    ("BlackVS__Mikrotik-scripts/scripts__Multi VPN-channels switcher (failover)__VPN_switcher.rsc", 153, "SCR003"):
        "`:return $fOk` after the :for loop whose body declared fOk: the failure path returns nothing",
    ("BlackVS__Mikrotik-scripts/scripts__OpenVPN - certificates__certs.rsc", 68, "SCR005"): "ALT read from the config, never used in this script",
    ("BlackVS__Mikrotik-scripts/scripts__OpenVPN - certificates__certs.rsc", 114, "SCR005"): "same, in the next script",
    ("BlackVS__Mikrotik-scripts/scripts__Telegram bot for Mikrotik__telegram_v1.rsc", 34, "SCR005"): "send is parsed, tg_getUpdates never calls it",
    ("BlackVS__Mikrotik-scripts/scripts__Telegram bot for Mikrotik__telegram_v1.rsc", 264, "SCR005"): "file is never read in tg_sendMessage",
    ("BlackVS__Mikrotik-scripts/scripts__Telegram bot for Mikrotik__telegram_v1.rsc", 265, "SCR005"): "logfile is never read in tg_sendMessage",
    ("BlackVS__Mikrotik-scripts/scripts__backup system__backuping-system_v1.4_ROS_6.rsc", 298, "SCR005"): "ftpport read from the config, never used",
    ("BlackVS__Mikrotik-scripts/scripts__backup system__backuping-system_v1.5_ROS_7.rsc", 294, "SCR005"): "ftpport read from the config, never used",
    ("Pancho-uy__MK/TIEMPO CORRIDO QUINCE MINUTOS.rsc", 27, "SCR005"): "temp5 is built and never used",
    # Queritt's collection
    ("Queritt__routeros-scripts/Config__ConfigExport.rsc", 27, "SCR001"):
        "`$sysname` for `sysName`: the old exports it means to delete are never found",
    ("Queritt__routeros-scripts/Log.rsc", 131, "SCR016"): "`:local in $1`: `in` is a keyword the manual forbids as a name",
    ("Queritt__routeros-scripts/PPP__PPPFailover-7.rsc", 186, "SCR005"): "renewCheck is computed and never used",
    **{("Queritt__routeros-scripts/StatusReport__HealthLog.rsc", line, "SCR003"): "tempC/volt declared inside the :if, read after it: the report never shows them"
       for line in (34, 35, 58, 62, 63, 64)},
    # cameronm77
    ("cameronm77__mikrotik/scripts__system-scripts.rsc", 14, "SCR005"): "userinside computed, never used in this script",
    ("cameronm77__mikrotik/scripts__system-scripts.rsc", 18, "SCR005"): "intinside computed, never used",
    ("cameronm77__mikrotik/scripts__system-scripts.rsc", 44, "SCR005"): "intinside computed, never used",
    # cheretbe
    ("cheretbe__mikrotik-scripts/cloudflare_dns__cloudflare_dns_check.rsc", 58, "SCR005"): "only read by a commented-out line",
    ("cheretbe__mikrotik-scripts/cloudflare_dns__cloudflare_dns_check.rsc", 78, "SCR013"): "callCFAPI's only $LogDebugMsg call is commented out",
    ("cheretbe__mikrotik-scripts/cloudflare_dns__cloudflare_dns_check.rsc", 89, "SCR013"): "same call, second site",
    # defjoy9
    **{(f"defjoy9__netmanager/{name}", line, "SCR005"): "tmpEx/tmpBc only read by commented-out file removals"
       for name, lines in (("backups__configExport-test-cyfrowe-7.15-2024-06-19-12-09-40.rsc", (70, 71)),
                           ("backups__configexport.rsc", (67, 68)),
                           ("configExport-test-cyfrowe-7.15-2024-07-02-11-09-38.rsc", (70, 71)),
                           ("rsc__exportbackup.rsc", (64, 65)))
       for line in lines},
    ("defjoy9__netmanager/backups__configExport-test-cyfrowe-7.15-2024-06-19-12-09-40.rsc", 154, "SCR001"):
        "`$filenameBackup` for `fileNameBackup`: the backup is saved with an empty name",
    # edmarlozada
    ("edmarlozada__mikrotik-hotspot-ezsetup/hotspot_rsc__1_default_isp.rsc", 6, "SCR005"): "cfg is loaded and never used",
    ("edmarlozada__mikrotik-hotspot-ezsetup/hotspot_rsc__2_default_advance.rsc", 9, "SCR005"): "iBrName only read by commented-out lines",
    ("edmarlozada__mikrotik-hotspot-ezsetup/hotspot_rsc__4_hotspot_advance.rsc", 9, "SCR005"): "iBrName only read by commented-out lines",
    ("edmarlozada__mikrotik-hotspot-ezsetup/hotspot_rsc__6_hotspot_ether2.rsc", 9, "SCR005"): "iBrNote is never used",
    # eworm-de
    ("eworm-de__routeros-scripts/check-health.d__temperature.rsc", 33, "SCR005"):
        "TempToNum is defined here and never called (the voltage plugin calls it without defining it)",
    ("eworm-de__routeros-scripts/dhcp-lease-comment.template.rsc", 33, "SCR005"):
        "template: three alternative :local AccessList lines; as written the first two are overwritten unread",
    ("eworm-de__routeros-scripts/dhcp-lease-comment.template.rsc", 34, "SCR005"): "same template line",
    ("eworm-de__routeros-scripts/global-functions.rsc", 634, "SCR005"): "`:local Spaces;` declared again at 641 before any read",
    ("eworm-de__routeros-scripts/global-functions.rsc", 1007, "SCR004"):
        "MkTmpfs declares LogPrint and WaitForFile but not RmDir, then calls $RmDir: inside a function that is its empty argument",
    ("eworm-de__routeros-scripts/global-functions.rsc", 1316, "SCR005"): "CommitIdBefore is never read",
    # facubertran
    ("facubertran__mikrotik_hadening/filter-input.rsc", 299, "SCR001"): "`$mndpic`: the globals are mndpii/mndpie/mndpiec",
    ("facubertran__mikrotik_hadening/filter-input.rsc", 332, "SCR001"): "`$smbic`: the globals are smbii/smbie/smbiec",
    # gbudny93
    **{("gbudny93__RouterOS_Useful_Scripts/RouterOS_Auto_Software_Upgrade.rsc", 45, "SCR013"):
       "userName=, password=, packagePath= are passed, the function never reads them"},
    ("gbudny93__RouterOS_Useful_Scripts/RouterOS_File_Screening.rsc", 9, "SCR005"): "systemName is never used",
    ("gbudny93__RouterOS_Useful_Scripts/RouterOS_Log_Filtering.rsc", 11, "SCR005"): "topics is never used",
    ("gbudny93__RouterOS_Useful_Scripts/RouterOS_Log_To_Alert.rsc", 13, "SCR005"): "alarmText is set and never read",
    ("gbudny93__RouterOS_Useful_Scripts/RouterOS_Substring_Variable.rsc", 25, "SCR001"):
        "the function is defined as `Subtring` and called as `$Substring`",
    ("gbudny93__RouterOS_Useful_Scripts/RouterOS_System_Status.rsc", 19, "SCR005"): "architectureName is never used",
    # koa
    ("koa__CAPsMAN-election/config-7.rsc", 63, "SCR005"): "myWlanIp is computed and never used",
    ("koa__CAPsMAN-election/config-7.rsc", 196, "SCR005"): "hasClient is set and never read",
    ("koa__CAPsMAN-election/config.rsc", 68, "SCR005"): "myWlanIp is computed and never used",
    ("koa__CAPsMAN-election/import-keys.rsc", 30, "SCR014"):
        "`/user ssh-keys find key-owner=$user`: `$user` reads each key's own user property, so every key matches",
    # luminosita
    **{("luminosita__snapshot-hetzner-mikrotik/mikrotik-office-box__rsc__staticdns.txt.rsc", line, "SCR005"):
       "address variables declared for DNS entries that are never added" for line in (2, 4, 5)},
    # pothi
    ("pothi__mikrotik-scripts/ap-scripts__wifi-button.rsc", 5, "SCR005"): "`:local i`: the loops declare their own i",
    ("pothi__mikrotik-scripts/ap-scripts__wifi-enable.rsc", 23, "SCR005"): "`:local wlan`: the :foreach declares its own wlan",
    ("pothi__mikrotik-scripts/default-conf-v7.6.rsc", 3, "SCR009"):
        "a `print` of the default configuration, not a script: `script: #| Welcome...` reads the #| text as arguments",
    ("pothi__mikrotik-scripts/tik-forum-users__wan-monitor.rsc", 20, "SCR005"): "STORAGE is never used",
    ("pothi__mikrotik-scripts/tik-forum-users__wan-monitor.rsc", 31, "SCR005"): "`:local Runtime 0`: the :for declares its own Runtime",
    # specnaz74
    ("specnaz74__mikrotik/dualwan_v1.rsc", 97, "SCR005"): "DELAY only read by commented-out :delay lines",
    ("specnaz74__mikrotik/dualwan_v1.rsc", 98, "SCR005"): "i is never used",
    # found once the parser reads `(:cmd ...)` in expressions (until then
    # these files have syntax errors, and their scripts are not judged)
    ("Queritt__routeros-scripts/Telegram__TLGRM.rsc", 89, "SCR016"): "`:local in $1`: `in` is a keyword",
    ("Queritt__routeros-scripts/Telegram__TLGRM.rsc", 392, "SCR016"): "`:local in $1`: `in` is a keyword",
    ("Queritt__routeros-scripts/Telegram__TLGRM.rsc", 359, "SCR005"): "`:local command []`: the :foreach declares its own command",
    ("Queritt__routeros-scripts/Telegram__TLGRM.rsc", 360, "SCR005"): "`:local end []` declared again at line 372 before any read",
    ("Queritt__routeros-scripts/Telegram__TLGRM.rsc", 446, "SCR005"): "count is never used",
    ("cheretbe__mikrotik-scripts/cloudflare_dns__cloudflare_dns_check.rsc", 16, "SCR005"):
        "LogWarningMsg is defined and never called in this script (the failover script calls its own copy)",
}

FILES = corpus_files()
SCRIPT_RULES = Config(select=["script"])


@pytest.mark.skipif(not FILES, reason=f"corpus not present at {CORPUS}")
def test_script_checks_on_the_corpus_find_only_confirmed_mistakes():
    found = {}
    unreadable = set()  # files the parser cannot fully read: their scripts are not judged
    for path in FILES:
        rel = str(path.relative_to(CORPUS))
        parsed = parse_bytes(path.read_bytes(), rel)
        if parsed.has_errors:
            unreadable.add(rel)
        for d in lint_parsed(parsed, SCRIPT_RULES).diagnostics:
            found.setdefault((rel, d.span.line, d.code), d.message)
    unexpected = {k: v for k, v in found.items() if k not in EXPECTED}
    missing = [k for k in EXPECTED if k not in found and k[0] not in unreadable]
    assert unexpected == {}
    assert missing == []
