"""A model whose every free-text field is hostile: markup, quotes, brackets,
template syntax, Markdown syntax and line breaks. It must come out literally and
harmlessly in every format. Format v1.1 text is hostile too: field names and
descriptions, a sharing rule's name and description."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HOSTILE: tuple[str, ...] = (
    "<script>alert('org')</script>",
    "\"Quoted\" & 'single' <b>bold</b>",
    "[link](javascript:alert(1)) {{ 7*7 }} {% raw %}",
    "pipe | star * under_score _x_ `tick` ~~strike~~ $x$",
    "first line\nsecond <i>line</i>",
    "<img src=x onerror=alert(1)> #heading",
    "1. not a list\n- nor this | {{ config }}",
    "销售 <script>中文</script> 「引号」",
)
"""One hostile text per kind of thing named in the model, reused round-robin."""


def hostile(index: int) -> str:
    return HOSTILE[index % len(HOSTILE)]


def hostile_document() -> dict[str, Any]:
    """The model as plain data (ids stay valid; every name is hostile)."""
    return {
        "version": 1,
        "organization": {"name": hostile(0), "description": hostile(4)},
        "resources": {
            "lead": {
                "name": hostile(1),
                "description": hostile(6),
                "baseline": {"read": "team"},
                "fields": {
                    "budget": {"name": hostile(2), "description": hostile(4)},
                    "secret": {"name": hostile(7), "restricted": True, "description": hostile(5)},
                },
            },
            "quote": {"name": {"en": hostile(2), "zh": hostile(7)}, "sensitive": True},
        },
        "departments": {
            "hq": {"name": hostile(3), "head": "boss", "description": hostile(5)},
            "ops": {"name": hostile(4), "parent": "hq", "head": "worker"},
        },
        "roles": {
            "boss": {
                "name": {"en": hostile(5), "zh": hostile(7)},
                "department": "hq",
                "description": hostile(6),
                "grants": {"*": {"read": "organization"}},
            },
            "worker": {
                "name": hostile(6),
                "department": "ops",
                "reports_to": "boss",
                "inherits": ["boss"],
                "grants": {"lead": {"create": "own", "update": "team"}},
                "fields": {"lead": {"secret": "read"}},
            },
            "outsider": {
                "name": hostile(0),
                "department": "ops",
                "external": True,
                "reports_to": "worker",
                "grants": {"lead": {"read": "own"}},
            },
            "ghost": {"name": hostile(1), "department": "ops", "reports_to": "boss"},
        },
        "responsibilities": {
            "work": {
                "name": hostile(2),
                "description": hostile(3),
                "department": "ops",
                "accountable": "boss",
                "responsible": ["worker"],
                "consulted": ["outsider"],
                "requires": {"lead": {"create": "own"}},
                "critical": True,
            },
        },
        "teams": {"crew": {"name": hostile(7), "department": "ops", "lead": "pat"}},
        "people": {
            "pat": {
                "name": hostile(3),
                "title": hostile(4),
                "roles": ["worker"],
                "teams": ["crew"],
                "reports_to": "lee",
            },
            "lee": {"name": hostile(5), "roles": ["boss"]},
            "sam": {"name": hostile(1), "roles": ["outsider"]},
        },
        "metrics": {"leads_made": {"name": hostile(6), "unit": "count", "source": "lead"}},
        "kpis": {
            "lead_rate": {
                "name": hostile(0),
                "description": hostile(2),
                "department": "ops",
                "owner": "worker",
                "formula": "leads_made / 2",
                "unit": "percent",
                "direction": "higher",
                "target": 0.5,
                "frequency": "weekly",
            },
            "odd": {"name": hostile(4), "formula": "max(leads_made, 1) * 2", "owner": "boss"},
        },
        "sharing": {
            "crew_leads": {
                "name": hostile(3),
                "description": hostile(6),
                "resource": "lead",
                "from": {"team": "crew"},
                "to": {"role": "outsider"},
                "actions": ["read"],
            },
        },
        "constraints": [
            {
                "id": "split",
                "name": hostile(3),
                "kind": "separation_of_duties",
                "permissions": ["lead:create", "quote:approve"],
            },
        ],
    }


def write_hostile_model(directory: Path) -> Path:
    path = directory / "hostile.yaml"
    path.write_text(yaml.safe_dump(hostile_document(), allow_unicode=True), encoding="utf-8")
    return path


def texts_shown() -> list[str]:
    """Every hostile text's lines: what a reader must see literally somewhere."""
    lines: list[str] = []
    for text in HOSTILE:
        lines.extend(line.strip() for line in text.split("\n") if line.strip())
    return lines
