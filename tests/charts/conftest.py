"""Fixtures for the chart tests: golden files and real-renderer requirements.

Golden files live in ``tests/charts/golden/``; regenerate them with
``CRMORG_UPDATE_GOLDEN=1 pytest tests/charts`` (an environment variable rather than
a command-line option, so that this conftest never competes with a top-level one).

Tests marked ``render`` run the real engines (Graphviz, Chromium + Mermaid). When
one is missing they FAIL with instructions; ``CRMORG_SKIP_RENDER=1`` turns that
into a skip for machines that cannot install them. They are never skipped silently.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .renderers import missing_tools

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("CRMORG_UPDATE_GOLDEN") == "1"


def require_renderers(*tools: str) -> None:
    """Fail (or, with CRMORG_SKIP_RENDER=1, skip) unless every tool is installed."""
    missing = missing_tools(*tools)
    if not missing:
        return
    message = (
        "real renderer(s) missing: "
        + "; ".join(missing)
        + ". Install them as .ci/run does, or set CRMORG_SKIP_RENDER=1 to skip these tests."
    )
    # Read at call time: a top-level conftest may set it after this module is imported.
    if os.environ.get("CRMORG_SKIP_RENDER") == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


@pytest.fixture
def graphviz() -> None:
    """Require Graphviz's ``dot``."""
    require_renderers("dot")


@pytest.fixture
def chromium() -> None:
    """Require headless Chromium."""
    require_renderers("chromium")


@pytest.fixture
def mermaid_js() -> None:
    """Require Chromium and the Mermaid bundle from ``tests/js``."""
    require_renderers("chromium", "mermaid")


GoldenCheck = Callable[[str, str], None]


@pytest.fixture
def golden() -> GoldenCheck:
    """Compare text with ``golden/<name>``, or rewrite it when CRMORG_UPDATE_GOLDEN=1."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN_DIR / name
        if UPDATE_GOLDEN:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual.encode("utf-8"))
            return
        if not path.is_file():
            pytest.fail(f"golden file {path} is missing: run with CRMORG_UPDATE_GOLDEN=1")
        expected = path.read_bytes().decode("utf-8")
        assert actual == expected, (
            f"output differs from {path}; if the change is intended, regenerate the golden "
            "files with CRMORG_UPDATE_GOLDEN=1 and review the diff"
        )

    return check
