"""A packet's path across a lab: the hops it takes and how it ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from rosc.lab.tables import SimRoute


@dataclass(slots=True)
class Hop:
    device: str
    in_interface: str | None
    out_interface: str | None = None
    route: SimRoute | None = None
    gateway: object = None
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Path:
    hops: list[Hop]
    outcome: str  # delivered | internet | lan | dropped | loop
    reason: str = ""
    end_device: str | None = None
    src: object = None  # the source as the packet arrives
    nat: list[tuple[str, object, object]] = field(default_factory=list)  # (device, before, after)
    share: Fraction = Fraction(1)
    uplink: object = None  # the Uplink the packet left by
    end_interface: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("delivered", "internet", "lan")
