"""One configuration of a lab: a variant chosen for each device, some ports
possibly down, and what follows from it: the cabled topology, the PPPoE,
DHCP and WireGuard sessions, and the routing simulation."""

from __future__ import annotations

from functools import cached_property

from rosc.lab.sessions import Sessions
from rosc.lab.simulation import Simulation
from rosc.lab.topology import LabDevice, Topology


class Network:
    """One configuration of a lab (a variant chosen for each device), with
    some ports possibly down: its topology, sessions and routing."""

    def __init__(self, lab, choice: dict[str, str | None], down: set[tuple[str, str]]):
        self.lab = lab
        self.manifest = lab.manifest
        self.choice = choice
        self.down = set(down)
        self.devices: dict[str, LabDevice] = {name: lab.files[(name, variant)] for name, variant in choice.items()}
        self.topology = Topology(self.manifest, self.devices, self.down)
        self.sessions = Sessions(self.topology)

    @cached_property
    def simulation(self) -> Simulation:
        return Simulation(self.devices, self.topology, self.sessions)

    def with_down(self, down: set[tuple[str, str]]) -> "Network":
        return Network(self.lab, self.choice, self.down | set(down))
