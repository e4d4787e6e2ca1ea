"""rosc build / route / routes / graph: build order, the article's build
output (a snapshot), and the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import ARTICLE
from rosc.lab.build_order import build_text
from rosc.format.equivalence import signature
from rosc.lab.build import build_lab
from rosc.cli.lab import COMMANDS
from rosc.syntax.parser import parse_text


@click.group()
def cli() -> None:
    """A local group with the lab commands (rosc.cli.main registers them on its own)."""


for _command in COMMANDS:
    cli.add_command(_command)


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def article_copy(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    folder = tmp_path / "lab"
    shutil.copytree(ARTICLE, folder, ignore=shutil.ignore_patterns("build"))
    for file, old, new in edits:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


# --- build order ----------------------------------------------------------------------------------


def order(text: str) -> list[str]:
    built = build_text(parse_text(text, "x.rsc"))
    return [line for line in built.splitlines() if line.startswith("/")]


def test_definitions_move_before_their_users():
    text = (
        "/ip dhcp-server\nadd address-pool=p1 interface=br name=d1\n"
        "/interface bridge port\nadd bridge=br interface=ether2\n"
        "/ppp secret\nadd name=u profile=prof\n"
        "/ppp profile\nadd name=prof remote-address=p1\n"
        "/interface pppoe-server server\nadd default-profile=prof interface=br\n"
        "/ip pool\nadd name=p1 ranges=10.0.0.2-10.0.0.9\n"
        "/interface bridge\nadd name=br\n"
    )
    got = order(text)
    assert got.index("/interface bridge") < got.index("/interface bridge port")
    assert got.index("/ip pool") < got.index("/ip dhcp-server") < got.index("/interface bridge port")
    assert got.index("/ip pool") < got.index("/ppp profile") < got.index("/ppp secret")
    assert got.index("/ppp profile") < got.index("/interface pppoe-server server")
    assert got.index("/interface bridge") < got.index("/interface pppoe-server server")


def test_order_that_already_works_is_kept():
    text = (ARTICLE / "isp1.rsc").read_text()
    menus = [line for line in text.splitlines() if line.startswith("/")]
    assert order(text) == menus


def test_commands_of_one_menu_keep_their_order_and_comments_travel():
    text = (
        "/ip firewall filter\nadd action=accept chain=input connection-state=established\n"
        "# drop the rest\nadd action=drop chain=input in-interface=wan\n"
        "/interface ethernet\nset [ find default-name=ether1 ] name=wan\n"
        "/ip firewall filter\nadd action=accept chain=forward\n"
    )
    built = build_text(parse_text(text, "x.rsc"))
    assert built.index("/interface ethernet") < built.index("/ip firewall filter")
    rules = [line for line in built.splitlines() if line.startswith("add")]
    assert rules == [
        "add action=accept chain=input connection-state=established",
        "add action=drop chain=input in-interface=wan",
        "add action=accept chain=forward",
    ]
    assert built.index("# drop the rest") == built.index("add action=drop") - len("# drop the rest\n")
    again = parse_text(built, "x.rsc")
    assert sorted(map(repr, signature(again.script))) == sorted(map(repr, signature(parse_text(text, "x.rsc").script)))


def test_scripts_are_not_reordered():
    text = ":local br \"br\"\n/interface bridge port\nadd bridge=$br interface=ether2\n/interface bridge\nadd name=$br\n"
    assert order(text) == ["/interface bridge port", "/interface bridge"]


def test_build_header():
    built = build_text(parse_text("/system identity\nset name=r1\n", "r1.rsc"), "r1 of lab x")
    assert built == "# r1 of lab x\n/system identity\nset name=r1\n"


# --- the article's build -----------------------------------------------------------------------------


def _stable_report(text: str) -> str:
    """REPORT.md without the findings of single-device rules (other areas
    change their wording on their own schedule)."""
    head, _, findings = text.partition("## Findings")
    rows = [line for line in findings.splitlines() if "| LAB" in line]
    return head + "## Findings (lab rules)\n\n" + "\n".join(rows) + "\n"


def test_article_build_snapshot(tmp_path, snapshot):
    report = build_lab(ARTICLE, tmp_path / "out")
    assert not report.refused and report.errors == 0
    names = sorted(p.name for p in report.written)
    assert names == sorted([
        "core.rsc", "isp1.rsc", "isp2.rsc", "mtr1.rsc", "mtr3.rsc",
        "mtr2-ecmp.rsc", "mtr2-failover.rsc", "mtr2-recursive.rsc", "REPORT.md", "topology.svg",
    ])
    files = {p.name: p.read_text(encoding="utf-8") for p in report.written}
    files["REPORT.md"] = _stable_report(files["REPORT.md"])
    snapshot.snapshot_dir = Path(__file__).parent / "snapshots" / "test_lab_build" / "article"
    snapshot.assert_match_dir(files, "build")


def test_built_scripts_parse_and_hold_every_command(tmp_path):
    report = build_lab(ARTICLE, tmp_path / "out")
    for path in report.written:
        if path.suffix != ".rsc":
            continue
        stem = path.stem
        source = {"mtr2-ecmp": "mtr2"}.get(stem, stem)
        original = parse_text((ARTICLE / f"{source}.rsc").read_text(), "o.rsc")
        built = parse_text(path.read_text(), "b.rsc")
        assert not built.has_errors
        commands = lambda sig: sorted(repr(e) for e in sig if e[0] == "cmd")  # noqa: E731
        assert commands(signature(built.script)) == commands(signature(original.script))


def test_report_lists_sessions_tunnel_and_internet_access(tmp_path):
    text = build_lab(ARTICLE, tmp_path / "out").report
    assert "- PPPoE mtr3 pppoe-out (ether1) → isp2 (pppoe-bridge), user isp2user1: 122.0.0.253 (pool pppoe-pool)" in text
    assert "WireGuard mtr1 wireguard1 (10.0.0.1/30) ⇄ mtr3 wireguard1 (10.0.0.2/30); mtr1 starts it (122.0.0.253:13231); up" in text
    assert "- mtr2 (ecmp), 1/2 of the flows: mtr2 → isp2 → core: reaches the internet" in text
    assert "- uplink core:ether1 → internet" in text
    assert "| mtr1.rsc:31:65 | warning | LAB023 |" in text


# --- command line ------------------------------------------------------------------------------------


def test_cli_build_writes_everything(tmp_path):
    result = run("build", ARTICLE, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "lab article: 8 files checked: 0 errors" in result.output
    assert "LAB023" in result.output and "mtr1.rsc:31:65" in result.output
    assert (tmp_path / "out" / "mtr2-recursive.rsc").is_file() and (tmp_path / "out" / "REPORT.md").is_file()


def test_cli_build_refuses_on_errors_unless_forced(tmp_path):
    lab = article_copy(tmp_path, ("mtr1.rsc", "user=isp1user1 password=isp1user1", "user=isp1user1 password=nope"))
    result = run("build", lab)
    assert result.exit_code == 1
    assert "LAB012" in result.output and "nothing written" in result.output
    assert not (lab / "build").exists()
    forced = run("build", lab, "--force")
    assert forced.exit_code == 1
    assert (lab / "build" / "mtr1.rsc").is_file()
    ignored = run("build", lab, "-o", tmp_path / "o2", "--ignore", "LAB012,LAB026")
    assert ignored.exit_code == 0, ignored.output


def test_cli_build_checks_against_the_target_version(tmp_path):
    """The article's routers run RouterOS 7 (WireGuard): against 6.49 each
    device's v7-only menus are reported, and the build still writes (warnings)."""
    result = run("build", ARTICLE, "-o", tmp_path / "out", "--target-version", "6.49")
    assert result.exit_code == 0, result.output
    assert "VOC004" in result.output and "menu `/interface wireguard` exists in RouterOS 7 only" in result.output
    assert "VOC004" not in run("build", ARTICLE, "-o", tmp_path / "o2", "--target-version", "7.16").output
    assert run("build", ARTICLE, "--target-version", "nine").exit_code == 2


def test_cli_build_fail_on_warning(tmp_path):
    result = run("build", ARTICLE, "-o", tmp_path / "out", "--fail-on", "warning")
    assert result.exit_code == 1 and not (tmp_path / "out").exists()


def test_cli_usage_errors(tmp_path):
    assert run("build", tmp_path / "missing").exit_code == 2
    assert run("build", tmp_path).exit_code == 2  # no lab.toml
    assert run("route", ARTICLE, "--from", "nobody", "--to", "8.8.8.8").exit_code == 2
    assert run("route", ARTICLE, "--from", "mtr2", "--to", "not-an-ip").exit_code == 2
    assert run("route", ARTICLE, "--from", "mtr2", "--to", "8.8.8.8", "--variant", "bogus").exit_code == 2
    assert run("route", ARTICLE, "--from", "mtr2", "--to", "8.8.8.8", "--down", "core:pppoe").exit_code == 2
    assert run("routes", ARTICLE, "--device", "nobody").exit_code == 2


def test_cli_build_with_a_broken_manifest(tmp_path):
    lab = article_copy(tmp_path, ("lab.toml", "[devices]", "[devices"))
    result = run("build", lab)
    assert result.exit_code == 1 and "LAB001" in result.output and "lab.toml:" in result.output


@pytest.mark.parametrize(
    "variant, down, code, expected",
    [
        ("ecmp", False, 0, ["ECMP: 2 paths; 2 reach the destination (100% of the flows)"]),
        ("ecmp", True, 1, ["ECMP: 2 paths; 1 reaches the destination (50% of the flows), 1 dropped (50% of the flows)",
                           "✗ dropped at isp1: isp1 has no route to 8.8.8.8",
                           "pppoe-out stays up"]),
        ("failover", False, 0, ["mtr2  route 0.0.0.0/0 via pppoe-out, distance 1 → out pppoe-out",
                                "✓ reaches the internet: leaves the lab by core:ether1 (internet)"]),
        ("failover", True, 1, ["✗ dropped at isp1: isp1 has no route to 8.8.8.8", "pppoe-out stays up",
                               "route 0.0.0.0/0 via pppoe-out1 (distance 2) is not used"]),
        ("recursive", False, 0, ["mtr2  route 8.8.8.8/32 via pppoe-out1", "isp2", "✓ reaches the internet"]),
        ("recursive", True, 0, ["mtr2  route 8.8.8.8/32 via pppoe-out1", "✓ reaches the internet",
                                "check-gateway=ping to 1.1.1.1 fails: isp1 has no route to 1.1.1.1"]),
    ],
)
def test_cli_route_to_8_8_8_8(variant, down, code, expected):
    args = ["route", ARTICLE, "--from", "mtr2", "--to", "8.8.8.8", "--variant", variant]
    if down:
        args += ["--down", "core:ether2"]
    result = run(*args)
    assert result.exit_code == code, result.output
    for text in expected:
        assert text in result.output, result.output


def test_cli_route_recursive_failover_to_another_destination():
    before = run("route", ARTICLE, "--from", "mtr2", "--to", "9.9.9.9", "--variant", "mtr2=recursive")
    after = run("route", ARTICLE, "--from", "mtr2", "--to", "9.9.9.9", "--variant", "recursive", "--down", "core:ether2=isp1:ether1")
    assert before.exit_code == after.exit_code == 0
    assert "1.1.1.1 resolved through 1.1.1.1/32 → out pppoe-out" in before.output
    assert "8.8.8.8 resolved through 8.8.8.8/32 → out pppoe-out1" in after.output
    assert "with core:ether2=isp1:ether1 (the cable core:ether2 — isp1:ether1) down" in after.output


def test_cli_route_from_a_lan_host_through_the_tunnel():
    result = run("route", ARTICLE, "--from", "mtr1", "--src", "192.168.1.10", "--to", "192.168.3.20")
    assert result.exit_code == 0, result.output
    assert "WireGuard to mtr3" in result.output and "delivered to the LAN on mtr3's lan-bridge" in result.output


def test_cli_routes_prints_the_table():
    result = run("routes", ARTICLE, "--device", "mtr2", "--variant", "recursive", "--down", "core:ether2")
    assert result.exit_code == 0, result.output
    assert "mtr2 (recursive): routing table, with core:ether2" in result.output
    for column in ("Flags", "Dst-Address", "Gateway", "Distance", "Scope", "Target-Scope", "Immediate-Gw"):
        assert column in result.output
    assert "Is " in result.output and "DAc" in result.output
    assert "check-gateway=ping to 1.1.1.1 fails" in result.output


def test_cli_graph():
    mermaid = run("graph", ARTICLE)
    assert mermaid.exit_code == 0
    assert mermaid.output.startswith("flowchart LR\n")
    assert 'core ---|"ether2 — ether1"| isp1' in mermaid.output
    assert 'mtr1 -.->|"PPPoE isp1user1 121.0.0.254"| isp1' in mermaid.output
    assert 'mtr1 <==>|"WireGuard 10.0.0.1 ⇄ 10.0.0.2"| mtr3' in mermaid.output
    dot = run("graph", ARTICLE, "--format", "dot", "--variant", "failover")
    assert dot.exit_code == 0
    assert dot.output.startswith('graph "article" {') and dot.output.rstrip().endswith("}")
    assert '"mtr2" [label="mtr2 (failover)"];' in dot.output
    assert '"mtr1" -- "mtr3" [label="WireGuard 10.0.0.1 ⇄ 10.0.0.2", style=bold' in dot.output


def test_forced_build_of_a_lab_whose_only_file_is_too_large_writes_a_report(tmp_path):
    # More than the 64 MiB rosc reads of one input: the file is refused with a finding, and a forced build
    # still writes REPORT.md and a picture (it used to stop with a traceback drawing a lab with no device).
    (tmp_path / "lab.toml").write_text('[lab]\nname = "big"\n\n[devices]\nr1 = "r1.rsc"\n')
    (tmp_path / "r1.rsc").write_bytes(b"/system identity set name=r1\n" + b"# padding\n" * (7 * 2**20))
    report = build_lab(tmp_path, tmp_path / "out", force=True)
    assert any("larger than 64 MiB" in d.message for d in report.diagnostics)
    assert sorted(p.name for p in report.written) == ["REPORT.md", "topology.svg"]
    assert "no device to draw" in (tmp_path / "out" / "topology.svg").read_text()
