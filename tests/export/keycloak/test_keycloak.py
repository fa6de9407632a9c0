"""The ``keycloak`` target: typed by Keycloak's own admin client, and closed as Keycloak does.

- ``realm.json`` is assigned, as an object literal, to ``RealmRepresentation`` from
  ``@keycloak/keycloak-admin-client`` and checked by ``tsc --noEmit --strict``: every
  key must be one the representation declares, of its type.
- Keycloak's role expansion (a user's realm roles, those of their groups, and every
  composite of those, transitively) is computed here from the file alone, and each user's
  effective client roles, read as ``resource:action:scope``, must give exactly the
  model's effective grants (``Model.allows`` at every scope), over generated models. The
  scope order is written out below, not imported.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import crmorg
from crmorg.export import EXPORTERS
from crmorg.export.capabilities import inexpressible
from crmorg.model import Model

from ..conftest import FIXTURES
from ..identity_models import expected_groups, identity_models, lineage

JS = Path(__file__).parents[2] / "js"
TSC = JS / "node_modules" / "typescript" / "bin" / "tsc"
ADMIN_CLIENT = JS / "node_modules" / "@keycloak" / "keycloak-admin-client"

# Each scope, and the scopes it includes (format v1.1 section 9), written out.
INCLUDES = {
    "none": {"none"},
    "own": {"none", "own"},
    "subordinates": {"none", "own", "subordinates"},
    "team": {"none", "own", "team"},
    "department": {"none", "own", "team", "department"},
    "organization": {"none", "own", "subordinates", "team", "department", "organization"},
}


def _realm(model: Model) -> dict[str, Any]:
    files = EXPORTERS["keycloak"].render(model)
    assert list(files) == ["realm.json"]
    realm: dict[str, Any] = json.loads(files["realm.json"])
    return realm


def effective_roles(realm: dict[str, Any], user: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Keycloak's expansion of one user: (realm roles, client roles of ``crmorg``)."""
    roles = {role["name"]: role for role in realm["roles"]["realm"]}
    groups: dict[str, dict[str, Any]] = {}

    def walk(found: list[dict[str, Any]], above: str) -> None:
        for group in found:
            path = f"{above}/{group['name']}"
            groups[path] = group
            walk(group.get("subGroups", []), path)

    walk(realm["groups"], "")
    start = set(user.get("realmRoles", []))
    client: set[str] = set()
    for path in user.get("groups", []):
        # A group's roles are its members' (and its subgroups' members'); none are set.
        group = groups[path]
        start |= set(group.get("realmRoles", []))
        client |= set(group.get("clientRoles", {}).get("crmorg", []))
    seen: set[str] = set()
    pending = list(start)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        composites = roles[name].get("composites", {})
        pending.extend(composites.get("realm", []))
        client |= set(composites.get("client", {}).get("crmorg", []))
    return seen, client


def check_realm(model: Model) -> int:
    """Compare the realm with the model; returns the number of checks made."""
    realm = _realm(model)
    declared = {role["name"] for role in realm["roles"]["client"]["crmorg"]}
    users = {user["attributes"]["crmorg.id"][0]: user for user in realm["users"]}
    assert set(users) == set(model.people)
    assert len({user["username"] for user in realm["users"]}) == len(users)
    emails = [user["email"].lower() for user in realm["users"] if "email" in user]
    assert len(set(emails)) == len(emails)
    groups = expected_groups(model)
    role_ids = {
        role["name"]: role["attributes"]["crmorg.id"][0] for role in realm["roles"]["realm"]
    }
    # Keycloak's own roles, which every user holds through the realm's default role.
    assert not {"offline_access", "uma_authorization"} & set(role_ids)
    checks = 0
    for person, user in users.items():
        realm_roles, client_roles = effective_roles(realm, user)
        assert client_roles <= declared
        given = model.people[person].roles
        ids = {role_ids[name] for name in realm_roles}
        assert ids == set().union(*(lineage(model, r) for r in given)), person
        held: dict[tuple[str, str], set[str]] = {}
        for name in client_roles:
            resource, action, scope = name.split(":")
            held.setdefault((resource, action), set()).add(scope)
        for resource in model.resources:
            for action in model.catalog.applicable.get(resource, ()):
                # Every subject may act at none.
                reached = {"none"}.union(*(INCLUDES[s] for s in held.get((resource, action), ())))
                for scope in INCLUDES:
                    checks += 1
                    assert (scope in reached) == model.allows(person, action, resource, scope), (
                        person,
                        action,
                        resource,
                        scope,
                        sorted(held.get((resource, action), ())),
                    )
        # Team groups below their departments; a person is in their teams and departments.
        paths = set(user["groups"])
        names = {p.rsplit("/", 1)[-1] for p in paths}
        in_teams = {n.removeprefix("team-") for n in names if n.startswith("team-")}
        assert in_teams == {t for (k, t), m in groups.items() if k == "team" and person in m}
    return checks


def test_small_model_closure() -> None:
    assert check_realm(crmorg.load(FIXTURES / "small")) > 0


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(identity_models())
def test_generated_models_give_each_user_the_model_grants(model: Model) -> None:
    check_realm(model)


def test_a_role_named_like_a_keycloak_built_in_role_is_renamed(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(
        json.dumps(
            {
                "version": 1,
                "organization": {"name": "Acme"},
                "resources": {"lead": {"name": "Lead"}},
                "roles": {
                    "offline_access": {"name": "O", "grants": {"lead": {"read": "own"}}},
                    "boss": {"name": "B", "inherits": ["offline_access"]},
                },
                "people": {"pat": {"name": "Pat", "roles": ["boss"]}},
            }
        ),
        encoding="utf-8",
    )
    model = crmorg.load(tmp_path / "model.yaml")
    check_realm(model)
    realm = _realm(model)
    assert [r["name"] for r in realm["roles"]["realm"]] == ["boss", "crmorg-offline_access"]


def test_cycles_are_refused(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(
        json.dumps(
            {
                "version": 1,
                "organization": {"name": "Acme"},
                "resources": {"lead": {"name": "Lead"}},
                "departments": {
                    "a": {"name": "A", "parent": "b"},
                    "b": {"name": "B", "parent": "a"},
                },
                "roles": {"r": {"name": "R"}},
            }
        ),
        encoding="utf-8",
    )
    refused = inexpressible(
        crmorg.load(tmp_path / "model.yaml"), EXPORTERS["keycloak"].capabilities
    )
    assert [found.construct for found in refused] == ["department-cycle"]


HOSTILE = ('Say "hi" */ `${x}`', "back\\slash \u202eevil\u2028", "line\nbreak </script>", "销售")


def _hostile(tmp_path: Path) -> Model:
    """Names that a TypeScript literal must carry as data: quotes, a template, a comment
    end, backslashes, bidi and line separators."""
    text = iter(HOSTILE * 4)
    (tmp_path / "hostile").mkdir()
    (tmp_path / "hostile" / "model.yaml").write_text(
        json.dumps(
            {
                "version": 1,
                "organization": {"name": next(text)},
                "resources": {"lead": {"name": next(text)}},
                "departments": {
                    "hq": {"name": next(text)},
                    "ops": {"name": next(text), "parent": "hq"},
                },
                "roles": {
                    "boss": {
                        "name": next(text),
                        "department": "hq",
                        "grants": {"lead": {"read": "team"}},
                    },
                    "rep": {"name": next(text), "inherits": ["boss"], "department": "ops"},
                },
                "teams": {"crew": {"name": next(text), "department": "ops", "lead": "pat"}},
                "people": {
                    "pat": {
                        "name": next(text),
                        "title": next(text),
                        "roles": ["rep"],
                        "email": "pat@example.com",
                    },
                    "sam": {"name": next(text), "roles": ["boss"], "reports_to": "pat"},
                },
            }
        ),
        encoding="utf-8",
    )
    model = crmorg.load(tmp_path / "hostile" / "model.yaml")
    check_realm(model)
    return model


def _typescript(realm_json: str) -> str:
    return (
        'import type RealmRepresentation from "@keycloak/keycloak-admin-client/lib/defs/'
        'realmRepresentation.js";\n\n'
        f"export const realm: RealmRepresentation = {realm_json.strip()};\n"
    )


def tsc(directory: Path, sources: dict[str, str]) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not TSC.is_file() or not ADMIN_CLIENT.is_dir():
        missing = "node, typescript or @keycloak/keycloak-admin-client missing (npm ci in tests/js)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{missing}: CI installs them (.ci/run)")
        pytest.skip(missing)
    (directory / "node_modules").symlink_to(JS / "node_modules", target_is_directory=True)
    (directory / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")
    for name, text in sources.items():
        (directory / name).write_text(text, encoding="utf-8")
    return subprocess.run(
        [
            node,
            str(TSC),
            "--noEmit",
            "--strict",
            "--target",
            "es2022",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
            "--skipLibCheck",
            *sources,
        ],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_realm_json_is_a_realm_representation(tmp_path: Path) -> None:
    """The small model's realm, and the reference model's, type-check; a stray key and
    a wrong type do not (so the check checks)."""
    sources = {
        "small.ts": _typescript(
            EXPORTERS["keycloak"].render(crmorg.load(FIXTURES / "small"))["realm.json"]
        )
    }
    reference = FIXTURES.parents[2] / "examples" / "reference"
    if reference.is_dir():
        realm = EXPORTERS["keycloak"].render(crmorg.load(reference))["realm.json"]
        sources["reference.ts"] = _typescript(realm)
    sources["hostile.ts"] = _typescript(
        EXPORTERS["keycloak"].render(_hostile(tmp_path))["realm.json"]
    )
    broken = json.loads(
        str(EXPORTERS["keycloak"].render(crmorg.load(FIXTURES / "small"))["realm.json"])
    )
    broken["users"][0]["realmRole"] = ["typo"]
    broken["groups"][0]["subGroups"] = "not a list"
    sources["broken.ts"] = _typescript(json.dumps(broken))
    result = tsc(tmp_path, sources)
    errors = result.stdout + result.stderr
    mine = [
        line for line in errors.splitlines() if re.match(r"(small|reference|hostile)\.ts\(", line)
    ]
    assert not mine, errors
    assert "broken.ts" in errors and "realmRole" in errors and "GroupRepresentation[]" in errors, (
        errors
    )
