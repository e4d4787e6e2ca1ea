"""The device checks, one module per area, beside the rule registry
(``registry``) and what a check sees (``context``).  Rules are discovered by
``rosc.checks.registry.discover``: importing this package registers nothing."""
