"""A lab: several devices, the cables between them, checked and built as a whole.

    lab, diagnostics = load_lab("samples/article")
    diagnostics = check_lab("samples/article")             # every device and lab rule
    report = build_lab("samples/article", "out/", force=False)

``check_lab`` runs every single-device lint (``rosc.checks.engine.lint_bytes``) on
every file of the lab (each variant of a device included) and every lab rule
(``area="lab"``, ``scope="lab"``, in ``rosc.lab.checks``) on each
configuration of the lab: the default one, then each variant of a device
with the other devices in their default variant.  A finding reported by
several configurations is reported once.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rosc.checks.config import Config
from rosc.diagnostics import Diagnostic, Severity
from rosc.lab.manifest import MANIFEST, Manifest, ManifestError, PortRef, read_manifest
from rosc.checks.engine import apply_suppressions, lint_bytes
from rosc.checks.registry import Rule, all_rules
from rosc.lab.sessions import Sessions
from rosc.diagnostics import Span
from rosc.syntax.source import Source
from rosc.lab.topology import LabDevice, Topology

__all__ = ["Lab", "Network", "LabContext", "BuildReport", "ManifestError", "load_lab", "check_lab", "build_lab"]


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
        return Network(self, self.choice(overrides), down or set())

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


class Network:
    """One configuration of a lab (a variant chosen for each device), with
    some ports possibly down: its topology, sessions and routing."""

    def __init__(self, lab: Lab, choice: dict[str, str | None], down: set[tuple[str, str]]):
        self.lab = lab
        self.manifest = lab.manifest
        self.choice = choice
        self.down = set(down)
        self.devices: dict[str, LabDevice] = {name: lab.files[(name, variant)] for name, variant in choice.items()}
        self.topology = Topology(self.manifest, self.devices, self.down)
        self.sessions = Sessions(self.topology)

    @cached_property
    def simulation(self):
        from rosc.lab.simulation import Simulation

        return Simulation(self)

    def with_down(self, down: set[tuple[str, str]]) -> "Network":
        return Network(self.lab, self.choice, self.down | set(down))


@dataclass(slots=True)
class LabContext:
    """What a lab rule sees: the lab, one configuration of it, and a way to
    report findings in any of its files."""

    lab: Lab
    network: Network
    rule: Rule
    severity: Severity

    @property
    def devices(self) -> dict[str, LabDevice]:
        return self.network.devices

    @property
    def topology(self) -> Topology:
        return self.network.topology

    @property
    def sessions(self) -> Sessions:
        return self.network.sessions

    def line(self, device: str | LabDevice, node) -> int:
        dev = self.devices[device] if isinstance(device, str) else device
        return dev.lint.source.line_col(node.start)[0] if node is not None else 0

    def finding(self, device: str | LabDevice, node, message: str, notes=None, fix=None) -> Diagnostic:
        dev = self.devices[device] if isinstance(device, str) else device
        start, end = (node.start, node.end) if node is not None else (0, 0)
        return Diagnostic(
            self.rule.id, self.severity, message, dev.path, dev.lint.source.span(start, end), list(notes or []), fix
        )

    def manifest_finding(self, span: Span | None, message: str, notes=None, fix=None) -> Diagnostic:
        source = self.lab.manifest.source
        span = span or source.span(0, 0)
        return Diagnostic(self.rule.id, self.severity, message, source.path, span, list(notes or []), fix)


# --- loading -----------------------------------------------------------------------------


def load_lab(folder, config: Config | None = None) -> tuple[Lab | None, list[Diagnostic]]:
    """Read lab.toml and lint every file it names.  Returns (None, diagnostics)
    when lab.toml cannot be used; raises ManifestError when it is missing."""
    folder_path = Path(folder)
    shown = _shown(folder)
    manifest, diagnostics = read_manifest(folder_path, shown)
    if manifest is None:
        return None, diagnostics
    lab = Lab(manifest, folder_path, shown, diagnostics=list(diagnostics))
    for name, entry in manifest.devices.items():
        for variant, file in entry.files.items():
            path = folder_path / file
            display = os.path.join(shown, file)
            try:
                data = path.read_bytes()
            except OSError as exc:
                lab.diagnostics.append(
                    Diagnostic(
                        "LAB001", Severity.ERROR, f"cannot read {file}: {exc.strerror or exc}",
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


# --- checking ----------------------------------------------------------------------------------


def lab_rules(config: Config | None = None) -> list[Rule]:
    import rosc.lab.checks  # noqa: F401  (registers the lab rules)

    config = config or Config()
    return [r for r in all_rules().values() if r.scope == "lab" and r.check is not None and config.enabled(r)]


def run_lab_rules(lab: Lab, config: Config | None = None) -> list[Diagnostic]:
    """Every lab rule on every configuration of the lab, each finding once."""
    config = config or Config()
    rules = lab_rules(config)
    seen: set[tuple] = set()
    out: list[Diagnostic] = []
    for choice in lab.configurations():
        network = Network(lab, choice, set())
        for rule in rules:
            ctx = LabContext(lab, network, rule, config.severity_of(rule))
            for d in rule.check(ctx):
                key = (d.code, d.path, d.span.offset, d.span.end, d.message)
                if key not in seen:
                    seen.add(key)
                    out.append(d)
    return out


def check_lab(folder, config: Config | None = None) -> list[Diagnostic]:
    """Every finding of the lab in ``folder``: lab.toml, each file's own
    lint, and the rules across devices.  Raises ManifestError when the folder
    or its lab.toml is missing."""
    config = config or Config()
    lab, diagnostics = load_lab(folder, config)
    if lab is None:
        return _filter(diagnostics, config)
    return collect(lab, config)


def collect(lab: Lab, config: Config) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for device in lab.files.values():
        out.extend(device.lint.diagnostics)
    lab_found = run_lab_rules(lab, config)
    manifest_path = str(lab.manifest.path)
    by_path: dict[str, list[Diagnostic]] = {}
    for d in lab_found:
        by_path.setdefault(d.path, []).append(d)
    for device in lab.files.values():
        found = by_path.pop(device.path, [])
        if found:
            out.extend(apply_suppressions(device.lint.parse, found))
    for path, found in by_path.items():
        out.extend(found)
    if not any(r.id == "LAB001" for r in lab_rules(config)):
        out = [d for d in out if not (d.code == "LAB001" and d.path == manifest_path)]
    out.sort(key=lambda d: (d.path != manifest_path, d.path, d.span.offset, d.code))
    return out


def _filter(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    rules = all_rules()
    out = []
    for d in diagnostics:
        rule = rules.get(d.code)
        if rule is None or config.enabled(rule):
            if rule is not None:
                d.severity = config.severity_of(rule)
            out.append(d)
    return out


# --- building ----------------------------------------------------------------------------------


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
    from rosc.lab.build_order import build_script

    config = config or Config()
    lab, diagnostics = load_lab(folder, config)
    if lab is None:
        return BuildReport(None, _filter(diagnostics, config), None, refused=True)
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
    target.mkdir(parents=True, exist_ok=True)
    from rosc.format.formatter import write_atomic

    for filename, text in outputs:
        path = target / filename
        write_atomic(path, text)
        report.written.append(path)
    return report


def _build_header(lab: Lab, device: LabDevice) -> str:
    what = f"{device.name}, variant {device.variant}" if device.variant else device.name
    return f"{what} of lab {lab.name}: built by rosc from {device.file}"


# --- the build report ------------------------------------------------------------------------

INTERNET_PROBE = "9.9.9.9"


def _relative(lab: Lab, path: str) -> str:
    prefix = lab.shown.rstrip("/") + "/"
    return path[len(prefix):] if path.startswith(prefix) else path


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_report(lab: Lab, diagnostics: list[Diagnostic], built: list[str]) -> str:
    """REPORT.md: devices, links, sessions, tunnels, internet access, findings."""
    from rosc.lab.simulation import outcome_text

    m = lab.manifest
    net = Network(lab, lab.default_choice(), set())
    out = [f"# Lab {m.name}", "", f"Built by rosc from {MANIFEST}.", ""]
    out += ["## Devices", "", "| device | variant | source | built |", "|---|---|---|---|"]
    for name, entry in m.devices.items():
        for variant, file in entry.files.items():
            target = f"{name}-{variant}.rsc" if variant else f"{name}.rsc"
            shown_variant = "" if variant is None else variant + (" (default)" if variant == entry.default else "")
            done = target if target in built else "not built"
            out.append(f"| {name} | {shown_variant} | {file} | {done} |")
    out += ["", "## Links", ""]
    topo = net.topology
    for a, b, _cable in topo.cables:
        ends = []
        for dev_name, port in (a, b):
            dev = net.devices[dev_name]
            l3 = topo.l3_interface(dev_name, port)
            addrs = [str(x.iface) for x in dev.facts.addresses if x.interface == l3 and x.iface.version == 4]
            where = f"{dev_name}:{port}" + (f" (bridge {l3})" if l3 != port else "")
            ends.append(where + (f" {', '.join(addrs)}" if addrs else ""))
        out.append(f"- cable {ends[0]} — {ends[1]}")
    for uplink in m.uplinks:
        out.append(f"- uplink {uplink.port} → {uplink.network}")
    if not topo.cables and not m.uplinks:
        out.append("- none")
    default_rows = None
    for choice in lab.configurations():
        label = _choice_label(lab, choice)
        network = net if choice == lab.default_choice() else Network(lab, choice, set())
        rows = _session_rows(network)
        if default_rows is None:
            default_rows = rows
            out += ["", f"## Sessions and tunnels{label}", ""]
            out += rows or ["- none"]
        elif rows != default_rows:
            out += ["", f"## Sessions and tunnels{label}", ""]
            out += [r for r in rows if r not in default_rows] or ["- none"]
    out += ["", f"## Internet access ({INTERNET_PROBE})", ""]
    for choice in lab.configurations():
        network = net if choice == lab.default_choice() else Network(lab, choice, set())
        if choice == lab.default_choice():
            names = list(network.devices)
        else:
            names = [n for n, v in choice.items() if v != lab.default_choice()[n]]
        for name in names:
            dev = network.devices[name]
            paths = network.simulation.trace(name, ipaddress.ip_address(INTERNET_PROBE))
            for p in paths:
                via = " → ".join(h.device for h in p.hops)
                share = f", {p.share} of the flows" if len(paths) > 1 else ""
                out.append(f"- {dev.label}{share}: {via}: {outcome_text(p)}")
    counts = {sev: sum(1 for d in diagnostics if d.severity == sev) for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    out += ["", "## Findings", "", ", ".join(f"{n} {sev.label}{'s' if n != 1 else ''}" for sev, n in counts.items()), ""]
    if diagnostics:
        out += ["| where | severity | rule | message |", "|---|---|---|---|"]
        for d in diagnostics:
            where = f"{_relative(lab, d.path)}:{d.span.line}:{d.span.column}"
            out.append(f"| {where} | {d.severity.label} | {d.code} | {_cell(d.message)} |")
    return "\n".join(out) + "\n"


def _session_rows(network: Network) -> list[str]:
    s = network.sessions
    rows = []
    for session in s.pppoe:
        addr = str(session.remote) if session.remote is not None else "no address"
        source = f"pool {session.pool}" if session.pool else "fixed"
        rows.append(
            f"- PPPoE {session.client.device} {session.client.name} ({session.client.interface}) → "
            f"{session.server.device} ({session.server.interface}), user {session.client.user}: "
            f"{addr} ({source}), gateway {session.local}"
        )
    for failure in s.pppoe_failures:
        rows.append(f"- PPPoE {failure.client.device} {failure.client.name}: no session ({failure.reason})")
    for lease in s.dhcp:
        if lease.server_device:
            rows.append(f"- DHCP {lease.device} {lease.interface} ← {lease.server_device}: {lease.address}, gateway {lease.gateway}")
        else:
            rows.append(f"- DHCP {lease.device} {lease.interface} ← uplink {lease.uplink.network}")
    sim = network.simulation
    for t in s.tunnels:
        up, why = sim.tunnel_up(t)
        ends = []
        for side in (t.a, t.b):
            addr = ", ".join(str(x.iface) for x in side.addresses) or "no address"
            ends.append(f"{side.device} {side.name} ({addr})")
        starts = [
            f"{loc.device} starts it ({peer.get('endpoint-address')}:{peer.get('endpoint-port') or remote.listen_port})"
            for loc, peer, remote, _ in t.sides() if peer is not None and peer.get("endpoint-address")
        ]
        state = "up" if up else f"down: {why}"
        rows.append(f"- WireGuard {ends[0]} ⇄ {ends[1]}; {'; '.join(starts) or 'no side starts it'}; {state}")
    return rows


def _choice_label(lab: Lab, choice: dict) -> str:
    if choice == lab.default_choice():
        multi = [n for n, e in lab.manifest.devices.items() if e.variants]
        if not multi:
            return ""
        return " (" + ", ".join(f"{n} {choice[n]}" for n in multi) + ")"
    changed = [f"{n} {v}" for n, v in choice.items() if v != lab.default_choice()[n]]
    return " (" + ", ".join(changed) + ")"
