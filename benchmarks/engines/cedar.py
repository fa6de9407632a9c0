"""Cedar (cedarpy): the export's policies and entities, records added as the application would."""

from __future__ import annotations

import json
from typing import Any

import cedarpy

from crmorg.export.naming import resource_type_names

from .sample import Figures, Request, Sample, engine_figures, timed


def _ref(kind: str, entity_id: str) -> dict[str, Any]:
    return {"__entity": {"type": f"CRM::{kind}", "id": entity_id}}


def _record(rtype: str, record_id: str, request: Request) -> dict[str, Any]:
    attrs = {"owner": _ref("Person", request.owner)}
    if request.team is not None:
        attrs["team"] = _ref("Team", request.team)
    if request.department is not None:
        attrs["department"] = _ref("Department", request.department)
    return {"uid": {"type": f"CRM::{rtype}", "id": record_id}, "attrs": attrs, "parents": []}


def measure(sample: Sample) -> list[Figures]:
    files = sample.render("cedar")
    types = resource_type_names(sample.model.resources)

    def load() -> tuple[cedarpy.PolicySet, cedarpy.Entities]:
        return (
            cedarpy.PolicySet.from_str(files["policies.cedar"]),
            cedarpy.Entities.from_json_str(files["entities.json"]),
        )

    loaded, load_seconds = timed(load)
    policies, entities = loaded  # type: ignore[misc]
    records, requests = [], []
    for index, request in enumerate(sample.requests):
        rtype = types[request.resource]
        records.append(_record(rtype, f"r{index}", request))
        requests.append(
            {
                "principal": {"type": "CRM::Person", "id": request.person},
                "action": {"type": "CRM::Action", "id": request.action},
                "resource": {"type": f"CRM::{rtype}", "id": f"r{index}"},
                "context": {},
            }
        )
    with_records = entities.with_added_json_str(json.dumps(records))
    results, seconds = timed(lambda: cedarpy.is_authorized_batch(requests, policies, with_records))
    answers = [r.decision == cedarpy.Decision.Allow for r in results]  # type: ignore[attr-defined]
    count = len(json.loads(cedarpy.policies_to_json_str(files["policies.cedar"]))["staticPolicies"])
    counted = ("cedar", count, "policies")
    asked = (answers, seconds)
    return [engine_figures(sample, files, counted, load_seconds, asked, "is_authorized_batch")]
