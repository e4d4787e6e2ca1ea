"""Syntax quirks: the same parameter twice in one command (SYN012)."""

from __future__ import annotations

import pytest

from conftest import ARTICLE
from rosc.lint.engine import lint_bytes


def dups(text: str):
    return [d for d in lint_bytes(text.encode(), "t.rsc").diagnostics if d.code == "SYN012"]


def test_duplicate_key_in_add():
    text = "/ip address\nadd address=192.168.88.1/24 interface=ether2 address=192.168.89.1/24\n"
    [d] = dups(text)
    assert d.message.startswith("`address` is given twice in this command")
    assert "rosc assumes the last one, at line 2 column 46" in d.message
    assert text[d.span.offset : d.span.end] == "address=192.168.88.1/24"  # the value that is lost
    assert d.severity.label == "warning"


def test_three_times_reports_the_first_two():
    text = "/system identity set name=a name=b name=c\n"
    found = dups(text)
    assert [text[d.span.offset : d.span.end] for d in found] == ["name=a", "name=b"]


def test_the_model_keeps_the_last_value():
    result = lint_bytes(b"/system identity set name=a name=b\n", "t.rsc")
    assert result.device.identity == "b"


def test_different_keys_are_fine():
    assert dups("/ip address add address=10.0.0.1/24 interface=ether1 comment=x\n") == []


@pytest.mark.parametrize(
    "text",
    [
        ":foreach i in=[/ip address find where interface=ether1 or interface=ether2] do={ :put $i }\n",
        "/ip route print where dst-address=0.0.0.0/0 or dst-address=10.0.0.0/8\n",
        "/ip firewall filter remove [ find where chain=input or chain=forward ]\n",
        ":local a {x=1; x=2}\n",
    ],
)
def test_conditions_and_script_commands_are_not_reported(text):
    assert dups(text) == []


def test_nested_and_embedded_commands_are_checked():
    text = (
        ":if (true) do={ /ip address set [ find interface=ether1 ] comment=a comment=b }\n"
        '/system scheduler add interval=1d name=s on-event="/ip route add gateway=1.1.1.1 gateway=2.2.2.2"\n'
    )
    found = dups(text)
    assert [text[d.span.offset : d.span.end] for d in found] == ["comment=a", "gateway=1.1.1.1"]


def test_value_is_not_printed():
    text = "/user add group=full name=ops password=first-secret password=second-secret\n"
    [d] = dups(text)
    assert "secret" not in d.message


def test_article_lab_has_no_duplicates():
    for path in ARTICLE.glob("*.rsc"):
        assert [d for d in lint_bytes(path.read_bytes(), path.name).diagnostics if d.code == "SYN012"] == []


def test_article_mtr1_keeps_its_syn009_warning():
    diags = lint_bytes((ARTICLE / "mtr1.rsc").read_bytes(), "mtr1.rsc").diagnostics
    [d] = [d for d in diags if d.code == "SYN009"]
    assert (d.span.line, d.severity.label) == (32, "warning")
