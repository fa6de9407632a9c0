"""Hostile text (quotes, newlines, comment markers, backslashes, bidi controls, Chinese,
formula prefixes) is escaped for each target's syntax or kept out of it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import cedarpy
import pytest
import regorus
from hypothesis import given
from hypothesis import strategies as st

import crmorg
from crmorg.export import EXPORTERS
from crmorg.export.escaping import cedar_string, comment_text
from crmorg.export.naming import pascal_case, resource_type_names
from crmorg.model import Model
from crmorg.roles.scopes import SCOPE_NAMES

from .conftest import FIXTURES

HOSTILE = [
    'quote " and \\ backslash',
    "new\nline",
    "carriage\r\nreturn",
    "*/ // # -- ;",
    "销售代表 🚀",
    "\u2028line separator\u2029",
    "\u202eright-to-left override",
    "nul \x00 bell \x07",
]


@pytest.fixture(scope="module")
def small_model() -> Model:
    return crmorg.load(FIXTURES / "small")


@pytest.mark.parametrize("text", HOSTILE)
def test_comment_text_is_one_harmless_line(text: str) -> None:
    line = comment_text(text)
    assert line.isprintable() and "\n" not in line and "\r" not in line
    assert "\u202e" not in line


@given(st.text())
def test_cedar_string_round_trips_through_cedar(text: str) -> None:
    policy = f'@id("x")\n@note({cedar_string(text)})\npermit (principal, action, resource);'
    parsed = json.loads(cedarpy.policies_to_json_str(policy))
    assert parsed["staticPolicies"]["policy0"]["annotations"]["note"] == text


def test_pascal_case_and_distinct_cedar_type_names() -> None:
    assert pascal_case("service_case") == "ServiceCase"
    names = resource_type_names(["lead", "service_case", "a_1", "a1", "person", "string"])
    assert names == {
        "lead": "Lead",
        "service_case": "ServiceCase",
        "a_1": "Resource_a_1",
        "a1": "Resource_a1",
        "person": "Resource_person",
        "string": "Resource_string",
    }


def test_cedar_output_parses_and_keeps_text_out_of_code(small_model: Model) -> None:
    files = EXPORTERS["cedar"].render(small_model)
    policies = files["policies.cedar"]
    parsed = json.loads(cedarpy.policies_to_json_str(policies))["staticPolicies"]
    assert len(parsed) == sum(1 for line in policies.splitlines() if line.startswith("permit"))
    for line in policies.splitlines() + files["schema.cedarschema"].splitlines():
        assert line.isprintable()
    # The organisation's name only appears inside // comments, on one line.
    assert 'Acme "Trading" */ # 公司 Ltd' in policies.splitlines()[0]
    names = {e["uid"]["id"]: e["attrs"].get("name") for e in json.loads(files["entities.json"])}
    assert names["sales_rep"] == small_model.roles["sales_rep"].name  # JSON keeps data exact
    assert names["sales"] == "Sales\r\n// */"


def test_casbin_policy_lines_are_ids_only(small_model: Model) -> None:
    files = EXPORTERS["casbin"].render(small_model)
    ids = set(small_model.roles) | set(small_model.people) | set(small_model.resources)
    ids |= set(small_model.access.catalog.actions) | set(SCOPE_NAMES)
    for line in files["policy.csv"].splitlines():
        assert line.isprintable()
        if not line or line.startswith("#"):
            continue
        kind, *tokens = [token.strip() for token in line.split(",")]
        # A grant node is `grant/<resource>/<action>/<scope>`: ids joined by slashes.
        parts = {part for token in tokens for part in token.removeprefix("grant/").split("/")}
        assert kind == "g" and parts <= ids, line
    assert '# role sales_rep: Sales "Rep" */ #1 \\ evil (model.yaml:25)' in files["policy.csv"]


def test_rego_compiles_and_names_stay_in_comments_and_data(small_model: Model) -> None:
    files = EXPORTERS["rego"].render(small_model)
    engine = regorus.Engine()
    engine.add_policy("crmorg.rego", files["crmorg.rego"])
    engine.add_data_json(files["data.json"])
    for line in files["crmorg.rego"].splitlines():
        assert line.isprintable() or line.startswith("\t")
        if "Sales" in line or "Acme" in line:
            assert line.lstrip().startswith("#"), line
    data = json.loads(files["data.json"])["crmorg"]
    assert data["people"]["bob"]["name"] == 'Bob "the boss"'


def test_csv_neutralises_formulas_and_quotes_the_rest(small_model: Model) -> None:
    text = EXPORTERS["csv"].render(small_model)["matrix.csv"]
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    names = {row["subject"]: row["subject_name"] for row in rows}
    assert names["support_agent"] == "'@support +agent -x"
    assert names["sales_rep"] == 'Sales "Rep" */ #1 \\ \\u202eevil'  # the bidi override shown
    assert names["alice"] == "王丽"
    for row in rows:
        assert not row["subject_name"].startswith(("=", "+", "-", "@"))
        assert not row["source"].startswith(("=", "+", "-", "@"))


def test_json_keeps_text_exact(small_model: Model) -> None:
    document = json.loads(EXPORTERS["json"].render(small_model)["matrix.json"])
    assert document["organization"] == 'Acme "Trading" */ # 公司\nLtd'


def test_hostile_file_names_stay_inside_comments(tmp_path: Path) -> None:
    """Provenance names files; a file name may hold a newline and policy-looking text."""
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "org.yaml").write_text("version: 1\norganization: {name: X}\n")
    hostile = model_dir / 'roles\np, evil, lead, read, organization\n"} #.yaml'
    hostile.write_text(
        "resources: {lead: {actions: [read]}}\n"
        "roles: {rep: {grants: {lead: {read: own}}}}\n"
        "people: {ann: {roles: [rep]}}\n"
    )
    model = crmorg.load(model_dir)
    casbin_policy = EXPORTERS["casbin"].render(model)["policy.csv"]
    assert [line for line in casbin_policy.splitlines() if not line.startswith("#")] == [
        "",
        "g, rep, grant/lead/read/own",
        "",
        "g, ann, rep",
    ]
    rego = EXPORTERS["rego"].render(model)["crmorg.rego"]
    assert "evil" not in "".join(line for line in rego.splitlines() if not line.startswith("#"))
    regorus.Engine().add_policy("crmorg.rego", rego)
    cedar = EXPORTERS["cedar"].render(model)
    parsed = json.loads(cedarpy.policies_to_json_str(cedar["policies.cedar"]))["staticPolicies"]
    (policy,) = parsed.values()
    assert policy["annotations"]["id"] == "lead.read"
    (role,) = [e for e in json.loads(cedar["entities.json"]) if e["uid"]["type"] == "CRM::Role"]
    (written,) = role["attrs"]["grants"]  # provenance is data: exact, never policy text
    assert written["source"].startswith("roles\np, evil, lead, read, organization")
