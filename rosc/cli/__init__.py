"""The ``rosc`` command line."""
