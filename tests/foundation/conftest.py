"""Fixtures for the foundation tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary working directory, so findings name files as ``model.yaml``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
