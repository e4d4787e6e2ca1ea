"""Completion: menu paths after ``/``, commands, parameter names, enum values and
the names the document defines where a parameter refers to one."""

from __future__ import annotations

from lsprotocol import types as lsp

from rosc.lsp.cursor_context import (
    IDENT,
    SCRIPT_COMMANDS,
    command_prefix,
    expand_path,
    resolve_words,
)
from rosc.lsp.document import Analysis
from rosc.lsp.hover import menu_doc, param_doc
from rosc.lsp.symbol_index import SELECTING_VERBS, group, ref_of
from rosc.lsp.vocabulary_queries import (
    NAMING,
    all_menu_paths,
    command_param,
    command_params,
    describe_type,
    enum_values,
    menu_commands,
    menu_object,
    menu_tree,
    missing_in,
    offered_values,
    param_type,
)

_KIND_ITEM = {
    "interface": lsp.CompletionItemKind.Interface,
    "address-list": lsp.CompletionItemKind.Reference,
}


def _item(label: str, kind, detail: str | None = None, doc: str | None = None, edit: tuple[lsp.Range, str] | None = None, sort: str | None = None, insert: str | None = None) -> lsp.CompletionItem:
    item = lsp.CompletionItem(label=label, kind=kind, detail=detail or None, sort_text=sort)
    if doc:
        item.documentation = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=doc)
    if edit is not None:
        item.text_edit = lsp.TextEdit(range=edit[0], new_text=edit[1])
        item.filter_text = edit[1]
    elif insert is not None:
        item.insert_text = insert
    return item


def completions(analysis: Analysis, position: lsp.Position) -> list[lsp.CompletionItem]:
    """What may be written at ``position``: menu paths, commands, parameter
    names, a parameter's values, names of defined objects."""
    offset = analysis.offset(position)
    prefix = command_prefix(analysis, offset)
    if prefix is None:
        return []
    cur, cur_start = prefix.current, prefix.current_start
    text = analysis.parse.source.text
    word_end = _word_end(text, offset, "/=")
    here = analysis.range(cur_start, word_end)
    if prefix.in_path:
        if cur.startswith("/") and cur.count("/") == 1 and not prefix.words:
            return [
                _item(path, lsp.CompletionItemKind.Module, "menu", menu_doc(path, analysis.target), (here, path))
                for path in all_menu_paths()
            ]
        if cur.startswith("/"):  # `/ip/fi`: complete the last segment
            head, _, partial = cur.rpartition("/")
            _, words = expand_path([(head or "/", cur_start)])
            menu, verb, _rest, _ = resolve_words((), [w for w, _ in words], True)
            if verb is not None:
                return []
            seg = analysis.range(cur_start + len(head) + 1, word_end)
            return _menu_words(menu, seg, analysis.target)
        if cur and not IDENT.match(cur) and not cur.startswith(":"):
            return []
        items = _menu_words(prefix.menu, here, analysis.target)
        if not prefix.absolute and not prefix.words:
            items.extend(_item(c, lsp.CompletionItemKind.Keyword, "script command", edit=(here, c)) for c in SCRIPT_COMMANDS)
        return items
    if prefix.verb is None or prefix.verb.startswith(":"):
        return []
    menu = "/" + " ".join(prefix.menu)
    if "=" in cur:
        name, _, value = cur.partition("=")
        value_start = cur_start + len(name) + 1
        if value.startswith('"'):
            return []
        cut = value.rfind(",") + 1
        if value[cut:].startswith("!"):
            cut += 1
        rng = analysis.range(value_start + cut, _word_end(text, offset, ","))
        return _values(analysis, menu, prefix.verb, name, rng)
    given = {w.partition("=")[0] for w, _ in prefix.words if "=" in w}
    key_end = word_end + 1 if text[word_end : word_end + 1] == "=" else word_end
    items = []
    verb = prefix.verb
    settings = getattr(menu_object(menu), "kind", "list") == "settings"
    if verb in SELECTING_VERBS and not settings and not any("=" not in w for w, _ in prefix.words):
        kind = NAMING.get(menu, ("item",))[0]
        for name in _item_names(analysis, menu):
            items.append(_item(name, lsp.CompletionItemKind.Value, f"{kind} in {menu}", edit=(here, name), sort="0" + name))
    if verb not in ("remove", "enable", "disable", "move", "unset", "comment"):
        for name, param in sorted(command_params(menu, verb).items()):
            if name in given or (name == "numbers" and verb == "add"):
                continue
            detail = describe_type(param)
            missing = missing_in(param, analysis.target)
            if missing:
                detail = f"{detail} ({missing.split(':')[0]})" if detail else missing.split(":")[0]
            rng = analysis.range(cur_start, key_end)  # replaces `name=` when the cursor is in a written name
            item = _item(name, lsp.CompletionItemKind.Property, detail, param_doc(menu, name, param, analysis.target),
                         (rng, name + "="), ("9" if missing else "1") + name)
            if missing:
                item.tags = [lsp.CompletionItemTag.Deprecated]
            items.append(item)
    return items


_WORD_STOPS = frozenset(' \t\r\n\f\v"[]{}();')


def _word_end(text: str, offset: int, stops: str) -> int:
    """Where the word under the cursor ends (the part after the cursor is
    replaced too, so completing in the middle of a word does not double it)."""
    end = offset
    while end < len(text) and text[end] not in _WORD_STOPS and text[end] not in stops:
        end += 1
    return end


def _menu_words(menu: tuple[str, ...], rng: lsp.Range, target=None) -> list[lsp.CompletionItem]:
    _, children = menu_tree()
    items = []
    for word in children.get(menu, ()):
        path = "/" + " ".join(menu + (word,))
        missing = missing_in(menu_object(path), target)
        item = _item(word, lsp.CompletionItemKind.Module, path + (f" ({missing.split(':')[0]})" if missing else ""),
                     menu_doc(path, target), (rng, word), ("8" if missing else "0") + word)
        if missing:
            item.tags = [lsp.CompletionItemTag.Deprecated]
        items.append(item)
    if menu:
        path = "/" + " ".join(menu)
        commands = menu_commands(path)
        if not commands and menu_object(path) is None:
            from rosc.syntax.menu_context import GENERIC_VERBS

            commands = sorted(GENERIC_VERBS)
        for command in commands:
            items.append(_item(command, lsp.CompletionItemKind.Function, f"command of {path}", edit=(rng, command), sort="1" + command))
    return items


def _item_names(analysis: Analysis, menu: str) -> list[str]:
    out: dict[str, None] = {}
    device = analysis.device
    if device is not None:
        for item in device.items(menu):
            name = item.name or item.defaults.get("name")
            if name:
                out[name] = None
    return list(out)


def _values(analysis: Analysis, menu: str, verb: str | None, name: str, rng: lsp.Range) -> list[lsp.CompletionItem]:
    param = command_param(menu, verb, name)
    items = []
    if param is not None:
        t = param_type(param)
        for value in enum_values(t) if t is not None else ():
            items.append(_item(value, lsp.CompletionItemKind.EnumMember, f"{name}=", edit=(rng, value)))
        for value in offered_values(param):  # what RouterOS itself completes here
            if all(i.label != value for i in items):
                items.append(_item(value, lsp.CompletionItemKind.Value, f"{name}= (RouterOS offers it)", edit=(rng, value)))
    kind = ref_of(menu, verb, name)[0]
    if kind:
        for value in analysis.symbols.names(kind):
            if any(i.label == value for i in items):
                continue
            defs = analysis.symbols.definitions(group(kind), value)
            where = f"defined on line {analysis.parse.source.line_col(defs[0].start)[0]}" if defs else "not defined in this file"
            items.append(
                _item(value, _KIND_ITEM.get(group(kind), lsp.CompletionItemKind.Value), f"{kind} ({where})", edit=(rng, value))
            )
    return items
