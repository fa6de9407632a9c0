"""The position-keeping JSON parser: the values json.loads gives, each at its place;
and damaged responses are refused with ImportFailed, never another error."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crmorg.importing as importing
from crmorg.importing import ImportFailed
from crmorg.importing.zoho.located import Node, parse

FEW = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
FIXTURE = Path(__file__).parents[1] / "fixtures" / "zoho" / "acme"

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


def _places(node: Node, text_lines: list[str]) -> None:
    """Each value's text starts at its line and column."""
    line = text_lines[node.line - 1]
    start = line[node.column - 1 :]
    if isinstance(node.value, dict):
        assert start.startswith("{")
        for child in node.value.values():
            _places(child, text_lines)
    elif isinstance(node.value, list):
        assert start.startswith("[")
        for child in node.value:
            _places(child, text_lines)
    elif isinstance(node.value, str):
        assert start.startswith('"')
    else:
        assert start.startswith(json.dumps(node.value)[:1])


@FEW
@given(values, st.sampled_from([None, 1, 2]), st.booleans())
def test_values_and_places(value: Any, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    node = parse(text)
    assert node.plain() == json.loads(text)
    _places(node, text.split("\n"))  # JSON breaks lines at \n only


@FEW
@given(st.sampled_from(sorted(p.name for p in FIXTURE.glob("*.json"))), st.data())
def test_damaged_responses_are_refused_or_read(name: str, data: st.DataObject) -> None:
    text = (FIXTURE / name).read_text(encoding="utf-8")
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 40))
    inserted = data.draw(st.text(alphabet='{}[]":,0123456789abc \n\\', max_size=10))
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(FIXTURE, Path(tmp) / "acme")
        (Path(tmp) / "acme" / name).write_text(
            text[:at] + inserted + text[at + cut :], encoding="utf-8"
        )
        try:
            importing.read("zoho", Path(tmp) / "acme")
        except ImportFailed as failed:
            assert name in str(failed) or "acme" in str(failed)
