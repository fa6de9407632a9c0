"""The shared facts rules reason with: lineage, heirs, holders and duties."""

from __future__ import annotations

from pathlib import Path

from crmorg.api import load_partial
from crmorg.lint.facts import facts
from crmorg.lint.wording import listing

MODEL = """\
organization: {name: T}
roles:
  employee: {}
  sales_rep: {inherits: [employee]}
  sales_manager: {inherits: [sales_rep]}
  loop_a: {inherits: [loop_b]}
  loop_b: {inherits: [loop_a, employee]}
responsibilities:
  sell: {accountable: sales_manager, responsible: [sales_rep, sales_manager], consulted: [employee]}
people:
  ann: {roles: [sales_manager, sales_rep]}
  bob: {roles: [loop_a]}
  cy: {roles: [ghost]}
"""


def test_facts(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(MODEL, encoding="utf-8")
    model = load_partial(tmp_path / "model.yaml")
    known = facts(model)
    assert known.lineage["sales_manager"] == {"sales_manager", "sales_rep", "employee"}
    assert known.lineage["loop_a"] == {"loop_a", "loop_b", "employee"}
    assert known.heirs["employee"] == set(known.lineage)
    assert known.holders["employee"] == ("ann", "bob")
    assert known.holders["sales_rep"] == ("ann",)
    assert known.held_roles("ann") == {
        "sales_manager": "sales_manager",
        "sales_rep": "sales_rep",
        "employee": "sales_manager",
    }
    assert known.held_roles("cy") == {}
    assert known.duties["sales_manager"] == ("sell",)
    assert known.duties["employee"] == ()
    assert known.origin("sales_manager", ("x", "y")) == "not granted"


def test_listing() -> None:
    assert listing([]) == ""
    assert listing(["a"]) == "a"
    assert listing(["a", "b", "c"]) == "a, b and c"
    assert listing([str(i) for i in range(8)], limit=3) == "0, 1, 2 and 5 more"
