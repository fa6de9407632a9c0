"""The fidelity report every CRM-system target writes (format section 16), and the
export plumbing CRM targets need: options, --strict, bytes and directory trees."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import crmorg
from crmorg.cli.main import main
from crmorg.export import (
    EXPORTERS,
    ExportError,
    LossyExportError,
    Option,
    Rendering,
    export_target,
)
from crmorg.export.fidelity import Direction, Fidelity, Loss, holders
from crmorg.export.target import Options, crm_exporter
from crmorg.model import Model

REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference"


@pytest.fixture(scope="module")
def model() -> Model:
    return crmorg.load(REFERENCE)


def _lossy(model: Model) -> Fidelity:
    role = next(iter(model.roles))
    return Fidelity(
        "toy",
        (
            Loss(
                "scope",
                ("roles", role),
                "opportunity.read at subordinates",
                "opportunity.read at team | `x` <b>",
                Direction.OVER,
                holders(model, [role]),
            ),
        ),
        manual=("activate the users",),
        carried={"grant": 3},
    )


def _build(model: Model, options: Options) -> Rendering:
    fidelity = _lossy(model) if options["mode"] == "lossy" else Fidelity("toy")
    files: dict[str, str | bytes] = {
        "tree/a/b.xml": "<x/>\n",
        "blob.bin": bytes(range(256)),
        **fidelity.files(model),
    }
    return Rendering(files, fidelity)


TOY = crm_exporter(
    "toy",
    "a test target",
    _build,
    files=("blob.bin",),
    directories=("tree",),
    options=(Option("mode", ("exact", "lossy"), "whether to lose something"),),
)


@pytest.fixture
def toy() -> Iterator[None]:
    EXPORTERS["toy"] = TOY
    try:
        yield
    finally:
        del EXPORTERS["toy"]


def test_the_report_names_the_loss_its_place_direction_and_people(model: Model) -> None:
    fidelity = _lossy(model)
    files = fidelity.files(model)
    document = json.loads(files["fidelity.json"])
    assert document["format"] == "crmorg.fidelity/1"
    assert document["exact"] is False
    assert document["counts"] == {"over-grants": 1, "under-grants": 0}
    (loss,) = document["losses"]
    assert loss["direction"] == "over-grants"
    assert loss["people"] == list(fidelity.losses[0].people) and loss["people"]
    assert loss["source"].startswith("roles/") and loss["source"].count(":") == 1
    markdown = files["FIDELITY.md"]
    assert "\\| \\`x\\` &lt;b>" in markdown  # a user string cannot break the table
    assert "activate the users" in markdown
    assert "1 loss(es): 1 over-grant, 0 under-grant" in fidelity.summary()
    assert files == fidelity.files(model)  # deterministic


def test_holders_follow_inheritance(model: Model) -> None:
    for role_id, heirs in model.org.heirs.items():
        expected = sorted(p for p, person in model.people.items() if heirs & set(person.roles))
        assert list(holders(model, [role_id])) == expected


def test_an_exact_export_says_so(model: Model) -> None:
    assert Fidelity("toy").summary() == "toy: carried exactly, no losses (FIDELITY.md)"
    assert json.loads(Fidelity("toy").files(model)["fidelity.json"])["losses"] == []


def test_strict_refuses_a_loss_and_writes_nothing(model: Model, tmp_path: Path, toy: None) -> None:
    out = tmp_path / "out"
    with pytest.raises(LossyExportError, match="refused by --strict"):
        export_target(model, "toy", out, options={"mode": "lossy"}, strict=True)
    assert not out.exists()
    exported = export_target(model, "toy", out, options={"mode": "exact"}, strict=True)
    assert exported.fidelity is not None and exported.fidelity.exact
    assert (out / "blob.bin").read_bytes() == bytes(range(256))
    assert (out / "tree" / "a" / "b.xml").read_text() == "<x/>\n"
    # A directory holding an earlier export, tree and all, may be replaced.
    export_target(model, "toy", out, options={"mode": "lossy"})
    assert json.loads((out / "fidelity.json").read_text())["exact"] is False


def test_an_unknown_option_value_is_an_export_error(
    model: Model, tmp_path: Path, toy: None
) -> None:
    with pytest.raises(ExportError, match="not one of exact, lossy"):
        export_target(model, "toy", tmp_path / "o", options={"mode": "fuzzy"})


def test_the_cli_prints_the_summary_and_strict_exits_1(
    tmp_path: Path, toy: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "o")
    assert main(["export", str(REFERENCE), "-t", "toy", "-o", out, "--mode", "lossy"]) == 0
    assert "fidelity: toy: 1 loss(es)" in capsys.readouterr().out
    argv = ["export", str(REFERENCE), "-t", "toy", "-o", out, "--mode", "lossy", "--strict"]
    assert main(argv) == 1
    assert "refused by --strict" in capsys.readouterr().err


def test_fidelity_markdown_shows_hidden_characters_as_escapes(model: Model) -> None:
    role = next(iter(model.roles))
    hostile = "team\u202e\x1b]0;pwned\x07\u200b"
    fidelity = Fidelity(
        "toy",
        (Loss("scope", ("roles", role), hostile, hostile, Direction.OVER, (hostile,)),),
    )
    text = fidelity.files(model)["FIDELITY.md"]
    assert not any(char in text for char in "\u202e\x1b\x07\u200b")
    assert "\\\\u202e" in text  # the escape, its backslash escaped for Markdown
    assert json.loads(fidelity.files(model)["fidelity.json"])["losses"][0]["written"] == hostile
