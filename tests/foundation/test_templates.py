"""`crmorg init --template`: the team templates by company size, end to end from the CLI.

Each template must validate with no finding at all (no error, warning or info) and no
waiver, export to every target, build the handbook in both languages, and solve the
starter's separation-of-duties case by design: the people who create quotes are not
those who approve them, and nobody who hands out roles can hand out more than it has.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

import crmorg
from crmorg.cli.main import main
from crmorg.export import EXPORTERS
from crmorg.kpi.library import STANDARD_KPIS
from crmorg.model import Model
from crmorg.starter import default_template, find_template, templates

from .helpers import cli, write

SIZES = ("solo", "small", "midsize", "enterprise")
SPLIT = SIZES[1:]
"""The sizes with a second decision-maker, where quote creation and approval are split."""


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every template written once with `crmorg init --template ID`."""
    root = tmp_path_factory.mktemp("templates")
    written: dict[str, Path] = {}
    for size in SIZES:
        assert main(["init", str(root / size), "--template", size]) == 0
        written[size] = root / size
    return written


@pytest.fixture(scope="module")
def models(initialised: dict[str, Path]) -> dict[str, Model]:
    return {size: crmorg.load(path) for size, path in initialised.items()}


def test_the_templates_are_the_four_sizes_smallest_first() -> None:
    assert tuple(templates()) == SIZES
    assert default_template().id == "small"


@pytest.mark.parametrize("size", SIZES)
def test_each_template_validates_with_no_finding_and_no_waiver(
    size: str, initialised: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(["validate", str(initialised[size]), "--format", "json"], capsys)
    report = json.loads(out)
    assert (code, err) == (0, ""), out
    assert report["findings"] == []
    assert report["summary"] == {"error": 0, "warning": 0, "info": 0, "waived": 0}
    model = crmorg.load(initialised[size])
    assert model.settings.waivers == []
    assert crmorg.validate(model).findings == ()


def test_init_writes_the_template_files_and_the_schema(
    initialised: dict[str, Path],
) -> None:
    for size, path in initialised.items():
        assert sorted(p.name for p in path.iterdir()) == ["crmorg.schema.json", "model.yaml"]
        template = find_template(size)
        assert (path / "model.yaml").read_text(encoding="utf-8") == template.files["model.yaml"]


def test_plain_init_writes_the_default_template(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(["init", "plain"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("template small: ")
    written = (workdir / "plain" / "model.yaml").read_text(encoding="utf-8")
    assert written == find_template("small").files["model.yaml"]


@pytest.mark.parametrize("size", SIZES)
def test_each_template_exports_to_every_target(
    size: str, initialised: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for target in sorted(EXPORTERS):
        out_dir = tmp_path / target
        code, out, err = cli(
            ["export", str(initialised[size]), "--target", target, "--out", str(out_dir)], capsys
        )
        assert code == 0, f"{target}: {out}{err}"
        assert any(out_dir.iterdir()), target


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_template_builds_the_handbook(
    lang: str, initialised: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for size, path in initialised.items():
        site = tmp_path / size
        code, out, err = cli(["docs", str(path), "--out", str(site), "--lang", lang], capsys)
        assert (code, err) == (0, ""), out
        index = (site / "index.html").read_text(encoding="utf-8")
        organisation = crmorg.load(path).organization.name
        assert isinstance(organisation, dict)
        assert organisation[lang] in index


def test_list_templates(models: dict[str, Model], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(["init", "--list-templates"], capsys)
    assert (code, err) == (0, "")
    header, *rows = out.splitlines()
    assert header.split() == ["id", "people", "roles", "team", "size", "what", "it", "is"]
    assert [row.split()[0] for row in rows] == list(SIZES)
    for size, row in zip(SIZES, rows, strict=True):
        model = models[size]
        holdable = [r for r in model.roles.values() if not r.abstract]
        words = row.split()
        numbers = words[2:4] if size == "small" else words[1:3]
        assert numbers == [str(len(model.people)), str(len(holdable))], row
        assert find_template(size).summary_in("en") in row
    assert rows[1].startswith("small (default)")
    code, out, _ = cli(["init", "--list-templates", "--lang", "zh"], capsys)
    assert code == 0
    assert out.splitlines()[0].split() == ["模板", "人员", "角色", "团队规模", "说明"]
    assert "small (默认)" in out and "一两个人承担全部CRM工作" in out


def test_list_templates_aligns_chinese_columns(capsys: pytest.CaptureFixture[str]) -> None:
    from crmorg.charts.text import display_width

    _, out, _ = cli(["init", "--list-templates", "--lang", "zh"], capsys)
    lines = out.splitlines()
    # The summary column starts at the same terminal column on every line.
    starts = []
    for line, size in zip(lines[1:], SIZES, strict=True):
        summary = find_template(size).summary_in("zh")
        starts.append(display_width(line[: line.index(summary)]))
    header_start = display_width(lines[0][: lines[0].index("说明")])
    assert set(starts) == {header_start}


def test_an_unknown_template_is_a_usage_error_naming_the_templates(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(["init", "new", "--template", "medium"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("crmorg init: error: no template `medium`")
    assert "choose one of solo, small, midsize, enterprise" in err
    assert "--list-templates" in err
    assert not (workdir / "new").exists()
    _, _, err = cli(["init", "new", "--template", "enterprize"], capsys)
    assert "did you mean `enterprise`?" in err


def test_directory_and_listing_are_asked_for_sensibly(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(["init"], capsys)
    assert code == 2 and "give the directory to write" in err
    code, _, err = cli(["init", "x", "--list-templates"], capsys)
    assert code == 2 and "leave out DIR" in err
    assert not (workdir / "x").exists()


def test_sizes_grow(models: dict[str, Model]) -> None:
    def counts(model: Model) -> tuple[int, int, int]:
        holdable = sum(1 for role in model.roles.values() if not role.abstract)
        return holdable, len(model.people), len(model.departments)

    sized = [counts(models[size]) for size in SIZES]
    for smaller, larger in itertools.pairwise(sized):
        assert all(a < b for a, b in zip(smaller[:2], larger[:2], strict=True)), sized
        assert smaller[2] <= larger[2], sized
    # Seed 001: one or two people at solo size; a dedicated CRM department at enterprise.
    assert len(models["solo"].people) <= 2
    enterprise = models["enterprise"]
    crm_roles = {r for r, role in enterprise.roles.items() if role.department == "crm"}
    assert {"crm_manager", "crm_admin", "crm_analyst", "crm_consultant", "crm_trainer"} <= crm_roles


def _can(model: Model, subject: str, action: str) -> bool:
    return model.allows(subject, action, "quote", "own")


def test_solo_has_no_approval_step_to_separate(models: dict[str, Model]) -> None:
    solo = models["solo"]
    assert solo.constraints == ()
    assert not solo.access.catalog.applies("quote", "approve")
    assert all(not _can(solo, person, "approve") for person in solo.people)
    assert any(_can(solo, person, "create") for person in solo.people)


@pytest.mark.parametrize("size", SPLIT)
def test_quote_creation_and_approval_are_split_by_design(
    size: str, models: dict[str, Model]
) -> None:
    model = models[size]
    [constraint] = [c for c in model.constraints if c.id == "quote_self_approval"]
    assert sorted(constraint.permissions) == ["quote:approve", "quote:create"]
    creators = {p for p in model.people if _can(model, p, "create")}
    approvers = {p for p in model.people if _can(model, p, "approve")}
    assert creators and approvers
    assert not creators & approvers
    for role_id in model.roles:
        assert not (_can(model, role_id, "create") and _can(model, role_id, "approve")), role_id


@pytest.mark.parametrize("size", SPLIT)
def test_whoever_hands_out_roles_cannot_hand_out_approval_it_lacks(
    size: str, models: dict[str, Model]
) -> None:
    model = models[size]
    assigners = [r for r in model.roles if model.allows(r, "assign", "user", "own")]
    assert "crm_admin" in assigners
    for role_id in assigners:
        given = model.roles[role_id].assignable
        assert given is not None, f"{role_id} may give every role"
        for other in given:
            if _can(model, other, "approve"):
                assert _can(model, role_id, "approve"), (role_id, other)
    assert not _can(model, "crm_admin", "approve")


@pytest.mark.parametrize("size", SIZES)
def test_kpis_come_from_the_library_and_every_department_has_one(
    size: str, models: dict[str, Model], initialised: dict[str, Path]
) -> None:
    model = models[size]
    text = (initialised[size] / "model.yaml").read_text(encoding="utf-8")
    assert set(model.kpis) <= set(STANDARD_KPIS)
    for kpi_id in model.kpis:
        assert f"{kpi_id}: {{standard: {kpi_id}," in text
    assert {kpi.department for kpi in model.kpis.values()} == set(model.departments)


def test_init_with_kpis_adds_to_a_chosen_template(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(["init", "big", "--template", "enterprise", "--kpis", "nps,ces"], capsys)
    assert code == 0
    assert "already has a KPI `nps`" in out
    code, out, _ = cli(["validate", "big"], capsys)
    assert code == 0 and "0 errors, 0 warnings" in out, out
    assert "ces" in crmorg.load(workdir / "big").kpis


def _failing_on_second_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up as the second file is written."""
    import crmorg.output as output

    real = output._write_file
    calls = []

    def write_once(path: Path, content: str | bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, content)

    monkeypatch.setattr(output, "_write_file", write_once)


def test_a_failed_init_writes_nothing_into_a_new_directory(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_on_second_file(monkeypatch)
    code, out, err = cli(["init", "fresh", "--template", "midsize"], capsys)
    assert (code, out) == (3, "")
    assert "No space left on device" in err
    assert sorted(p.name for p in workdir.iterdir()) == []


def test_a_failed_init_leaves_an_existing_directory_as_it_was(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(workdir / "mine" / "notes.txt", "keep me\n")
    write(workdir / "mine" / "model.yaml", "# my own model\n")
    _failing_on_second_file(monkeypatch)
    code, _, err = cli(["init", "mine", "--force", "--template", "solo"], capsys)
    assert code == 3 and "No space left on device" in err
    assert sorted(p.name for p in (workdir / "mine").iterdir()) == ["model.yaml", "notes.txt"]
    assert (workdir / "mine" / "model.yaml").read_text(encoding="utf-8") == "# my own model\n"


def test_a_failed_init_puts_back_the_files_it_replaced_byte_for_byte(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = workdir / "mine"
    mine.mkdir()
    old = b"\xff\xfe not UTF-8 \x00"
    (mine / "crmorg.schema.json").write_bytes(old)
    (mine / "crmorg.schema.json").chmod(0o600)
    _failing_on_second_file(monkeypatch)  # the schema is replaced, then kpis.yaml fails
    code, _, err = cli(["init", "mine", "--force", "--kpis", "nps"], capsys)
    assert code == 3 and "No space left on device" in err
    assert sorted(p.name for p in mine.iterdir()) == ["crmorg.schema.json"]
    assert (mine / "crmorg.schema.json").read_bytes() == old
    assert (mine / "crmorg.schema.json").stat().st_mode & 0o777 == 0o600


def test_init_with_force_replaces_its_files_and_keeps_the_rest(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "mine" / "model.yaml", "# my own model\n")
    write(workdir / "mine" / "notes.txt", "keep me\n")
    code, _, _ = cli(["init", "mine", "--force", "--template", "midsize"], capsys)
    assert code == 0
    names = sorted(p.name for p in (workdir / "mine").iterdir())
    assert names == ["crmorg.schema.json", "model.yaml", "notes.txt"]
    written = (workdir / "mine" / "model.yaml").read_text(encoding="utf-8")
    assert written == find_template("midsize").files["model.yaml"]


def test_init_refuses_to_overwrite_yaml_without_force(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "mine" / "model.yaml", "# my own model\n")
    code, _, err = cli(["init", "mine", "--template", "enterprise"], capsys)
    assert code == 2 and "--force" in err
    assert (workdir / "mine" / "model.yaml").read_text(encoding="utf-8") == "# my own model\n"


@pytest.mark.parametrize("size", SIZES)
def test_every_name_is_in_english_and_chinese(size: str, models: dict[str, Model]) -> None:
    model = models[size]
    sections = {
        "resources": model.resources,
        "departments": model.departments,
        "roles": model.roles,
        "responsibilities": model.responsibilities,
        "teams": model.teams,
    }
    for section, entries in sections.items():
        for entry_id, entry in entries.items():
            name = entry.name
            assert isinstance(name, dict) and {"en", "zh"} <= set(name), (section, entry_id)
            assert name["en"] and name["zh"] and name["en"] != name["zh"], (section, entry_id)


def test_the_docs_table_matches_the_templates(models: dict[str, Model]) -> None:
    page = (Path(__file__).parents[2] / "docs" / "templates.md").read_text(encoding="utf-8")
    for size in SIZES:
        model = models[size]
        holdable = sum(1 for role in model.roles.values() if not role.abstract)
        default = " (default)" if size == "small" else ""
        row = f"| `{size}`{default} | {find_template(size).team_size_in('en')} | "
        assert f"{row}{len(model.people)} | {holdable} |" in page, size


def test_a_real_process_inits_every_template(tmp_path: Path) -> None:
    """The installed command finds the templates as package data (importlib.resources)."""
    import os
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "crmorg", *args],
            cwd=tmp_path,
            # This checkout's crmorg, whatever the working directory.
            env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": source},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    source = str(Path(crmorg.__file__).resolve().parents[1])
    listed = run("init", "--list-templates")
    assert listed.returncode == 0 and listed.stderr == ""
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == list(SIZES)
    made = run("init", "big", "--template", "enterprise")
    assert made.returncode == 0, made.stderr
    checked = run("validate", "big")
    assert checked.returncode == 0
    assert checked.stdout.strip().endswith("OK: 0 errors, 0 warnings, 0 info")


def test_the_written_schema_accepts_every_template(initialised: dict[str, Path]) -> None:
    """Editors check the file against the schema written beside it: it must pass."""
    import jsonschema
    import yaml

    for size, path in initialised.items():
        schema = json.loads((path / "crmorg.schema.json").read_text(encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema)
        document = yaml.safe_load((path / "model.yaml").read_text(encoding="utf-8"))
        errors = [error.message for error in validator.iter_errors(document)]
        assert errors == [], (size, errors)


def test_init_is_deterministic(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for size in SIZES:
        first, second = workdir / f"{size}-1", workdir / f"{size}-2"
        assert cli(["init", str(first), "--template", size, "--kpis", "ces"], capsys)[0] == 0
        assert cli(["init", str(second), "--template", size, "--kpis", "ces"], capsys)[0] == 0
        for name in ("model.yaml", "kpis.yaml", "crmorg.schema.json"):
            assert (first / name).read_bytes() == (second / name).read_bytes(), (size, name)
