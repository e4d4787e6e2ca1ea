"""Property: generated scripts survive parse → fmt → parse, and fmt is idempotent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rosc.syntax import strings
from rosc.format.equivalence import signature
from rosc.format.formatter import format_text
from rosc.syntax.parser import parse_text

MENUS = ["/ip address", "/ip firewall filter", "/interface bridge port", "/ip route", "/system identity", "/zzz unknown"]
KEYS = ["address", "interface", "comment", "chain", "action", "dst-address", "disabled", "name", "gateway", "x-y.z"]

words = st.one_of(
    st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
    st.from_regex(r"!?(25[0-5]|1?[0-9]?[0-9])(\.(25[0-5]|1?[0-9]?[0-9])){3}(/[0-9]{1,2})?", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}[smhdw]([0-9]{1,2}[smh])?", fullmatch=True),
    st.from_regex(r"[a-z0-9]{1,5}(,[a-z0-9]{1,5}){1,3}", fullmatch=True),
    st.sampled_from(["yes", "no", "2001:db8::/32", "AA:BB:CC:DD:EE:FF", "00:05:00", "*1A"]),
)
# Any text, including quotes, backslashes, `$`, control characters and
# non-ASCII, written as a RouterOS string literal.
quoted = st.text(min_size=0, max_size=40).map(strings.quote)
values = st.one_of(words, quoted)


@st.composite
def menu_command(draw) -> str:
    verb = draw(st.sampled_from(["add", "set", "remove", "print"]))
    parts = [verb]
    if verb in ("set", "remove"):
        parts.append(draw(st.sampled_from(["0", "[ find ]", "[ find name=x ]", '[find where comment~"a"]'])))
    for _ in range(draw(st.integers(0, 6))):
        parts.append(f"{draw(st.sampled_from(KEYS))}={draw(values)}")
    sep = draw(st.sampled_from([" ", " \\\n    "]))
    return sep.join(parts)


@st.composite
def script_command(draw) -> str:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return f":local v{draw(st.integers(0, 9))} {draw(values)}"
    if kind == 1:
        return f':if ($v > {draw(st.integers(0, 99))}) do={{ :put {draw(quoted)} }} else={{ :log info "x" }}'
    if kind == 2:
        return ":foreach i in=[ find ] do={\n    :put $i\n}"
    if kind == 3:
        return f":local a {{{draw(st.integers(0, 9))};{draw(words)};\"k\"={draw(values)}}}"
    return f"/system script add name=s source={strings.quote(':put ' + draw(quoted))}"


@st.composite
def scripts(draw) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 12))):
        choice = draw(st.integers(0, 5))
        if choice == 0:
            lines.append(draw(st.sampled_from(MENUS)))
        elif choice == 1:
            lines.append("# " + draw(st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=30)))
        elif choice == 2:
            lines.append("")
        elif choice == 3:
            lines.append(draw(script_command()))
        elif choice == 4:
            lines.append(f"{draw(st.sampled_from(MENUS))} {draw(menu_command())}")
        else:
            lines.append(draw(menu_command()))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    return end.join(lines) + (end if lines else "")


@settings(max_examples=int(__import__("os").environ.get("ROSC_HYPOTHESIS_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_generated_scripts_round_trip(text):
    first = parse_text(text)
    assert not first.has_errors, [d.message for d in first.diagnostics]
    result = format_text(text)
    assert result.output is not None, [d.message for d in result.diagnostics]
    again = parse_text(result.output)
    assert not again.has_errors
    assert signature(again.script) == signature(first.script)
    assert format_text(result.output).output == result.output


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_diagnostics_not_exceptions(data):
    from rosc.format.formatter import format_bytes
    from rosc.syntax.parser import parse_bytes

    result = parse_bytes(data, "fuzz.rsc")
    for d in result.diagnostics:
        assert d.span.line >= 1 and d.span.column >= 1
    formatted = format_bytes(data, "fuzz.rsc")
    if formatted.output is not None:
        assert format_text(formatted.output).output == formatted.output


# Every escape RouterOS has, hex in both cases, and the characters around
# them that are easy to get wrong: quotes, `$`, white space, non-ASCII.
ESCAPES = ['\\"', "\\\\", "\\n", "\\r", "\\t", "\\$", "\\?", "\\_", "\\a", "\\b", "\\f", "\\v"]
string_pieces = st.one_of(
    st.sampled_from(ESCAPES),
    st.from_regex(r"\\[0-9A-F]{2}", fullmatch=True),
    st.from_regex(r"\\[0-9a-f]{2}", fullmatch=True),
    st.text(alphabet=st.characters(blacklist_characters='"\\$\r\n', blacklist_categories=("Cs",)), min_size=1, max_size=12),
    st.sampled_from([" ", "  ", "$name", "$", "\u00e9", "\u0416", "C:", "#"]),
)
string_bodies = st.lists(string_pieces, max_size=40).map("".join)


def _literals(script) -> list[str]:
    from rosc.syntax.tree import String, walk

    return [strings.spelling(n.raw) for n in walk(script) if type(n) is String]


@settings(max_examples=int(__import__("os").environ.get("ROSC_HYPOTHESIS_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(string_bodies, st.sampled_from(["comment", "name", "note"]), st.integers(0, 3))
def test_every_escape_survives_fmt_byte_for_byte(body, key, where):
    literal = f'"{body}"'
    text = [
        f"/system note\nset note={literal} show-at-login=no\n",
        f"/ip address\nadd address=10.0.0.1/24 {key}={literal} interface=ether1\n",
        f":local s {literal}\n:put ($s . {literal})\n",
        f":global a {{{literal};\"k\"={literal}}}\n",
    ][where]
    first = parse_text(text)
    assert not first.has_errors, [d.message for d in first.diagnostics]
    result = format_text(text)
    assert result.output is not None, [d.message for d in result.diagnostics]
    again = parse_text(result.output)
    before = _literals(first.script)
    after = _literals(again.script)
    if where < 2 and strings.bare_spelling(literal) is not None:
        assert after == []  # a setting that needs no quotes loses them, nothing else
        assert f"={body}" in result.output
    else:
        assert after == before == [literal] * len(before)
    assert format_text(result.output).output == result.output
