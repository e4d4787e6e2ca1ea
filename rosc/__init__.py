"""rosc: compiler and linter for MikroTik RouterOS configuration scripts."""

__version__ = "0.1.0"
