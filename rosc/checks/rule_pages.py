"""Reading the rule pages in ``rules/`` (shipped in the wheel)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rosc.resources import data_dir

_BLOCK = re.compile(r"^(Bad|Fixed):\s*\n+((?:```[^\n]*\n.*?\n```\s*\n*)+)", re.MULTILINE | re.DOTALL)
_FENCE = re.compile(r"```(\w+)?(?:\s+title=(\S+))?\n(.*?)\n```", re.DOTALL)


@dataclass(slots=True)
class RulePage:
    id: str
    text: str
    title: str
    bad: list[tuple[str | None, str, str]] = field(default_factory=list)  # (title, language, code)
    fixed: list[tuple[str | None, str, str]] = field(default_factory=list)


def page_path(rule_id: str):
    return data_dir("rules") / f"{rule_id}.md"


def load_page(rule_id: str) -> RulePage | None:
    path = page_path(rule_id)
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0] if text else ""
    page = RulePage(rule_id, text, first.lstrip("# ").strip())
    for m in _BLOCK.finditer(text):
        blocks = [(f.group(2), f.group(1) or "", f.group(3) + "\n") for f in _FENCE.finditer(m.group(2))]
        (page.bad if m.group(1) == "Bad" else page.fixed).extend(blocks)
    return page
