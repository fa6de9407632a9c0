"""The Markdown comment stays readable and under GitHub's 65,536 characters, however
large the change."""

from __future__ import annotations

from crmorg.diff.formats import markdown
from crmorg.diff.gate import Gate
from crmorg.diff.results import AccessChange, Cause, ModelDiff, SubjectDiff


def test_a_huge_change_fits_in_one_comment() -> None:
    cause = Cause("grant", "new", "grant r.read: organization on <role>", "m/roles.yaml:1:1", "x")
    changes = tuple(
        AccessChange("scope", f"resource_{i}", "read", "gained", (), ("organization",), (cause,))
        for i in range(30)
    )
    people = tuple(SubjectDiff("person", f"p{i}", "kept", changes) for i in range(2000))
    diff = ModelDiff("old", "new", people[:300], people, (), (), None)
    text = markdown.render(diff, Gate(max_gains=10))
    assert len(text) < 65_536
    assert text.count("<details>") == 2 and "more (`crmorg diff --format json` lists all)" in text
    assert "2000 people gain access" in text and "more than --max-gains 10" in text
    assert "<role>" not in text and "&lt;role&gt;" in text
