"""The article lab with a firewall on mtr1 (samples/article-firewall):
``rosc flow`` on mtr1 and ``rosc route`` across the lab evaluate the same
rules — a flow dropped by a filter rule, one saved by a dst-nat — while the
article lab itself (samples/article, no filter) routes as before."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import ARTICLE, SAMPLES
from rosc.cli.main import main

LAB = SAMPLES / "article-firewall"
MTR1 = str(LAB / "fw-mtr1.rsc")


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def line_of(fragment: str) -> int:
    return next(n for n, line in enumerate((LAB / "fw-mtr1.rsc").read_text().splitlines(), 1) if fragment in line)


DROP_UPLINK = line_of("add action=drop chain=input in-interface=pppoe-out")
DROP_TUNNEL = line_of("add action=drop chain=forward in-interface=wireguard1")
PORT_FORWARD = line_of("add action=dst-nat chain=dstnat")


def test_route_from_the_internet_side_to_mtr1_ssh_is_dropped_by_its_input_filter():
    code, out = run("route", str(LAB), "--from", "core", "--to", "121.0.0.254", "--proto", "tcp", "--dport", "22")
    assert code == 1
    assert f"✗ dropped at mtr1: mtr1 drops it: filter input, line {DROP_UPLINK} (action=drop)" in out


def test_route_to_the_port_forward_is_saved_by_the_dst_nat():
    code, out = run("route", str(LAB), "--from", "core", "--to", "121.0.0.254", "--proto", "tcp", "--dport", "8080")
    assert code == 0
    assert f"dst-nat 121.0.0.254 → 192.168.1.10 (line {PORT_FORWARD})" in out
    assert "✓ delivered to the LAN on mtr1's lan-bridge" in out


def test_route_over_the_tunnel_only_ssh_passes():
    code, out = run("route", str(LAB), "--from", "mtr3", "--src", "192.168.3.10", "--to", "192.168.1.10",
                    "--proto", "udp", "--dport", "53")
    assert code == 1 and f"mtr1 drops it: filter forward, line {DROP_TUNNEL} (action=drop)" in out
    code, out = run("route", str(LAB), "--from", "mtr3", "--src", "192.168.3.10", "--to", "192.168.1.10",
                    "--proto", "tcp", "--dport", "22")
    assert code == 0 and "delivered to the LAN on mtr1's lan-bridge" in out
    # without a protocol the tunnel accept may match: no drop is claimed
    code, out = run("route", str(LAB), "--from", "mtr3", "--src", "192.168.3.10", "--to", "192.168.1.10")
    assert code == 0


def test_flow_on_mtr1_agrees_with_the_lab():
    # The file alone does not know the address the PPPoE session gets: aim at its LAN address.
    code, out = run("flow", MTR1, "--in", "pppoe-out", "--src", "123.1.1.1", "--dst", "192.168.1.1",
                    "--proto", "tcp", "--dport", "22")
    assert code == 1 and out.splitlines()[-1] == f"  => dropped at line {DROP_UPLINK}"
    code, out = run("flow", MTR1, "--in", "pppoe-out", "--src", "123.1.1.1", "--dst", "121.0.0.254",
                    "--proto", "tcp", "--dport", "8080")
    assert code == 0 and out.splitlines()[-1] == "  => forwarded out lan-bridge"
    assert f"nat dstnat          line {PORT_FORWARD}: action=dst-nat; destination now 192.168.1.10:80" in out
    code, out = run("flow", MTR1, "--in", "pppoe-out", "--src", "123.1.1.1", "--dst", "192.168.1.10",
                    "--proto", "tcp", "--dport", "80")
    assert code == 1  # a new connection from the uplink that was not dst-natted


def test_the_article_lab_without_filters_is_unchanged():
    code, out = run("route", str(ARTICLE), "--from", "core", "--to", "121.0.0.254", "--proto", "tcp", "--dport", "22")
    assert code == 0 and "delivered" in out
    code, out = run("route", str(ARTICLE), "--from", "mtr3", "--src", "192.168.3.10", "--to", "192.168.1.10",
                    "--proto", "udp", "--dport", "53")
    assert code == 0


def test_unknown_protocol_is_a_usage_error():
    assert run("route", str(LAB), "--from", "core", "--to", "121.0.0.254", "--proto", "bogus")[0] == 2
    assert run("route", str(LAB), "--from", "core", "--to", "121.0.0.254", "--dport", "22")[0] == 2
