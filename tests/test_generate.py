"""The command-tree generator (``python -m rosc.vocabulary.generate``): what
it derives from RouterOS's ``/console/inspect`` dumps, that the committed
tree is what the shared dumps give, and that rosc accepts, for each dumped
version, every menu and every add/set argument of that version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rosc.lint.config import Config
from rosc.lint.engine import lint_bytes
from rosc.vocabulary import generate
from rosc.vocabulary.compiled import CompiledTree
from rosc.vocabulary.inspect_types import desc_type, union
from rosc.vocabulary.versions import parse_version

DUMPS = generate.DEFAULT_DUMPS
HAVE_DUMPS = DUMPS.is_dir() and any(DUMPS.glob("*.inspect.json"))


def _arg(desc=None, completion=None):
    node = {"_type": "arg"}
    if desc is not None:
        node["desc"] = desc
    if completion is not None:
        node["_completion"] = completion
    return node


def _dumps(tmp_path: Path) -> Path:
    """Two base versions, an extra-package dump and a deep dump, made up."""
    def base(extra_arg: bool, old_menu: bool):
        tree = {
            "ip": {"_type": "path", "thing": {
                "_type": "dir",
                "add": {"_type": "cmd", "name": _arg("string value"), "timeout": _arg("1s..1d    (time interval)"),
                        "mode": _arg(), "interface": _arg(), "auth": _arg("pap|chap[,Auth*]")},
                "set": {"_type": "cmd", "numbers": _arg(), "name": _arg("string value"), "mode": _arg(), "interface": _arg()},
                "print": {"_type": "cmd", "detail": _arg()},
            }},
            "interface": {"_type": "path", "ethernet": {"_type": "dir", "set": {"_type": "cmd", "numbers": _arg()}}},
        }
        if extra_arg:
            tree["ip"]["thing"]["add"]["newer"] = _arg("A.B.C.D    (IP address)")
        if old_menu:
            tree["ip"]["gone"] = {"_type": "dir", "print": {"_type": "cmd"}}
        return tree

    folder = tmp_path / "dumps"
    folder.mkdir()
    (folder / "7.10.1.inspect.json").write_text(json.dumps(base(False, True)))
    (folder / "7.11.2.inspect.json").write_text(json.dumps(base(True, False)))
    (folder / "7.10.3.inspect.json").write_text(json.dumps(base(False, True)))  # a later patch of 7.10 wins
    extra = base(True, False)
    extra["container"] = {"_type": "dir", "add": {"_type": "cmd", "envlists": _arg()}}
    (folder / "7.11-extra.inspect.json").write_text(json.dumps(extra))
    deep = base(True, False)
    deep["_meta"] = {"version": "7.11.2"}
    add = deep["ip"]["thing"]["add"]
    add["mode"]["_completion"] = {"yes": {"style": "arg"}, "no": {"style": "arg"}}
    add["interface"]["_completion"] = {"ether1": {"style": "none"}, "lo": {"style": "none"}, "!": {"style": "syntax-meta"}}
    add["timeout"]["_completion"] = {"never": {"style": "arg"}}
    deep["interface"]["ethernet"]["set"]["numbers"]["_completion"] = {"ether1": {"style": "none"}}
    (folder / "7.11.2.deep-inspect.json").write_text(json.dumps(deep))
    (folder / "notes.json").write_text("{}")  # not a dump: ignored
    return folder


def test_generator_records_versions_types_completions_and_packages(tmp_path):
    text = generate.render(generate.read_dumps(_dumps(tmp_path)))
    tree = CompiledTree(text)
    assert tree.versions == (10, 11) and "7.10.3" in tree.dumps and "7.10.1" not in tree.dumps
    thing = tree.menu(("ip", "thing"))
    args = tree.args(thing.commands["add"])
    assert args["newer"].life.first == 11 and args["name"].life.first == 10
    assert args["timeout"].type_text == "time|enum(never)"  # RouterOS's hint plus the word it completes
    assert args["mode"].type_text == "bool" and args["mode"].values == ("yes", "no")
    assert args["auth"].type_text == "list<enum(pap|chap)>"
    assert args["interface"].kinds == ("interface",) and args["interface"].negatable
    assert args["interface"].values == ("lo",)  # the dump router's own port name is left out
    gone = tree.menu(("ip", "gone"))
    assert (gone.life.first, gone.life.last, gone.life.package) == (10, 10, False)
    container = tree.menu(("container",))
    assert container.life.first is None and container.life.package
    assert "print" in thing.commands and tree.args(thing.commands["print"])["detail"].type_text == ""


def test_generator_check_mode(tmp_path, capsys):
    dumps = _dumps(tmp_path)
    out = tmp_path / "tree.txt"
    assert generate.main(["--dumps", str(dumps), "--out", str(out)]) == 0
    assert generate.main(["--dumps", str(dumps), "--out", str(out), "--check"]) == 0
    out.write_text(out.read_text().replace("@versions 10 11", "@versions 10 12"))
    assert generate.main(["--dumps", str(dumps), "--out", str(out), "--check"]) == 1
    assert "differs" in capsys.readouterr().err
    assert generate.main(["--dumps", str(tmp_path / "nowhere"), "--out", str(out)]) == 2


def test_type_hints():
    assert desc_type("A.B.C.D    (IP address)") == "ipv4"
    assert desc_type("none | A.B.C.D    (IP address)") == "ipv4|enum(none)"
    assert desc_type("0..4294967295") == "int(0..4294967295)"
    assert desc_type("string value, max length 64") == "string"
    assert desc_type("something new") == ""
    assert union(["time", ""]) == ""  # a version that states nothing: unknown
    assert union(["list<enum(a|b)>", "list<enum(a|b|c)>"]) == "list<enum(a|b|c)>"


@pytest.mark.skipif(not HAVE_DUMPS, reason=f"{DUMPS} is absent")
def test_committed_tree_matches_the_shared_dumps(capsys):
    assert generate.main(["--check"]) == 0, capsys.readouterr().err


def _every_name_script(tree: dict) -> str:
    """One line per menu, and one `add`/`set` per menu naming every argument."""
    lines = []

    def visit(path: list[str], node: dict) -> None:
        for name, child in sorted(node.items()):
            if name.startswith("_") or not isinstance(child, dict) or child.get("_type") not in ("dir", "path"):
                continue
            here = path + [name]
            lines.append("/" + " ".join(here))
            for verb in ("add", "set"):
                cmd = child.get(verb)
                if isinstance(cmd, dict) and cmd.get("_type") == "cmd":
                    args = [a for a, v in sorted(cmd.items()) if isinstance(v, dict) and v.get("_type") == "arg"]
                    if args:
                        lines.append(verb + " " + " ".join(f"{a}=$v" for a in args))
            visit(here, child)

    visit([], tree)
    return "\n".join(lines) + "\n"


DUMP_FILES = sorted(p.name for p in DUMPS.glob("*.inspect.json")) if HAVE_DUMPS else []


@pytest.mark.parametrize("name", DUMP_FILES)
def test_every_menu_and_argument_of_each_version_is_known(name):
    tree = json.loads((DUMPS / name).read_text(encoding="utf-8"))
    script = _every_name_script(tree)
    version = name.split(".inspect")[0].split("-")[0]
    config = Config(select=["VOC001", "VOC002", "VOC004"], target_version=parse_version(version), target_origin="test")
    found = lint_bytes(script.encode(), name, config).diagnostics
    assert script.count("\n") > 500
    assert not found, f"{len(found)} findings, first: " + "; ".join(f"{d.span.line}: {d.message}" for d in found[:5])
