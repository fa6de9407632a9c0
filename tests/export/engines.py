"""crmorg's exports loaded into the real engines, asked the questions of format-v1.

Each adapter takes the files an exporter rendered and answers two batches:

- ``allows(queries)``: ``(subject, action, resource, scope)`` -> bool, the question of
  ``Model.allows`` (subject a role or a person);
- ``decide(queries)``: ``(person, action, resource, Record)`` -> bool, the question of
  ``Model.decide`` on one record.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import casbin
import cedarpy
import regorus

from crmorg.model import Model
from crmorg.roles.scopes import SCOPE_NAMES

SCOPES = SCOPE_NAMES
"""Every scope a question may ask about: the registry's, narrowest first."""


@dataclass(frozen=True)
class Record:
    """One record: its owner, and its team and department when it names them."""

    owner: str | None
    team: str | None = None
    department: str | None = None


AllowsQuery = tuple[str, str, str, str]
DecideQuery = tuple[str, str, str, Record]
FieldQuery = tuple[str, str, str, Record, str | None]
"""A decision on one field of a record (format v1.1 §12); ``None``: the record."""


# --- the application side of a Casbin deployment ----------------------------------------
def record_relations(model: Model, person: str, record: Record) -> list[str]:
    """The narrowest scopes that reach ``record`` for ``person``, from the model's sections.

    Written from format-v1 sections 3 and 9 directly (not through ``Model.relation``):
    what an application that enforces through Casbin computes before calling
    ``enforce(person, resource, action, scope)`` at each of them (two where a report's
    record is also in the person's team or department: those scopes are incomparable).
    """
    if record.owner is not None and record.owner == person:
        return ["own"]

    def teams_of(someone: str) -> set[str]:
        listed = {t for t in model.people[someone].teams if t in model.teams}
        led = {t for t, team in model.teams.items() if team.lead == someone}
        return listed | led

    def departments_of(someone: str) -> set[str]:
        depts = {model.teams[t].department for t in teams_of(someone)}
        depts |= {
            model.roles[r].department for r in model.people[someone].roles if r in model.roles
        }
        return {d for d in depts if d is not None and d in model.departments}

    def below(dept: str) -> set[str]:
        found = {dept}
        changed = True
        while changed:
            more = {d for d, x in model.departments.items() if x.parent in found} - found
            changed = bool(more)
            found |= more
        return found

    def managers_of(someone: str) -> set[str]:
        found: set[str] = set()
        manager = model.people[someone].reports_to
        while manager is not None and manager in model.people and manager not in found:
            found.add(manager)
            manager = model.people[manager].reports_to
        return found

    least = []
    if record.owner is not None and person in managers_of(record.owner):
        least.append("subordinates")
    record_teams = (
        {record.team}
        if record.team is not None
        else (teams_of(record.owner) if record.owner is not None else set())
    )
    record_depts = (
        {record.department}
        if record.department is not None
        else (departments_of(record.owner) if record.owner is not None else set())
    )
    reach = set().union(*(below(d) for d in departments_of(person)))
    if record_teams & teams_of(person):
        least.append("team")
    elif record_depts & reach:
        least.append("department")
    return least or ["organization"]


# --- Casbin ----------------------------------------------------------------------------------
class CasbinEngine:
    """pycasbin's Enforcer on model.conf and policy.csv, read from files as a user would.

    The exported matcher reads no ``p`` line (one role-graph lookup per request), so
    every request sees the whole policy, however big the model.
    """

    name = "casbin"

    def __init__(self, model: Model, files: Mapping[str, str]) -> None:
        self.model = model
        with tempfile.TemporaryDirectory() as tmp:
            for name, text in files.items():
                (Path(tmp) / name).write_text(text, encoding="utf-8")
            self.enforcer = casbin.Enforcer(
                str(Path(tmp) / "model.conf"), str(Path(tmp) / "policy.csv")
            )
        self._cache: dict[tuple[str, str, str, str], bool] = {}

    def _enforce(self, subject: str, resource: str, action: str, scope: str) -> bool:
        key = (subject, resource, action, scope)
        found = self._cache.get(key)
        if found is None:
            found = bool(self.enforcer.enforce(subject, resource, action, scope))
            self._cache[key] = found
        return found

    def allows(self, queries: Sequence[AllowsQuery]) -> list[bool]:
        return [self._enforce(s, r, a, scope) for s, a, r, scope in queries]

    def decide(self, queries: Sequence[DecideQuery]) -> list[bool]:
        return [
            any(self._enforce(p, r, a, scope) for scope in record_relations(self.model, p, record))
            for p, a, r, record in queries
        ]


# --- Rego (regorus) ----------------------------------------------------------------------
_REGO_BATCH = """\
package crmorg_test

import rego.v1

allow := [decision |
	some query in input.queries
	decision := data.crmorg.authz.allow with input as query
]

allow_scope := [decision |
	some query in input.queries
	decision := data.crmorg.authz.allow_scope with input as query
]
"""


class RegoEngine:
    name = "rego"

    def __init__(self, model: Model, files: Mapping[str, str]) -> None:
        self.engine = regorus.Engine()
        self.engine.add_policy("crmorg.rego", files["crmorg.rego"])
        self.engine.add_data_json(files["data.json"])
        # Only the batching: each query still goes through the exported rules alone.
        self.engine.add_policy("crmorg_test.rego", _REGO_BATCH)

    def _batch(self, rule: str, queries: list[dict[str, Any]]) -> list[bool]:
        if not queries:
            return []
        self.engine.set_input_json(json.dumps({"queries": queries}))
        results = self.engine.eval_rule(f"data.crmorg_test.{rule}")
        assert isinstance(results, list) and len(results) == len(queries)
        return [bool(r) for r in results]

    def allows(self, queries: Sequence[AllowsQuery]) -> list[bool]:
        return self._batch(
            "allow_scope",
            [
                {"subject": s, "action": a, "resource": {"type": r}, "scope": scope}
                for s, a, r, scope in queries
            ],
        )

    def decide(self, queries: Sequence[DecideQuery]) -> list[bool]:
        return self.decide_fields([(*query, None) for query in queries])

    def decide_fields(self, queries: Sequence[FieldQuery]) -> list[bool]:
        inputs = []
        for person, action, resource, record, field in queries:
            described: dict[str, Any] = {"type": resource}
            if record.owner is not None:
                described["owner"] = record.owner
            if record.team is not None:
                described["team"] = record.team
            if record.department is not None:
                described["department"] = record.department
            asked: dict[str, Any] = {"subject": person, "action": action, "resource": described}
            if field is not None:
                asked["field"] = field
            inputs.append(asked)
        return self._batch("allow", inputs)


# --- Cedar ---------------------------------------------------------------------------------
PROBE_TEAM = "__probe_team__"
OTHER_TEAM = "__other_team__"
PROBE_DEPARTMENT = "__probe_department__"
OTHER_DEPARTMENT = "__other_department__"
OTHER = "__other_person__"


def _uid(kind: str, entity_id: str) -> dict[str, str]:
    return {"type": f"CRM::{kind}", "id": entity_id}


def _ref(kind: str, entity_id: str) -> dict[str, Any]:
    return {"__entity": _uid(kind, entity_id)}


class CedarEngine:
    """Cedar through cedarpy.

    With ``sliced``, the policy set is sliced by (action, resource type). Cedar
    evaluates every policy for every request, so a request costs time in proportion to
    the policy count (about a millisecond on the reference model). Every exported
    policy's scope names one action (``action ==``) and one resource type (``resource
    is``), which is checked here from Cedar's own JSON form of the policies; a request
    is then evaluated against the policies of its action and resource type only, which
    cannot change its answer: a policy whose scope does not match never applies, be it a
    ``permit`` or a ``forbid`` (a restricted field's).

    ``allows`` asks with a probe principal: a person holding the subject's roles (the
    role itself, or the person's roles as entities.json gives them), in a team and a
    department of its own, about records whose relation to it is exactly the scope
    asked: owned by it (own); owned by someone else, in its team (team); in another
    team but its department (department); in neither (organization). Scope ``none`` is
    no record relation; the tests check it against ``Model.allows`` alone.
    """

    name = "cedar"

    def __init__(
        self,
        model: Model,
        files: Mapping[str, str],
        types: Mapping[str, str],
        *,
        sliced: bool = False,
    ) -> None:
        self.model = model
        self.sliced = sliced
        self.types = dict(types)
        self.schema = files["schema.cedarschema"]
        self.policy_text = files["policies.cedar"]
        self.entities: list[dict[str, Any]] = json.loads(files["entities.json"])
        self.by_uid = {(e["uid"]["type"], e["uid"]["id"]): e for e in self.entities}
        self.full = cedarpy.PolicySet.from_str(self.policy_text)
        self.empty = cedarpy.PolicySet.from_str("")
        self.slices = self._slice()

    def _slice(self) -> dict[tuple[str, str], cedarpy.PolicySet]:
        parsed = json.loads(cedarpy.policies_to_json_str(self.policy_text))
        assert not parsed["templates"]
        groups: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
        for policy_id, policy in parsed["staticPolicies"].items():
            assert policy["effect"] in ("permit", "forbid")
            action, resource = policy["action"], policy["resource"]
            assert action["op"] == "==" and action["entity"]["type"] == "CRM::Action", policy
            assert resource["op"] == "is" and "in" not in resource, policy
            key = (action["entity"]["id"], resource["entity_type"])
            groups[key][policy_id] = policy
        return {
            key: cedarpy.PolicySet.from_json_str(
                json.dumps({"staticPolicies": group, "templates": {}, "templateLinks": []})
            )
            for key, group in groups.items()
        }

    def _run(
        self,
        requests: list[tuple[str, str, str, str, str, dict[str, str]]],
        extra_entities: list[dict[str, Any]],
    ) -> list[bool]:
        """requests: (principal type, principal id, action, resource type, resource id,
        context)."""
        # Validated against the exported schema: the entities must be what it declares.
        entities = cedarpy.Entities.from_json_str(
            json.dumps(self.entities + extra_entities), schema=self.schema
        )
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index, (_, _, action, rtype, _, _) in enumerate(requests):
            groups[(action, f"CRM::{rtype}")].append(index)
        answers = [False] * len(requests)
        for key, indexes in groups.items():
            policies = self.slices.get(key, self.empty) if self.sliced else self.full
            batch = [
                {
                    "principal": _uid(requests[i][0], requests[i][1]),
                    "action": _uid("Action", requests[i][2]),
                    "resource": _uid(requests[i][3], requests[i][4]),
                    "context": requests[i][5],
                }
                for i in indexes
            ]
            results = cedarpy.is_authorized_batch(batch, policies, entities)
            for i, result in zip(indexes, results, strict=True):
                assert not result.diagnostics.errors, result.diagnostics.errors
                answers[i] = result.decision == cedarpy.Decision.Allow
        return answers

    # allows() through probes ------------------------------------------------------------
    def _probe(self, subject: str) -> dict[str, Any]:
        if subject in self.model.roles:
            roles = [_uid("Role", subject)]
        else:
            person = self.by_uid[("CRM::Person", subject)]
            roles = [p for p in person["parents"] if p["type"] == "CRM::Role"]
        return {
            "uid": _uid("Person", f"__probe__{subject}"),
            "attrs": {
                "teams": [_ref("Team", PROBE_TEAM)],
                "departments": [_ref("Department", PROBE_DEPARTMENT)],
                "reports": _ref("ReportingLine", f"__probe__{subject}"),
            },
            "parents": [*roles, _uid("Team", PROBE_TEAM), _uid("Department", PROBE_DEPARTMENT)],
        }

    @staticmethod
    def _probe_report(subject: str) -> list[dict[str, Any]]:
        """Someone who reports to the probe, and the probe's reporting line."""
        return [
            {"uid": _uid("ReportingLine", f"__probe__{subject}"), "attrs": {}, "parents": []},
            {
                "uid": _uid("Person", f"__report__{subject}"),
                "attrs": {"teams": [], "departments": []},
                "parents": [_uid("ReportingLine", f"__probe__{subject}")],
            },
        ]

    def _support(self) -> list[dict[str, Any]]:
        return [
            {"uid": _uid("Team", PROBE_TEAM), "attrs": {}, "parents": []},
            {"uid": _uid("Team", OTHER_TEAM), "attrs": {}, "parents": []},
            {"uid": _uid("Department", PROBE_DEPARTMENT), "attrs": {}, "parents": []},
            {"uid": _uid("Department", OTHER_DEPARTMENT), "attrs": {}, "parents": []},
            {
                "uid": _uid("Person", OTHER),
                "attrs": {"teams": [], "departments": []},
                "parents": [],
            },
        ]

    def allows(self, queries: Sequence[AllowsQuery]) -> list[bool]:
        extra = self._support()
        probes: set[str] = set()
        records: set[tuple[str, str]] = set()
        requests = []
        for subject, action, resource, scope in queries:
            assert scope != "none", "scope none is no record relation"
            if subject not in probes:
                probes.add(subject)
                extra += [self._probe(subject), *self._probe_report(subject)]
            rtype = self.types[resource]
            record_id = f"{scope}:{subject}" if scope in ("own", "subordinates") else scope
            if (rtype, record_id) not in records:
                records.add((rtype, record_id))
                extra.append(self._probe_record(rtype, record_id, subject, scope))
            requests.append(("Person", f"__probe__{subject}", action, rtype, record_id, {}))
        return self._run(requests, extra)

    @staticmethod
    def _probe_record(rtype: str, record_id: str, subject: str, scope: str) -> dict[str, Any]:
        attrs: dict[str, Any]
        if scope == "own":
            attrs = {"owner": _ref("Person", f"__probe__{subject}")}
        elif scope == "subordinates":
            attrs = {
                "owner": _ref("Person", f"__report__{subject}"),
                "team": _ref("Team", OTHER_TEAM),
                "department": _ref("Department", OTHER_DEPARTMENT),
            }
        elif scope == "team":
            attrs = {"owner": _ref("Person", OTHER), "team": _ref("Team", PROBE_TEAM)}
        else:
            assert scope in ("department", "organization"), f"no probe record at {scope}"
            attrs = {
                "owner": _ref("Person", OTHER),
                "team": _ref("Team", OTHER_TEAM),
                "department": _ref(
                    "Department", PROBE_DEPARTMENT if scope == "department" else OTHER_DEPARTMENT
                ),
            }
        return {"uid": _uid(rtype, record_id), "attrs": attrs, "parents": []}

    # decide() on records ----------------------------------------------------------------
    def decide(self, queries: Sequence[DecideQuery]) -> list[bool]:
        return self.decide_fields([(*query, None) for query in queries])

    def decide_fields(self, queries: Sequence[FieldQuery]) -> list[bool]:
        """decide() of one field of the record (``None``: the record), the field named
        in the request's context."""
        extra: list[dict[str, Any]] = []
        ids: dict[tuple[str, Record], str] = {}
        requests = []
        for person, action, resource, record, field in queries:
            rtype = self.types[resource]
            record_id = ids.get((rtype, record))
            if record_id is None:
                record_id = f"record{len(ids)}"
                ids[(rtype, record)] = record_id
                attrs: dict[str, Any] = {}
                if record.owner is not None:
                    attrs["owner"] = _ref("Person", record.owner)
                if record.team is not None:
                    attrs["team"] = _ref("Team", record.team)
                if record.department is not None:
                    attrs["department"] = _ref("Department", record.department)
                extra.append({"uid": _uid(rtype, record_id), "attrs": attrs, "parents": []})
            context = {} if field is None else {"field": field}
            requests.append(("Person", person, action, rtype, record_id, context))
        return self._run(requests, extra)

    def validate(self) -> list[str]:
        result = cedarpy.validate_policies(self.policy_text, self.schema)
        return [str(error) for error in result.errors]
