"""The facts rules reason with: the org graph's lineage, heirs, holders and duties, as
rules meet them (cycles, unknown roles), and how a grant's origin is worded."""

from __future__ import annotations

from pathlib import Path

from crmorg.api import load_partial
from crmorg.lint.grants import origin
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
    org = model.org
    assert org.lineage["sales_manager"] == {"sales_manager", "sales_rep", "employee"}
    assert org.lineage["loop_a"] == {"loop_a", "loop_b", "employee"}
    assert org.heirs["employee"] == set(org.lineage)
    assert org.effective_holders["employee"] == ("ann", "bob")
    assert org.effective_holders["sales_rep"] == ("ann",)
    assert org.roles_of("ann") == {
        "sales_manager": "sales_manager",
        "sales_rep": "sales_rep",
        "employee": "sales_manager",
    }
    assert org.roles_of("cy") == {}
    assert org.duties["sales_manager"] == ("sell",)
    assert org.duties["employee"] == ()
    assert origin(model.access.role_grants["sales_manager"].get(("x", "y"))) == "not granted"


def test_listing() -> None:
    assert listing([]) == ""
    assert listing(["a"]) == "a"
    assert listing(["a", "b", "c"]) == "a, b and c"
    assert listing([str(i) for i in range(8)], limit=3) == "0, 1, 2 and 5 more"
