"""``lab.toml``: the devices of a lab, their files, the cables between their
ports and the ports that lead to the internet.

    [lab]
    name = "article"

    [devices]
    core = "core.rsc"                      # one file
    [devices.mtr2]                         # alternative configurations of one device
    variants = { ecmp = "mtr2.rsc", failover = "mtr2-failover.rsc" }
    default = "ecmp"

    [cables]
    "core:ether2" = "isp1:ether1"          # DEVICE:PORT = DEVICE:PORT

    [uplinks]
    "core:ether1" = "internet"             # a port that leads out of the lab

Every problem in the manifest is a located diagnostic (rule LAB001, at
``lab.toml:LINE:COL``).  ``tomllib`` reports no positions for keys, so
:class:`Locator` finds them in the text itself.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rosc.diagnostics import Diagnostic, Severity, Span
from rosc.lint.toml_locations import Located, Locator, toml_error
from rosc.syntax.reading import InputTooLarge, file_kind, path_status, read_path
from rosc.syntax.source import Source

MANIFEST = "lab.toml"
MANIFEST_RULE = "LAB001"
KNOWN_TABLES = ("lab", "devices", "cables", "uplinks")
_DEVICE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")


@dataclass(slots=True)
class PortRef:
    device: str
    port: str
    span: Span | None = None

    def __str__(self) -> str:
        return f"{self.device}:{self.port}"

    @property
    def key(self) -> tuple[str, str]:
        return (self.device, self.port)


@dataclass(slots=True)
class Cable:
    a: PortRef
    b: PortRef
    span: Span | None = None

    def __str__(self) -> str:
        return f"{self.a} — {self.b}"

    def other(self, end: tuple[str, str]) -> PortRef | None:
        if self.a.key == end:
            return self.b
        if self.b.key == end:
            return self.a
        return None


@dataclass(slots=True)
class Uplink:
    port: PortRef
    network: str
    span: Span | None = None


@dataclass(slots=True)
class DeviceEntry:
    """One device: its file, or several alternative files (variants)."""

    name: str
    files: dict[str | None, str]  # variant (None for a single file) -> path relative to the lab folder
    default: str | None
    span: Span | None = None
    file_spans: dict[str | None, Span] = field(default_factory=dict)

    @property
    def variants(self) -> list[str]:
        return [v for v in self.files if v is not None]


@dataclass(slots=True)
class Manifest:
    name: str
    folder: Path
    path: Path  # lab.toml as it is shown in diagnostics
    source: Source
    devices: dict[str, DeviceEntry] = field(default_factory=dict)
    cables: list[Cable] = field(default_factory=list)
    uplinks: list[Uplink] = field(default_factory=list)

    def cable_of(self, end: tuple[str, str]) -> Cable | None:
        for cable in self.cables:
            if cable.a.key == end or cable.b.key == end:
                return cable
        return None

    def uplink_of(self, end: tuple[str, str]) -> Uplink | None:
        for uplink in self.uplinks:
            if uplink.port.key == end:
                return uplink
        return None


class ManifestError(Exception):
    """lab.toml is missing or cannot be read: a usage error (exit 2)."""


# --- loading -------------------------------------------------------------------


def output_name(device: str, variant: str | None) -> str:
    """The file ``rosc build`` writes for a device (and variant)."""
    return f"{device}-{variant}.rsc" if variant else f"{device}.rsc"


def inside(folder: Path, path: Path) -> bool:
    """Whether ``path``, every symbolic link followed, lies in ``folder``."""
    root = Path(os.path.realpath(folder))
    return Path(os.path.realpath(path)).is_relative_to(root)


OUTSIDE_NOTE = (
    "A lab's files must lie inside its folder (symbolic links are followed), so a lab.toml from elsewhere "
    "cannot read other files of this machine into checks and builds; `--allow-outside-lab` lifts this."
)


class _Loader:
    def __init__(self, folder: Path, path: Path, text: str, allow_outside: bool = False):
        self.folder = folder
        self.allow_outside = allow_outside
        self.source = Source(text, str(path))
        self.locator = Locator(text)
        self.diagnostics: list[Diagnostic] = []
        self.manifest = Manifest(folder.name or str(folder), folder, path, self.source)

    def span(self, loc: Located | None, value: bool = False) -> Span:
        if loc is None:
            return self.source.span(0, 0)
        if value:
            return self.source.span(loc.value_start, loc.value_end)
        return self.source.span(loc.key_start, loc.key_end)

    def at(self, path: tuple[str, ...], value: bool = False) -> Span:
        return self.span(self.locator.key(*path), value)

    def error(self, span: Span, message: str, notes: list[str] | None = None, fix: str | None = None) -> None:
        self.diagnostics.append(
            Diagnostic(MANIFEST_RULE, Severity.ERROR, message, self.source.path, span, list(notes or []), fix)
        )


def read_manifest(folder: Path, shown: str | None = None, allow_outside: bool = False) -> tuple[Manifest | None, list[Diagnostic]]:
    """Read ``folder/lab.toml``.  Returns (None, diagnostics) when the file
    cannot be used at all (not TOML, no devices); raises ManifestError when it
    is missing or unreadable, or (unless ``allow_outside``) a symbolic link
    to a file outside the lab folder."""
    path = folder / MANIFEST
    display = Path(shown) / MANIFEST if shown is not None else path
    if not folder.is_dir():
        raise ManifestError(f"{folder}: no such lab folder")
    if not path.is_file():
        problem = path_status(str(path))
        if problem is not None and os.path.lexists(path):
            raise ManifestError(f"{display}: {problem}")
        if os.path.lexists(path):
            raise ManifestError(f"{display}: {file_kind(os.stat(path).st_mode)}, not a file")
        raise ManifestError(f"{folder}: no {MANIFEST} in this folder (see docs/lab.md for its format)")
    if not allow_outside and not inside(folder, path):
        raise ManifestError(
            f"{display}: a symbolic link to {os.path.realpath(path)}, outside the lab folder; "
            "rosc reads a lab's files only inside its folder (--allow-outside-lab lifts this)"
        )
    try:
        text = read_path(path).decode("utf-8")
    except InputTooLarge as exc:
        raise ManifestError(f"{display}: {exc}") from None
    except OSError as exc:
        raise ManifestError(f"{display}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{display}: not UTF-8 text") from None
    return parse_manifest(text, folder, display, allow_outside)


def parse_manifest(text: str, folder: Path, path: Path, allow_outside: bool = False) -> tuple[Manifest | None, list[Diagnostic]]:
    loader = _Loader(folder, path, text, allow_outside)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        offset, message = toml_error(exc, text)
        span = loader.source.span(offset, min(len(text), offset + 1))
        loader.error(span, f"{MANIFEST} is not valid TOML: {message}", fix="fix the TOML syntax at this point")
        return None, loader.diagnostics
    _load(loader, data)
    if not loader.manifest.devices:
        return None, loader.diagnostics
    return loader.manifest, loader.diagnostics


def _load(loader: _Loader, data: dict) -> None:
    m = loader.manifest
    for key in data:
        if key not in KNOWN_TABLES:
            close = [k for k in KNOWN_TABLES if k[:3] == key[:3]]
            hint = f" (did you mean [{close[0]}]?)" if close else ""
            loader.error(
                loader.at((key,)),
                f"unknown table [{key}] in {MANIFEST}{hint}",
                notes=[f"A lab manifest has the tables {', '.join('[' + k + ']' for k in KNOWN_TABLES)}."],
                fix="rename or remove it",
            )
    lab = data.get("lab", {})
    if not isinstance(lab, dict):
        loader.error(loader.at(("lab",)), "[lab] must be a table", fix='write `[lab]` with `name = "..."` below it')
    elif "name" in lab:
        if isinstance(lab["name"], str) and lab["name"]:
            m.name = lab["name"]
        else:
            loader.error(loader.at(("lab", "name"), True), "the lab name must be a non-empty string")
    devices = data.get("devices")
    if not isinstance(devices, dict) or not devices:
        loader.error(
            loader.at(("devices",)),
            f"{MANIFEST} names no devices",
            notes=["Each device of the lab is a line `NAME = \"FILE.rsc\"` in the [devices] table."],
            fix='add a [devices] table, e.g. `core = "core.rsc"`',
        )
        return
    for name, value in devices.items():
        entry = _device(loader, name, value)
        if entry is not None:
            m.devices[name] = entry
    _check_outputs(loader)
    used: dict[tuple[str, str], tuple[str, Span]] = {}
    cables = data.get("cables", {})
    if not isinstance(cables, dict):
        loader.error(loader.at(("cables",)), "[cables] must be a table of `\"DEVICE:PORT\" = \"DEVICE:PORT\"`")
        cables = {}
    for left, right in cables.items():
        key_span = loader.at(("cables", left))
        value_span = loader.at(("cables", left), True)
        if not isinstance(right, str):
            loader.error(value_span, f"the cable from {left} must lead to a port written \"DEVICE:PORT\"")
            continue
        a = _port(loader, left, key_span, "cable")
        b = _port(loader, right, value_span, "cable")
        if a is None or b is None:
            continue
        if a.key == b.key:
            loader.error(value_span, f"the cable from {a} leads back to the same port")
            continue
        if _claim(loader, used, a, "cable") and _claim(loader, used, b, "cable"):
            whole = loader.source.span(key_span.offset, value_span.end)
            m.cables.append(Cable(a, b, whole))
    uplinks = data.get("uplinks", {})
    if not isinstance(uplinks, dict):
        loader.error(loader.at(("uplinks",)), "[uplinks] must be a table of `\"DEVICE:PORT\" = \"NETWORK\"`")
        uplinks = {}
    for left, network in uplinks.items():
        key_span = loader.at(("uplinks", left))
        if not isinstance(network, str) or not network:
            loader.error(
                loader.at(("uplinks", left), True),
                f"the uplink {left} must name the network it leads to, e.g. \"internet\"",
            )
            continue
        port = _port(loader, left, key_span, "uplink")
        if port is not None and _claim(loader, used, port, "uplink"):
            m.uplinks.append(Uplink(port, network, key_span))


def _device(loader: _Loader, name: str, value) -> DeviceEntry | None:
    path = ("devices", name)
    key_span = loader.at(path)
    if not _DEVICE_NAME.match(name):
        loader.error(
            key_span,
            f"device name {name!r} cannot be used: use letters, digits, `_`, `-` and `.` (no `:`)",
            fix="rename it: the name is also the name of the file rosc build writes",
        )
        return None
    if isinstance(value, str):
        entry = DeviceEntry(name, {None: value}, None, key_span, {None: loader.at(path, True)})
    elif isinstance(value, dict):
        unknown = set(value) - {"file", "variants", "default"}
        for key in sorted(unknown):
            loader.error(
                loader.at(path + (key,)),
                f"unknown setting `{key}` for device {name}",
                notes=["A device table has `file = \"...\"`, or `variants = { NAME = \"FILE\", ... }` and `default`."],
            )
        if "variants" in value:
            variants = value["variants"]
            if not isinstance(variants, dict) or not variants or not all(isinstance(v, str) for v in variants.values()):
                loader.error(
                    loader.at(path + ("variants",), True),
                    f"the variants of {name} must be a table of `NAME = \"FILE.rsc\"`",
                )
                return None
            bad = [v for v in variants if not _DEVICE_NAME.match(v)]
            for v in bad:
                loader.error(
                    loader.at(path + ("variants", v)),
                    f"variant name {v!r} of {name} cannot be used: use letters, digits, `_`, `-` and `.` "
                    "(not starting with `.`; no `/`, `\\` or `:`)",
                    notes=[f"rosc build writes the variant to {name}-VARIANT.rsc in the output folder."],
                    fix="rename the variant",
                )
            if bad:
                return None
            default = value.get("default")
            if default is None:
                default = next(iter(variants))
            elif default not in variants:
                loader.error(
                    loader.at(path + ("default",), True),
                    f"default variant {default!r} of {name} is not one of its variants ({', '.join(variants)})",
                    fix=f"set default to one of {', '.join(variants)}",
                )
                default = next(iter(variants))
            spans = {v: loader.at(path + ("variants", v), True) for v in variants}
            entry = DeviceEntry(name, dict(variants), default, key_span, spans)
        elif isinstance(value.get("file"), str):
            entry = DeviceEntry(name, {None: value["file"]}, None, key_span, {None: loader.at(path + ("file",), True)})
        else:
            loader.error(
                key_span,
                f"device {name} names no file",
                fix=f'write `{name} = "{name}.rsc"`, or give the table `file` or `variants`',
            )
            return None
    else:
        loader.error(loader.at(path, True), f"device {name} must name its .rsc file as a string")
        return None
    ok = True
    for variant, file in entry.files.items():
        where = entry.file_spans.get(variant) or key_span
        target = loader.folder / file
        what = f"variant {variant} of {name}" if variant else name
        if file and os.path.lexists(target) and not loader.allow_outside and not inside(loader.folder, target):
            loader.error(
                where,
                f"the file {file!r} of {what} is outside the lab folder {loader.folder}",
                notes=[OUTSIDE_NOTE],
                fix="copy the file into the lab folder and name it relative to it",
            )
            ok = False
        elif not file or not target.is_file():
            problem = path_status(str(target)) if file and os.path.lexists(target) else None
            if problem is None and file and os.path.exists(target):
                problem = f"{file_kind(os.stat(target).st_mode)}, not a file"
            loader.error(
                where,
                f"the file {file!r} of {what} " + (f"cannot be read: {problem}" if problem else f"does not exist in {loader.folder}"),
                fix="fix the file name (paths are relative to the lab folder)",
            )
            ok = False
    return entry if ok else None


def _check_outputs(loader: _Loader) -> None:
    """Two devices or variants that ``rosc build`` would write to one file
    (``core-x`` and variant ``x`` of ``core``; ``R1`` and ``r1`` on a
    case-insensitive file system)."""
    seen: dict[str, str] = {}
    for name, entry in loader.manifest.devices.items():
        for variant in entry.files:
            filename = output_name(name, variant)
            what = f"variant {variant} of {name}" if variant else f"device {name}"
            first = seen.get(filename.casefold())
            if first is None:
                seen[filename.casefold()] = what
                continue
            span = loader.at(("devices", name, "variants", variant)) if variant else entry.span
            loader.error(
                span or loader.source.span(0, 0),
                f"{what} and {first} would both be built into {filename}",
                notes=["rosc build writes DEVICE.rsc for a device and DEVICE-VARIANT.rsc for each variant; "
                       "file names that differ only in case are one file on Windows and macOS."],
                fix="rename the device or the variant",
            )


def _port(loader: _Loader, text: str, span: Span, what: str) -> PortRef | None:
    device, sep, port = text.partition(":")
    if not sep or not device or not port:
        loader.error(span, f"{what} end {text!r} must be written \"DEVICE:PORT\", e.g. \"core:ether2\"")
        return None
    devices = loader.manifest.devices
    if device not in devices:
        # devices whose file is missing were reported already
        known = ", ".join(devices) or "none"
        raw = loader.locator.key("devices", device)
        if raw is None:
            loader.error(
                span,
                f"{what} end {text}: there is no device {device!r} in [devices] (devices: {known})",
                fix=f"add {device} to [devices] or correct the name",
            )
        return None
    return PortRef(device, port, span)


def _claim(loader: _Loader, used: dict, port: PortRef, what: str) -> bool:
    other = used.get(port.key)
    if other is not None:
        first_what, first_span = other
        loader.error(
            port.span,
            f"{port} is used twice: it is already the end of a {first_what} on line {first_span.line}",
            notes=["A port takes one cable; to join several devices, cable them to a bridge or switch."],
            fix="use another port",
        )
        return False
    used[port.key] = (what, port.span)
    return True
