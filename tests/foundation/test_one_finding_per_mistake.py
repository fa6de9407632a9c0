"""A value the reader refuses is one finding, not two (issue 19: no follow-on findings).

The reader names a non-finite number or an ambiguous YAML 1.1 word where it stands and
keeps it as text; the field's type check must not report the same value again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crmorg.api import load_partial, validate

MODEL = """\
version: 1
organization: {{name: One Finding Co.}}
resources:
  lead: {{name: Lead}}
metrics:
  won: {{unit: count, source: lead}}
kpis:
  k:
    name: Won
    formula: won
    target: {target}
    direction: higher
"""
PADDING = "# padding past the size where the fast reader takes the file\n" * 1_200


@pytest.mark.parametrize("target", [".nan", ".inf", "-.inf", "1e400", "yes"])
@pytest.mark.parametrize("padded", [False, True], ids=["positioned", "fast"])
def test_a_refused_number_is_one_finding_at_the_value(
    target: str, padded: bool, tmp_path: Path
) -> None:
    (tmp_path / "model.yaml").write_text(MODEL.format(target=target) + PADDING * padded)
    errors = [f for f in validate(load_partial(tmp_path)).findings if f.severity == "error"]
    assert [(f.rule, f.line, f.column) for f in errors] == [("schema", 11, 13)], errors
    assert target in errors[0].message
