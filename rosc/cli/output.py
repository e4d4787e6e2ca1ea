"""Printing for the command line: user text is never markup.

File names, interface names and messages that quote a script can hold
``[``, ``]`` or ``:name:``; rich would read them as markup or emoji codes
(``rosc lint '[/x]a.rsc'`` raised MarkupError, ``[old].rsc`` printed as
``.rsc``).  Every console here has markup and emoji off, styles are given as
``Text`` spans, and characters a terminal cannot show (bytes of a file name
that are not UTF-8, control characters) are written as ``\\xNN``."""

from __future__ import annotations

import re
import sys

from rich.console import Console
from rich.text import Text

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
_SURROGATE = re.compile("[\ud800-\udfff]")


def console(stderr: bool = False, width: int | None = None) -> Console:
    out = Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False, emoji=False)
    if width is not None and not out.is_terminal:
        out = Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False, emoji=False, width=width)
    return out


def shown(text: str) -> str:
    """``text`` as a terminal can show it: undecodable bytes (kept by Python
    as surrogate escapes) and control characters as ``\\xNN``."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF or code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def plain(out: Console, message: str) -> None:
    out.print(Text(shown(message)))


def error(out: Console, message: str) -> None:
    """``error: MESSAGE``, the word in bold red, the message as it is."""
    out.print(Text.assemble(("error", "bold red"), ": ", shown(message)))


def fail(message: str, status: int = EXIT_USAGE) -> None:
    error(console(stderr=True), message)
    sys.exit(status)


def json_text(text: str) -> str:
    """JSON output is UTF-8 text: an undecodable byte of the input (a
    surrogate escape) becomes U+FFFD, one character for one, so offsets in
    the output still count the same characters."""
    return _SURROGATE.sub("\ufffd", text)
