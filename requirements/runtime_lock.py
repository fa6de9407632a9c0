"""Print the part of requirements/test.lock that crmorg needs at run time.

test.lock pins crmorg's dependencies and its test extra together, with hashes, and
says for each package which packages need it (``# via``). The runtime part is the
packages of ``[project].dependencies`` in pyproject.toml and, transitively, whatever
they need. The Docker image installs exactly these, from the same pins and hashes:

    python requirements/runtime_lock.py > runtime.lock
    pip install --require-hashes --no-deps -r runtime.lock
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalized(name: str) -> str:
    """A package name as the lock writes it (PEP 503: `PyYAML` is `pyyaml`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_dependencies(pyproject: Path) -> set[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    names = (_NAME.match(spec) for spec in project["dependencies"])
    return {normalized(match.group(1)) for match in names if match is not None}


def entries(lock: str) -> list[tuple[str, str, set[str]]]:
    """(name, the entry's text, the names in its ``# via``) for each pinned entry."""
    found: list[tuple[str, str, set[str]]] = []
    for block in re.split(r"\n(?=[A-Za-z0-9])", lock.strip()):
        name = normalized(block.split("==", 1)[0])
        comments = [line.strip().lstrip("#").strip() for line in block.splitlines()]
        via = {re.sub(r"^via\b", "", c).strip() for c in comments if c and not c.startswith("-")}
        found.append((name, block, via - {""}))
    return found


def runtime_entries(lock: str, direct: set[str]) -> list[str]:
    """The entries of ``lock`` that the ``direct`` dependencies need, in lock order."""
    pinned = entries(lock)
    needed = set(direct)
    while True:
        more = {
            name
            for name, _, via in pinned
            if name not in needed and any(normalized(v) in needed for v in via)
        }
        if not more:
            break
        needed |= more
    return [block for name, block, _ in pinned if name in needed]


def main() -> None:
    lock = (ROOT / "requirements" / "test.lock").read_text(encoding="utf-8")
    direct = direct_dependencies(ROOT / "pyproject.toml")
    sys.stdout.write("\n".join(runtime_entries(lock, direct)) + "\n")


if __name__ == "__main__":
    main()
