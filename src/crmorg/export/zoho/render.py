"""The plan as files: ``plan.json`` (the ordered steps) and one file per request body."""

from __future__ import annotations

import json
import re
from typing import Any

from crmorg.export.target import RenderedFiles
from crmorg.export.zoho.mapping import API
from crmorg.export.zoho.plan import Plan, Step

PLAN = "plan.json"
REQUESTS = "requests"
FORMAT = "crmorg.zoho-plan/1"
_UNSAFE = re.compile(r"[^a-z0-9_.+-]+")


def _json(value: Any) -> str:
    """Sorted, indented, ASCII-only JSON: every control, bidi and zero-width character
    of a name is a ``\\u`` escape, never raw."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def body_file(index: int, step: Step) -> str:
    slug = _UNSAFE.sub("-", step.name.lower()).strip("-")[:60]
    return f"{REQUESTS}/{index:04d}-{slug}.json"


def render(plan: Plan) -> RenderedFiles:
    files: dict[str, str | bytes] = {}
    steps = []
    for index, step in enumerate(plan.steps, start=1):
        name = body_file(index, step)
        files[name] = _json(step.body)
        steps.append(
            {
                "name": step.name,
                "method": step.method,
                "path": step.path,
                "params": dict(sorted(step.params.items())),
                "body": name,
                "sdk": step.sdk,
                "depends_on": sorted(set(step.depends_on)),
                "resolve": [{"at": list(r.at), "ref": r.ref} for r in step.resolve],
                "resolve_permissions": step.resolve_permissions,
                "creates": None
                if step.creates is None
                else {"kind": step.creates[0], "name": step.creates[1]},
                "update_path": step.update_path,
                "blocked": step.blocked,
            }
        )
    document = {
        "format": FORMAT,
        "api": API,
        "organization": plan.compiled.organization,
        "modules": [
            {
                "resource": resource,
                "module": module,
                "fields": dict(plan.fields.get(resource, {})),
            }
            for resource, module in sorted(plan.modules.items())
        ],
        "phase1": [
            {"name": read.name, "method": "GET", "path": read.path, "params": dict(read.params)}
            for read in plan.reads
        ],
        "steps": steps,
    }
    files[PLAN] = _plan_json(document)
    return files


def _plan_json(document: dict[str, Any]) -> str:
    """``plan.json``: sorted keys, one phase 1 read or step a line (a plan of a thousand
    people has tens of thousands of steps; a line each keeps it readable and diffable)."""
    lines = ["{"]
    keys = sorted(document)
    for index, key in enumerate(keys):
        comma = "," if index < len(keys) - 1 else ""
        value = document[key]
        if isinstance(value, list):
            items = [json.dumps(item, sort_keys=True, ensure_ascii=True) for item in value]
            inner = ",\n".join(f"    {item}" for item in items)
            lines.append(f'  "{key}": [\n{inner}\n  ]{comma}' if items else f'  "{key}": []{comma}')
        else:
            lines.append(f'  "{key}": {json.dumps(value, ensure_ascii=True)}{comma}')
    lines.append("}")
    return "\n".join(lines) + "\n"
