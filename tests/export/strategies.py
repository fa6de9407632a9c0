"""Hypothesis strategies for valid crmorg models, written as YAML and loaded for real.

The models stay small (the engines answer every question about each one), but have
what makes exports hard: wildcard grants and ``none``, resources with their own action
lists and model-specific actions, ids whose PascalCase collide, inheritance chains
deeper than ten levels and roles inheriting several others, people with several roles
and teams, team leads who do not list their team, department trees, and free text
full of quotes, newlines, comment markers and Chinese. With ``access`` (the default),
the constructs of format v1.1 too: grants at ``subordinates`` over reporting chains
(deeper than ten with ``deep``), baselines, sharing rules between roles, teams and
departments, and restricted fields with roles' field grants.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

import crmorg
from crmorg.model import Model
from crmorg.roles.scopes import SCOPE_NAMES

BUILTIN = ("create", "read", "update", "delete", "assign", "share", "export", "import", "approve")
EXTRA = ("refund", "convert")
SCOPES = SCOPE_NAMES
RESOURCE_IDS = ("lead", "service_case", "a_1", "a1", "person", "grant", "payment", "string")

HOSTILE = st.sampled_from(
    [
        'Say "hi"',
        "line one\nline two",
        "*/ } ]; drop",
        "# not a comment",
        "back\\slash \\u{41}",
        "销售代表",
        '=HYPERLINK("http://x")',
        "+1-2",
        "@SUM(A1)",
        "tab\there",
        "\u202eevil",
        "trailing\r\n",
        "plain name",
    ]
)
# Characters a YAML file may hold (raw, or escaped in the double-quoted JSON style that
# load_document writes); YAML has no way to write a lone surrogate.
_YAML_CHARACTERS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters=[chr(c) for c in range(0x7F, 0xA0) if c != 0x85] + ["\ufffe", "\uffff"],
)
TEXT = st.one_of(HOSTILE, st.text(_YAML_CHARACTERS, min_size=1, max_size=12))


@st.composite
def model_documents(
    draw: st.DrawFn, deep: bool | None = None, access: bool = True
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "version": 1,
        "organization": {"name": draw(TEXT)},
        "actions": list(EXTRA),
    }
    # Departments: a forest, each parent defined before its children.
    departments: dict[str, Any] = {}
    for i in range(draw(st.integers(0, 4))):
        dept: dict[str, Any] = {"name": draw(TEXT)}
        if departments and draw(st.booleans()):
            dept["parent"] = draw(st.sampled_from(sorted(departments)))
        departments[f"d{i}"] = dept
    doc["departments"] = departments
    dept_ids = sorted(departments)

    # Resources: some with the built-in actions, some with their own list.
    resource_ids = draw(
        st.lists(st.sampled_from(RESOURCE_IDS), min_size=1, max_size=3, unique=True)
    )
    resources: dict[str, Any] = {}
    applicable: dict[str, list[str]] = {}
    for resource_id in resource_ids:
        resource: dict[str, Any] = {"name": draw(TEXT)}
        if draw(st.integers(0, 3)):
            actions = draw(
                st.lists(st.sampled_from(BUILTIN + EXTRA), min_size=1, max_size=4, unique=True)
            )
            resource["actions"] = actions
            applicable[resource_id] = actions
        else:
            applicable[resource_id] = list(BUILTIN)
        if access and draw(st.booleans()):
            keys = ["*", *applicable[resource_id]]
            resource["baseline"] = {
                key: draw(st.sampled_from(SCOPES[1:]))
                for key in draw(
                    st.lists(st.sampled_from(keys), min_size=1, max_size=2, unique=True)
                )
            }
        if access and draw(st.booleans()):
            resource["fields"] = {
                "plain": {"name": draw(TEXT)},
                "secret": {"name": draw(TEXT), "restricted": True},
            }
        resources[resource_id] = resource
    doc["resources"] = resources
    # Subordinates twice as likely as another scope: it is what the reporting chains test.
    scopes = (
        (*SCOPES, "subordinates") if access else tuple(s for s in SCOPES if s != "subordinates")
    )

    def grants() -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {}
        for _ in range(draw(st.integers(0, 3))):
            resource_key = draw(st.sampled_from([*resource_ids, "*"]))
            choices = ["*"] if resource_key == "*" else ["*", *applicable[resource_key]]
            action_key = draw(st.sampled_from(choices))
            result.setdefault(resource_key, {})[action_key] = draw(st.sampled_from(scopes))
        return result

    with_fields = [r for r, resource in resources.items() if "fields" in resource]

    def field_grants() -> dict[str, dict[str, str]]:
        if not with_fields or not draw(st.integers(0, 2)):
            return {}
        resource_id = draw(st.sampled_from(with_fields))
        return {resource_id: {"secret": draw(st.sampled_from(["none", "read", "edit"]))}}

    # Roles: a few, each inheriting some earlier ones, plus perhaps a long chain.
    roles: dict[str, Any] = {}
    for i in range(draw(st.integers(1, 5))):
        role: dict[str, Any] = {"name": draw(TEXT), "grants": grants()}
        if access and (granted_fields := field_grants()):
            role["fields"] = granted_fields
        if roles:
            role["inherits"] = draw(
                st.lists(st.sampled_from(sorted(roles)), max_size=2, unique=True)
            )
        if dept_ids and draw(st.booleans()):
            role["department"] = draw(st.sampled_from(dept_ids))
        roles[f"r{i}"] = role
    chain_length = draw(st.integers(11, 14)) if deep else draw(st.sampled_from([0, 0, 2, 12]))
    if deep is False:
        chain_length = 0
    previous: str | None = None
    for i in range(chain_length):
        role = {"grants": grants() if draw(st.integers(0, 2)) == 0 else {}}
        if previous is not None:
            role["inherits"] = [previous]
        elif roles:
            role["inherits"] = [draw(st.sampled_from(sorted(roles)))]
        roles[f"c{i}"] = role
        previous = f"c{i}"
    doc["roles"] = roles
    role_ids = sorted(roles)

    # People and teams: several roles and teams each; leads need not list their team.
    people_ids = [f"p{i}" for i in range(draw(st.integers(1, 4)))]
    teams: dict[str, Any] = {}
    for i in range(draw(st.integers(0, 3))):
        team: dict[str, Any] = {"name": draw(TEXT)}
        if dept_ids and draw(st.integers(0, 3)):
            team["department"] = draw(st.sampled_from(dept_ids))
        if draw(st.booleans()):
            team["lead"] = draw(st.sampled_from(people_ids))
        teams[f"t{i}"] = team
    doc["teams"] = teams
    people: dict[str, Any] = {}
    deep_roles = [r for r in role_ids if r.startswith("c")][-2:]
    for person_id in people_ids:
        held = draw(st.lists(st.sampled_from(role_ids), max_size=3, unique=True))
        if deep_roles and draw(st.booleans()):
            held = list(dict.fromkeys([*held, deep_roles[-1]]))
        people[person_id] = {
            "name": draw(TEXT),
            "roles": held,
            "teams": draw(st.lists(st.sampled_from(sorted(teams)), max_size=2, unique=True))
            if teams
            else [],
        }
    if access:
        # Reporting: each person may report to an earlier one; perhaps a long chain.
        for index, person_id in enumerate(people_ids[1:], start=1):
            if draw(st.integers(0, 3)):
                people[person_id]["reports_to"] = people_ids[draw(st.integers(0, index - 1))]
        reporting = draw(st.integers(11, 13)) if deep else draw(st.sampled_from([0, 0, 3]))
        above = draw(st.sampled_from(people_ids))
        for i in range(reporting):
            people[f"q{i}"] = {"reports_to": above, "roles": [], "teams": []}
            above = f"q{i}"
        if reporting:  # someone with roles at the bottom of the chain
            people[f"q{reporting - 1}"]["roles"] = draw(
                st.lists(st.sampled_from(role_ids), max_size=2, unique=True)
            )
        doc["sharing"] = sharing_rules(draw, resource_ids, applicable, role_ids, teams, dept_ids)
    doc["people"] = people
    return doc


def sharing_rules(
    draw: st.DrawFn,
    resource_ids: list[str],
    applicable: dict[str, list[str]],
    role_ids: list[str],
    teams: dict[str, Any],
    dept_ids: list[str],
) -> dict[str, Any]:
    groups = [
        *({"role": r} for r in role_ids),
        *({"team": t} for t in sorted(teams)),
        *({"department": d} for d in dept_ids),
    ]
    rules: dict[str, Any] = {}
    for i in range(draw(st.integers(0, 3))):
        resource_id = draw(st.sampled_from(resource_ids))
        rules[f"s{i}"] = {
            "resource": resource_id,
            "from": draw(st.sampled_from(groups)),
            "to": draw(st.sampled_from(groups)),
            "actions": draw(
                st.lists(
                    st.sampled_from(applicable[resource_id]), min_size=1, max_size=3, unique=True
                )
            ),
        }
    return rules


def load_document(doc: dict[str, Any]) -> Model:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.yaml"
        # JSON is YAML whose every string is quoted: no `no`/`Y` read as a boolean.
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        return crmorg.load(path)


def models(deep: bool | None = None, access: bool = True) -> st.SearchStrategy[Model]:
    return model_documents(deep, access).map(load_document)
