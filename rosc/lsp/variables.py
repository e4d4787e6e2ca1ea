"""Variables and functions of the scripting language in the editor: go to
definition, find references, rename, hover, and completion of the names in
scope after ``$``.

Everything comes from the scope analysis (``rosc.model.scripts``) of the
document: a local is its declaration and the uses it reaches; a global is
every ``:global`` of that name in the file and their uses (one variable,
shared by the scripts that declare it).  Positions inside strings and
inside scripts kept in strings (``source="..."``) are exact, so a rename
edits ``\\$name`` in a stored script as well as ``$name`` in code.
"""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from rosc.lsp.document import Analysis
from rosc.model.script_env import KEYWORDS
from rosc.model.script_model import Declaration, ScriptAnalysis, Use
from rosc.model.scripts import analyze
from rosc.syntax.parser import parse_text

_NAME = re.compile(r"[A-Za-z0-9_]+\Z")
_PARTIAL = re.compile(r'\$"?([A-Za-z0-9_-]*)\Z')


def scripts_of(analysis: Analysis) -> ScriptAnalysis:
    """The scope analysis of a document's text (computed once per version)."""
    found = analysis.__dict__.get("_scripts")
    if found is None:
        device = analysis.device
        found = analyze(analysis.parse.script, analysis.parse.source, device.syntax_errors if device is not None else ())
        analysis.__dict__["_scripts"] = found
    return found


def _site(analysis: Analysis, position: lsp.Position):
    return scripts_of(analysis).site_at(analysis.offset(position))


def _variable(scripts: ScriptAnalysis, site) -> tuple[list[Declaration], list[Use]] | None:
    """The declarations and uses of the variable ``site`` names."""
    if isinstance(site, Declaration):
        return scripts.same_variable(site)
    if isinstance(site, Use):
        if site.declaration is not None:
            return scripts.same_variable(site.declaration)
        found = scripts.globals_named(site.name)
        if found:  # a global used without `:global` here: still that global
            return scripts.same_variable(found[0])
    return None


def _name_range(analysis: Analysis, node) -> lsp.Range:
    if node.name_start >= 0:
        return analysis.range(node.name_start, node.name_end)
    return analysis.range(node.start, node.end)


def definition(analysis: Analysis, position: lsp.Position) -> list[lsp.Range] | None:
    """Where the name under the cursor is declared; None when the cursor is
    not on a variable (other navigation may answer)."""
    scripts = scripts_of(analysis)
    site = _site(analysis, position)
    if site is None:
        return None
    if isinstance(site, Use) and site.declaration is not None:
        return [_name_range(analysis, site.declaration)]
    found = _variable(scripts, site)
    if found is None:
        return []
    return [_name_range(analysis, d) for d in found[0]]


def references(analysis: Analysis, position: lsp.Position, include_declaration: bool = True) -> list[lsp.Range] | None:
    scripts = scripts_of(analysis)
    site = _site(analysis, position)
    if site is None:
        return None
    found = _variable(scripts, site)
    if found is None:
        return [_name_range(analysis, site)]
    decls, uses = found
    nodes = (list(decls) if include_declaration else []) + list(uses)
    nodes.sort(key=lambda n: n.start)
    return [_name_range(analysis, n) for n in nodes]


class RenameError(ValueError):
    """Why a rename cannot be done (shown to the user)."""


def prepare_rename(analysis: Analysis, position: lsp.Position) -> lsp.Range | None:
    site = _site(analysis, position)
    if site is None or _variable(scripts_of(analysis), site) is None or site.name_start < 0:
        return None
    return _name_range(analysis, site)


def rename(analysis: Analysis, position: lsp.Position, new_name: str) -> list[lsp.TextEdit]:
    """The edits renaming the variable under the cursor to ``new_name``."""
    scripts = scripts_of(analysis)
    site = _site(analysis, position)
    found = _variable(scripts, site) if site is not None else None
    if found is None:
        raise RenameError("no declared variable here to rename")
    if not _NAME.match(new_name) or new_name.isdigit():
        raise RenameError(f"`{new_name}` is not a variable name: use letters and digits")
    if new_name in KEYWORDS:
        raise RenameError(f"`{new_name}` is a keyword of the scripting language")
    decls, uses = found
    nodes = [*decls, *uses]
    if any(n.name_start < 0 for n in nodes):
        raise RenameError(f"rosc cannot locate every use of `{site.name}` exactly; rename it by hand")
    units = {n.scope.unit for n in nodes}
    clash = next((d for d in scripts.declarations if d.name == new_name and d.scope.unit in units), None)
    if clash is not None:
        line = analysis.parse.source.line_col(clash.start)[0]
        raise RenameError(f"`{new_name}` is already declared in {clash.unit.label} (line {line})")
    spans = sorted({(n.name_start, n.name_end) for n in nodes})
    return [lsp.TextEdit(range=analysis.range(start, end), new_text=new_name) for start, end in spans]


# -- hover


def hover(analysis: Analysis, position: lsp.Position) -> lsp.Hover | None:
    scripts = scripts_of(analysis)
    site = _site(analysis, position)
    if site is None:
        return None
    source = analysis.parse.source

    def line(offset: int) -> int:
        return source.line_col(offset)[0]
    if isinstance(site, Use) and site.declaration is None:
        text = _hover_unresolved(scripts, site, line)
    else:
        decl = site if isinstance(site, Declaration) else site.declaration
        text = _hover_declared(analysis, scripts, decl, line)
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text), range=_name_range(analysis, site))


_KINDS = {"local": "local variable", "global": "global variable", "loop": "loop variable", "error": "error variable"}


def _hover_declared(analysis: Analysis, scripts: ScriptAnalysis, decl: Declaration, line) -> str:
    decls, uses = scripts.same_variable(decl)
    kind = "function" if decl.function is not None else _KINDS.get(decl.kind, "variable")
    scope = "global" if decl.kind == "global" else "local"
    lines = [f"**{kind} `{decl.name}`**" + (f" ({scope})" if decl.function is not None else "")]
    if decl.kind == "global" and len(decls) > 1:
        where = "; ".join(f"{d.unit.label} (line {line(d.start)})" for d in decls)
        lines.append(f"declared in {len(decls)} places: {where}")
    else:
        block = decl.scope
        inside = "" if block.parent is None else f", visible to the end of the block (line {line(block.end)})"
        lines.append(f"declared at line {line(decl.start)} in {decl.unit.label}{inside}")
    if decl.function is not None:
        params = sorted({u.name for u in scripts.uses if u.declaration is None and u.unit is decl.function}
                        | decl.function.bare_names, key=lambda n: (not n.isdigit(), n))
        if params:
            lines.append("arguments it reads: " + ", ".join(f"`${p}`" for p in params))
    elif decl.value is not None:
        value = analysis.parse.source.text[decl.value.start : decl.value.end]
        if "\n" not in value and len(value) <= 80:
            lines.append(f"value: `{value}`")
    reads = sum(1 for u in uses if u.kind != "set")
    sets = sum(1 for u in uses if u.kind == "set")
    lines.append(f"read {reads} time{'s' if reads != 1 else ''}, set {sets} time{'s' if sets != 1 else ''} in this file")
    return "\n\n".join(lines)


def _hover_unresolved(scripts: ScriptAnalysis, use: Use, line) -> str:
    unit = use.unit
    lines = [f"**`${use.name}`**"]
    if use.name.isdigit():
        lines.append("the function's name" if use.name == "0" else f"positional argument {use.name} of the call")
    elif use.name in unit.builtins and unit.kind == "hook":
        menu, arg = unit.hook
        lines.append(f"provided by `/{' '.join(menu)}` to its `{arg}=` script")
    elif unit.open_world:
        lines.append(f"not declared in {unit.label}: an argument it is called with, or a variable its caller provides")
    else:
        globals_ = scripts.globals_named(use.name)
        if globals_:
            lines.append(f"a global (declared at line {line(globals_[0].start)}) that {unit.label} does not declare: "
                         f"add `:global {use.name}`")
        else:
            lines.append(f"not declared in {unit.label}")
    return "\n\n".join(lines)


# -- completion


def completions(analysis: Analysis, position: lsp.Position) -> list[lsp.CompletionItem] | None:
    """The variables in scope, when the cursor follows ``$`` (or ``$na``);
    None elsewhere."""
    offset = analysis.offset(position)
    text = analysis.parse.source.text
    line_start = text.rfind("\n", 0, offset) + 1
    m = _PARTIAL.search(text, line_start, offset)
    if m is None:
        return None
    partial = m.group(1)
    quoted = m.group(0).startswith('$"')
    dollar = m.start()
    scripts = _scripts_with_placeholder(analysis, text, offset, partial)
    replace = analysis.range(m.start(1), offset)
    placeholder = partial + _PLACEHOLDER
    items: dict[str, lsp.CompletionItem] = {}
    for decl in sorted(scripts.visible_at(dollar), key=lambda d: -d.start):
        kind = lsp.CompletionItemKind.Function if decl.function is not None else lsp.CompletionItemKind.Variable
        where = f"{_KINDS.get(decl.kind, 'variable')}, line {analysis.parse.source.line_col(decl.start)[0]}"
        items.setdefault(decl.name, _completion(decl.name, kind, where, replace, quoted))
    scope = scripts.scope_at(dollar)
    if scope is not None:
        unit = scope.unit
        for name in sorted(unit.builtins if unit.kind == "hook" else ()):
            items.setdefault(name, _completion(name, lsp.CompletionItemKind.Constant, "provided by the hook", replace, quoted))
        if unit.is_function:
            for use in scripts.uses:
                if use.unit is unit and use.declaration is None and not use.name.isdigit():
                    items.setdefault(use.name, _completion(use.name, lsp.CompletionItemKind.Variable, "argument", replace, quoted))
    return [item for name, item in items.items() if name.startswith(partial) and name != placeholder]


_PLACEHOLDER = "rosc0"


def _completion(name: str, kind, detail: str, replace: lsp.Range, quoted: bool) -> lsp.CompletionItem:
    if quoted:
        text = name + '"'
    else:
        text = name if _NAME.match(name) else f'"{name}"'
    return lsp.CompletionItem(label=name, kind=kind, detail=detail, text_edit=lsp.TextEdit(range=replace, new_text=text),
                              filter_text=name)


def _scripts_with_placeholder(analysis: Analysis, text: str, offset: int, partial: str) -> ScriptAnalysis:
    """The scope analysis of the text being typed: a lone `$` does not
    parse (and costs its whole statement), so a placeholder name completes
    it first."""
    quoted = text[offset - len(partial) - 1 : offset - len(partial)] == '"'
    if partial and _NAME.match(partial) and not quoted:
        return scripts_of(analysis)
    closing = '"' if quoted and text[offset : offset + 1] != '"' else ""
    patched = text[:offset] + _PLACEHOLDER + closing + text[offset:]
    result = parse_text(patched, analysis.path)
    return analyze(result.script, result.source)
