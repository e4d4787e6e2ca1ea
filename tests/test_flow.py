"""``rosc flow``: one packet through one device, chain by chain, on the
full configurations of tests/firewall_configs."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rosc.cli.main import main

CONFIGS = Path(__file__).parent / "firewall_configs"
DEFCONF = str(CONFIGS / "defconf.rsc")
ROAD_WARRIOR = str(CONFIGS / "road_warrior.rsc")


def flow(*args: str):
    result = CliRunner().invoke(main, ["flow", *args])
    return result.exit_code, result.output


def flow_json(*args: str) -> tuple[int, dict]:
    code, out = flow(*args, "--format", "json")
    return code, json.loads(out)


def test_wan_ssh_to_the_router_is_dropped_by_the_defconf_rule():
    code, out = flow(DEFCONF, "--in", "ether1", "--src", "203.0.113.5", "--dst", "192.168.88.1",
                     "--proto", "tcp", "--dport", "22")
    assert code == 1
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[1:-1]] == ["raw", "mangle", "nat", "routing", "filter"]
    assert 'filter input        line 36: action=drop ("defconf: drop all not coming from LAN")' in out
    assert lines[-1] == "  => dropped at line 36"


def test_lan_to_internet_is_forwarded_and_masqueraded():
    code, doc = flow_json(DEFCONF, "--in", "bridge", "--src", "192.168.88.20", "--dst", "1.1.1.1",
                          "--proto", "tcp", "--dport", "443")
    assert code == 0 and doc["outcome"] == "forwarded" and doc["out_interface"] == "ether1" and doc["certain"]
    stages = {s["stage"]: s for s in doc["stages"]}
    assert list(stages) == ["raw prerouting", "mangle prerouting", "nat dstnat", "routing decision",
                            "mangle forward", "filter forward", "mangle postrouting", "nat srcnat"]
    assert stages["nat srcnat"]["action"] == "masquerade" and stages["nat srcnat"]["line"] == 44
    assert stages["filter forward"]["action"] is None  # nothing decides: the chain's policy accepts


def test_new_connection_from_wan_to_the_lan_is_dropped_unless_dst_natted():
    code, doc = flow_json(DEFCONF, "--in", "ether1", "--src", "198.51.100.7", "--dst", "192.168.88.10",
                          "--proto", "tcp", "--dport", "80")
    assert code == 1 and doc["dropped_by_line"] == 42  # drop all from WAN not DSTNATed
    text = Path(DEFCONF).read_text() + (
        "/ip firewall nat\nadd action=dst-nat chain=dstnat in-interface-list=WAN protocol=tcp dst-port=8080 "
        "to-addresses=192.168.88.10 to-ports=80\n")
    path = CONFIGS.parent / "firewall_configs_tmp_flow.rsc"
    try:
        path.write_text(text)
        code, doc = flow_json(str(path), "--in", "ether1", "--src", "198.51.100.7", "--dst", "192.0.2.44",
                              "--proto", "tcp", "--dport", "8080")
    finally:
        path.unlink()
    assert code == 0 and doc["outcome"] == "forwarded"
    assert doc["destination"] == "192.168.88.10" and doc["destination_port"] == 80 and doc["out_interface"] == "bridge"


def test_established_reply_and_uncertain_rules():
    code, doc = flow_json(DEFCONF, "--in", "ether1", "--src", "1.1.1.1", "--dst", "192.168.88.20",
                          "--proto", "tcp", "--sport", "443", "--state", "established")
    assert code == 0 and [s["line"] for s in doc["stages"] if s["stage"] == "filter forward"] == [40]
    code, doc = flow_json(ROAD_WARRIOR, "--in", "wg-rw", "--src", "10.99.0.2", "--dst", "192.168.50.1",
                          "--proto", "tcp", "--dport", "8291")
    assert code == 0 and doc["outcome"] == "accepted"
    assert [s["line"] for s in doc["stages"] if s["stage"] == "filter input"] == [38]


def test_usage_errors():
    assert flow(DEFCONF, "--in", "ether1", "--src", "x", "--dst", "1.1.1.1")[0] == 2
    assert flow(DEFCONF, "--in", "ether1", "--src", "1.1.1.1", "--dst", "::1")[0] == 2
    assert flow(DEFCONF, "--in", "ether1", "--src", "1.1.1.1", "--dst", "2.2.2.2", "--dport", "22")[0] == 2
    assert flow(DEFCONF, "--in", "ether1", "--src", "1.1.1.1", "--dst", "2.2.2.2", "--proto", "bogus")[0] == 2
    assert flow("/nonexistent.rsc", "--in", "ether1", "--src", "1.1.1.1", "--dst", "2.2.2.2")[0] == 2
