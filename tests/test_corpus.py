"""Every file of the shared real-world corpus parses and round-trips.

The corpus lives outside the project (``../shared/corpus/public``); these
tests are skipped where it is absent.  Files that RouterOS itself would
reject are listed in ``REJECTED_BY_ROUTEROS`` with the reason.
"""

from __future__ import annotations

import pytest

from conftest import CORPUS, corpus_files
from rosc.diagnostics import Severity
from rosc.format.equivalence import signature
from rosc.format.formatter import format_bytes
from rosc.syntax.parser import parse_bytes, parse_text

# path relative to the corpus folder -> why RouterOS rejects it
REJECTED_BY_ROUTEROS: dict[str, str] = {}

FILES = corpus_files()
pytestmark = pytest.mark.skipif(not FILES, reason=f"corpus not present at {CORPUS}")


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)) if CORPUS in p.parents else p.name)
def test_corpus_file_parses_and_round_trips(path):
    rel = str(path.relative_to(CORPUS))
    data = path.read_bytes()
    result = parse_bytes(data, rel)
    errors = [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in result.diagnostics if d.severity >= Severity.ERROR]
    if rel in REJECTED_BY_ROUTEROS:
        assert errors, f"{rel} is listed as rejected by RouterOS but parses cleanly"
        return
    assert not errors, errors
    formatted = format_bytes(data, rel)
    assert formatted.output is not None, [d.message for d in formatted.diagnostics]
    again = parse_text(formatted.output)
    assert signature(again.script) == signature(result.script)
    assert format_bytes(formatted.output.encode("utf-8", "surrogateescape")).output == formatted.output
