"""The LALR tables of ``grammar/routeros.lark``, compiled by Lark once per
process and turned into plain dictionaries that ``rosc.syntax.statements``
drives itself."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rosc.resources import data_dir


@dataclass(slots=True)
class Tables:
    """LALR tables with plain-string keys.  An action is ``(True, state)``
    for a shift or ``(False, size, origin, rule index)`` for a reduce."""

    states: dict
    start_state: int
    end_state: int
    rule_names: list  # rule index -> _Builder method name


@cache
def tables() -> Tables:
    from lark import Lark
    from lark.lexer import Lexer
    from lark.parsers.lalr_analysis import Shift

    class _ExternalLexer(Lexer):  # tokens come from rosc.syntax.lexer
        def __init__(self, conf):
            pass

        def lex(self, data):  # pragma: no cover - never called
            return iter(())

    grammar = (data_dir("grammar") / "routeros.lark").read_text(encoding="utf-8")
    lark = Lark(grammar, parser="lalr", lexer=_ExternalLexer, start="start")
    table = lark.parser.parser.parser.parse_table
    rule_index: dict = {}
    rule_names: list[str] = []
    states: dict = {}
    for state, actions in table.states.items():
        row = {}
        for symbol, (action, arg) in actions.items():
            if action is Shift:
                row[str(symbol)] = (True, arg)
            else:
                if arg not in rule_index:
                    rule_index[arg] = len(rule_names)
                    rule_names.append(str(arg.alias or arg.origin.name))
                row[str(symbol)] = (False, len(arg.expansion), str(arg.origin.name), rule_index[arg])
        states[state] = row
    return Tables(states, table.start_states["start"], table.end_states["start"], rule_names)
