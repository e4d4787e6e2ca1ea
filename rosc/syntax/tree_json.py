"""The syntax tree as JSON (``rosc parse --json``)."""

from __future__ import annotations

from rosc.syntax.source import Source
from rosc.syntax.tree import Arg, Block, Command, Comment, Concat, Expression, Operator, Script, String, Substitution, Variable, Word


def to_json(node, source: Source) -> dict:
    kind = type(node)
    out: dict = {"type": kind.__name__}
    if kind is not Script:
        out["span"] = source.span(node.start, node.end).as_dict()
    if kind is Script:
        out["body"] = [to_json(s, source) for s in node.body]
    elif kind is Command:
        out["menu"] = "/" + " ".join(node.menu)
        out["absolute"] = node.absolute
        out["path"] = list(node.path)
        out["verb"] = to_json(node.verb, source) if node.verb is not None else None
        out["args"] = [to_json(a, source) for a in node.args]
        if node.comments:
            out["comments"] = [c.text for c in node.comments]
    elif kind is Comment:
        out["text"] = node.text
    elif kind is Arg:
        out["name"] = node.name
        out["key_span"] = source.span(node.start, node.key_end).as_dict()
        out["value"] = to_json(node.value, source) if node.value is not None else None
    elif kind is Word:
        out["text"] = node.text
    elif kind is String:
        out["raw"] = node.raw
        out["value"] = node.value
        if node.interpolated:
            out["interpolated"] = True
        if node.script is not None:
            out["script"] = to_json(node.script, source)
    elif kind is Variable:
        out["name"] = node.name
    elif kind is Operator:
        out["op"] = node.op
    elif kind is Substitution or kind is Block:
        out["body"] = [to_json(s, source) for s in node.body]
        if kind is Substitution and node.paren:
            out["paren"] = True
    elif kind is Expression:
        out["items"] = [to_json(i, source) for i in node.items]
    elif kind is Concat:
        out["parts"] = [to_json(p, source) for p in node.parts]
    return out
