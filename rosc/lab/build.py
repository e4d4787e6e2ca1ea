"""Building a lab.

    report = build_lab("samples/article", "out/", force=False)

Checks the lab (``rosc.lab.runner``), then writes one canonical script per
device and variant, in dependency order (``rosc.lab.build_order``), and
``REPORT.md`` (``rosc.lab.report``) with the picture of the topology beside it
(``topology.svg``, ``rosc.lab.svg``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rosc.diagnostics import Diagnostic, Severity
from rosc.format.formatter import write_atomic
from rosc.lab.build_order import build_script
from rosc.lab.loader import Lab, load_lab
from rosc.lab.network import Network
from rosc.lab.report import TOPOLOGY_SVG, render_report
from rosc.lab.svg import render_svg
from rosc.lab.runner import collect, filter_enabled
from rosc.lab.topology import LabDevice
from rosc.lint.config import Config


@dataclass(slots=True)
class BuildReport:
    lab: Lab | None
    diagnostics: list[Diagnostic]
    out_dir: Path | None
    written: list[Path] = field(default_factory=list)
    refused: bool = False  # errors, and no --force
    report: str = ""

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity >= Severity.ERROR)


def build_lab(folder, out_dir=None, force: bool = False, config: Config | None = None) -> BuildReport:
    """Check the lab, then write one canonical script per device and
    variant, and REPORT.md, to ``out_dir`` (default ``FOLDER/build``).
    Nothing is written when a finding is at or above ``config.fail_on``
    (errors, by default), unless ``force``."""
    config = config or Config()
    lab, diagnostics = load_lab(folder, config)
    if lab is None:
        return BuildReport(None, filter_enabled(diagnostics, config), None, refused=True)
    found = collect(lab, config)
    target = Path(out_dir) if out_dir is not None else Path(folder) / "build"
    report = BuildReport(lab, found, target)
    if not force and any(d.severity >= config.fail_on for d in found):
        report.refused = True
        return report
    outputs: list[tuple[str, str]] = []
    for (name, variant), device in lab.files.items():
        if device.lint.parse.has_errors:
            continue
        filename = f"{name}-{variant}.rsc" if variant else f"{name}.rsc"
        outputs.append((filename, build_script(device, _build_header(lab, device))))
    report.report = render_report(lab, found, [f for f, _ in outputs])
    outputs.append(("REPORT.md", report.report))
    outputs.append((TOPOLOGY_SVG, render_svg(Network(lab, lab.default_choice(), set()), title=f"lab {lab.name}")))
    target.mkdir(parents=True, exist_ok=True)
    for filename, text in outputs:
        path = target / filename
        write_atomic(path, text)
        report.written.append(path)
    return report


def _build_header(lab: Lab, device: LabDevice) -> str:
    what = f"{device.name}, variant {device.variant}" if device.variant else device.name
    return f"{what} of lab {lab.name}: built by rosc from {device.file}"
