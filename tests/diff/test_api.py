"""``crmorg.diff`` from Python: typed results, identical models, and causes by kind."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.diff.conftest import REFERENCE

import crmorg
from crmorg.diff.results import ModelDiff


def test_identical_models_differ_in_nothing() -> None:
    model = crmorg.load(REFERENCE)
    result = crmorg.diff(model, crmorg.load(REFERENCE))
    assert isinstance(result, crmorg.ModelDiff) and isinstance(result, ModelDiff)
    assert result.empty and result.people_gaining == () and result.widenings() == []
    assert result.findings is not None and result.findings.introduced == ()


def _edited(tmp_path: Path, name: str, old: str, new: str) -> crmorg.Model:
    copy = tmp_path / "new"
    if not copy.exists():
        shutil.copytree(REFERENCE, copy)
    target = copy / name
    text = target.read_text(encoding="utf-8")
    assert old in text, old
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return crmorg.load(copy)


def test_a_baseline_and_an_inheritance_are_named_as_causes(tmp_path: Path) -> None:
    old = crmorg.load(REFERENCE)
    _edited(tmp_path, "roles/sales.yaml", "    inherits: [sales_rep]\n", "    inherits: []\n")
    new = _edited(
        tmp_path,
        "resources.yaml",
        "  opportunity:\n",
        "  opportunity:\n    baseline: {read: organization}\n",
    )
    result = crmorg.diff(old, new, findings=False)
    causes = {
        (c.kind, c.side)
        for subject in (*result.roles, *result.people)
        for change in subject.changes
        for c in change.causes
    }
    assert ("baseline", "new") in causes  # everyone reading opportunities reads them all
    assert ("inheritance", "old") in causes  # team_leader no longer inherits sales_rep
    leader = next(r for r in result.roles if r.id == "team_leader")
    lost = [c for c in leader.changes if c.kind == "lost"]
    assert lost, leader
    assert all(
        any(x.kind == "inheritance" and "roles/sales.yaml" in x.where for x in c.causes)
        or any("team_leader no longer holds a grant" in x.text for x in c.causes)
        for c in lost
    ), [(c.label, [x.text for x in c.causes]) for c in lost]
