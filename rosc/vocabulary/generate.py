"""Generate rosc's command tree from RouterOS's own ``/console/inspect`` dumps.

    python -m rosc.vocabulary.generate            # write the tree
    python -m rosc.vocabulary.generate --check    # exit 1 if the committed tree differs
    python -m rosc.vocabulary.generate --dumps DIR --out FILE

The dumps (``../shared/routeros-inspect/`` beside the repository by default)
are one JSON tree per RouterOS version: ``7.9.2.inspect.json`` ... (the base
``routeros`` package), ``7.24-extra.inspect.json`` (with every extra package)
and ``7.22.3.deep-inspect.json`` (with ``_completion``: the values RouterOS
offers for each argument).  What is written is facts, in rosc's own compact
format (``rosc.vocabulary.compiled`` reads it; the format is described
there): every menu, command and argument, the first and last version whose
base package has it, whether only an extra package has it, the argument's
type where RouterOS states one (``rosc.vocabulary.inspect_types``), the
completion words, and what kind of object an argument names when the
completion lists the router's own objects of that kind.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rosc.vocabulary import inspect_types as types_

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DUMPS = REPO.parent / "shared" / "routeros-inspect"
FORMAT = "rosc-vocabulary 1"

_NAME = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?(-extra)?\.(inspect|deep-inspect)\.json\Z")

# Objects every router has, as the dump's router listed them, that tell what
# an argument names when its completion offers all of them.  The names of the
# dump router's own Ethernet ports (`ether1`) are left out of the values.
OBJECT_KINDS = {
    ("interface", "ethernet"): "interface",
    ("interface", "list"): "interface-list",
    ("ppp", "profile"): "ppp-profile",
    ("queue", "type"): "queue-type",
    ("user", "group"): "user-group",
    ("system", "logging", "action"): "logging-action",
}
_SELECTORS = frozenset({"numbers", "number", "from", "where"})
# An address argument may complete interface names for an IPv6 scope
# (fe80::1%ether1): that does not make its value a reference.
_ADDRESS_ARG = re.compile(r"(?:^|[.-])(?:address|addresses)$")


class DumpError(Exception):
    """The dumps folder is missing or holds something unexpected."""


@dataclass(slots=True)
class Dump:
    minor: int
    version: str
    kind: str  # "base", "extra", "deep"
    tree: dict


@dataclass(slots=True)
class Node:
    kind: str  # "menu", "cmd", "arg"
    minors: set[int] = field(default_factory=set)
    package: bool = False
    descs: list[str | None] = field(default_factory=list)
    completion: dict | None = None
    children: dict[str, "Node"] = field(default_factory=dict)


def read_dumps(folder: Path) -> list[Dump]:
    if not folder.is_dir():
        raise DumpError(f"{folder}: no such folder (pass --dumps DIR)")
    dumps = []
    for path in sorted(folder.glob("*.json")):
        m = _NAME.match(path.name)
        if m is None:
            continue
        major, minor = int(m.group(1)), int(m.group(2))
        if major != 7:
            raise DumpError(f"{path.name}: only RouterOS 7 dumps are understood")
        kind = "deep" if m.group(5) == "deep-inspect" else "extra" if m.group(4) else "base"
        version = path.name.split(".inspect")[0].split(".deep-inspect")[0]
        tree = json.loads(path.read_text(encoding="utf-8"))
        tree.pop("_meta", None)
        dumps.append(Dump(minor, version, kind, tree))
    base = [d for d in dumps if d.kind == "base"]
    if not base:
        raise DumpError(f"{folder}: no *.inspect.json dumps")
    by_minor: dict[int, Dump] = {}
    for d in base:  # one base dump per minor release: the latest patch
        if d.minor not in by_minor or _patch(d.version) > _patch(by_minor[d.minor].version):
            by_minor[d.minor] = d
    others = [d for d in dumps if d.kind != "base"]
    return sorted(by_minor.values(), key=lambda d: d.minor) + others


def _patch(version: str) -> int:
    parts = version.split("-")[0].split(".")
    return int(parts[2]) if len(parts) > 2 else 0


def _kind(raw: dict) -> str | None:
    return {"dir": "menu", "path": "menu", "cmd": "cmd", "arg": "arg"}.get(raw.get("_type"))


def merge(dumps: list[Dump]) -> Node:
    """One tree with, on every node, the base versions that have it."""
    root = Node("menu")
    base = [d for d in dumps if d.kind == "base"]
    extras = [d for d in dumps if d.kind == "extra"]
    for d in base:
        _add(root, d.tree, d.minor, "base")
    for d in extras:
        _add(root, d.tree, d.minor, "extra")
    for d in dumps:
        if d.kind == "deep":
            _completions(root, d.tree)
    return root


def _add(node: Node, raw: dict, minor: int, kind: str) -> None:
    if kind == "base":
        node.minors.add(minor)
    elif minor not in node.minors:
        node.package = True
    for name, child in raw.items():
        if name.startswith("_") or not isinstance(child, dict):
            continue
        ckind = _kind(child)
        if ckind is None:
            continue
        sub = node.children.get(name)
        if sub is None:
            sub = node.children[name] = Node(ckind)
        if ckind == "arg":
            if kind == "base":
                sub.minors.add(minor)
                sub.descs.append(child.get("desc"))
            elif minor not in sub.minors:
                sub.package = True
                sub.descs.append(child.get("desc"))
        else:
            _add(sub, child, minor, kind)


def _completions(node: Node, raw: dict) -> None:
    for name, child in raw.items():
        sub = node.children.get(name)
        if sub is None or not isinstance(child, dict):
            continue
        if sub.kind == "arg":
            sub.completion = child.get("_completion")
        else:
            _completions(sub, child)


def _objects(root: Node) -> dict[tuple[str, ...], set[str]]:
    """Names of the dump router's own objects, by menu (what `set numbers=` completes)."""
    out = {}
    for path in OBJECT_KINDS:
        node = root
        for word in path:
            node = node.children.get(word) if node is not None else None
        numbers = node.children.get("set", Node("cmd")).children.get("numbers") if node is not None else None
        if numbers is not None and numbers.completion:
            out[path] = {v for v, m in numbers.completion.items() if m.get("style") in types_.WORD_STYLES}
    return out


# ------------------------------------------------------------------ render


@dataclass(slots=True)
class _Tables:
    types: dict[str, int] = field(default_factory=dict)
    values: dict[str, int] = field(default_factory=dict)
    argsets: dict[str, int] = field(default_factory=dict)

    def intern(self, table: dict[str, int], text: str) -> int:
        if text not in table:
            table[text] = len(table)
        return table[text]


def _life(node: Node, known: tuple[int, int]) -> tuple:
    if not node.minors:
        return (None, None, node.package)
    return (min(node.minors), max(node.minors), node.package)


def _life_text(life: tuple) -> str:
    first, last, package = life
    text = "" if first is None else f"{first}-{last}"
    return text + ("+" if package else "")


def _arg_spec(name: str, node: Node, owner: tuple, known, tables: _Tables, objects) -> str:
    spec = name
    life = _life(node, known)
    if life != owner:
        spec += "@" + _life_text(life)
    typ = types_.union([types_.desc_type(d) for d in node.descs])
    words: list[str] = []
    negatable = False
    kinds: list[str] = []
    if node.completion:
        offered = {v for v, m in node.completion.items() if m.get("style") in types_.WORD_STYLES}
        negatable = "!" in node.completion
        if name not in _SELECTORS and not _ADDRESS_ARG.search(name) and not _is_address_type(typ):
            kinds = [k for menu, k in OBJECT_KINDS.items() if objects.get(menu) and objects[menu] <= offered]
        ports = objects.get(("interface", "ethernet"), set())
        words = [v for v in node.completion if v in offered and v not in ports and "\t" not in v and v.strip()]
        if typ == types_.UNKNOWN and not any(d is not None for d in node.descs):
            typ = types_.completion_type(words)
        else:
            typ = types_.with_words(typ, [w for w in words if node.completion[w].get("style") in types_.WORD_STYLES])
    if typ:
        spec += f":{tables.intern(tables.types, typ)}"
    if words:
        spec += f"~{tables.intern(tables.values, chr(9).join(words))}"
    if kinds:
        spec += "&" + ",".join(kinds)
    if negatable:
        spec += "!"
    return spec


def _is_address_type(typ: str) -> bool:
    return typ.split("|")[0] in ("ipv4", "ipv4-prefix", "ipv6-prefix", "ipv4-range")


def render(dumps: list[Dump]) -> str:
    root = merge(dumps)
    minors = sorted({d.minor for d in dumps if d.kind == "base"})
    known = (minors[0], minors[-1])
    objects = _objects(root)
    tables = _Tables()
    menus: list[str] = []

    def visit(path: tuple[str, ...], node: Node, parent_life: tuple) -> None:
        life = _life(node, known)
        fields = ["/" + "/".join(path), _life_text(life) if life != parent_life else ""]
        commands = []
        for name in sorted(node.children):
            child = node.children[name]
            if child.kind != "cmd":
                continue
            clife = _life(child, known)
            spec = name + ("@" + _life_text(clife) if clife != life else "")
            args = [
                _arg_spec(a, child.children[a], clife, known, tables, objects)
                for a in sorted(child.children)
                if child.children[a].kind == "arg"
            ]
            if args:
                spec += f"#{tables.intern(tables.argsets, ' '.join(args))}"
            commands.append(spec)
        fields.append(" ".join(commands))
        menus.append("\t".join(fields).rstrip("\t"))
        for name in sorted(node.children):
            child = node.children[name]
            if child.kind == "menu":
                visit(path + (name,), child, life)

    visit((), root, (known[0], known[1], False))
    sources = " ".join(f"{d.version}" + ("(completions)" if d.kind == "deep" else "") for d in dumps)
    out = [
        f"# {FORMAT}: RouterOS's command tree, generated by `python -m rosc.vocabulary.generate`",
        "# from RouterOS /console/inspect dumps; do not edit (rosc/vocabulary/compiled.py reads it).",
        f"@versions {' '.join(str(m) for m in minors)}",
        f"@dumps {sources}",
        "@types",
        *tables.types,
        "@values",
        *tables.values,
        "@argsets",
        *tables.argsets,
        "@menus",
        *menus,
    ]
    return "\n".join(out) + "\n"


def default_output() -> Path:
    from rosc.vocabulary.compiled import tree_file

    return tree_file()


def _overlay_folder() -> Path:
    from rosc.vocabulary.tree import vocabulary_dir

    return vocabulary_dir()


def _write_or_check(out: Path, text: str, check: bool, source: str) -> int:
    if check:
        old = out.read_text(encoding="utf-8") if out.is_file() else ""
        if old == text:
            print(f"{out}: up to date with {source}")
            return 0
        diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), str(out), "generated", lineterm="", n=0))
        print(f"{out} differs from what {source} gives ({len(diff)} diff lines); first ones:", file=sys.stderr)
        print("\n".join(line[:200] for line in diff[:40]), file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(text):,} bytes)")
    return 0


def main(argv: list[str] | None = None) -> int:
    from rosc.vocabulary.overlay import CACHE_FILE, VocabularyError, render_cache

    parser = argparse.ArgumentParser(prog="python -m rosc.vocabulary.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dumps", type=Path, default=DEFAULT_DUMPS, help="folder of *.inspect.json dumps")
    parser.add_argument("--out", type=Path, default=None, help="tree file to write (default: the committed tree)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file differs")
    parser.add_argument("--overlay", action="store_true",
                        help="only the compact copy of the hand-written overlay (no dumps needed)")
    args = parser.parse_args(argv)
    status = 0
    if not args.overlay:
        try:
            text = render(read_dumps(args.dumps))
        except DumpError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        status = _write_or_check(args.out or default_output(), text, args.check, str(args.dumps))
        if args.out is not None:
            return status
    folder = _overlay_folder()
    try:
        cache = render_cache(folder)
    except VocabularyError as exc:
        print(f"error: the overlay is broken: {exc}", file=sys.stderr)
        return 2
    return max(status, _write_or_check(folder.joinpath(*CACHE_FILE), cache, args.check, f"{folder}/*.toml"))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
