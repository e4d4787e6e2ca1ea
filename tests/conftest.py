from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
ARTICLE = SAMPLES / "article"
CORPUS = ROOT.parent / "shared" / "corpus" / "public"


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*.rsc") if "build" not in p.relative_to(SAMPLES).parts)


def corpus_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.rsc")) if CORPUS.is_dir() else []


@pytest.fixture
def parse():
    from rosc.syntax.parser import parse_text

    def _parse(text: str, path: str = "t.rsc"):
        return parse_text(text, path)

    return _parse
