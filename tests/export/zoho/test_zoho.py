"""The ``zoho`` target: its request plan, read back through the official Zoho CRM SDK
and by a simulator of Zoho's documented access, against ``model.decide()``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import crmorg
import crmorg.text
from crmorg.export import EXPORTERS, ExportError
from crmorg.model import Model

from ..strategies import load_document, models
from . import sdk
from .equivalence import check, differences, listed

ROOT = Path(__file__).parents[3]
EXAMPLES = {
    "small": ROOT / "tests" / "export" / "fixtures" / "small",
    "reference": ROOT / "examples" / "reference",
    "smb": ROOT / "examples" / "smb",
    "vendor-audit": ROOT / "examples" / "vendor-audit",
}
FEW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HOSTILE = (
    'Say "hi" <b>&amp; ]]> \\',
    "line one\nline two\r\n",
    "=cmd|' /C calc'!A0",
    "Sales\u202eRep\u200bzw\x1b[31m",
    "销售代表",
    "nul\u2066lri\u200ddel",
)


def _render(model: Model) -> dict[str, str | bytes]:
    return dict(EXPORTERS["zoho"].render(model))


def _json(files: dict[str, str | bytes], name: str) -> Any:
    content = files[name]
    return json.loads(content if isinstance(content, str) else content.decode("utf-8"))


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def example(request: pytest.FixtureRequest) -> tuple[Model, dict[str, str | bytes]]:
    model = crmorg.load(EXAMPLES[request.param])
    return model, _render(model)


def _hostile_model() -> Model:
    names = iter(HOSTILE * 4)
    return load_document(
        {
            "version": 1,
            "organization": {"name": next(names)},
            "resources": {
                "lead": {
                    "name": next(names),
                    "fields": {"margin": {"name": next(names), "restricted": True}},
                },
                "refund_request": {"name": next(names)},
            },
            "departments": {"hq": {"name": next(names)}},
            "roles": {
                "boss": {
                    "name": next(names),
                    "department": "hq",
                    "grants": {"lead": {"*": "subordinates"}},
                    "fields": {"lead": {"margin": "read"}},
                },
                "rep": {"name": next(names), "grants": {"lead": {"read": "team"}}},
            },
            "teams": {"crew": {"name": next(names), "lead": "ann"}},
            "people": {
                "ann": {"name": next(names), "roles": ["boss"], "email": "ann@example.com"},
                "bo": {
                    "name": next(names),
                    "roles": ["rep"],
                    "reports_to": "ann",
                    "teams": ["crew"],
                },
            },
            "sharing": {
                "to_reps": {
                    "resource": "lead",
                    "from": {"team": "crew"},
                    "to": {"role": "rep"},
                    "actions": ["read", "update"],
                }
            },
        }
    )


# --- the official SDK reads and writes every body -------------------------------------
def _assert_sdk_carries_every_body(files: dict[str, str | bytes]) -> int:
    plan = _json(files, "plan.json")
    for step in plan["steps"]:
        body = _json(files, step["body"])
        for written in sdk.round_trips(body, step["sdk"], step["method"], step["path"]):
            assert written == body, step["name"]
    return len(plan["steps"])


def test_the_sdk_builds_and_reads_back_every_body(
    example: tuple[Model, dict[str, str | bytes]],
) -> None:
    sdk.require()
    _, files = example
    assert _assert_sdk_carries_every_body(files) > 0


def test_the_sdk_carries_hostile_names() -> None:
    sdk.require()
    files = _render(_hostile_model())
    assert _assert_sdk_carries_every_body(files) > 0


def test_the_sdk_refuses_what_zoho_does_not_have() -> None:
    """The round trip proves something: a key or a value Zoho's types lack fails."""
    sdk.require()
    with pytest.raises(AssertionError, match="has no key"):
        sdk.build({"roles": [{"name": "x", "reports_to": {"name": "y"}}]}, "roles.BodyWrapper")
    with pytest.raises(Exception):  # noqa: B017 - the SDK raises its own SDKException
        body = {"sharing_rules": [{"name": "x", "permission_type": "everything"}]}
        sdk.write(
            sdk.build(body, "sharing_rules.BodyWrapper"),
            "sharing_rules.BodyWrapper",
            "POST",
            "/crm/v8/settings/data_sharing/rules",
        )


# --- the simulator of Zoho's access against decide() ------------------------------------
def test_examples_decide_as_the_model_except_the_losses(
    example: tuple[Model, dict[str, str | bytes]],
) -> None:
    model, files = example
    check(model, files)


@FEW
@given(models())
def test_generated_models_decide_as_the_model_except_the_losses(model: Model) -> None:
    check(model, _render(model))


@settings(FEW, max_examples=10)
@given(models(deep=True))
def test_deep_chains_decide_as_the_model_except_the_losses(model: Model) -> None:
    check(model, _render(model))


def test_the_check_finds_a_difference_that_is_not_listed() -> None:
    """A plan edited by hand (a profile given Edit) is caught by the simulator."""
    model = crmorg.load(EXAMPLES["small"])
    files = _render(model)
    plan = _json(files, "plan.json")
    step = next(s for s in plan["steps"] if s["name"] == "profile:sales_rep")
    body = _json(files, step["body"])
    for detail in body["profiles"][0]["permissions_details"]:
        if detail["name"] == "Crm_Implied_Edit_Cases":
            detail["enabled"] = True
    files[step["body"]] = json.dumps(body)
    found, _ = differences(model, files)
    assert ("alice", "service_case", "update", "over-grants") in found
    with pytest.raises(AssertionError, match="does not list"):
        check(model, files)


def test_a_plan_without_the_hierarchy_loses_what_it_said() -> None:
    """Every listed loss is one someone meets: a plan that stops over-granting through
    the role hierarchy leaves its listed losses unmet."""
    model = _hostile_model()
    files = _render(model)
    assert ("ann", "lead", "create", "over-grants") not in listed(files)  # ann has create
    plan = _json(files, "plan.json")
    for step in plan["steps"]:
        for ref in step["resolve"]:
            if ref["ref"] == "role:ann":
                ref["ref"] = "existing-role:CEO"
    files["plan.json"] = json.dumps(plan)
    with pytest.raises(AssertionError):
        check(model, files)


# --- what the plan holds --------------------------------------------------------------
def test_steps_come_after_what_they_need(example: tuple[Model, dict[str, str | bytes]]) -> None:
    _, files = example
    plan = _json(files, "plan.json")
    done: set[str] = set()
    existing = ("existing-role:", "existing-profile:", "permission:", "field:")
    for step in plan["steps"]:
        needed = set(step["depends_on"]) | {r["ref"] for r in step["resolve"]}
        for ref in needed:
            assert ref in done or ref.startswith(existing), (step["name"], ref)
        done.add(step["name"])
    assert len(done) == len(plan["steps"])  # names are unique
    bodies = {s["body"] for s in plan["steps"]}
    assert bodies == {n for n in files if n.startswith("requests/")}


def test_a_mapped_module_is_used_and_an_unknown_one_is_manual() -> None:
    model = load_document(
        {
            "version": 1,
            "organization": {"name": "Mapped"},
            "resources": {"deal": {}, "ticket": {}, "opportunity": {}},
            "roles": {"rep": {"grants": {"*": {"read": "own"}}}},
            "people": {"p": {"roles": ["rep"], "email": "p@example.com"}},
            "settings": {"export": {"zoho": {"objects": {"deal": "Potentials"}}}},
        }
    )
    files = _render(model)
    text = files["plan.json"]
    assert isinstance(text, str)
    assert "Crm_Implied_View_Potentials" in "".join(str(v) for v in files.values())
    assert "Crm_Implied_View_Deals" in "".join(str(v) for v in files.values())
    manual = _json(files, "fidelity.json")["manual"]
    assert any("custom module Ticket" in step for step in manual)
    assert not any("Potentials" in step or "Deals" in step for step in manual)


def test_a_person_without_an_email_is_blocked_and_manual() -> None:
    files = _render(_hostile_model())
    plan = _json(files, "plan.json")
    blocked = {s["name"]: s["blocked"] for s in plan["steps"] if s["name"].startswith("user:")}
    assert blocked["user:ann"] is None
    assert "no email" in blocked["user:bo"]
    assert any("bo" in step and "email" in step for step in _json(files, "fidelity.json")["manual"])


def test_reference_exports_with_the_expected_loss_summary() -> None:
    model = crmorg.load(EXAMPLES["reference"])
    fidelity = EXPORTERS["zoho"].rendering(model).fidelity
    assert fidelity is not None
    assert fidelity.summary() == (
        "zoho: 183 loss(es): 59 over-grant, 124 under-grant, affecting 23 people; see FIDELITY.md"
    )
    by_kind: dict[tuple[str, str], int] = {}
    for loss in fidelity.losses:
        key = (loss.construct, loss.direction.value)
        by_kind[key] = by_kind.get(key, 0) + 1
    assert by_kind == {
        ("grant", "under-grants"): 122,
        ("scope", "over-grants"): 59,
        ("scope", "under-grants"): 2,
    }
    # Each names the line its grant is written on.
    assert all(loss.path[0] == "roles" and len(loss.path) == 5 for loss in fidelity.losses)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


# --- bytes ----------------------------------------------------------------------------
def test_two_renders_are_byte_identical(example: tuple[Model, dict[str, str | bytes]]) -> None:
    model, files = example
    assert _render(model) == files
    assert model.root is not None
    assert _render(crmorg.load(model.root)) == files  # loaded again, too


def test_hostile_names_stay_data() -> None:
    files = _render(_hostile_model())
    for name, content in files.items():
        assert isinstance(content, str)
        if name.endswith(".json"):
            assert content.isascii(), name  # every control, bidi or CJK character escaped
            json.loads(content)
        assert "\x1b" not in content and "\u202e" not in content and "\u2066" not in content
    everything = "\n".join(
        text for n in files if n.endswith(".json") for text in _strings(_json(files, n))
    )
    model = _hostile_model()
    names = [crmorg.text.localize(r.name) for r in model.roles.values()]
    names += [crmorg.text.localize(p.name) for p in model.people.values()]
    assert all(name and name[:50] in everything for name in names)
    check(model, files)


def test_a_forced_reporting_cycle_is_cut_and_its_loss_listed() -> None:
    """Zoho's roles are a tree: a reporting cycle (exported with --force) is cut at its
    smallest id, and what its people no longer reach is listed."""
    model = load_document(
        {
            "version": 1,
            "organization": {"name": "Cycle"},
            "resources": {"lead": {}},
            "roles": {"x": {"grants": {"lead": {"read": "subordinates", "update": "own"}}}},
            "people": {
                "p1": {"roles": ["x"], "reports_to": "p3"},
                "p2": {"roles": ["x"], "reports_to": "p1"},
                "p3": {"roles": ["x"], "reports_to": "p2"},
            },
        }
    )
    assert [f.rule for f in crmorg.validate(model).errors] == ["reporting-cycle"]
    files = _render(model)
    roots = [
        s["name"]
        for s in _json(files, "plan.json")["steps"]
        if s["name"].startswith("role:") and s["resolve"][0]["ref"] == "existing-role:CEO"
    ]
    assert roots == ["role:p1"]
    assert check(model, files) > 0
    assert ("p3", "lead", "read", "under-grants") in listed(files)  # p1, p2 are above it


def _modules(objects: dict[str, str]) -> list[str]:
    model = load_document(
        {
            "version": 1,
            "organization": {"name": "Modules"},
            "resources": {"deal": {}, "opportunity": {}, "deals": {}},
            "roles": {"rep": {"grants": {"*": {"read": "own"}}}},
            "people": {"p": {"roles": ["rep"]}},
            "settings": {"export": {"zoho": {"objects": objects}}},
        }
    )
    files = _render(model)
    step = next(s for s in _json(files, "plan.json")["steps"] if s["name"] == "data-sharing")
    return [entry["module"]["api_name"] for entry in _json(files, step["body"])["data_sharing"]]


def test_each_resource_has_its_own_module() -> None:
    # deal, deals, opportunity: a custom module never takes a standard module's name.
    assert _modules({}) == ["Deal", "Deals_2", "Deals"]
    # A mapping wins; the standard resource it displaces gets a custom module.
    assert _modules({"deal": "Deals"}) == ["Deals", "Deals_2", "Opportunity"]
    with pytest.raises(ExportError, match="both deal and opportunity to the Zoho module Deals"):
        _modules({"deal": "Deals", "opportunity": "Deals"})


def test_baselines_are_data_sharing_defaults_and_reach_is_a_rule_to_a_group() -> None:
    model = load_document(
        {
            "version": 1,
            "organization": {"name": "Defaults"},
            "resources": {
                "lead": {"baseline": {"read": "organization", "update": "organization"}},
                "account": {"baseline": {"read": "organization"}},
                "contact": {},
            },
            "roles": {
                "rep": {"grants": {"*": {"*": "own"}, "contact": {"read": "team"}}},
            },
            "teams": {"east": {"lead": "ann"}},
            "people": {
                "ann": {"roles": ["rep"]},
                "bo": {"roles": ["rep"], "teams": ["east"]},
                "cy": {"roles": ["rep"]},
            },
        }
    )
    files = _render(model)
    steps = {s["name"]: s for s in _json(files, "plan.json")["steps"]}
    defaults = {
        e["module"]["api_name"]: e["share_type"]
        for e in _json(files, steps["data-sharing"]["body"])["data_sharing"]
    }
    assert defaults == {
        "Leads": "public_read_write",
        "Accounts": "public_read_only",
        "Contacts": "private",
    }
    rule = _json(files, steps["rule:crmorg contact read team east"]["body"])["sharing_rules"][0]
    # Everyone in east reaches its contacts: the team's own group receives them.
    assert (rule["permission_type"], rule["shared_from"], rule["shared_to"]) == (
        "read",
        {"type": "groups", "resource": {"name": "crmorg team east"}, "subordinates": False},
        {"type": "groups", "resource": {"name": "crmorg team east"}, "subordinates": False},
    )
    members = steps["group:crmorg team east"]["resolve"]
    assert [r["ref"] for r in members] == ["user:ann", "user:bo"]
    assert not any(name.startswith("rule:crmorg lead") for name in steps)  # the default does
    check(model, files)
