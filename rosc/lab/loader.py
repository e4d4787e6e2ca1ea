"""A lab: several devices, the cables between them, read from ``lab.toml``.

    lab, diagnostics = load_lab("samples/article")

``load_lab`` reads the manifest and lints every file it names (each variant
of a device included) with ``rosc.lint.engine.lint_bytes``; checking the lab
as a whole is ``rosc.lab.runner``, building it ``rosc.lab.build``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from rosc.diagnostics import Diagnostic, Severity
from rosc.lab.manifest import Manifest, PortRef, inside, read_manifest
from rosc.lab.network import Network
from rosc.lab.topology import LabDevice
from rosc.lint.config import Config
from rosc.lint.engine import lint_bytes
from rosc.syntax.reading import InputTooLarge, read_path
from rosc.syntax.source import Source


def _shown(folder) -> str:
    text = os.fspath(folder)
    return text.rstrip("/") or "/"


@dataclass(slots=True, eq=False)
class Lab:
    manifest: Manifest
    folder: Path
    shown: str
    files: dict[tuple[str, str | None], LabDevice] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # problems of lab.toml
    networks: dict[tuple, Network] = field(default_factory=dict, repr=False)  # see ``configured``

    @property
    def name(self) -> str:
        return self.manifest.name

    def variants(self, device: str) -> list[str]:
        return self.manifest.devices[device].variants

    def default_choice(self) -> dict[str, str | None]:
        return {name: entry.default for name, entry in self.manifest.devices.items()}

    def choice(self, overrides: dict[str, str] | None = None) -> dict[str, str | None]:
        out = self.default_choice()
        for device, variant in (overrides or {}).items():
            if device not in out:
                raise KeyError(f"no device {device!r} in the lab")
            if variant not in self.variants(device):
                known = ", ".join(self.variants(device)) or "none"
                raise KeyError(f"device {device} has no variant {variant!r} (variants: {known})")
            out[device] = variant
        return out

    def configurations(self) -> list[dict[str, str | None]]:
        """The default configuration, then each other variant of each device
        with the rest in their default."""
        base = self.default_choice()
        out = [base]
        for name, entry in self.manifest.devices.items():
            for variant in entry.variants:
                if variant != entry.default:
                    out.append({**base, name: variant})
        return out

    def network(self, overrides: dict[str, str] | None = None, down: set[tuple[str, str]] | None = None) -> "Network":
        if not down:
            return self.configured(self.choice(overrides))
        return Network(self, self.choice(overrides), down)

    def configured(self, choice: dict[str, str | None]) -> Network:
        """The network of one configuration with every port up, built once
        per lab: its sessions and routing simulation are shared by the lab
        rules, REPORT.md and the picture of a build."""
        key = tuple(choice.items())
        found = self.networks.get(key)
        if found is None:
            found = self.networks[key] = Network(self, choice, set())
        return found

    def resolve_variant(self, text: str) -> tuple[str, str]:
        """``DEVICE=VARIANT`` or a VARIANT name only one device has."""
        if "=" in text:
            device, _, variant = text.partition("=")
            return device.strip(), variant.strip()
        owners = [name for name, entry in self.manifest.devices.items() if text in entry.variants]
        if len(owners) == 1:
            return owners[0], text
        if not owners:
            raise KeyError(f"no device has a variant {text!r}")
        raise KeyError(f"several devices have a variant {text!r} ({', '.join(owners)}): write DEVICE={text}")

    def resolve_port(self, text: str) -> list[tuple[str, str]]:
        """The ports ``--down`` breaks: ``DEVICE:PORT`` (with the cable it
        is on) or ``DEVICE:PORT=DEVICE:PORT`` (a cable)."""
        ends = [p.strip() for p in text.replace("--", "=").split("=") if p.strip()]
        if not ends or len(ends) > 2:
            raise KeyError(f"{text!r}: write DEVICE:PORT or DEVICE:PORT=DEVICE:PORT")
        out = []
        for end in ends:
            device, sep, port = end.partition(":")
            if not sep or device not in self.manifest.devices or not port:
                raise KeyError(f"{end!r} is not a port of the lab: write DEVICE:PORT (devices: {', '.join(self.manifest.devices)})")
            lab_device = self.files[(device, self.manifest.devices[device].default)]
            name = lab_device.port_name(port)
            if name is None:
                raise KeyError(f"{device} has no port {port!r}")
            out.append((device, name))
        if len(out) == 2:
            cabled = {(c.a.key, c.b.key) for c in self.manifest.cables} | {(c.b.key, c.a.key) for c in self.manifest.cables}
            names = {}
            for c in self.manifest.cables:
                for end in (c.a, c.b):
                    dev = self.files[(end.device, self.manifest.devices[end.device].default)]
                    names[end.key] = (end.device, dev.port_name(end.port))
            if not any(names.get(a) == out[0] and names.get(b) == out[1] for a, b in cabled):
                raise KeyError(f"there is no cable {text} in lab.toml")
        return out

    def sources(self) -> dict[str, Source]:
        out = {str(self.manifest.source.path): self.manifest.source}
        for dev in self.files.values():
            out[dev.path] = dev.lint.source
        return out


def load_lab(folder, config: Config | None = None, allow_outside: bool = False) -> tuple[Lab | None, list[Diagnostic]]:
    """Read lab.toml and lint every file it names.  Returns (None, diagnostics)
    when lab.toml cannot be used; raises ManifestError when it is missing.
    Files outside the lab folder (symbolic links followed) are not read
    unless ``allow_outside``."""
    folder_path = Path(folder)
    shown = _shown(folder)
    manifest, diagnostics = read_manifest(folder_path, shown, allow_outside)
    if manifest is None:
        return None, diagnostics
    lab = Lab(manifest, folder_path, shown, diagnostics=list(diagnostics))
    for name, entry in manifest.devices.items():
        for variant, file in entry.files.items():
            path = folder_path / file
            display = os.path.join(shown, file)
            try:
                if not allow_outside and not inside(folder_path, path):
                    raise PermissionError(0, "it is outside the lab folder now")
                data = read_path(path)
            except (OSError, InputTooLarge) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                lab.diagnostics.append(
                    Diagnostic(
                        "LAB001", Severity.ERROR, f"cannot read {file}: {reason}",
                        str(manifest.path), entry.file_spans.get(variant) or manifest.source.span(0, 0),
                    )
                )
                continue
            lab.files[(name, variant)] = LabDevice(name, variant, file, display, lint_bytes(data, display, config))
    missing = {name for name, entry in manifest.devices.items() if any((name, v) not in lab.files for v in entry.files)}
    for name in missing:
        del manifest.devices[name]
    _check_ports(lab)
    return lab, lab.diagnostics


def _check_ports(lab: Lab) -> None:
    manifest = lab.manifest
    ends: list[PortRef] = [c.a for c in manifest.cables] + [c.b for c in manifest.cables]
    ends += [u.port for u in manifest.uplinks]
    bad: set[tuple[str, str]] = set()
    for end in ends:
        entry = manifest.devices.get(end.device)
        if entry is None:
            bad.add(end.key)
            continue
        for variant in entry.files:
            device = lab.files[(end.device, variant)]
            if device.port_name(end.port) is None:
                kind = device.interface_kind(end.port)
                what = f"a {kind} interface" if kind else "not an interface"
                lab.diagnostics.append(
                    Diagnostic(
                        "LAB001", Severity.ERROR,
                        f"{end.device} has no port {end.port!r} ({device.file}: {what}): cables and uplinks join physical ports",
                        str(manifest.path), end.span or manifest.source.span(0, 0),
                        ["A cable end is a port of the device: ether1, sfp1..., or the name a port was given "
                         "with `/interface ethernet set [find default-name=ether1] name=...`."],
                        "name the physical port the cable is plugged into",
                    )
                )
                bad.add(end.key)
                break
    if bad:
        manifest.cables = [c for c in manifest.cables if c.a.key not in bad and c.b.key not in bad]
        manifest.uplinks = [u for u in manifest.uplinks if u.port.key not in bad]
