"""Hover: a parameter's type, default and meaning; for a named object, where it
is defined and which lines use it."""

from __future__ import annotations

from bisect import bisect_right

from lsprotocol import types as lsp

from rosc.lsp.cursor_context import CONTINUATION
from rosc.lsp.document import Analysis
from rosc.lsp.symbol_index import BUILTIN_NAMES, Site
from rosc.lsp.vocabulary_queries import (
    command_param,
    describe_type,
    doc_of,
    menu_object,
    missing_in,
    offered_values,
    versions_of,
)
from rosc.model.facts import is_builtin_interface
from rosc.syntax.tree import (
    Arg,
    Command,
    Script,
    iter_commands,
)


def menu_doc(path: str, target=None) -> str:
    menu = menu_object(path)
    if menu is None:
        return ""
    lines = [doc_of(menu)] if doc_of(menu) else []
    versions = versions_of(menu)
    if versions:
        lines.append(f"**RouterOS:** {versions}")
    missing = missing_in(menu, target)
    if missing:
        lines.append(f"**Note:** {missing}")
    return "\n\n".join(lines)


def param_doc(menu: str, name: str, param, target=None) -> str:
    lines = [f"**`{name}`** — parameter of `{menu}`"]
    if param is None:
        lines.append("")
        lines.append("rosc's vocabulary has no entry for this parameter.")
        return "\n".join(lines)
    described = describe_type(param)
    raw = getattr(param, "type", None)
    if described:
        lines.append("")
        lines.append(f"**Type:** {described}" + (f" (`{raw}`)" if isinstance(raw, str) and raw != described else ""))
    default = getattr(param, "default", None)
    if default not in (None, ""):
        lines.append("")
        lines.append(f"**Default:** `{default}`")
    routeros = getattr(param, "routeros_type", "")
    if routeros and routeros != raw and getattr(param, "typed_by", "") == "overlay":
        lines.append("")
        lines.append(f"**RouterOS's own type hint:** `{routeros}`")
    offered = offered_values(param)
    if offered and not _shows_values(described, offered):
        lines.append("")
        lines.append("**RouterOS offers:** " + ", ".join(f"`{v}`" for v in offered[:20]) + (", ..." if len(offered) > 20 else ""))
    versions = versions_of(param)
    if versions:
        lines.append("")
        lines.append(f"**RouterOS:** {versions}")
    missing = missing_in(param, target)
    if missing:
        lines.append("")
        lines.append(f"**Note:** {missing}")
    doc = doc_of(param)
    if doc:
        lines.append("")
        lines.append(doc)
    return "\n".join(lines)


def _shows_values(described: str, values: list[str]) -> bool:
    return all(v in described for v in values)


def command_at(script: Script, offset: int, starts: list[int] | None = None) -> Command | None:
    """The innermost command whose text holds ``offset``."""
    body = script.body
    if starts is None:
        starts = [s.start for s in body]
    i = bisect_right(starts, offset) - 1
    if i < 0:
        return None
    stmt = body[i]
    if type(stmt) is not Command or offset > stmt.end:
        return None
    best = stmt
    for cmd in iter_commands([stmt]):
        if cmd.start <= offset <= cmd.end and cmd.end - cmd.start <= best.end - best.start:
            best = cmd
    return best


def _line_of(analysis: Analysis, offset: int) -> int:
    return analysis.parse.source.line_col(offset)[0]


def _command_excerpt(analysis: Analysis, cmd: Command | None) -> str:
    if cmd is None:
        return ""
    text = analysis.parse.source.text[cmd.start : cmd.end]
    text = CONTINUATION.sub(" ", text)
    text = " ".join(text.split())
    if not cmd.absolute and cmd.menu:
        text = f"{cmd.menu_path} {text}"
    return text if len(text) <= 100 else text[:97] + "..."


def object_hover(analysis: Analysis, site: Site) -> str:
    symbols = analysis.symbols
    defs = symbols.definitions(site.kind, site.name)
    refs = symbols.references(site.kind, site.name)
    detail = next((d.detail for d in defs if d.detail and d.detail != site.kind), "")
    title = f"**{site.kind}** `{site.name}`" + (f" ({detail})" if detail else "")
    lines = [title, ""]
    if defs:
        for d in defs[:10]:
            lines.append(f"- defined on line {_line_of(analysis, d.start)}: `{_command_excerpt(analysis, d.command)}`")
        if len(defs) > 10:
            lines.append(f"- ... and {len(defs) - 10} more entries")
    elif site.kind == "interface" and is_builtin_interface(site.name):
        lines.append("- a built-in interface (not configured in this file)")
    elif site.name in BUILTIN_NAMES.get(site.kind, ()):
        lines.append("- built into RouterOS (not defined in this file)")
    else:
        lines.append("- **not defined in this file**")
    if refs:
        lines.append("")
        lines.append(f"used {len(refs)} time{'s' if len(refs) != 1 else ''}:")
        for r in refs[:20]:
            what = f"`{r.param}=`" if r.param else "selected"
            lines.append(f"- line {_line_of(analysis, r.start)}: {what} in `{r.menu}`")
        if len(refs) > 20:
            lines.append(f"- ... and {len(refs) - 20} more")
    else:
        lines.append("")
        lines.append("not used anywhere in this file")
    return "\n".join(lines)


def hover(analysis: Analysis, position: lsp.Position) -> lsp.Hover | None:
    """A parameter's type, default and meaning; for a named object, where it
    is defined and what uses it; for a menu path, what the menu is."""
    offset = analysis.offset(position)
    site = analysis.symbols.at(offset)
    if site is not None:
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=object_hover(analysis, site)),
            range=analysis.range(site.start, site.end),
        )
    cmd = command_at(analysis.parse.script, offset, analysis.top_starts)
    if cmd is None:
        return None
    menu = cmd.menu_path
    verb = cmd.verb.text if cmd.verb is not None else None
    for arg in cmd.args:
        if type(arg) is Arg and arg.start <= offset <= arg.end:
            text = param_doc(menu, arg.name, command_param(menu, verb, arg.name), analysis.target)
            return lsp.Hover(
                contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
                range=analysis.range(arg.start, arg.key_end),
            )
    if cmd.verb is not None and cmd.verb.start <= offset <= cmd.verb.end and not cmd.verb.text.startswith(":"):
        text = f"**`{cmd.verb.text}`** — command of `{menu}`"
        spec = getattr(menu_object(menu), "command", lambda verb: None)(cmd.verb.text)
        doc = doc_of(spec) if spec is not None else menu_doc(menu)
        if doc:
            text += "\n\n" + doc
        versions = versions_of(spec) if spec is not None else ""
        if versions:
            text += f"\n\n**RouterOS:** {versions}"
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text), range=analysis.range(cmd.verb.start, cmd.verb.end))
    if cmd.start <= offset <= cmd.path_end and (cmd.absolute or cmd.path):
        text = f"**`{menu}`** — menu"
        doc = menu_doc(menu, analysis.target)
        if doc:
            text += "\n\n" + doc
        elif menu_object(menu) is None:
            text += "\n\nrosc's vocabulary does not know this menu."
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text), range=analysis.range(cmd.start, cmd.path_end))
    return None
