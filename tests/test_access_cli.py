"""The access commands speak format v1.1: ``explain --field`` and the layer that decided,
``who-can --field``, ``matrix --fields`` in every format, and grants at ``subordinates``.

Uses the handbook's v1.1 fixture (tests/docs/fixtures/v11): a baseline on opportunity
(read: organization), a sales manager with subordinates grants, a sharing rule from
team east to the support agent, restricted fields margin and card_number.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from crmorg.cli.main import main

MODEL = str(Path(__file__).parent / "docs" / "fixtures" / "v11")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def explain_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code, out, _ = run(["explain", MODEL, *args, "--format", "json"], capsys)
    return code, json.loads(out)


# explain: each layer, in JSON and in words ----------------------------------------------
@pytest.mark.parametrize(
    ("args", "allowed", "layer", "chain", "rule", "words"),
    [
        (["raj", "update", "opportunity", "--owner", "raj"], True, "grant", [], None,
         "decided by: a grant of a role (its own or inherited)"),
        (["mia", "read", "opportunity", "--owner", "sam"], True, "baseline", [], None,
         "decided by: the resource's baseline (an organisation-wide default)"),
        (["mia", "update", "opportunity", "--owner", "raj"], True, "reports", ["raj", "mia"],
         None, "decided by: the reporting line (a grant at subordinates scope): raj → mia"),
        (["sam", "update", "opportunity", "--owner", "raj"], True, "sharing", [],
         "east_deals_to_support", "decided by: sharing rule east_deals_to_support"),
        (["raj", "delete", "opportunity", "--owner", "raj"], False, "none", [], None,
         "decided by: nothing: no grant applies"),
        (["raj", "update", "opportunity", "--owner", "mia"], False, "grant", [], None,
         "decided by: a grant of a role (its own or inherited), whose scope does not reach"),
    ],
)  # fmt: skip
def test_explain_names_the_layer(
    args: list[str],
    allowed: bool,
    layer: str,
    chain: list[str],
    rule: str | None,
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, data = explain_json(args, capsys)
    assert (code == 0) is allowed and data["allowed"] is allowed
    assert (data["layer"], data["chain"], data["rule"], data["field"]) == (layer, chain, rule, None)
    code, out, _ = run(["explain", MODEL, *args], capsys)
    assert out.splitlines()[0].startswith("ALLOWED: " if allowed else "DENIED: ")
    assert out.splitlines()[1].startswith(words)


def test_each_layers_reason_reads_well(capsys: pytest.CaptureFixture[str]) -> None:
    reasons = {
        layer: explain_json(args, capsys)[1]["reason"]
        for layer, args in (
            ("baseline", ["mia", "read", "opportunity", "--owner", "sam"]),
            ("reports", ["mia", "update", "opportunity", "--owner", "raj"]),
            ("sharing", ["sam", "update", "opportunity", "--owner", "raj"]),
        )
    }
    assert "from the baseline opportunity: {read: organization} at " in reasons["baseline"]
    assert "which everyone with a grant of opportunity.read has" in reasons["baseline"]
    assert "the owner reports to them: raj → mia (reports_to at " in reasons["reports"]
    assert (
        "sharing rule east_deals_to_support at " in reasons["sharing"]
        and "shares opportunity records owned by team east with role support_agent"
        in (reasons["sharing"])
        and "sam holds a grant of opportunity.update (own scope, through support_agent)"
        in reasons["sharing"]
    )


@pytest.mark.parametrize(
    ("args", "allowed", "layer", "words", "would_allow"),
    [
        (["mia", "read", "opportunity", "--owner", "raj"], True, "field",
         "role sales_manager grants it read at ", None),
        (["mia", "update", "opportunity", "--owner", "raj"], False, "field",
         "role sales_manager grants it only read at ", ["director"]),
        (["sam", "read", "opportunity", "--owner", "raj"], False, "field",
         "no role of sam's grants it; give a role `fields: {opportunity: {margin: read}}`",
         ["director", "sales_manager"]),
        (["sales_manager", "read", "opportunity", "--scope", "organization"], True, "field",
         "margin is restricted, and role sales_manager grants it read", None),
    ],
)  # fmt: skip
def test_explain_one_field(
    args: list[str],
    allowed: bool,
    layer: str,
    words: str,
    would_allow: list[str] | None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, data = explain_json([*args, "--field", "margin"], capsys)
    assert (code == 0) is allowed and data["allowed"] is allowed
    assert (data["layer"], data["field"]) == (layer, "margin")
    assert words in data["reason"] and "the margin field of opportunity" in data["reason"]
    assert data.get("roles_that_would_allow") == would_allow


def test_an_unrestricted_field_follows_its_record(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["explain", MODEL, "raj", "update", "opportunity", "--owner", "raj", "--field", "amount"],
        capsys,
    )
    assert code == 0 and "amount is not restricted: it follows its record" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["raj", "read", "opportunity", "--field", "colour"],
         "resource `opportunity` declares no field `colour` (its fields: amount, margin)"),
        (["raj", "delete", "opportunity", "--field", "margin"],
         "`delete` acts on the whole record: ask without a field"),
    ],
)  # fmt: skip
def test_explain_field_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["explain", MODEL, *args], capsys)
    assert code == 2 and out == "" and message in err and "Traceback" not in err


# who-can ---------------------------------------------------------------------------------
def test_who_can_finds_a_subordinates_grant_beside_others(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        ["who-can", MODEL, "update", "opportunity", "--scope", "subordinates"], capsys
    )
    assert code == 0
    lines = out.splitlines()
    roles = lines[lines.index("roles (2):") + 1 : lines.index("people (2):")]
    # the widest first: organization, then subordinates (which outranks own and team)
    assert [line.split()[:2] for line in roles] == [
        ["director", "organization"],
        ["sales_manager", "subordinates"],
    ]
    code, out, _ = run(["who-can", MODEL, "update", "opportunity", "--scope", "team"], capsys)
    assert "sales_manager" not in out  # subordinates does not include team


def test_who_can_names_a_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["who-can", MODEL, "read", "opportunity"], capsys)
    assert code == 0
    assert "sales_rep      organization  by the baseline of opportunity, to everyone with a " in out
    _, out, _ = run(["who-can", MODEL, "read", "opportunity", "--format", "json"], capsys)
    roles = {entry["id"]: entry for entry in json.loads(out)["roles"]}
    assert roles["sales_rep"]["baseline"] is True and roles["director"]["baseline"] is False


def test_who_can_read_a_restricted_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["who-can", MODEL, "read", "opportunity", "--field", "margin"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("who may read field margin of opportunity records at own scope")
    assert "restricted" in lines[0]
    assert lines[1] == "roles (2):" and lines[4] == "people (2):"
    assert "field edit from role director (model.yaml:" in lines[2]
    assert (
        lines[3].split()[0] == "sales_manager"
        and "field read from role sales_manager" in (lines[3])
    )
    assert {line.split()[0] for line in lines[5:7]} == {"dora", "mia"}


def test_who_can_edit_a_field_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["who-can", MODEL, "update", "opportunity", "--field", "margin", "--format", "json"]
    code, out, _ = run(args, capsys)
    data = json.loads(out)
    assert code == 0
    assert (data["field"], data["restricted"], data["action"]) == ("margin", True, "update")
    assert [entry["id"] for entry in data["roles"]] == ["director"]
    assert data["roles"][0]["field_access"] == "edit"
    assert data["roles"][0]["field_grant"]["role"] == "director"
    assert data["roles"][0]["field_grant"]["source"].startswith("model.yaml:")
    assert [entry["id"] for entry in data["people"]] == ["dora"]


def test_who_can_an_unrestricted_field_is_who_can_the_record(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, field, _ = run(
        ["who-can", MODEL, "update", "opportunity", "--field", "amount", "--format", "json"], capsys
    )
    _, record, _ = run(["who-can", MODEL, "update", "opportunity", "--format", "json"], capsys)
    on_field, on_record = json.loads(field), json.loads(record)
    assert on_field["restricted"] is False
    assert [e["id"] for e in on_field["roles"]] == [e["id"] for e in on_record["roles"]]
    assert all("field_grant" not in entry for entry in on_field["roles"])


def test_who_can_field_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["who-can", MODEL, "create", "opportunity", "--field", "margin"], capsys)
    assert code == 2 and "acts on the whole record" in err
    code, _, err = run(["who-can", MODEL, "read", "payment", "--field", "margin"], capsys)
    assert code == 2 and "declares no field `margin` (its fields: card_number)" in err


# matrix --fields -------------------------------------------------------------------------
def test_field_matrix_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["matrix", MODEL, "--fields"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "subject", "opportunity.amount", "opportunity.margin*", "payment.card_number*",
    ]  # fmt: skip
    rows = {" ".join(line.split()[:2]): line.split()[2:] for line in lines[2:] if line.strip()}
    assert rows["role director"] == ["edit", "edit", "read"]
    assert rows["role sales_manager"] == ["edit", "read", "-"]
    assert rows["role staff"] == ["read", "-", "-"]  # reads by the baseline, never updates
    assert rows["person mia"] == ["edit", "read", "-"]
    assert "*: a restricted field" in lines[-1]


def test_field_matrix_formats_agree(capsys: pytest.CaptureFixture[str]) -> None:
    _, markdown, _ = run(["matrix", MODEL, "--fields", "--format", "markdown"], capsys)
    assert markdown.startswith("| subject | opportunity.amount | opportunity.margin* |")
    assert "| role sales_manager | edit | read | - |" in markdown
    _, text, _ = run(["matrix", MODEL, "--fields", "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    _, document, _ = run(["matrix", MODEL, "--fields", "--format", "json"], capsys)
    data = json.loads(document)
    assert data["format"] == "crmorg.field-matrix/1" and data["levels"] == ["none", "read", "edit"]
    assert data["fields"]["opportunity"]["margin"] == {
        "name": "Margin", "restricted": True, "sensitive": False,
    }  # fmt: skip
    for row in rows:
        section = "roles" if row["subject_type"] == "role" else "people"
        assert data[section][row["subject"]][row["resource"]][row["field"]] == row["access"]
        if row["restricted"] == "true":
            grant = data["grants"][section][row["subject"]][row["resource"]][row["field"]]
            assert (grant["role"], grant["source"]) == (row["granted_by"], row["source"])
    not_none = sum(
        level != "none"
        for section in ("roles", "people")
        for resources in data[section].values()
        for fields in resources.values()
        for level in fields.values()
    )
    assert not_none == len(rows)
    assert data["roles"]["support_agent"]["opportunity"]["margin"] == "none"


def test_field_matrix_names_are_made_safe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = yaml.safe_load((Path(MODEL) / "model.yaml").read_text(encoding="utf-8"))
    document["resources"]["opportunity"]["fields"]["margin"]["name"] = '=HYPERLINK("x")\u202e'
    document["roles"]["director"]["name"] = "@SUM(A1)"
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    _, text, _ = run(["matrix", str(tmp_path), "--fields", "--format", "csv"], capsys)
    row = next(r for r in csv.DictReader(io.StringIO(text, newline="")) if r["field"] == "margin")
    assert row["field_name"] == '\'=HYPERLINK("x")\\u202e'
    assert row["subject_name"] == "'@SUM(A1)"
    _, out, _ = run(["matrix", str(tmp_path), "--fields", "--format", "json"], capsys)
    assert "\\u202e" in out and "\u202e" not in out
    assert json.loads(out)["fields"]["opportunity"]["margin"]["name"].endswith("\u202e")


def test_field_matrix_of_a_model_without_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "model.yaml").write_text(
        "version: 1\norganization: {name: Bare}\nresources: {lead: {name: Lead}}\n"
        "roles: {rep: {grants: {lead: {read: own}}}}\n",
        encoding="utf-8",
    )
    code, out, _ = run(["matrix", str(tmp_path), "--fields"], capsys)
    assert code == 0 and out == "the model declares no fields (resources.<id>.fields)\n"
    _, out, _ = run(["matrix", str(tmp_path), "--fields", "--format", "json"], capsys)
    assert json.loads(out)["roles"] == {"rep": {}}


def test_help_documents_the_field_options(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("explain", "who-can"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "--field FIELD" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["matrix", "--help"])
    shown = capsys.readouterr().out
    assert "--fields" in shown and "exit status:" in shown
