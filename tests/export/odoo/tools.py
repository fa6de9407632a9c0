"""The real Odoo tooling, run on an exported module: OCA's pre-commit checks,
pylint-odoo, and manifestoo-core's lists of core addons.

A missing tool skips its test with the reason; under ``CI=true`` it fails it instead
(the project's convention, tests/conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

BIN = Path(sys.executable).parent


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def tool(name: str) -> str:
    """The path of console script ``name``, or a skip (a failure in CI)."""
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        message = f"{name} is not installed (pip install the project's test extra)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


def manifestoo() -> Any:
    """manifestoo-core's ``core_addons`` module, or a skip (a failure in CI)."""
    try:
        from manifestoo_core import core_addons
    except ImportError:
        message = "manifestoo-core is not installed (pip install the project's test extra)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return core_addons


def write(files: Mapping[str, str | bytes], root: Path) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root / "crmorg_access"


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def oca_checks(module: Path) -> subprocess.CompletedProcess[str]:
    return run([tool("oca-checks-odoo-module"), module.name], module.parent)


def pylint_odoo(module: Path, version: str) -> subprocess.CompletedProcess[str]:
    """pylint with pylint-odoo's checks for ``version``. The manifest's author is crmorg
    (not the OCA), and a manifest cannot have a docstring (Odoo reads it as a literal)."""
    argv = [
        tool("pylint"),
        "--load-plugins=pylint_odoo",
        f"--valid-odoo-versions={version}.0",
        "--manifest-required-authors=crmorg",
        "--disable=missing-module-docstring",
        "--persistent=n",
        "--score=n",
        module.name,
    ]
    return run(argv, module.parent)
