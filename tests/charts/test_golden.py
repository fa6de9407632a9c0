"""Golden files: the exact text each renderer writes for the sample charts.

Regenerate with ``CRMORG_UPDATE_GOLDEN=1 pytest tests/charts`` and review the diff.
The same files are loaded back into the real engines in ``test_real_renderers.py``.
"""

from __future__ import annotations

import pytest

from crmorg.charts import RENDERERS
from crmorg.charts.tree import prune

from .conftest import GoldenCheck
from .samples import hostile_chart, sample_chart

EXTENSIONS = {"mermaid": "mmd", "dot": "dot", "svg": "svg"}


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_sample_chart(golden: GoldenCheck, fmt: str) -> None:
    golden(f"sample.{EXTENSIONS[fmt]}", RENDERERS[fmt](sample_chart()))


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_hostile_chart(golden: GoldenCheck, fmt: str) -> None:
    golden(f"hostile.{EXTENSIONS[fmt]}", RENDERERS[fmt](hostile_chart()))


def test_pruned_sample_chart(golden: GoldenCheck) -> None:
    pruned = prune(sample_chart(), root="ceo", depth=1)
    golden("sample-ceo-depth1.mmd", RENDERERS["mermaid"](pruned))
