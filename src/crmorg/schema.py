"""The JSON Schema of one model file, for editors (yaml-language-server) and tools."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from crmorg.sections import LIST, MAPPING, SECTIONS, Section
from crmorg.text import Id

SCHEMA_ID = "https://crmorg.dev/schema/format-v1.json"


def _field(declared: Section) -> tuple[Any, Any]:
    """A section as a field of one model file: every section is optional in a file."""
    if declared.shape == MAPPING:
        return dict[Id, declared.entry], Field(default_factory=dict)  # type: ignore[name-defined]
    if declared.shape == LIST:
        return list[declared.entry], Field(  # type: ignore[name-defined]
            default_factory=list, description=declared.description
        )
    if declared.default is not None:
        return declared.entry, declared.default
    return declared.entry | None, None


_FIELDS: dict[str, Any] = {declared.key: _field(declared) for declared in SECTIONS}
ModelFile: type[BaseModel] = create_model(
    "ModelFile",
    __config__=ConfigDict(extra="forbid", title="crmorg model file (format v1)"),
    __doc__="One crmorg model file (format version 1). Every section is optional in a file.",
    **_FIELDS,
)
"""One model file, as the JSON Schema describes it: a field per declared section."""


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
