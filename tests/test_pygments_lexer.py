"""Tests for the Pygments lexer (rosc.pygments_lexer.RouterOSLexer)."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments import highlight
from pygments.formatters import TerminalFormatter
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
)

from rosc.pygments_lexer import RouterOSLexer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").rglob("*.rsc"))
CORPUS_DIR = Path("/work/shared/corpus/public")
CORPUS = sorted(CORPUS_DIR.rglob("*.rsc")) if CORPUS_DIR.is_dir() else []


def lex(text: str) -> list[tuple[object, str]]:
    return list(RouterOSLexer().get_tokens(text))


def assert_lossless(text: str) -> list[tuple[object, str]]:
    tokens = lex(text)
    assert "".join(v for _, v in tokens) == text
    return tokens


def types_of(tokens, value: str) -> list[object]:
    return [t for t, v in tokens if v == value]


def has(tokens, value: str, ttype) -> bool:
    return any(t in ttype for t in types_of(tokens, value))


# -- discovery --------------------------------------------------------------


@pytest.mark.parametrize("alias", ["routeros", "rsc", "mikrotik"])
def test_found_by_alias(alias):
    assert isinstance(get_lexer_by_name(alias), RouterOSLexer)


def test_found_by_filename():
    assert isinstance(get_lexer_for_filename("x.rsc"), RouterOSLexer)


def test_entry_point_declared():
    eps = importlib.metadata.entry_points(group="pygments.lexers")
    assert any(ep.value == "rosc.pygments_lexer:RouterOSLexer" for ep in eps)


def test_attributes():
    assert RouterOSLexer.name == "RouterOS"
    assert RouterOSLexer.filenames == ["*.rsc"]
    assert RouterOSLexer.mimetypes == ["text/x-routeros"]
    lexer = RouterOSLexer()
    assert lexer.ensurenl is False and lexer.stripnl is False


# -- real files -------------------------------------------------------------


def _check_file(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="surrogateescape")
    tokens = assert_lossless(text)
    errors = [(t, v) for t, v in tokens if t in Error]
    assert not errors, f"{path}: {errors[:5]}"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_samples_lossless_without_errors(path):
    _check_file(path)


@pytest.mark.skipif(not CORPUS, reason="shared corpus absent")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(CORPUS_DIR)))
def test_corpus_lossless_without_errors(path):
    _check_file(path)


def test_samples_present():
    assert any(p.name == "mtr1.rsc" for p in SAMPLES)


# -- snippets ---------------------------------------------------------------


def test_only_real_export_headers_are_special():
    toks = assert_lossless("# jan/02/1970 00:01:23 by RouterOS 6.48.6\n# written by RouterOS fans\n")
    assert types_of(toks, "# jan/02/1970 00:01:23 by RouterOS 6.48.6") == [Comment.Special]
    assert types_of(toks, "# written by RouterOS fans") == [Comment.Single]


def test_item_ids_onerror_and_unquoted_escape():
    toks = assert_lossless(
        "/ip route set *1A disabled=yes\n"
        ":onerror e in={ :error \"x\" } do={ :put $e }\n"
        "/interface set [find .id=*3] name=a\\_b\n"
    )
    assert has(toks, "*1A", Number)
    assert has(toks, "*3", Number)
    assert has(toks, ".id", Name.Attribute)
    assert has(toks, "e", Name.Variable)
    assert has(toks, "\\_", String.Escape)


def test_export_header_and_comment():
    toks = assert_lossless("# 2024-01-01 12:00:00 by RouterOS 7.16\n# software id = AB-12\n# plain\n")
    assert has(toks, "# 2024-01-01 12:00:00 by RouterOS 7.16", Comment)
    assert has(toks, "# software id = AB-12", Comment)
    assert has(toks, "# plain", Comment)


def test_menu_path_command_and_keys():
    toks = assert_lossless("/ip firewall filter add chain=input action=drop disabled=yes\n")
    assert has(toks, "ip", Name.Namespace)
    assert has(toks, "filter", Name.Namespace)
    assert has(toks, "add", Keyword)
    assert has(toks, "chain", Name.Attribute)
    assert has(toks, "=", Operator)
    assert has(toks, "input", String)
    assert has(toks, "yes", Keyword.Constant)


def test_slash_path_v7():
    toks = assert_lossless("/ip/address/add address=1.2.3.4/24 interface=ether1\n")
    assert has(toks, "address", Name.Namespace)
    assert has(toks, "add", Keyword)
    assert has(toks, "1.2.3.4/24", Number)


def test_menu_then_commands():
    src = "/interface ethernet\nset [ find default-name=ether1 ] name=wan\nset 0 disabled=no\nremove [find where comment~\"x\"]\n"
    toks = assert_lossless(src)
    assert has(toks, "set", Keyword)
    assert has(toks, "find", Keyword)
    assert has(toks, "[", Punctuation)
    assert has(toks, "]", Punctuation)
    assert has(toks, "default-name", Name.Attribute)
    assert has(toks, "0", Number)
    assert has(toks, "where", Operator.Word)
    assert has(toks, "comment", Name.Attribute)
    assert has(toks, "~", Operator)


def test_string_escapes_and_interpolation():
    src = r':put "a\"b\\c\n\r\t\$\?\_\a\b\f\v\4F $x $"v-1" end"' + "\n"
    toks = assert_lossless(src)
    for esc in ['\\"', "\\\\", "\\n", "\\r", "\\t", "\\$", "\\?", "\\_", "\\a", "\\b", "\\f", "\\v", "\\4F"]:
        assert has(toks, esc, String.Escape), esc
    assert has(toks, "$x", String.Interpol)
    assert has(toks, ":put", Keyword)


def test_string_command_substitution():
    toks = assert_lossless(':put "n=$[:len $a] m=$($x + 1)"\n')
    assert has(toks, "$[", String.Interpol)
    assert has(toks, ":len", Keyword)
    assert has(toks, "$a", Name.Variable)


def test_export_wrapped_string():
    src = '/system script\nadd name=s source="/ip\\r\\\n    \\naddress print\\r\\\n    \\n:put \\"\\$x\\""\n'
    toks = assert_lossless(src)
    assert has(toks, "\\\n    ", String.Escape)
    assert has(toks, "\\r", String.Escape)
    assert has(toks, "source", Name.Attribute)
    # the line after the wrapped string is back at command position
    toks = assert_lossless(src + "add name=t\n")
    assert types_of(toks, "add")[-1] in Keyword


def test_variables():
    toks = assert_lossless(':local x 5\n:global "my-var"\n:put ($x . $"my-var")\n:set x ($x + 1)\n')
    assert has(toks, ":local", Keyword)
    assert has(toks, "x", Name.Variable)
    assert has(toks, '"my-var"', Name.Variable)
    assert has(toks, "$x", Name.Variable)
    assert has(toks, '$"my-var"', Name.Variable)
    assert has(toks, "+", Operator)
    assert has(toks, "(", Punctuation)
    assert has(toks, "5", Number)


def test_control_flow():
    src = (
        ":if ($x > 3) do={ :put \"big\" } else={ :put \"small\" }\n"
        ":foreach i in=[/interface find] do={ :log info [/interface get $i name] }\n"
        ":for i from=1 to=10 step=2 do={ :delay 1s }\n"
        ":while (true) do={ :return 1 }\n"
        ":do { :error \"x\" } on-error={ :put [:tostr $e] }\n"
    )
    toks = assert_lossless(src)
    for kw in [":if", ":foreach", ":for", ":while", ":do", ":put", ":log", ":delay", ":return", ":error", ":tostr"]:
        assert has(toks, kw, Keyword), kw
    assert has(toks, "do", Name.Attribute)
    assert has(toks, "else", Name.Attribute)
    assert has(toks, "{", Punctuation)
    assert has(toks, "}", Punctuation)
    assert has(toks, "i", Name.Variable)
    assert has(toks, "interface", Name.Namespace)
    assert has(toks, "1s", Literal)
    assert has(toks, "true", Keyword.Constant)


def test_arrays():
    toks = assert_lossless(':local a {1;2;3}\n:local m {"k"=v; b=2}\n:put ($m->"k")\n')
    assert has(toks, "1", Number)
    assert has(toks, ";", Punctuation)
    assert has(toks, "->", Operator)
    assert has(toks, "b", Name.Attribute)


@pytest.mark.parametrize(
    "value, ttype",
    [
        ("192.168.1.1", Number),
        ("10.0.0.0/8", Number),
        ("192.168.0.0/255.255.0.0", Number),
        ("2001:db8::1", Number),
        ("fe80::/64", Number),
        ("::", Number),
        ("00:11:22:AA:bb:CC", Number),
        ("42", Number),
        ("0x1F", Number),
        ("25s", Literal),
        ("1d2h3m", Literal),
        ("00:05:00", Literal),
        ("150ms", Literal),
        ("no", Keyword.Constant),
        ("false", Keyword.Constant),
        ("ether1", String),
        ("6to4", String),
        ("jan/01/2024", Literal),
    ],
)
def test_value_classes(value, ttype):
    toks = assert_lossless(f"set x={value}\n")
    assert has(toks, value, ttype), toks


def test_ranges_lists_negation():
    toks = assert_lossless("add ranges=192.168.1.200-192.168.1.254 dst-port=80,443,8000-9000 src-address=!10.0.0.0/8\n")
    assert has(toks, "192.168.1.200", Number)
    assert has(toks, "192.168.1.254", Number)
    assert has(toks, "-", Operator)
    assert has(toks, ",", Punctuation)
    assert has(toks, "!", Operator)
    assert has(toks, "8000", Number)


def test_line_continuation_with_trailing_space():
    src = "add a=1 \\ \n    b=2 \\\n    c=3\nadd d=4\n"
    toks = assert_lossless(src)
    assert has(toks, "b", Name.Attribute)
    assert has(toks, "c", Name.Attribute)
    assert types_of(toks, "\\") and all(t in Punctuation for t in types_of(toks, "\\"))
    assert has(toks, "add", Keyword)


def test_mtr1_trailing_backslash_space():
    text = (ROOT / "samples/article/mtr1.rsc").read_text()
    assert "\\ \n" in text
    toks = assert_lossless(text)
    assert has(toks, "public-key", Name.Attribute)
    assert has(toks, "persistent-keepalive", Name.Attribute)


def test_crlf_kept():
    src = "/ip address\r\nadd address=1.1.1.1/32 \\\r\n    interface=lo\r\n:put \"a\\\r\n   b\"\r\n"
    toks = assert_lossless(src)
    assert has(toks, "interface", Name.Attribute)
    assert has(toks, "add", Keyword)
    assert not [t for t, _ in toks if t in Error]


def test_no_final_newline_and_bom():
    assert_lossless("\ufeff/ip address print")
    assert_lossless("/ip address print")


@pytest.mark.parametrize(
    "src",
    [
        '"unterminated',
        ':put "abc\\',
        "\\",
        "$",
        '$"',
        "{{{[[[(((",
        "]]]}}})))",
        "add a=\x00b\n",
        ':put "$[',
        ':put "$(',
        "#",
        "/",
        "..",
        "\r",
        "=",
        "a=",
        "\\\r\n",
    ],
)
def test_garbage_round_trips(src):
    assert_lossless(src)


# -- property test ----------------------------------------------------------

_ALPHABET = st.sampled_from(
    list('"\\$[]{}();=~!,.-/:#\r\n\t \x00') + list("abcxyz019AF") + ["\u00e9", "\ufeff", "\u2028"]
)
_PIECES = st.sampled_from(
    [
        "/ip address ", "add ", "set ", ":local ", ":if ", "do={", "}", "[find ", "]",
        '"', '\\"', "\\\n    ", "\\ \r\n", "$x", '$"a-b"', "1.2.3.4/24", "fe80::1",
        "00:05:00", "1d2h", "yes", "# c\n", "\r\n", "\n", "key=", "(", ")", "$[", "$(",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_ALPHABET, _PIECES), max_size=60).map("".join))
def test_arbitrary_text_round_trips(text):
    tokens = assert_lossless(text)
    # every state ends in a catch-all rule, so not even garbage yields Error
    assert not [t for t, _ in tokens if t in Error]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_round_trips(text):
    tokens = assert_lossless(text)
    assert not [t for t, _ in tokens if t in Error]


# -- pygmentize -------------------------------------------------------------


def test_terminal_formatter_colors_sample():
    text = (ROOT / "samples/article/mtr1.rsc").read_text()
    out = highlight(text, RouterOSLexer(), TerminalFormatter())
    assert "\x1b[" in out


def test_pygmentize_cli():
    exe = shutil.which("pygmentize", path=str(Path(sys.executable).parent)) or shutil.which("pygmentize")
    if exe is None:
        pytest.skip("pygmentize not installed")
    res = subprocess.run(
        [exe, "-l", "routeros", "-f", "terminal", str(ROOT / "samples/article/mtr1.rsc")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "\x1b[" in res.stdout
    assert "Error" not in res.stderr
