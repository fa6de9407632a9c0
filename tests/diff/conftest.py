"""A git repository holding the reference model, and a branch that changes it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "examples" / "reference"


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


@pytest.fixture(scope="session")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone (its ``origin`` has ``main`` with the reference model in ``model/``) on a
    branch ``feature`` that widens a grant, gives a person a role, adds a responsibility
    with no Accountable (a new error), and removes a person."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("diff-repo")
    upstream = base / "upstream"
    upstream.mkdir()
    git(upstream, "init", "-q", "-b", "main")
    shutil.copytree(REFERENCE, upstream / "model")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "reference model")
    work = base / "work"
    git(base, "clone", "-q", str(upstream), str(work))
    git(work, "checkout", "-q", "-b", "feature")
    sales = work / "model" / "roles" / "sales.yaml"
    text = sales.read_text(encoding="utf-8")
    text = text.replace(
        "      opportunity: {create: own, read: own, update: own}",
        "      opportunity: {create: own, read: department, update: own}",
        1,
    )
    sales.write_text(text, encoding="utf-8")
    people = work / "model" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(
        text.replace("    roles: [sales_rep]", "    roles: [sales_rep, team_leader]", 1)
    )
    with (work / "model" / "responsibilities.yaml").open("a", encoding="utf-8") as out:
        out.write(
            "  unowned_duty:\n"
            "    name: {en: A duty nobody answers for}\n"
            "    responsible: [sales_rep]\n"
        )
    git(work, "commit", "-q", "-am", "widen opportunity read; liu_yang leads")
    return work
