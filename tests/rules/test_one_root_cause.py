"""One root cause, one finding: an unreadable file does not flood the report, and one
error in an entry does not hide an independent one beside it."""

from __future__ import annotations

from pathlib import Path

import crmorg
from crmorg.api import load_partial

REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference"


def _copy_reference(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    for source in REFERENCE.rglob("*"):
        if source.is_file():
            destination = target / source.relative_to(REFERENCE)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(source.read_bytes())
    return target


def test_a_tab_in_one_file_of_the_reference_model_gives_two_lines(tmp_path: Path) -> None:
    model_dir = _copy_reference(tmp_path)
    roles = model_dir / "roles" / "crm.yaml"
    lines = roles.read_text(encoding="utf-8").split("\n")
    first_key = next(i for i, line in enumerate(lines) if line.startswith("  ") and i > 2)
    lines[first_key] = "\t" + lines[first_key][2:]
    roles.write_text("\n".join(lines), encoding="utf-8")
    report = crmorg.validate(load_partial(model_dir))
    assert [(f.rule, f.severity.value) for f in report.findings if not f.waived] == [
        ("yaml-syntax", "error"),
        ("rules-not-run", "info"),
    ]
    assert report.findings[0].line == first_key + 1


def test_independent_errors_in_one_entry_are_each_reported(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(
        "version: 1\n"
        "organization: {name: X}\n"
        "resources:\n"
        "  case: {name: Case}\n"
        "roles:\n"
        "  agent:\n"
        "    inherits: [nobody]\n"
        "    grants:\n"
        "      case: {read: everyone}\n"
        "      ticket: {read: own}\n",
        encoding="utf-8",
    )
    report = crmorg.validate(load_partial(tmp_path))
    errors = sorted((f.rule, f.line, f.subjects) for f in report.errors)
    assert errors == [
        ("schema", 9, ("agent",)),
        ("unknown-reference", 7, ("agent", "nobody")),
        ("unknown-reference", 10, ("agent", "ticket")),
    ]


def test_an_entry_wrong_throughout_gives_its_schema_errors_only(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(
        "version: 1\norganization: {name: X}\nroles:\n  agent: [not, a, mapping]\n",
        encoding="utf-8",
    )
    report = crmorg.validate(load_partial(tmp_path))
    assert [f.rule for f in report.errors] == ["schema"]
