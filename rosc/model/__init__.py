"""Syntax tree → device model: RouterOS's vocabulary and value types, the
device and the builder that applies a file's commands to it, typed facts the
checks share, and next-hop resolution (used by the checks and the lab)."""
