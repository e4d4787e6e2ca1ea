"""lab.toml: the article's manifest, and every manifest error as a located diagnostic."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ARTICLE
from rosc.lab.loader import load_lab
from rosc.lab.manifest import ManifestError
from rosc.lab.runner import check_lab
from rosc.lab.manifest import Locator, parse_manifest


def _lab(tmp_path: Path, toml: str, files: dict[str, str] | None = None) -> Path:
    for name, text in (files or {"r1.rsc": "/ip address\nadd address=10.0.0.1/30 interface=ether1\n",
                                  "r2.rsc": "/ip address\nadd address=10.0.0.2/30 interface=ether1\n"}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "lab.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def _manifest_errors(folder: Path):
    return [d for d in check_lab(folder) if d.code == "LAB001"]


def test_article_manifest():
    lab, diagnostics = load_lab(ARTICLE)
    assert diagnostics == []
    m = lab.manifest
    assert m.name == "article"
    assert list(m.devices) == ["core", "isp1", "isp2", "mtr1", "mtr3", "mtr2"]
    assert m.devices["mtr2"].variants == ["ecmp", "failover", "recursive"]
    assert m.devices["mtr2"].default == "ecmp"
    assert [str(c) for c in m.cables][:2] == ["core:ether2 — isp1:ether1", "core:ether3 — isp2:ether1"]
    assert len(m.cables) == 6
    assert [(str(u.port), u.network) for u in m.uplinks] == [("core:ether1", "internet")]
    # one LabDevice per file: 5 single devices and 3 variants of mtr2
    assert len(lab.files) == 8
    assert lab.files[("mtr2", "recursive")].path.endswith("mtr2-recursive.rsc")


def test_configurations_are_default_then_each_other_variant():
    lab, _ = load_lab(ARTICLE)
    choices = [c["mtr2"] for c in lab.configurations()]
    assert choices == ["ecmp", "failover", "recursive"]
    assert lab.resolve_variant("recursive") == ("mtr2", "recursive")
    assert lab.resolve_variant("mtr2=failover") == ("mtr2", "failover")
    with pytest.raises(KeyError):
        lab.resolve_variant("nope")
    with pytest.raises(KeyError):
        lab.choice({"mtr2": "nope"})


def test_resolve_port_and_cable():
    lab, _ = load_lab(ARTICLE)
    assert lab.resolve_port("core:ether2") == [("core", "ether2")]
    assert lab.resolve_port("core:ether2=isp1:ether1") == [("core", "ether2"), ("isp1", "ether1")]
    with pytest.raises(KeyError):
        lab.resolve_port("core:ether2=isp2:ether1")  # no such cable
    with pytest.raises(KeyError):
        lab.resolve_port("nobody:ether1")
    with pytest.raises(KeyError):
        lab.resolve_port("mtr1:pppoe-out")  # not a port


def test_missing_folder_and_manifest_are_usage_errors(tmp_path):
    with pytest.raises(ManifestError):
        load_lab(tmp_path / "nowhere")
    with pytest.raises(ManifestError):
        load_lab(tmp_path)


def test_bad_toml_is_located(tmp_path):
    folder = _lab(tmp_path, '[devices]\nr1 = "r1.rsc"\nr2 = "r2.rsc\n')
    (d,) = _manifest_errors(folder)
    assert d.path.endswith("lab.toml")
    assert d.span.line == 3
    assert "not valid TOML" in d.message


def test_unknown_device_port_twice_and_missing_file_are_located(tmp_path):
    toml = (
        "[devices]\n"
        'r1 = "r1.rsc"\n'
        'r2 = "r2.rsc"\n'
        'r3 = "missing.rsc"\n'
        "\n"
        "[cables]\n"
        '"r1:ether1" = "r2:ether1"\n'
        '"r9:ether1" = "r2:ether2"\n'
        '"r1:ether3" = "r2:ether1"\n'
    )
    folder = _lab(tmp_path, toml)
    errors = {d.span.line: d for d in _manifest_errors(folder)}
    assert "missing.rsc" in errors[4].message and errors[4].span.column == 6
    assert "no device 'r9'" in errors[8].message and errors[8].span.column == 1
    assert "used twice" in errors[9].message and "line 7" in errors[9].message
    assert errors[9].span.column == 15  # the value "r2:ether1"
    assert set(errors) == {4, 8, 9}


def test_port_must_be_a_physical_port(tmp_path):
    files = {
        "r1.rsc": "/interface bridge\nadd name=br1\n/ip address\nadd address=10.0.0.1/30 interface=br1\n",
        "r2.rsc": "/interface ethernet\nset [ find default-name=ether1 ] name=wan\n/ip address\nadd address=10.0.0.2/30 interface=wan\n",
    }
    folder = _lab(tmp_path, '[devices]\nr1 = "r1.rsc"\nr2 = "r2.rsc"\n[cables]\n"r1:br1" = "r2:ether1"\n', files)
    (d,) = _manifest_errors(folder)
    assert "r1 has no port 'br1'" in d.message and "bridge interface" in d.message
    assert d.span.line == 5
    # a renamed port is found by its default-name as well as by its name
    folder2 = tmp_path / "b"
    folder2.mkdir()
    _lab(folder2, '[devices]\nr1 = "r1.rsc"\nr2 = "r2.rsc"\n[cables]\n"r1:ether1" = "r2:wan"\n', {
        "r1.rsc": "/ip address\nadd address=10.0.0.1/30 interface=ether1\n", "r2.rsc": files["r2.rsc"]})
    assert [d.code for d in check_lab(folder2) if d.code.startswith("LAB")] == []


def test_unknown_table_variant_default_and_device_settings(tmp_path):
    toml = (
        "[devices]\n"
        'r1 = "r1.rsc"\n'
        "[devices.r2]\n"
        'variants = { a = "r2.rsc", b = "r1.rsc" }\n'
        'default = "c"\n'
        'colour = "red"\n'
        "[cabels]\n"
    )
    folder = _lab(tmp_path, toml)
    messages = {d.span.line: d.message for d in _manifest_errors(folder)}
    assert "default variant 'c'" in messages[5]
    assert "unknown setting `colour`" in messages[6]
    assert "unknown table [cabels]" in messages[7] and "[cables]" in messages[7]


def test_uplink_needs_a_network_name_and_a_free_port(tmp_path):
    toml = (
        '[devices]\nr1 = "r1.rsc"\nr2 = "r2.rsc"\n'
        '[cables]\n"r1:ether1" = "r2:ether1"\n'
        '[uplinks]\n"r1:ether1" = "internet"\n"r2:ether5" = ""\n'
    )
    messages = {d.span.line: d.message for d in _manifest_errors(_lab(tmp_path, toml))}
    assert "used twice" in messages[7]
    assert "must name the network" in messages[8]


def test_locator_finds_quoted_dotted_and_inline_keys():
    text = '[lab]\nname = "x"  # a comment with = sign\n[devices.mtr2]\nvariants = { ecmp = "a.rsc", "fail over" = "b.rsc" }\n'
    loc = Locator(text)
    assert text[loc.key("lab", "name").key_start:loc.key("lab", "name").key_end] == "name"
    v = loc.key("devices", "mtr2", "variants", "fail over")
    assert text[v.value_start:v.value_end] == '"b.rsc"'
    assert loc.key("devices", "mtr2") is not None


def test_manifest_with_no_devices_cannot_be_used(tmp_path):
    manifest, diagnostics = parse_manifest("[lab]\nname = 'x'\n", tmp_path, tmp_path / "lab.toml")
    assert manifest is None
    assert "names no devices" in diagnostics[0].message


def test_copy_of_article_loads_from_another_folder(tmp_path):
    target = tmp_path / "lab"
    shutil.copytree(ARTICLE, target, ignore=shutil.ignore_patterns("build"))
    lab, diagnostics = load_lab(target)
    assert diagnostics == [] and lab.files[("core", None)].path == str(target / "core.rsc")
