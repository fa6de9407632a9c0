"""The reference model speaks to its reader, not about its sources: no "seed 004",
"种子004" or "source document" in its files, nor on any page built from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmorg.api import load
from crmorg.docs.site import build_site

REFERENCE = Path(__file__).parents[2] / "examples" / "reference"
SOURCE_WORDING = re.compile(r"\bseeds?\b|种子|source documents?|源文档|domain\.md", re.IGNORECASE)


def test_the_reference_model_files_say_nothing_of_their_sources() -> None:
    found = [
        f"{path.relative_to(REFERENCE)}:{number}: {line.strip()}"
        for path in sorted(REFERENCE.rglob("*.yaml"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SOURCE_WORDING.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_the_reference_handbook_says_nothing_of_sources(fmt: str, lang: str) -> None:
    files = build_site(load(REFERENCE), fmt=fmt, lang=lang)
    found = {path: SOURCE_WORDING.findall(text) for path, text in files.items()}
    assert {path: words for path, words in found.items() if words} == {}
