"""Fixtures for the handbook tests: models, golden files and real renderers.

Golden files live in ``tests/docs/golden/``; regenerate them with
``CRMORG_UPDATE_GOLDEN=1 pytest tests/docs`` and review the diff.

Tests marked ``render`` run the real engines (Graphviz, Chromium + Mermaid). When
one is missing they FAIL with instructions; ``CRMORG_SKIP_RENDER=1`` turns that into
a skip for machines that cannot install them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crmorg.api import load
from crmorg.model import Model

from .hostile import write_hostile_model

HERE = Path(__file__).parent
SMALL_MODEL = HERE / "fixtures" / "small"
GOLDEN_DIR = HERE / "golden"
UPDATE_GOLDEN = os.environ.get("CRMORG_UPDATE_GOLDEN") == "1"
SKIP_RENDER = os.environ.get("CRMORG_SKIP_RENDER") == "1"


def require_renderers(*tools: str) -> None:
    """Fail (or, with CRMORG_SKIP_RENDER=1, skip) unless every tool is installed."""
    from charts.renderers import missing_tools

    missing = missing_tools(*tools)
    if not missing:
        return
    message = (
        "real renderer(s) missing: "
        + "; ".join(missing)
        + ". Install them as .ci/run does, or set CRMORG_SKIP_RENDER=1 to skip these tests."
    )
    if SKIP_RENDER:
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def small_model() -> Model:
    return load(SMALL_MODEL)


@pytest.fixture(scope="session")
def hostile_model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    path = write_hostile_model(tmp_path_factory.mktemp("hostile"))
    return load(path)
