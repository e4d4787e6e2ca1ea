"""Pygments lexer for MikroTik RouterOS scripts and ``/export`` files (``.rsc``).

Registered through the ``pygments.lexers`` entry point, so
``pygmentize -l routeros file.rsc`` and ``get_lexer_by_name("routeros")`` work.

The lexer is built to be lossless: the token values always concatenate back
to exactly the input (CRLF line ends, a leading BOM and a missing final
newline are kept), and every state ends in a catch-all rule, so it never
emits ``Token.Error``.
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, default, include, words
from pygments.token import (
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)
from pygments.util import guess_decode

__all__ = ["RouterOSLexer"]

# Menu commands (after a path or at the start of a line).  Words that are also
# common menu names (``update``, ``settings`` ...) are left out on purpose.
_COMMANDS = (
    "add", "set", "remove", "print", "export", "import", "find", "get", "edit",
    "enable", "disable", "comment", "move", "reset", "unset", "monitor", "run",
    "reboot", "shutdown", "ping", "traceroute", "fetch", "flush", "save", "load",
    "upgrade", "sign", "check-for-updates", "install", "download", "make-static",
    "release", "renew", "reset-counters", "reset-counters-all",
    "reset-configuration", "monitor-traffic", "blink", "cable-test", "scan",
    "bandwidth-test", "torch", "start", "stop", "send", "listen", "clear",
)

# A value token must end here (keeps ``6to4`` or ``1.2.3.4abc`` one word).
_END = r"(?=[\s;,\[\]{}()\\\"=<>!+*/%&|^~-]|\Z)"
_HEX4 = r"[0-9A-Fa-f]{1,4}"
_IPV4 = r"(?:\d{1,3}\.){3}\d{1,3}"
_IPV4_PREFIX = _IPV4 + r"(?:/(?:" + _IPV4 + r"|\d{1,2}))?"
_IPV6 = r"(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" + _IPV4 + "|" + _HEX4 + r")?(?:/\d{1,3})?"
_MAC = r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}"
_CLOCK = r"\d+:\d{2}:\d{2}(?:\.\d+)?"
_DURATION = r"(?:\d+(?:\.\d+)?(?:ms|us|ns|[wdhms]))+"
_DATE = r"(?:\d{4}-\d{2}-\d{2}|[A-Za-z]{3}/\d{2}/\d{4})"
_QUOTED = r'"(?:[^"\\]|\\[\s\S])*"'
# A continuation outside strings: backslash, optional blanks, end of line.
_CONT = r"(\\)([ \t]*\r?\n)"
# Bare (unquoted) word: stops at blanks and at RouterOS syntax characters.
_BARE = r'[^\s"\[\]{}()$;\\=,]+'


class RouterOSLexer(RegexLexer):
    """Lexer for MikroTik RouterOS scripts and configuration exports."""

    name = "RouterOS"
    aliases = ["routeros", "rsc", "mikrotik"]
    filenames = ["*.rsc"]
    mimetypes = ["text/x-routeros"]
    url = "https://help.mikrotik.com/docs/display/ROS/Scripting"
    version_added = ""

    # Keep the input exactly as given (see ``_preprocess_lexer_input``).
    ensurenl = False
    stripnl = False

    def __init__(self, **options):
        options.setdefault("stripnl", False)
        options.setdefault("ensurenl", False)
        super().__init__(**options)

    def _preprocess_lexer_input(self, text):
        # Pygments normalizes CRLF to LF and strips a BOM; RouterOS exports
        # use CRLF and we want a lossless token stream, so only decode here.
        if not isinstance(text, str):
            if self.encoding == "guess":
                text, _ = guess_decode(text)
            elif self.encoding == "chardet":
                return super()._preprocess_lexer_input(text)
            else:
                text = text.decode(self.encoding)
            if text.startswith("\ufeff"):
                text = text[1:]
        if self.stripall:
            text = text.strip()
        elif self.stripnl:
            text = text.strip("\n")
        if self.tabsize > 0:
            text = text.expandtabs(self.tabsize)
        if self.ensurenl and not text.endswith("\n"):
            text += "\n"
        return text

    tokens = {
        # Command position: start of a line, after ';', inside '{' or '['.
        "root": [
            include("command"),
        ],
        "command": [
            (r"\r?\n", Whitespace),
            (r"[ \t\r\f\v]+", Whitespace),
            (_CONT, bygroups(Punctuation, Whitespace)),
            # /export header lines
            (r"#[ \t]*[\w/-]+[ \t]+[\d:]+[ \t]+by RouterOS\b[^\r\n]*", Comment.Special),
            (r"#[ \t]*(?:software id|model|serial number)[ \t]*=[^\r\n]*", Comment.Special),
            (r"#[^\r\n]*", Comment.Single),
            (r";", Punctuation),
            (r"\{", Punctuation, "block"),
            (r"\[", Punctuation, "cmdsub"),
            (r"[}\]]", Punctuation, "#pop"),
            (r"\)", Punctuation),
            # :local/:global/:set/:foreach/:for/:onerror NAME
            (r"(:(?:local|global|set|foreach|for|onerror))([ \t]+)([A-Za-z_][\w]*|" + _QUOTED + r")",
             bygroups(Keyword, Whitespace, Name.Variable), "args"),
            (r":[A-Za-z][\w-]*", Keyword, "args"),
            # absolute (/ip firewall filter) or parent (..) menu path
            (r"/|\.\.(?=[\s/;\]}]|\Z)", Name.Namespace, "path"),
            (words(_COMMANDS, suffix=r"(?=[\s;\[\]{}]|\Z)"), Keyword, "args"),
            # relative menu path (ip address add ...)
            (r"[A-Za-z][\w.-]*(?=[ \t]+[A-Za-z]|[ \t]*/)", Name.Namespace, "path"),
            default("args"),
        ],
        "block": [
            include("command"),
        ],
        "cmdsub": [
            include("command"),
        ],
        # Menu path words up to the command.
        "path": [
            (r"[ \t]+", Whitespace),
            (_CONT, bygroups(Punctuation, Whitespace)),
            (r"/", Name.Namespace),
            (words(_COMMANDS, suffix=r"(?=[\s;\[\]{}/]|\Z)"), Keyword, ("#pop", "args")),
            (r"\.\.(?=[\s/;\]}]|\Z)", Name.Namespace),
            (r"[\w.-]+(?=[\s/;\[\]{}]|\Z)", Name.Namespace),
            default(("#pop", "args")),
        ],
        # Arguments of a command, up to the end of the line or ';'.
        "args": [
            (r"\r?\n", Whitespace, "#pop"),
            (r";", Punctuation, "#pop"),
            (r"[ \t\r\f\v]+", Whitespace),
            (_CONT, bygroups(Punctuation, Whitespace)),
            (r"[\]}]", Punctuation, "#pop:2"),
            (r"\)", Punctuation),
            (r"([.\w][\w.-]*)(=|~|!=)", bygroups(Name.Attribute, Operator), "value"),
            (r"=|~", Operator, "value"),
            (words(("where", "and", "or", "not", "in"), suffix=_END), Operator.Word),
            include("values"),
            (_BARE, Name),
            (r"[\s\S]", Text),
        ],
        # The value after key=: one item, or a list item,item / range a-b.
        "value": [
            include("values"),
            (r'[^\s"\[\]{}()$;\\,]+', String.Other),
            (r"\\(?![ \t]*(?:\r?\n|\Z))[\s\S]", String.Escape),
            default("#pop"),
        ],
        # ( expression )
        "expr": [
            (r"\)", Punctuation, "#pop"),
            (r"\s+", Whitespace),
            (_CONT, bygroups(Punctuation, Whitespace)),
            include("values"),
            (words(("and", "or", "not", "in"), suffix=r"\b"), Operator.Word),
            (r"!=|<=|>=|&&|\|\||<<|>>|->|[<>=+\-*/%.~^&|]", Operator),
            (r"[A-Za-z_][\w-]*", Name),
            (r"[\s\S]", Text),
        ],
        "values": [
            (r'"', String.Double, "string"),
            (r"\$" + _QUOTED, Name.Variable),
            (r"\$\w+", Name.Variable),
            (r"\$", Name.Variable),
            (r"\[", Punctuation, "cmdsub"),
            (r"\{", Punctuation, "block"),
            (r"\(", Punctuation, "expr"),
            (words(("yes", "no", "true", "false"), suffix=_END), Keyword.Constant),
            (_DATE + _END, Literal.Date),
            (_MAC + _END, Number.Hex),
            (_CLOCK + _END, Literal.Date),
            (_IPV4_PREFIX + _END, Number),
            (_IPV6 + _END, Number),
            (_DURATION + _END, Literal.Date),
            (r"0x[0-9A-Fa-f]+" + _END, Number.Hex),
            (r"\*[0-9A-Fa-f]+" + _END, Number.Hex),  # internal item id *1A
            (r"\d+\.\d+" + _END, Number.Float),
            (r"\d+" + _END, Number.Integer),
            (r"->", Operator),
            (r"!", Operator),
            (r"-(?=[\d:])", Operator),
            (r",", Punctuation),
        ],
        # Inside "...".
        "string": [
            (r'"', String.Double, "#pop"),
            # export-style wrap: backslash, end of line, indentation
            (r"\\[ \t]*\r?\n[ \t]*", String.Escape),
            (r"\\[0-9A-Fa-f]{2}", String.Escape),  # hex first, like rosc.syntax.strings
            (r'\\["\\nrt$?_abfv]', String.Escape),
            (r"\\[\s\S]", String.Double),
            (r"\$\[", String.Interpol, "cmdsub"),
            (r"\$\(", String.Interpol, "expr"),
            (r"\$\w+", String.Interpol),
            (r'[^"\\$]+', String.Double),
            (r"[\s\S]", String.Double),
        ],
    }
