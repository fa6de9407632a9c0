"""Rego (regorus): rule ``allow`` of the exported policy, one input per request."""

from __future__ import annotations

import json
from typing import Any

import regorus

from .sample import Figures, Request, Sample, engine_figures, timed


def _input(request: Request) -> str:
    resource: dict[str, Any] = {"type": request.resource, "owner": request.owner}
    if request.team is not None:
        resource["team"] = request.team
    if request.department is not None:
        resource["department"] = request.department
    return json.dumps({"subject": request.person, "action": request.action, "resource": resource})


def measure(sample: Sample) -> list[Figures]:
    files = sample.render("rego")

    def load() -> regorus.Engine:
        engine = regorus.Engine()
        engine.add_policy("crmorg.rego", files["crmorg.rego"])
        engine.add_data_json(files["data.json"])
        return engine

    engine, load_seconds = timed(load)
    inputs = [_input(r) for r in sample.requests]

    def ask() -> list[bool]:
        answers = []
        for text in inputs:
            engine.set_input_json(text)  # type: ignore[attr-defined]
            answers.append(bool(engine.eval_rule("data.crmorg.authz.allow")))  # type: ignore[attr-defined]
        return answers

    policy = files["crmorg.rego"]
    rules = policy.count("\nallow if") + policy.count("\nrecord_allowed if")
    counted = ("rego", rules, "allow rules")
    return [engine_figures(sample, files, counted, load_seconds, timed(ask))]
