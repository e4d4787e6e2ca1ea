"""The lab as a picture (`rosc graph --format svg`, `rosc route --format svg`,
`topology.svg` of `rosc build`), rendered by a real browser.

Headless Chromium (Debian's `chromium`, installed by the README's set-up)
loads each picture inside a page whose script measures every text and box
with the DOM (`getBoundingClientRect`), and the test checks that every device
and link label is there and that no two of them overlap.  The same browser
takes the screenshot linked from the README: run with `ROSC_UPDATE_DOCS=1` to
write it to `docs/images/article-topology.png`.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import struct
import subprocess
import xml.dom.minidom
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ARTICLE, ROOT
from rosc.cli.main import main
from rosc.lab.build import build_lab
from rosc.lab.loader import load_lab
from rosc.lab.svg import Rect, render_svg

SCREENSHOT = ROOT / "docs" / "images" / "article-topology.png"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
]

MEASURE = """<!doctype html><html><body style="margin:0">%s
<pre id="out"></pre>
<script>
const out = [];
for (const el of document.querySelectorAll('svg text, svg [data-role="device-box"], svg [data-role="cloud"]')) {
  const r = el.getBoundingClientRect();
  out.push({tag: el.tagName, role: el.getAttribute('data-role'), device: el.getAttribute('data-device'),
            text: el.tagName === 'text' ? el.textContent : null, x: r.x, y: r.y, w: r.width, h: r.height});
}
document.getElementById('out').textContent = JSON.stringify(out);
</script></body></html>"""


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no Chromium on this machine: the README's test set-up installs it (apt-get install chromium)")


def _run_browser(args: list[str], tmp_path: Path) -> str:
    profile = tmp_path / "profile"
    cmd = [_chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return result.stdout


def measure(svg: str, tmp_path: Path) -> list[dict]:
    page = tmp_path / "page.html"
    page.write_text(MEASURE % svg, encoding="utf-8")
    dom = _run_browser(["--virtual-time-budget=5000", "--dump-dom", page.as_uri()], tmp_path)
    m = re.search(r'<pre id="out">(.*?)</pre>', dom, re.DOTALL)
    assert m and m.group(1), f"the browser did not run the measuring script: {dom[:500]}"
    return json.loads(xml.dom.minidom.parseString(f"<x>{m.group(1)}</x>").documentElement.firstChild.data)


def _rect(e: dict) -> Rect:
    return Rect(e["x"], e["y"], e["w"], e["h"])


def overlaps(elements: list[dict]) -> list[str]:
    """Pairs that overlap: two texts, or a text and a box it does not belong to."""
    texts = [e for e in elements if e["tag"] == "text"]
    boxes = [e for e in elements if e["tag"] != "text"]
    found = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if _rect(a).overlaps(_rect(b), margin=0):
                found.append(f"{a['text']!r} overlaps {b['text']!r}")
        for box in boxes:
            inside = a["role"] in ("device", "cloud") and _rect(a).x >= box["x"] - 1 and _rect(a).x + a["w"] <= box["x"] + box["w"] + 1 \
                and a["y"] >= box["y"] - 1 and a["y"] + a["h"] <= box["y"] + box["h"] + 1
            if not inside and _rect(a).overlaps(_rect(box), margin=0):
                found.append(f"{a['text']!r} overlaps the box of {box.get('device') or box['role']}")
    return found


def texts(elements: list[dict]) -> list[str]:
    return [e["text"] for e in elements if e["tag"] == "text"]


@pytest.fixture(scope="module")
def lab():
    lab, diagnostics = load_lab(ARTICLE)
    assert lab is not None, diagnostics
    return lab


def test_article_topology_in_a_browser(lab, tmp_path):
    network = lab.network()
    svg = render_svg(network, title="lab article")
    elements = measure(svg, tmp_path)
    shown = texts(elements)
    for name in ("core", "isp1", "isp2", "mtr1", "mtr2", "mtr3", "internet"):
        assert name in shown
    assert "(ecmp)" in shown  # the variant of mtr2
    # every cable end: the port and its addresses
    for a, b, _cable in network.topology.cables:
        for dev, port in (a, b):
            l3 = network.topology.l3_interface(dev, port)
            assert any(t.startswith(port) for t in shown), f"{dev}:{port} has no label"
            for fact in network.devices[dev].facts.addresses:
                if fact.interface == l3 and fact.iface.version == 4 and l3 == port:
                    assert str(fact.iface) in shown
    for session in network.sessions.pppoe:
        assert f"PPPoE {session.client.user}" in shown
        assert f"{session.client.name} {session.remote}" in shown
    (tunnel,) = network.sessions.tunnels
    assert "WireGuard" in shown and "10.0.0.1 ⇄ 10.0.0.2" in shown
    assert overlaps(elements) == []
    # internet at the top, customers at the bottom
    y = {e["device"] or "internet": e["y"] + e["h"] / 2 for e in elements if e["role"] in ("device-box", "cloud")}
    assert y["internet"] < y["core"] < y["isp1"] < y["mtr1"]
    assert abs(y["isp1"] - y["isp2"]) < 0.5
    assert abs(y["mtr1"] - y["mtr2"]) < 0.5 and abs(y["mtr2"] - y["mtr3"]) < 0.5


def test_screenshot_of_the_article_lab(lab, tmp_path):
    svg = render_svg(lab.network(), title="lab article")
    width, height = (int(float(v)) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', svg).groups())
    path = tmp_path / "topology.svg"
    path.write_text(svg, encoding="utf-8")
    shot = tmp_path / "topology.png"
    _run_browser([f"--screenshot={shot}", f"--window-size={width},{height}", path.as_uri()], tmp_path)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (width, height)
    assert len(data) > 10_000  # a picture, not a blank page
    if os.environ.get("ROSC_UPDATE_DOCS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        SCREENSHOT.write_bytes(data)
    assert SCREENSHOT.is_file(), "docs/images/article-topology.png is missing: run the test with ROSC_UPDATE_DOCS=1"


def test_a_dropped_path_is_highlighted_where_it_ends(lab, tmp_path):
    network = lab.network({"mtr2": "failover"}, {("core", "ether2")})
    paths = network.simulation.trace("mtr2", ipaddress.ip_address("9.9.9.9"))
    assert not paths[0].ok
    svg = render_svg(network, paths, "mtr2 (failover) → 9.9.9.9")
    assert svg.count('data-role="path"') == len(paths[0].hops) - 1
    elements = measure(svg, tmp_path)
    bad = [e for e in elements if e["role"] == "badge-bad"]
    assert bad and bad[0]["text"].startswith("✗")
    assert overlaps(elements) == []


def test_a_reached_path_is_highlighted_to_the_internet(lab, tmp_path):
    network = lab.network({"mtr2": "recursive"}, {("core", "ether2")})
    paths = network.simulation.trace("mtr2", ipaddress.ip_address("9.9.9.9"))
    assert all(p.ok for p in paths)
    svg = render_svg(network, paths)
    kinds = re.findall(r'data-role="path" data-kind="(\w+)"', svg)
    assert sorted(kinds) == ["cable", "pppoe", "uplink"]  # PPPoE to isp2, the cable to core, the uplink
    elements = measure(svg, tmp_path)
    assert any(e["role"] == "badge-ok" and e["text"].startswith("✓") for e in elements)
    assert overlaps(elements) == []


def _big_lab(folder: Path) -> None:
    """Two uplinked routers, four ISPs, twelve customers with PPPoE: a crowded picture."""
    toml = ['[lab]\nname = "big"\n', "[devices]"]
    cables, files = [], {}
    for e in (1, 2):
        files[f"edge{e}"] = f"/ip address\nadd address=192.0.2.{e}/24 interface=ether1\n" + "".join(
            f"add address=10.{e}.{i}.1/30 interface=ether{i + 1}\n" for i in (1, 2)
        )
    for n in range(1, 5):
        edge, port = (1 + (n - 1) // 2), 2 + (n - 1) % 2
        files[f"isp{n}"] = (
            f"/ip address\nadd address=10.{edge}.{port - 1}.2/30 interface=ether1\n"
            f"/ip pool\nadd name=p ranges=100.{n}.0.10-100.{n}.0.200\n"
            f"/ppp profile\nadd name=pp local-address=100.{n}.0.1 remote-address=p\n"
            "/interface pppoe-server server\n" + "".join(f"add interface=ether{k} service-name=s default-profile=pp disabled=no\n" for k in (2, 3, 4))
            + "/ppp secret\n" + "".join(f"add name=u{n}{k} password=Long-Secret-{n}{k} profile=pp service=pppoe\n" for k in (2, 3, 4))
        )
        cables.append(f'"edge{edge}:ether{port}" = "isp{n}:ether1"')
        for k in (2, 3, 4):
            c = f"c{n}{k}"
            files[c] = f"/interface pppoe-client\nadd interface=ether1 name=wan user=u{n}{k} password=Long-Secret-{n}{k} add-default-route=yes disabled=no\n"
            cables.append(f'"isp{n}:ether{k}" = "{c}:ether1"')
    for name, text in files.items():
        (folder / f"{name}.rsc").write_text(text)
        toml.append(f'{name} = "{name}.rsc"')
    toml += ["", "[cables]", *cables, "", "[uplinks]", '"edge1:ether1" = "internet"', '"edge2:ether1" = "internet"']
    (folder / "lab.toml").write_text("\n".join(toml) + "\n")


def test_a_crowded_lab_stays_readable(tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    _big_lab(folder)
    big, diagnostics = load_lab(folder)
    assert big is not None, diagnostics
    network = big.network()
    assert len(network.sessions.pppoe) == 12
    elements = measure(render_svg(network), tmp_path)
    shown = texts(elements)
    for name in network.devices:
        assert name in shown
    assert sum(t.startswith("PPPoE u") for t in shown) == 12
    assert overlaps(elements) == []


def test_the_overlap_check_finds_an_overlap(tmp_path):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><text x="10" y="20">alpha</text>'
           '<text x="14" y="22">beta</text></svg>')
    assert overlaps(measure(svg, tmp_path))


def test_commands_write_the_picture(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["graph", str(ARTICLE), "--format", "svg"])
    assert result.exit_code == 0 and result.output.startswith("<svg")
    xml.dom.minidom.parseString(result.output)
    result = runner.invoke(main, ["route", str(ARTICLE), "--from", "mtr2", "--to", "9.9.9.9", "--variant", "failover",
                                  "--down", "core:ether2", "--format", "svg"])
    assert result.exit_code == 1 and 'data-role="badge-bad"' in result.output
    report = build_lab(ARTICLE, tmp_path / "out")
    svg = (tmp_path / "out" / "topology.svg").read_text(encoding="utf-8")
    xml.dom.minidom.parseString(svg)
    text = (tmp_path / "out" / "REPORT.md").read_text(encoding="utf-8")
    assert "```mermaid\nflowchart LR\n" in text and "(topology.svg)" in text
    assert tmp_path / "out" / "topology.svg" in report.written
