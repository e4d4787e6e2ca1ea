"""Devices → lab: the manifest, the cabled topology, PPPoE and WireGuard
sessions between devices, the routing simulation, the lab checks, and the
build of canonical per-device scripts."""
