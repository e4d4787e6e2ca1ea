"""Building a lab.

    report = build_lab("samples/article", "out/", force=False)

Checks the lab (``rosc.lab.runner``), then writes one canonical script per
device and variant, in dependency order (``rosc.lab.build_order``), and
``REPORT.md`` (``rosc.lab.report``) with the picture of the topology beside it
(``topology.svg``, ``rosc.lab.svg``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from rosc.diagnostics import Diagnostic, Severity
from rosc.lab.build_order import build_script
from rosc.lab.loader import Lab, load_lab
from rosc.lab.manifest import output_name
from rosc.lab.output_folder import OutputError, write_folder
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


class BuildError(Exception):
    """The build cannot be written (an output folder holding the lab's
    sources, two outputs with one name...): nothing was written, exit 2."""


def build_lab(folder, out_dir=None, force: bool = False, config: Config | None = None,
              allow_outside: bool = False) -> BuildReport:
    """Check the lab, then write one canonical script per device and
    variant, and REPORT.md, to ``out_dir`` (default ``FOLDER/build``), all
    at once (``rosc.lab.output_folder``).  Nothing is written when a finding
    is at or above ``config.fail_on`` (errors, by default), unless ``force``;
    never into a folder that holds the lab's own files."""
    config = config or Config()
    lab, diagnostics = load_lab(folder, config, allow_outside)
    if lab is None:
        return BuildReport(None, filter_enabled(diagnostics, config), None, refused=True)
    found = collect(lab, config)
    target = Path(out_dir) if out_dir is not None else Path(folder) / "build"
    report = BuildReport(lab, found, target)
    _check_target(lab, target)
    if not force and any(d.severity >= config.fail_on for d in found):
        report.refused = True
        return report
    outputs: list[tuple[str, str]] = []
    owners: dict[str, str] = {}
    for (name, variant), device in lab.files.items():
        filename = output_name(name, variant)
        what = f"variant {variant} of {name}" if variant else f"device {name}"
        other = owners.setdefault(filename.casefold(), what)
        if other != what:
            raise BuildError(f"{what} and {other} would both be written to {filename}: nothing written (rename one in lab.toml)")
        if device.lint.parse.has_errors:
            continue
        outputs.append((filename, build_script(device, _build_header(lab, device))))
    report.report = render_report(lab, found, [f for f, _ in outputs])
    outputs.append(("REPORT.md", report.report))
    outputs.append((TOPOLOGY_SVG, render_svg(lab.configured(lab.default_choice()), title=f"lab {lab.name}")))
    try:
        report.written = write_folder(target, outputs)
    except OutputError as exc:
        raise BuildError(f"{exc}: nothing written") from None
    return report


def _check_target(lab: Lab, target: Path) -> None:
    """Refuse an output folder that is, or holds, a file of the lab
    (``rosc build LAB -o LAB`` would overwrite the sources)."""
    out = Path(os.path.realpath(target))
    sources = [lab.manifest.folder / "lab.toml"] + [
        lab.manifest.folder / file for entry in lab.manifest.devices.values() for file in entry.files.values()
    ]
    held = []
    for path in sources:
        real = Path(os.path.realpath(path))
        if real.is_relative_to(out):
            held.append(os.path.relpath(path, lab.manifest.folder))
    if held:
        shown = ", ".join(sorted(set(held))[:4]) + (" ..." if len(set(held)) > 4 else "")
        raise BuildError(
            f"the output folder {target} holds files of the lab ({shown}); a build replaces its output folder, "
            "so it must be a folder of its own: nothing written (the default is LAB/build)"
        )


def _build_header(lab: Lab, device: LabDevice) -> str:
    what = f"{device.name}, variant {device.variant}" if device.variant else device.name
    return f"{what} of lab {lab.name}: built by rosc from {device.file}"
