"""The simulated Odoo (simulator.py) answers as Odoo documents, and over the addon's files
it decides as ``Model.decide`` does, except exactly the losses that fidelity.json lists."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crmorg
from crmorg.export import EXPORTERS
from crmorg.export.odoo import VERSIONS
from crmorg.model import Model

from ..conftest import FIXTURES, REFERENCE
from ..engines import Record
from ..equivalence import decide_queries, field_queries, records, sampled_decide_queries
from ..strategies import models
from .harness import OdooEngine, unexplained, unreal
from .simulator import OdooDatabase, parse_domain

ODOO = EXPORTERS["odoo"]
EXAMPLES = REFERENCE.parent


# The simulator itself, on a hand-written module -------------------------------------------
_SECURITY = """<?xml version="1.0" encoding="UTF-8" ?>
<odoo>
  <record id="g_base" model="res.groups"><field name="name">Base</field></record>
  <record id="g_heir" model="res.groups">
    <field name="name">Heir</field>
    <field name="implied_ids" eval="[(6, 0, [ref('g_base')])]"/>
  </record>
  <record id="g_other" model="res.groups"><field name="name">Other</field></record>
  <record id="r_own" model="ir.rule">
    <field name="model_id" ref="crm.model_crm_lead"/>
    <field name="groups" eval="[(6, 0, [ref('g_base')])]"/>
    <field name="domain_force">[('user_id', '=', user.id)]</field>
    <field name="perm_read" eval="True"/><field name="perm_write" eval="False"/>
    <field name="perm_create" eval="False"/><field name="perm_unlink" eval="False"/>
  </record>
  <record id="r_team" model="ir.rule">
    <field name="model_id" ref="crm.model_crm_lead"/>
    <field name="groups" eval="[(6, 0, [ref('g_other')])]"/>
    <field name="domain_force"
      >['!', ('team_id', 'in', user.env.ref('crmorg_access.t1').ids)]</field>
    <field name="perm_read" eval="True"/><field name="perm_write" eval="False"/>
    <field name="perm_create" eval="False"/><field name="perm_unlink" eval="False"/>
  </record>
</odoo>
"""
_ACCESS = (
    "id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink\r\n"
    "a1,a1,crm.model_crm_lead,g_base,1,1,0,0\r\n"
)
_PEOPLE = """<?xml version="1.0" encoding="UTF-8" ?>
<odoo>
  <record id="u_ann" model="res.users"><field name="login">ann</field>
    <field name="groups_id" eval="[(6, 0, [ref('g_heir')])]"/></record>
  <record id="u_bo" model="res.users"><field name="login">bo</field>
    <field name="groups_id" eval="[(6, 0, [ref('g_heir'), ref('g_other')])]"/></record>
  <record id="u_cy" model="res.users"><field name="login">cy</field>
    <field name="groups_id" eval="[(6, 0, [ref('g_other')])]"/></record>
  <record id="t1" model="crm.team"><field name="name">T</field></record>
</odoo>
"""


@pytest.fixture
def database() -> OdooDatabase:
    return OdooDatabase.load(
        {
            "m/__manifest__.py": "{'data': ['security.xml', 'ir.model.access.csv', 'people.xml']}",
            "m/security.xml": _SECURITY,
            "m/ir.model.access.csv": _ACCESS,
            "m/people.xml": _PEOPLE,
        },
        "groups_id",
    )


def test_group_rules_are_united_and_implied_groups_count(database: OdooDatabase) -> None:
    lead = "crm.model_crm_lead"
    mine, in_team, elsewhere = {"user_id": "u_ann"}, {"team_id": "t1"}, {"team_id": None}
    # ann: the access right and the rule through the implied group, own records only.
    assert database.allowed("ann", lead, "perm_read", mine)
    assert not database.allowed("ann", lead, "perm_read", in_team)
    # write: an access right and no rule for write, so every record.
    assert database.allowed("ann", lead, "perm_write", in_team)
    assert not database.allowed("ann", lead, "perm_create", mine)  # no access right
    # bo: both groups' read rules, OR-ed: own, or not in team t1.
    assert database.allowed("bo", lead, "perm_read", elsewhere)
    assert not database.allowed("bo", lead, "perm_read", in_team)
    # cy: a rule but no access right: nothing.
    assert not database.allowed("cy", lead, "perm_read", elsewhere)


def test_a_record_must_be_defined_before_it_is_referenced() -> None:
    # The heir group first: Odoo refuses `ref('g_base')` before g_base is loaded.
    heir_first = _SECURITY.replace('<record id="g_base"', '<record id="g_late"').replace(
        "</odoo>", '<record id="g_base" model="res.groups"/>\n</odoo>'
    )
    with pytest.raises(ValueError, match="g_base is referenced before it is defined"):
        OdooDatabase.load({"m/security.xml": heir_first}, "groups_id")


def test_a_domain_is_parsed_never_evaluated() -> None:
    assert parse_domain("['|', ('a', '=', 1), ('b.c', 'in', user.employee_ids.ids)]")[0] == "|"
    for hostile in ("[__import__('os')]", "[('a', '=', open('x'))]", "[('a', '=', 1 + 1)]"):
        with pytest.raises((ValueError, AssertionError)):
            parse_domain(hostile)


# The addon against the model -------------------------------------------------------------
def _assert_only_listed_losses(model: Model, version: str = "18", sampled: bool = False) -> None:
    files = ODOO.rendering(model, {"odoo-version": version}).files
    queries = (
        sampled_decide_queries(model, 3000) if sampled else decide_queries(model, records(model))
    )
    assert not (found := unexplained(model, files, queries, field_queries(model), version)), found[
        :5
    ]
    assert not (fake := unreal(model, files, version)), [loss["written"] for loss in fake[:5]]


def test_the_small_fixture_decides_as_the_model_but_its_losses() -> None:
    _assert_only_listed_losses(crmorg.load(FIXTURES / "small"))


@pytest.mark.parametrize("example", ["smb", "vendor-audit"])
def test_the_examples_decide_as_the_model_but_their_losses(example: str) -> None:
    _assert_only_listed_losses(crmorg.load(EXAMPLES / example))


def test_the_reference_model_decides_as_the_model_but_its_losses() -> None:
    _assert_only_listed_losses(crmorg.load(REFERENCE), sampled=True)


def test_a_loss_free_model_is_exact_and_the_simulator_sees_every_scope(tmp_path) -> None:  # type: ignore[no-untyped-def]
    model_file = tmp_path / "model.yaml"
    model_file.write_text(
        "version: 1\norganization: {name: Org}\n"
        "departments: {top: {name: Top}, low: {name: Low, parent: top}}\n"
        "resources: {lead: {name: Lead}, quote: {name: Quote}, order: {name: Order}}\n"
        "roles:\n"
        "  rep: {department: low, grants: {lead: {read: own, update: subordinates}}}\n"
        "  lead_role: {department: top, inherits: [rep], grants: {lead: {read: team},"
        " quote: {read: department}}}\n"
        "  boss: {grants: {order: {read: organization, delete: own}}}\n"
        "teams: {east: {department: low, lead: bo}}\n"
        "people:\n"
        "  ann: {roles: [rep], teams: [east], reports_to: bo}\n"
        "  bo: {roles: [lead_role]}\n"
        "  cy: {roles: [boss], reports_to: ann}\n"
        "sharing:\n"
        "  s: {resource: lead, from: {role: boss}, to: {team: east}, actions: [read]}\n",
        encoding="utf-8",
    )
    model = crmorg.load(model_file)
    for version in VERSIONS:
        rendering = ODOO.rendering(model, {"odoo-version": version})
        assert rendering.fidelity is not None and rendering.fidelity.exact, (
            rendering.fidelity.losses if rendering.fidelity else None
        )
        engine = OdooEngine(model, rendering.files, version)
        queries = decide_queries(model, records(model))
        answers = engine.decide(queries)
        assert any(answers) and not all(answers)
        for (person, action, resource, record), answer in zip(queries, answers, strict=True):
            expected = model.decide(
                person, action, resource, record.owner, record.team, record.department
            )
            assert bool(expected) == answer, (person, action, resource, record, version)
    # What the simulator reached is what makes it a proof: reports, teams, sharing.
    engine = OdooEngine(model, ODOO.render(model))
    assert engine.decide([("bo", "update", "lead", Record("cy"))]) == [True]  # report's report
    assert engine.decide([("ann", "read", "lead", Record("cy"))]) == [True]  # shared by s
    assert engine.decide([("ann", "update", "lead", Record("bo"))]) == [False]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(model=models(), version=st.sampled_from(VERSIONS))
def test_generated_models_decide_as_the_model_but_their_losses(model: Model, version: str) -> None:
    people = len(model.people)
    _assert_only_listed_losses(model, version, sampled=people > 8)
