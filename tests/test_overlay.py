"""The hand-written overlay (``grammar/vocabulary/*.toml``) against the
generated command tree: every entry must describe something RouterOS has,
or say why the dumps cannot show it (RouterOS 6 only, hardware only, an
earlier release of an extra package, a read-only property)."""

from __future__ import annotations

import pytest

from rosc.checks.reference_table import REFS
from rosc.vocabulary import tree as vocabulary
from rosc.vocabulary.value_types import REF_KINDS


@pytest.fixture(scope="module")
def voc() -> vocabulary.Vocabulary:
    return vocabulary.load()


def _beyond(spec) -> bool:
    """An entry that says why the dumps do not show it."""
    return spec.get("version") == "6" or any(bool(spec.get(k)) for k in ("hardware", "readonly", "older"))


def _setter_args(voc, path: str) -> set[str]:
    gen = voc.tree.menu(tuple(path[1:].split()))
    if gen is None:
        return set()
    out: set[str] = set()
    for verb in ("add", "set"):
        if verb in gen.commands:
            out |= set(voc.tree.args(gen.commands[verb]))
    return out


def overlay_problems(voc) -> list[str]:
    problems = []
    overlay = voc.overlay
    group_hits: dict[str, set[str]] = {}
    for path in overlay.paths:
        ov = overlay.menu(path)
        where = f"{ov.source}: {path}"
        gen = voc.tree.menu(tuple(path[1:].split()))
        if gen is None:
            if ov.version != "6" and not ov.hardware:
                problems.append(f"{where}: RouterOS has no such menu (mark it version = \"6\" or hardware = \"...\")")
            for g in ov.groups:
                group_hits.setdefault(g, set()).add("(overlay-only menu)")
            continue
        if ov.version == "6":
            problems.append(f"{where}: marked RouterOS 6 only, but RouterOS 7 has it")
        for verb in ov.commands:
            if verb not in gen.commands:
                problems.append(f"{where}: RouterOS has no command `{verb}` here")
        for verb, spec in ov.command_specs.items():
            cmd = gen.commands.get(verb)
            if cmd is None:
                if spec.version != "6" and not spec.hardware:
                    problems.append(f"{where}: RouterOS has no command `{verb}` here")
                continue
            args = voc.tree.args(cmd)
            for name, pspec in spec.params.items():
                if name not in args and not _beyond(pspec):
                    problems.append(f"{where} {verb}: RouterOS has no argument `{name}`")
        args = _setter_args(voc, path)
        for name, spec in ov.params.items():
            if spec.get("readonly"):
                if name in args:
                    problems.append(f"{where}: `{name}` is marked read-only, but add/set take it")
                continue
            if name not in args and not _beyond(spec):
                problems.append(f"{where}: RouterOS has no parameter `{name}` (add/set)")
            if name in args and spec.get("version") == "6":
                problems.append(f"{where}: `{name}` is marked RouterOS 6 only, but RouterOS 7 has it")
            for alias in spec.get("aliases", ()):
                if alias in args:
                    problems.append(f"{where}: alias `{alias}` of `{name}` is a parameter of its own in RouterOS 7")
        for g in ov.groups:
            group_hits.setdefault(g, set()).update(args)
            for name, spec in (overlay.group(g) or {}).items():
                if spec.get("version") == "6" and name in args and name not in ov.params:
                    problems.append(f"group {g}: `{name}` is marked RouterOS 6 only, but RouterOS 7 has it in {path}")
    for g in overlay.groups:
        hits = group_hits.get(g, set())
        for name, spec in (overlay.group(g) or {}).items():
            if name not in hits and "(overlay-only menu)" not in hits and not _beyond(spec):
                problems.append(f"group {g}: no menu using it has a parameter `{name}`")
    return problems


def test_overlay_describes_only_what_routeros_has(voc):
    problems = overlay_problems(voc)
    assert not problems, f"{len(problems)} overlay entries RouterOS does not have:\n" + "\n".join(problems)


def test_the_overlay_check_finds_mistakes():
    tree = vocabulary.load().tree
    docs = [("x.toml", {"menu": {
        "/ip address": {"params": {"adress": {"type": "string"}, "address": {"type": "ipv4-prefix", "aliases": ["interface"]}}},
        "/ip nothing": {"doc": "made up"},
        "/ip dns": {"commands": ["flush"]},
    }})]
    problems = overlay_problems(vocabulary.build(docs, tree))
    assert any("no parameter `adress`" in p for p in problems)
    assert any("/ip nothing: RouterOS has no such menu" in p for p in problems)
    assert any("alias `interface`" in p for p in problems)
    assert any("no command `flush`" in p for p in problems)


def test_reference_kinds_cover_the_reference_table(voc):
    """Every parameter ``rosc.checks.reference_table`` resolves names an
    object of the same kind in the vocabulary (``Vocabulary.ref_kinds``)."""
    missing = []
    for menu, params in REFS.items():
        for name, ref in params.items():
            kinds = voc.ref_kinds(menu, name)
            if not set(ref.kinds) <= set(kinds):
                missing.append(f"{menu} {name}: table says {ref.kinds}, vocabulary {kinds}")
    assert not missing, "\n".join(missing)


def test_reference_kinds_are_known(voc):
    for path in voc.menus:
        for p in voc.menu(path).params.values():
            assert set(p.kinds) <= REF_KINDS, (path, p.name, p.kinds)


def test_the_overlay_cache_is_up_to_date(capsys):
    """`python -m rosc.vocabulary.generate --overlay` writes it; the TOML files are the source."""
    from rosc.vocabulary import generate

    assert generate.main(["--check", "--overlay"]) == 0, capsys.readouterr().err


def test_a_stale_overlay_cache_is_ignored(tmp_path):
    import shutil

    from rosc.vocabulary.overlay import Overlay

    folder = tmp_path / "vocabulary"
    shutil.copytree(vocabulary.vocabulary_dir(), folder)
    fresh = Overlay.from_folder(folder)
    assert fresh._menu_src["/ip address"][1].__class__ is not str  # read from the cache
    toml = folder / "ip-address.toml"
    toml.write_text(toml.read_text().replace('doc = "IPv4 addresses', 'doc = "Edited: IPv4 addresses', 1))
    stale = Overlay.from_folder(folder)
    assert isinstance(stale._menu_src["/ip address"][1], str)  # the cache no longer matches: the TOML is read
    assert stale.menu("/ip address").doc.startswith("Edited")
    assert set(stale.paths) == set(fresh.paths) and stale.aliases == fresh.aliases


@pytest.mark.parametrize("menu, arg, kind", [
    ("/ip address", "interface", "interface"),
    ("/interface bridge port", "bridge", "bridge"),
    ("/ip dhcp-server", "address-pool", "pool"),
    ("/ppp secret", "profile", "ppp-profile"),
    ("/ip firewall filter", "in-interface-list", "interface-list"),
    ("/ip firewall filter", "src-address-list", "address-list"),
    ("/ip route", "routing-table", "routing-table"),
    ("/ip firewall mangle", "new-routing-mark", "routing-table"),
    ("/interface wireguard", "vrf", "vrf"),
    ("/ip service", "certificate", "certificate"),
    ("/system scheduler", "on-event", "script"),
    ("/interface wifi", "security", "wifi-security"),
    ("/interface wireless", "security-profile", "security-profile"),
    ("/caps-man interface", "configuration", "capsman-configuration"),
    ("/caps-man provisioning", "master-configuration", "capsman-configuration"),
    ("/queue tree", "parent", "queue"),
    ("/queue simple", "queue", "queue-type"),
    ("/tool traffic-monitor", "interface", "interface"),  # from RouterOS's completion: no overlay entry
])
def test_reference_kinds_for_issue_13(voc, menu, arg, kind):
    """``Vocabulary.ref_kinds(menu, arg)``: what a value names, for the reference checks."""
    assert kind in voc.ref_kinds(menu, arg)


def test_a_damaged_overlay_cache_is_ignored(tmp_path):
    import shutil

    from rosc.vocabulary.overlay import CACHE_FILE, Overlay

    folder = tmp_path / "vocabulary"
    shutil.copytree(vocabulary.vocabulary_dir(), folder)
    cache = folder.joinpath(*CACHE_FILE)
    lines = cache.read_text(encoding="utf-8").split("\n")
    cache.write_text("\n".join([lines[0], lines[1].rsplit("\t", 2)[0], *lines[2:]]), encoding="utf-8")  # a line cut short
    damaged = Overlay.from_folder(folder)
    assert isinstance(damaged._menu_src["/ip address"][1], str)  # the TOML is read instead
    assert "interface" in damaged.menu("/ip address").params


def test_the_cache_decodes_only_the_menus_looked_at():
    from rosc.vocabulary.overlay import Overlay, _Cached

    overlay = Overlay.from_folder(vocabulary.vocabulary_dir())
    assert all(type(src) is _Cached for _f, src in overlay._menu_src.values())
    assert overlay._menus == {}
    overlay.menu("/ip address")
    assert list(overlay._menus) == ["/ip address"]
