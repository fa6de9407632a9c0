"""What the CRM-system benchmarks (``bench_<target>.py``) share: one generated model with
every construct a fidelity comparison looks at, loaded the way crmorg reads a file.

The model is ``bench_decisions.generate`` (thirty resources, a department tree, teams,
roles inheriting their department's base role and sometimes another job role, people
with several roles), with format 1.1's access added: reporting lines, ``subordinates``
grants, baselines, a restricted field and its grants, and sharing rules. One generator
for every target, so their figures compare and none is tuned to its exporter.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_decisions import generate

import crmorg
from crmorg.model import Model


def crm_document(size: int, seed: int = 7) -> dict[str, Any]:
    """A model of ``size`` roles and ``size`` people, with every v1.1 access construct."""
    return with_access(generate(size, size, seed), seed)


def with_access(doc: dict[str, Any], seed: int = 3) -> dict[str, Any]:
    """``doc`` with reporting lines, subordinates grants, baselines, a restricted field
    and sharing rules."""
    rng = random.Random(seed)
    people = list(doc["people"])
    for index, person in enumerate(people[1:], start=1):
        doc["people"][person]["reports_to"] = people[rng.randrange(max(1, index // 4) or 1)]
    resources = list(doc["resources"])
    for resource in resources[:5]:
        doc["resources"][resource]["baseline"] = {"read": "team"}
    doc["resources"][resources[1]]["fields"] = {
        "amount": {"name": "Amount"},
        "margin": {"name": "Margin", "restricted": True},
    }
    roles = [r for r in doc["roles"] if r.startswith("job")]
    for role in roles[::7]:
        doc["roles"][role]["grants"].setdefault(resources[2], {})["update"] = "subordinates"
    for role in roles[::11]:
        doc["roles"][role]["fields"] = {resources[1]: {"margin": "read"}}
    teams = list(doc["teams"])
    doc["sharing"] = {
        f"s{i}": {
            "resource": resources[i % len(resources)],
            "from": {"team": teams[i % len(teams)]},
            "to": {"role": roles[i % len(roles)]},
            "actions": ["read"],
        }
        for i in range(min(10, len(roles)))
    }
    return doc


def load_document(doc: dict[str, Any]) -> Model:
    """``doc`` written as a model file and loaded by crmorg, as a user's model is."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.yaml"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return crmorg.load(path)


def print_rows(rows: list[dict[str, object]]) -> None:
    """Rows of figures as a ``|``-separated table, the first row's keys as its header."""
    columns = list(rows[0])
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(str(row[column]) for column in columns))
