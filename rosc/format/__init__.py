"""Syntax tree → canonical text (``emitter``), what must survive a reformat
(``equivalence``), and formatting a file safely (``formatter``)."""
