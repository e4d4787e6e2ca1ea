"""Printing for the command line: user text is never markup.

File names, interface names and messages that quote a script can hold
``[``, ``]`` or ``:name:``; rich would read them as markup or emoji codes
(``rosc lint '[/x]a.rsc'`` raised MarkupError, ``[old].rsc`` printed as
``.rsc``).  Every console here has markup and emoji off, styles are given as
``Text`` spans, and characters a terminal cannot show (bytes of a file name
that are not UTF-8, control characters) are written as ``\\xNN``."""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
_SURROGATE = re.compile("[\ud800-\udfff]")


class PlainOut:
    """Where text goes when it is not a terminal (a pipe, a file, a CI log,
    a pre-commit hook): the same characters rich would write there, without
    importing rich.  Anything with ``.plain`` (a rich ``Text``) or a list of
    ``(text, style)`` segments prints as its text."""

    is_terminal = False
    takes_segments = True  # rosc.report.text.print_diagnostics hands it segments, not rich Text

    def __init__(self, stderr: bool = False):
        self.stderr = stderr

    def print(self, value="", **_ignored) -> None:
        if type(value) is list:
            value = "".join(part for part, _style in value)
        elif type(value) is not str:
            value = value.plain
        stream = sys.stderr if self.stderr else sys.stdout  # looked up now: tests and click swap the streams
        stream.write(value + "\n")


def _plain_enough(stderr: bool) -> bool:
    """True when rich would write no styles: the stream is no terminal and
    nothing forces colour or a terminal."""
    env = os.environ
    if env.get("FORCE_COLOR") or env.get("TTY_COMPATIBLE") or env.get("TTY_INTERACTIVE"):
        return False
    stream = sys.stderr if stderr else sys.stdout
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return True


def text_out(stderr: bool = False):
    """The output of the file commands (lint, parse, fmt): a ``PlainOut``
    when nothing would be styled anyway (start-up of ``rosc lint`` in a hook
    does not pay for importing rich), else a rich console."""
    return PlainOut(stderr) if _plain_enough(stderr) else console(stderr)


def console(stderr: bool = False, width: int | None = None) -> Console:
    from rich.console import Console

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


def plain(out, message: str) -> None:
    if type(out) is PlainOut:
        out.print(shown(message))
        return
    from rich.text import Text

    out.print(Text(shown(message)))


def error(out, message: str) -> None:
    """``error: MESSAGE``, the word in bold red, the message as it is."""
    if type(out) is PlainOut:
        out.print("error: " + shown(message))
        return
    from rich.text import Text

    out.print(Text.assemble(("error", "bold red"), ": ", shown(message)))


def fail(message: str, status: int = EXIT_USAGE) -> None:
    error(text_out(stderr=True), message)
    sys.exit(status)


def json_text(text: str) -> str:
    """JSON output is UTF-8 text: an undecodable byte of the input (a
    surrogate escape) becomes U+FFFD, one character for one, so offsets in
    the output still count the same characters."""
    return _SURROGATE.sub("\ufffd", text)
