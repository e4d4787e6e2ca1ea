"""Text → syntax tree: decoding and locations (``source``), RouterOS's
lexical modes (``lexer``), string escapes (``strings``), the LALR grammar
driven by rosc (``grammar``, ``statements``), the current-menu context
(``menu_context``), the nodes themselves (``tree``) and the whole parse of a
file (``parser``).  Nothing here knows about devices, checks or labs."""
