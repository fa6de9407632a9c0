"""The JSON Schema of one model file, for editors (yaml-language-server) and tools."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from crmorg.kpi.models import Kpi, Metric
from crmorg.permissions.models import Constraint, Resource
from crmorg.roles.models import Department, Person, Responsibility, Role, Team
from crmorg.settings import Organization, Settings
from crmorg.text import Id

SCHEMA_ID = "https://crmorg.dev/schema/format-v1.json"


class ModelFile(BaseModel):
    """One crmorg model file (format version 1). Every section is optional in a file."""

    model_config = ConfigDict(extra="forbid", title="crmorg model file (format v1)")

    version: Literal[1] = 1
    organization: Organization | None = None
    actions: list[Id] = Field(default_factory=list, description="Model-specific actions.")
    resources: dict[Id, Resource] = Field(default_factory=dict)
    departments: dict[Id, Department] = Field(default_factory=dict)
    roles: dict[Id, Role] = Field(default_factory=dict)
    responsibilities: dict[Id, Responsibility] = Field(default_factory=dict)
    teams: dict[Id, Team] = Field(default_factory=dict)
    people: dict[Id, Person] = Field(default_factory=dict)
    metrics: dict[Id, Metric] = Field(default_factory=dict)
    kpis: dict[Id, Kpi] = Field(default_factory=dict)
    constraints: list[Constraint] = Field(default_factory=list)
    settings: Settings | None = None


def json_schema() -> dict[str, Any]:
    """The schema as a dict (JSON Schema draft 2020-12)."""
    schema = _close_pattern_maps(ModelFile.model_json_schema())
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _close_pattern_maps(node: Any) -> Any:
    """Id-keyed maps accept only valid ids: no property outside the id pattern."""
    if isinstance(node, dict):
        closed = {key: _close_pattern_maps(value) for key, value in node.items()}
        if "patternProperties" in closed and "additionalProperties" not in closed:
            closed["additionalProperties"] = False
        return closed
    if isinstance(node, list):
        return [_close_pattern_maps(item) for item in node]
    return node
