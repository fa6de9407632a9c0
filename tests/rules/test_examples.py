"""The shipped models are clean: no unwaived error or warning, under every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmorg.api import load_partial
from crmorg.findings import Severity
from crmorg.lint.engine import run

ROOT = Path(__file__).parents[2]
MODELS = [
    "examples/reference",
    "examples/smb",
    *(
        f"src/crmorg/starter/{size}/model.yaml"
        for size in ("solo", "small", "midsize", "enterprise")
    ),
]


@pytest.mark.parametrize("path", MODELS)
def test_model_is_clean(path: str) -> None:
    if not (ROOT / path).exists():
        pytest.skip(f"{path} is not there yet")
    report = run(load_partial(ROOT / path))
    serious = [
        f"{f.location}: {f.rule}: {f.message}"
        for f in report.findings
        if not f.waived and f.severity is not Severity.INFO
    ]
    assert not serious, "\n".join(serious)
    for finding in report.findings:
        if finding.waived:
            assert finding.waiver_reason and len(finding.waiver_reason) > 30, finding
