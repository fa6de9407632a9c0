"""``.pre-commit-hooks.yaml`` and ``action.yml`` parse, and the commands they hold run:
the hooks' entries and the action's shell steps, against a git repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose ``crmorg`` is this checkout's (``python -m crmorg``)."""
    bin_dir = tmp_path_factory.mktemp("bin")
    script = bin_dir / "crmorg"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m crmorg "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def test_hooks_parse_and_run(repo: Path, shim: dict[str, str]) -> None:
    hooks = {hook["id"]: hook for hook in _load(".pre-commit-hooks.yaml")}
    assert set(hooks) == {"crmorg-validate", "crmorg-diff"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert hook["entry"].split()[0] == "crmorg"
    validate = [*hooks["crmorg-validate"]["entry"].split(), "model"]
    done = subprocess.run(validate, cwd=repo, env=shim, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr  # the branch's new responsibility
    assert "raci-no-accountable" in done.stdout
    diff = [*hooks["crmorg-diff"]["entry"].split(), "--max-gains", "1000", "model"]
    done = subprocess.run(diff, cwd=repo, env=shim, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr  # a new error
    assert "1 new error" in done.stdout and "people gain access" in done.stdout
    done = subprocess.run(
        [*diff, "--allow-new-errors"], cwd=repo, env=shim, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_action_steps_run(repo: Path, shim: dict[str, str], tmp_path: Path) -> None:
    action = _load("action.yml")
    assert action["runs"]["using"] == "composite"
    assert {"path", "max-gains"} <= set(action["inputs"])
    steps = {step.get("id"): step for step in action["runs"]["steps"]}
    uses = [s["uses"] for s in action["runs"]["steps"] if "uses" in s]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    output = tmp_path / "github-output"
    env = {
        **shim, "MODEL": "model", "MAX_GAINS": "1", "BASE_REF": "main",
        "GITHUB_OUTPUT": str(output),
    }  # fmt: skip
    for step_id in ("validate", "diff"):
        done = subprocess.run(
            ["bash", "-e", "-c", steps[step_id]["run"]],
            cwd=repo, env=env, capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, (step_id, done.stdout, done.stderr)
    assert output.read_text(encoding="utf-8").splitlines() == ["status=1", "status=1"]
    sarif = (repo / "crmorg.sarif").read_text(encoding="utf-8")
    assert '"version": "2.1.0"' in sarif
    comment = (repo / "crmorg-diff.md").read_text(encoding="utf-8")
    assert comment.startswith("### crmorg diff: ")
    assert "more than --max-gains 1" in comment
    comment_step = next(s for s in action["runs"]["steps"] if "gh pr comment" in s.get("run", ""))
    assert "--body-file crmorg-diff.md" in comment_step["run"]
