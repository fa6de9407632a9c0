"""References to ids that the model does not define."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping

from crmorg.findings import GROUPS, Path
from crmorg.lint.rule import Problem, checks
from crmorg.loading.identities import UNKNOWN_REFERENCE
from crmorg.model import Model
from crmorg.roles.models import Responsibility, Role


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _ref(
    model: Model,
    owner_path: Path,
    owner_id: str,
    value: str,
    section: str,
    what: str,
    relation: str,
) -> Iterator[Problem]:
    if model.document.known(section, value):
        return
    entities: Mapping[str, object] = getattr(model.document, section)
    yield Problem(
        f"{relation} `{value}`, which is not a {what} in the model"
        f"{_suggest(value, entities)}; define it under `{section}` or fix the id",
        owner_path,
        (owner_id, value),
    )


def _refs(
    model: Model,
    base: Path,
    owner_id: str,
    values: Iterable[str],
    section: str,
    what: str,
    relation: str,
) -> Iterator[Problem]:
    for index, value in enumerate(values):
        yield from _ref(model, (*base, index), owner_id, value, section, what, relation)


def _grant_refs(
    model: Model, base: Path, owner_id: str, grants: Mapping[str, Mapping[str, str]]
) -> Iterator[Problem]:
    catalog = model.catalog
    for resource, actions in grants.items():
        if resource != "*" and not model.document.known("resources", resource):
            yield Problem(
                f"{owner_id} names resource `{resource}`, which is not declared"
                f"{_suggest(resource, model.resources)}; declare it under `resources`",
                (*base, resource),
                (owner_id, resource),
                at_key=True,
            )
            continue
        for action in actions:
            if action == "*":
                continue
            if action not in catalog.actions:
                yield Problem(
                    f"{owner_id} names action `{action}`, which is neither built in nor "
                    f"declared{_suggest(action, catalog.actions)}; add it to `actions:`",
                    (*base, resource, action),
                    (owner_id, action),
                    at_key=True,
                )
            elif (
                resource != "*"
                and resource in model.resources
                and not catalog.applies(resource, action)
            ):
                yield Problem(
                    f"{owner_id} names `{resource}.{action}`, but `{action}` does not apply to "
                    f"{resource} (its actions: {', '.join(catalog.applicable[resource])}); "
                    "add it to the resource's `actions` or remove it here",
                    (*base, resource, action),
                    (owner_id, resource, action),
                    at_key=True,
                )


class _KnownIds:
    """Set-based checks that let the common case (nothing unknown) skip the detail."""

    def __init__(self, model: Model) -> None:
        doc = model.document
        self.roles = set(doc.roles) | doc.rejected.get("roles", frozenset())
        self.departments = set(doc.departments) | doc.rejected.get("departments", frozenset())
        self.actions = frozenset(model.catalog.actions)
        self.applicable = {r: frozenset(a) for r, a in model.catalog.applicable.items()}

    def role_ok(self, role: Role) -> bool:
        return (
            (role.department is None or role.department in self.departments)
            and self.roles.issuperset(role.inherits)
            and (role.reports_to is None or role.reports_to in self.roles)
            and self.grants_ok(role.grants)
        )

    def responsibility_ok(self, resp: Responsibility) -> bool:
        return (
            (resp.department is None or resp.department in self.departments)
            and (resp.accountable is None or resp.accountable in self.roles)
            and self.roles.issuperset(resp.responsible)
            and self.roles.issuperset(resp.consulted)
            and self.roles.issuperset(resp.informed)
            and self.grants_ok(resp.requires)
        )

    def grants_ok(self, grants: Mapping[str, Mapping[str, str]]) -> bool:
        for resource, actions in grants.items():
            allowed = self.actions if resource == "*" else self.applicable.get(resource)
            if allowed is None:
                return False
            if not all(action == "*" or action in allowed for action in actions):
                return False
        return True


@checks(UNKNOWN_REFERENCE)
def unknown_reference(model: Model) -> Iterator[Problem]:
    """A reference names an id that the model does not define.

    Every id a model refers to — a department's parent and head, a role's department,
    inherited roles and reporting line, RACI roles, grant resources and actions, team
    leads, people's roles and teams, KPI owners, metric sources, constraint members,
    waiver rules — must be defined.

    Fails:
    ```yaml
    roles:
      sales_rep: {inherits: [employe]}   # typo
    ```
    Fix: `inherits: [employee]`, or define the missing role.
    """
    doc = model.document
    for dept_id, dept in doc.departments.items():
        base = ("departments", dept_id)
        if dept.parent is not None:
            yield from _ref(
                model,
                (*base, "parent"),
                dept_id,
                dept.parent,
                "departments",
                "department",
                f"department {dept_id} has parent",
            )
        if dept.head is not None:
            yield from _ref(
                model,
                (*base, "head"),
                dept_id,
                dept.head,
                "roles",
                "role",
                f"department {dept_id} is headed by",
            )
    known = _KnownIds(model)
    for role_id, role in doc.roles.items():
        if known.role_ok(role):
            continue
        base = ("roles", role_id)
        if role.department is not None:
            yield from _ref(
                model,
                (*base, "department"),
                role_id,
                role.department,
                "departments",
                "department",
                f"role {role_id} belongs to",
            )
        yield from _refs(
            model,
            (*base, "inherits"),
            role_id,
            role.inherits,
            "roles",
            "role",
            f"role {role_id} inherits",
        )
        if role.reports_to is not None:
            yield from _ref(
                model,
                (*base, "reports_to"),
                role_id,
                role.reports_to,
                "roles",
                "role",
                f"role {role_id} reports to",
            )
        yield from _grant_refs(model, (*base, "grants"), role_id, role.grants)
    for resp_id, resp in doc.responsibilities.items():
        if known.responsibility_ok(resp):
            continue
        base = ("responsibilities", resp_id)
        if resp.department is not None:
            yield from _ref(
                model,
                (*base, "department"),
                resp_id,
                resp.department,
                "departments",
                "department",
                f"responsibility {resp_id} belongs to",
            )
        if resp.accountable is not None:
            yield from _ref(
                model,
                (*base, "accountable"),
                resp_id,
                resp.accountable,
                "roles",
                "role",
                f"responsibility {resp_id} is accountable to",
            )
        for part in ("responsible", "consulted", "informed"):
            yield from _refs(
                model,
                (*base, part),
                resp_id,
                getattr(resp, part),
                "roles",
                "role",
                f"responsibility {resp_id} lists as {part}",
            )
        yield from _grant_refs(model, (*base, "requires"), resp_id, resp.requires)
    for team_id, team in doc.teams.items():
        base = ("teams", team_id)
        if team.department is not None:
            yield from _ref(
                model,
                (*base, "department"),
                team_id,
                team.department,
                "departments",
                "department",
                f"team {team_id} belongs to",
            )
        if team.lead is not None:
            yield from _ref(
                model,
                (*base, "lead"),
                team_id,
                team.lead,
                "people",
                "person",
                f"team {team_id} is led by",
            )
    # People are the bulk of a large model: check them with set operations first and
    # look closer only at the few that name something unknown.
    known_roles = set(doc.roles) | doc.rejected.get("roles", frozenset())
    known_teams = set(doc.teams) | doc.rejected.get("teams", frozenset())
    known_people = set(doc.people) | doc.rejected.get("people", frozenset())
    for person_id, person in doc.people.items():
        if (
            known_roles.issuperset(person.roles)
            and known_teams.issuperset(person.teams)
            and (person.reports_to is None or person.reports_to in known_people)
        ):
            continue
        base = ("people", person_id)
        yield from _refs(
            model, (*base, "roles"), person_id, person.roles, "roles", "role", f"{person_id} holds"
        )
        yield from _refs(
            model, (*base, "teams"), person_id, person.teams, "teams", "team", f"{person_id} is in"
        )
        if person.reports_to is not None:
            yield from _ref(
                model,
                (*base, "reports_to"),
                person_id,
                person.reports_to,
                "people",
                "person",
                f"{person_id} reports to",
            )
    for metric_id, metric in doc.metrics.items():
        if metric.source is not None:
            yield from _ref(
                model,
                ("metrics", metric_id, "source"),
                metric_id,
                metric.source,
                "resources",
                "resource",
                f"metric {metric_id} is computed from",
            )
    for kpi_id, kpi in doc.kpis.items():
        base = ("kpis", kpi_id)
        if kpi.department is not None:
            yield from _ref(
                model,
                (*base, "department"),
                kpi_id,
                kpi.department,
                "departments",
                "department",
                f"KPI {kpi_id} belongs to",
            )
        if kpi.owner is not None:
            yield from _ref(
                model,
                (*base, "owner"),
                kpi_id,
                kpi.owner,
                "roles",
                "role",
                f"KPI {kpi_id} is owned by",
            )
    for resource_id, resource in doc.resources.items():
        for index, action in enumerate(resource.actions or ()):
            if action not in model.catalog.actions:
                yield Problem(
                    f"resource {resource_id} lists action `{action}`, which is neither built "
                    f"in nor declared{_suggest(action, model.catalog.actions)}; add it to "
                    "the top-level `actions:` list",
                    ("resources", resource_id, "actions", index),
                    (resource_id, action),
                )
    yield from _constraint_refs(model)
    yield from _settings_refs(model)


def _constraint_refs(model: Model) -> Iterator[Problem]:
    for constraint in model.constraints:
        base = model.constraint_path(constraint.id)
        cid = constraint.id
        if constraint.kind == "separation_of_duties":
            for position, permission in enumerate(constraint.permissions):
                resource, action = permission.split(":", 1)
                path = (*base, "permissions", position)
                if not model.document.known("resources", resource):
                    yield Problem(
                        f"constraint {cid} names resource `{resource}`, which is not declared"
                        f"{_suggest(resource, model.resources)}",
                        path,
                        (cid, resource),
                    )
                elif resource in model.resources and not model.catalog.applies(resource, action):
                    yield Problem(
                        f"constraint {cid} names `{permission}`, but `{action}` does not apply "
                        f"to {resource}",
                        path,
                        (cid, resource, action),
                    )
        elif constraint.kind == "exclusive_roles":
            yield from _refs(
                model,
                (*base, "roles"),
                cid,
                constraint.roles,
                "roles",
                "role",
                f"constraint {cid} names",
            )
        else:
            yield from _ref(
                model,
                (*base, "role"),
                cid,
                constraint.role,
                "roles",
                "role",
                f"constraint {cid} names",
            )


def _settings_refs(model: Model) -> Iterator[Problem]:
    # Imported here, not at the top: the catalogue is derived from the registry, which
    # imports this rule.
    from crmorg.lint.catalog import IDENTITIES

    rules_or_groups = [*IDENTITIES, *GROUPS]
    known_ids: set[str] = set()
    for section in (
        "resources",
        "departments",
        "roles",
        "responsibilities",
        "teams",
        "people",
        "kpis",
        "metrics",
    ):
        known_ids.update(getattr(model.document, section))
    known_ids.update(constraint.id for constraint in model.constraints)
    known_ids.update(model.catalog.actions)
    for rule_name in model.settings.rules:
        if rule_name not in rules_or_groups:
            yield Problem(
                f"settings.rules names `{rule_name}`, which is not a rule"
                f"{_suggest(rule_name, rules_or_groups)}; `crmorg rules` lists them",
                ("settings", "rules", rule_name),
                (rule_name,),
                at_key=True,
            )
    for index, waiver in enumerate(model.settings.waivers):
        base = ("settings", "waivers", index)
        if waiver.rule not in IDENTITIES:
            yield Problem(
                f"a waiver names rule `{waiver.rule}`, which does not exist"
                f"{_suggest(waiver.rule, IDENTITIES)}",
                (*base, "rule"),
                (waiver.rule,),
            )
        for position, subject in enumerate(waiver.subjects):
            if subject not in known_ids:
                yield Problem(
                    f"a waiver names `{subject}`, which is no id in the model"
                    f"{_suggest(subject, known_ids)}",
                    (*base, "subjects", position),
                    (subject,),
                )
