"""lxml reads the solution back. Without it these tests skip with a reason, except in CI
(``CI=true``), where a missing reader fails them (tests/conftest.py's convention)."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def lxml_etree() -> ModuleType:
    """``lxml.etree``; a skip of the calling module when it is missing outside CI."""
    if CI:
        return importlib.import_module("lxml.etree")
    return pytest.importorskip("lxml.etree", reason="lxml is not installed: pip install lxml")
