"""``crmorg deploy zoho``: two phases against a fake Zoho on localhost, never the network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import crmorg
from crmorg.cli.main import main
from crmorg.export.zoho.deploy import DeployError, deploy, load_plan
from crmorg.model import Model

from ..strategies import load_document
from . import sdk
from .fake_zoho import RECORDED, TOKEN, FakeZoho, Request, running


def _document(email: bool = True) -> dict[str, Any]:
    def mail(person: str) -> dict[str, str]:
        return {"email": f"{person}@example.com"} if email else {}

    return {
        "version": 1,
        "organization": {"name": 'Deployed "Ltd"'},
        "resources": {
            "lead": {"fields": {"margin": {"name": "Margin", "restricted": True}}},
            "opportunity": {"baseline": {"read": "organization"}},
        },
        "departments": {"sales": {"name": "Sales"}},
        "roles": {
            "manager": {
                "department": "sales",
                "grants": {"lead": {"*": "subordinates"}, "opportunity": {"update": "team"}},
                "fields": {"lead": {"margin": "edit"}},
            },
            "rep": {
                "grants": {
                    "lead": {"read": "team", "update": "own"},
                    "opportunity": {"read": "own"},
                }
            },
        },
        "teams": {"east": {"name": "East \u202e", "lead": "ann"}},
        "people": {
            "ann": {"name": "Ann", "roles": ["manager"], **mail("ann")},
            "bo": {
                "name": "Bo 销售",
                "roles": ["rep"],
                "teams": ["east"],
                "reports_to": "ann",
                **mail("bo"),
            },
            "cy": {"name": "Cy", "roles": ["rep", "manager"], "reports_to": "bo", **mail("cy")},
        },
        "sharing": {
            "east_leads": {
                "resource": "lead",
                "from": {"team": "east"},
                "to": {"role": "rep"},
                "actions": ["read"],
            }
        },
    }


def _export(model: Model, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    out = tmp_path / "plan"
    crmorg.export(model, "zoho", out)
    return out, json.loads((out / "plan.json").read_text(encoding="utf-8"))


def _deploy(out: Path, fake: FakeZoho, monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
    monkeypatch.setenv("ZOHO_ACCESS_TOKEN", TOKEN)
    return main(["deploy", "zoho", str(out), "--api-domain", fake.url, *extra])


def _at(body: Any, at: list[Any]) -> Any:
    for key in at:
        body = body[key]
    return body


def test_deploy_reads_then_sends_every_step_with_ids_resolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out, plan = _export(load_document(_document()), tmp_path)
    with running() as fake:
        assert _deploy(out, fake, monkeypatch) == 0
    printed = capsys.readouterr().out
    reads = [r for r in fake.requests if r.method == "GET"]
    writes = [r for r in fake.requests if r.method != "GET"]
    # Phase 1 comes first, and only reads.
    assert fake.requests[: len(reads)] == reads
    assert [r.path for r in reads][:3] == [
        "/crm/v8/settings/roles",
        "/crm/v8/settings/profiles",
        "/crm/v8/settings/profiles/5725767000000026014",  # Standard, resolved by name
    ]
    # ann's position exists already (recorded), and so do bo, on the users' second
    # page, and the sharing rule: each is updated in place (its body PUT to its id).
    existing = {
        "role:ann": "/crm/v8/settings/roles/5725767000000431001",
        "user:bo": "/crm/v8/users/5725767000000411002",
        "rule:crmorg sharing east_leads": "/crm/v8/settings/data_sharing/rules/5725767000000601001",
    }
    for step, path in existing.items():
        assert f"updated existing: {step} (PUT {path})" in printed
    assert [r.query.get("page") for r in reads[3:5]] == [None, ["2"]]
    assert len(writes) == len(plan["steps"])
    ids: dict[str, str] = {
        "existing-role:CEO": "5725767000000026005",
        **{step: path.rsplit("/", 1)[1] for step, path in existing.items()},
    }
    standard = json.loads((RECORDED / "standard_profile.json").read_text(encoding="utf-8"))
    for detail in standard["profiles"][0]["permissions_details"]:
        ids[f"permission:{detail['module']}:{detail['name']}"] = detail["id"]
    ids["field:Leads:Margin"] = "5725767000000501001"
    for step, request in zip(plan["steps"], writes, strict=True):
        if step["name"] in existing:
            assert (request.method, request.path) == ("PUT", existing[step["name"]])
        else:
            assert request.method == step["method"], step["name"]
        for ref in step["resolve"]:
            assert _at(request.body, ref["at"]) == ids[ref["ref"]], (step["name"], ref)
        body = json.loads((out / step["body"]).read_text(encoding="utf-8"))
        for ref in step["resolve"]:  # the body sent is the file's, with the ids put in
            container = _at(body, ref["at"][:-1])
            container[ref["at"][-1]] = ids[ref["ref"]]
        if step["resolve_permissions"]:  # permissions by module and name
            for detail in body["profiles"][0]["permissions_details"]:
                detail["id"] = ids[f"permission:{detail['module']}:{detail['name']}"]
        assert request.body == body, step["name"]
        if step["creates"] is not None and step["name"] not in existing:
            assert request.created is not None
            ids[step["name"]] = request.created
    # The placeholders of paths are ids too: a profile's permissions go to its clone.
    puts = [r.path for r in writes if r.method == "PUT" and "/settings/profiles/" in r.path]
    assert puts and all(p.rsplit("/", 1)[1].isdigit() for p in puts)
    assert any(r.query == {"module": ["Leads"]} for r in writes if "rules" in r.path)
    assert f"applied {len(plan['steps'])} step(s)" in printed


def test_sent_bodies_with_their_ids_are_still_sdk_bodies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sdk.require()
    out, plan = _export(load_document(_document()), tmp_path)
    with running() as fake:
        assert _deploy(out, fake, monkeypatch) == 0
    writes = [r for r in fake.requests if r.method != "GET"]
    for step, request in zip(plan["steps"], writes, strict=True):
        # The SDK types ids as Long: Zoho's JSON writes them as strings, the SDK as ints.
        body = _ints(request.body, step)
        assert (
            sdk.write(sdk.build(body, step["sdk"]), step["sdk"], step["method"], step["path"])
            == body
        ), step["name"]


def _ints(body: Any, step: dict[str, Any]) -> Any:
    copied = json.loads(json.dumps(body))
    for ref in step["resolve"]:
        container = _at(copied, ref["at"][:-1])
        container[ref["at"][-1]] = int(container[ref["at"][-1]])
    return copied


def test_a_failing_step_is_named_and_nothing_after_it_is_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out, plan = _export(load_document(_document()), tmp_path)
    with running() as fake:
        fake.fail = lambda r: r.method == "POST" and r.path.endswith("/settings/user_groups")
        assert _deploy(out, fake, monkeypatch) == 1
    error = capsys.readouterr().err
    first_group = next(s["name"] for s in plan["steps"] if s["name"].startswith("group:"))
    assert f"step {first_group}:" in error and "HTTP 400" in error and "INVALID_DATA" in error
    assert fake.requests[-1].path.endswith("/settings/user_groups")
    assert not any("/rules" in r.path for r in fake.requests if r.method != "GET")


def test_a_wrong_token_stops_at_the_first_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _export(load_document(_document()), tmp_path)
    token = tmp_path / "token"
    token.write_text("1000.wrong\n", encoding="utf-8")
    with running() as fake:
        code = main(
            ["deploy", "zoho", str(out), "--api-domain", fake.url, "--token-file", str(token)]
        )
    assert code == 1
    assert "step read roles:" in capsys.readouterr().err
    assert len(fake.requests) == 1


def test_a_permission_the_organisation_lacks_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    document = _document()
    document["resources"]["ticket"] = {}  # a custom module the organisation does not have
    out, _ = _export(load_document(document), tmp_path)
    with running() as fake:
        assert _deploy(out, fake, monkeypatch) == 1
    error = capsys.readouterr().err
    assert "cannot resolve permission:Ticket:Crm_Implied_View_Ticket" in error
    assert "step profile:" in error


def test_dry_run_sends_only_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out, plan = _export(load_document(_document()), tmp_path)
    with running() as fake:
        assert _deploy(out, fake, monkeypatch, "--dry-run") == 0
    assert {r.method for r in fake.requests} == {"GET"}
    printed = capsys.readouterr().out
    assert "would update: role:ann" in printed and "would create: role:cy" in printed
    assert f"would apply {len(plan['steps'])} step(s)" in printed


def test_people_without_email_are_refused_before_any_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _export(load_document(_document(email=False)), tmp_path)
    with running() as fake:
        assert _deploy(out, fake, monkeypatch) == 1
        assert fake.requests == []
    assert "step user:ann:" in capsys.readouterr().err
    # --dry-run without a token lists the steps, blocked ones marked.
    monkeypatch.delenv("ZOHO_ACCESS_TOKEN")
    assert main(["deploy", "zoho", str(out), "--dry-run"]) == 0
    assert "blocked: person ann has no email" in capsys.readouterr().out


def test_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ZOHO_ACCESS_TOKEN", raising=False)
    out, _ = _export(load_document(_document()), tmp_path)
    assert main(["deploy", "zoho", str(out)]) == 2
    assert "ZOHO_ACCESS_TOKEN" in capsys.readouterr().err
    assert main(["deploy", "zoho", str(tmp_path)]) == 2
    assert "no plan.json" in capsys.readouterr().err


def test_request_is_plain_data() -> None:
    request = Request("GET", "/", {}, None, None)
    assert request.method == "GET"


def test_a_busy_answer_is_waited_for_and_sent_again(tmp_path: Path) -> None:
    """Zoho refuses a sharing rule while the module's rules are being computed
    (CANNOT_PROCESS): deploy waits and sends it again, then stops after its retries."""
    out, plan = _export(load_document(_document()), tmp_path)
    busy = {"left": 2}

    def still_computing(request: Request) -> bool:
        if request.method == "POST" and request.path.endswith("/data_sharing/rules"):
            busy["left"] -= 1
            return busy["left"] >= 0
        return False

    waited: list[float] = []
    with running() as fake:
        fake.fail = still_computing
        fake.failure = (
            400,
            {
                "code": "CANNOT_PROCESS",
                "details": {},
                "status": "error",
                "message": "Sharing rule computation is in process.",
            },
        )
        outcomes = deploy(load_plan(out), token=TOKEN, api_domain=fake.url, sleep=waited.append)
    assert waited == [1.0, 2.0]
    assert len(outcomes) == len(plan["steps"])
    with running() as fake:
        fake.fail = lambda r: r.method == "POST" and r.path.endswith("/data_sharing/rules")
        fake.failure = (
            400,
            {
                "code": "CANNOT_PROCESS",
                "details": {},
                "status": "error",
                "message": "Sharing rule computation is in process.",
            },
        )
        with pytest.raises(DeployError, match=r"step rule:.*CANNOT_PROCESS"):
            deploy(load_plan(out), token=TOKEN, api_domain=fake.url, sleep=waited.append, retries=3)
    assert waited[2:] == [1.0, 2.0, 4.0]
