"""``crmorg diff`` compares processes (format-v1 section 15): each change with the line
that holds it, in every format; a moved line or a reordered mapping is no change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.diff.conftest import REFERENCE

import crmorg
from crmorg.cli.main import main
from crmorg.diff.results import ModelDiff, ProcessChange, RaciChange

PROCESSES = "processes.yaml"
RESOLVE_ACCOUNTABLE = (
    "        accountable: customer_service_manager\n        responsible: [technical_support]",
    "        accountable: technical_support\n        responsible: [technical_support]",
)
"""technical_support, not customer_service_manager, answers for step resolve."""


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "new"
    shutil.copytree(REFERENCE, copy)
    return copy


def _edit(root: Path, *pairs: tuple[str, str]) -> None:
    target = root / PROCESSES
    text = target.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    target.write_text(text, encoding="utf-8")


def _line(where: str) -> str:
    """The text of the line a ``file:line:col`` position names, from the column on."""
    file, line, column = where.rsplit(":", 2)
    return Path(file).read_text(encoding="utf-8").splitlines()[int(line) - 1][int(column) - 1 :]


def _diff(root: Path) -> ModelDiff:
    return crmorg.diff(crmorg.load(REFERENCE), crmorg.load(root), findings=False)


def test_a_moved_line_and_a_reordered_mapping_are_no_change(tmp_path: Path) -> None:
    """The last process moved to the top, under a comment and a blank line: every line
    of every process moves, nothing changes."""
    root = _copy(tmp_path)
    text = (root / PROCESSES).read_text(encoding="utf-8")
    head, body = text.split("processes:\n", 1)
    first, last = body.split("  cross_department_communication:\n")
    moved = f"{head}# moved\n\nprocesses:\n  cross_department_communication:\n{last}{first}"
    (root / PROCESSES).write_text(moved.rstrip("\n") + "\n", encoding="utf-8")
    loaded = crmorg.load(root)
    assert next(iter(loaded.processes)) == "cross_department_communication"
    result = crmorg.diff(crmorg.load(REFERENCE), loaded, findings=False)
    assert result.empty and result.processes == () and result.raci == ()


def test_a_role_becoming_accountable_for_a_step_is_a_raci_change(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(
        root,
        RESOLVE_ACCOUNTABLE,
    )
    result = _diff(root)
    assert result.processes == ()
    assert [(c.kind, c.part, c.role, c.process, c.step) for c in result.raci] == [
        ("joined", "A", "technical_support", "feedback_handling", "resolve"),
        ("left", "A", "customer_service_manager", "feedback_handling", "resolve"),
    ]
    joined, left = result.raci
    assert joined.responsibility == "feedback_handling/resolve"
    assert joined.where.startswith(str(root)) and _line(joined.where) == "technical_support"
    assert left.where.startswith("examples/reference/") or str(REFERENCE) in left.where
    assert _line(left.where) == "customer_service_manager"


def test_steps_requires_and_flow(tmp_path: Path) -> None:
    """Drop ``route``, add ``triage`` before ``classify``, require more of ``resolve``,
    end ``follow_up`` (no more loop back) and rename the process's English name."""
    root = _copy(tmp_path)
    _edit(
        root,
        ("name: {en: Customer feedback handling,", "name: {en: Feedback handling,"),
        (
            "      - id: classify\n",
            "      - id: triage\n        accountable: customer_service_manager\n"
            "      - id: classify\n",
        ),
        (
            "      - id: route\n        name: {en: Route to the department, zh: 转交相关部门}\n"
            "        accountable: customer_service_manager\n"
            "        responsible: [customer_service_manager]\n"
            "        informed: [technical_support]\n"
            "        requires:\n          case: {assign: department}\n",
            "",
        ),
        ("          case: {update: department}\n", "          case: {update: organization}\n"),
        ("        next: [close, resolve]\n", "        next: []\n"),
    )
    result = _diff(root)
    found = {(c.kind, c.step, c.attribute, c.old, c.new): c for c in result.processes}
    assert {c.process for c in result.processes} == {"feedback_handling"}
    assert set(found) == {
        ("renamed", None, "name", "en: Customer feedback handling, zh: 客户反馈处理",
         "en: Feedback handling, zh: 客户反馈处理"),
        ("removed", "route", None, None, None),
        ("added", "triage", None, None, None),
        ("requires", "resolve", "case.update", "department", "organization"),
        ("next-added", "collect", None, None, "triage"),
        ("next-removed", "collect", None, "classify", None),
        ("next-added", "triage", None, None, "classify"),
        ("next-added", "classify", None, None, "resolve"),
        ("next-removed", "classify", None, "route", None),
        ("next-removed", "route", None, "resolve", None),
        ("next-removed", "follow_up", None, "close", None),
        ("next-removed", "follow_up", None, "resolve", None),
        ("ends", "follow_up", None, None, None),
    }  # fmt: skip
    assert _line(found["added", "triage", None, None, None].where).startswith("id: triage")
    removed = found["removed", "route", None, None, None].where
    assert str(root) not in removed and _line(removed).startswith("id: route")
    requires = found["requires", "resolve", "case.update", "department", "organization"]
    assert _line(requires.where) == "organization}"
    loop = found["next-removed", "follow_up", None, "close", None].where
    assert str(root) not in loop and _line(loop) == "[close, resolve]"
    assert _line(found["ends", "follow_up", None, None, None].where).startswith("id: follow_up")


def test_a_process_renamed_by_id_is_compared_as_one(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(
        root,
        ("  monthly_reporting:\n", "  monthly_report:\n"),
        ("  cross_department_communication:\n", "  cross_department_sync:\n"),
    )
    _edit(root, ("        next: [adjust_crm, share_outcome]", "        next: [adjust_crm]"))
    result = _diff(root)
    assert [(c.process, c.kind, c.attribute, c.old, c.new) for c in result.processes[:1]] == [
        ("monthly_report", "renamed", "id", "monthly_reporting", "monthly_report")
    ]
    assert [(c.process, c.kind, c.step, c.old) for c in result.processes] == [
        ("monthly_report", "renamed", None, "monthly_reporting"),
        ("cross_department_sync", "renamed", None, "cross_department_communication"),
        ("cross_department_sync", "next-removed", "hold_meeting", "share_outcome"),
    ]


def test_added_and_removed_processes(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    text = (root / PROCESSES).read_text(encoding="utf-8")
    start = text.index("  monthly_reporting:\n")
    end = text.index("  cross_department_communication:\n")
    text = text[:start] + text[end:]
    text += (
        "  escalation:\n    name: {en: \"<b>Escal & 'x'</b> =cmd\\u202e\"}\n"
        "    steps:\n      - id: raise\n        accountable: service_manager\n"
    )
    (root / PROCESSES).write_text(text, encoding="utf-8")
    result = _diff(root)
    assert [(c.process, c.kind, c.step) for c in result.processes] == [
        ("monthly_reporting", "removed", None),
        ("escalation", "added", None),
    ]
    removed, added = result.processes
    assert str(root) not in removed.where and _line(removed.where).startswith("name:")
    assert added.where.startswith(str(root))


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    root = _copy(tmp_path)
    _edit(
        root,
        ("name: {en: Customer feedback handling,", 'name: {en: "<b>Feedback</b> & *x*|",'),
        ("        next: [close, resolve]\n", "        next: [close]\n"),
        RESOLVE_ACCOUNTABLE,
    )
    return root


def test_every_format_reports_them(edited: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["diff", str(REFERENCE), str(edited), "--no-findings"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["process_changes"] == 2 and data["summary"]["raci_changes"] == 2
    assert "2 process changes" in data["summary"]["text"]
    assert [(p["kind"], p["step"], p["old"]) for p in data["processes"]] == [
        ("renamed", None, "en: Customer feedback handling, zh: 客户反馈处理"),
        ("next-removed", "follow_up", "resolve"),
    ]
    assert set(data["processes"][0]) == {
        "process", "kind", "step", "attribute", "old", "new", "where"
    }  # fmt: skip
    assert data["raci"][0] == {
        "responsibility": "feedback_handling/resolve", "kind": "joined", "part": "A",
        "role": "technical_support", "where": data["raci"][0]["where"],
        "process": "feedback_handling", "step": "resolve",
    }  # fmt: skip
    assert main([*args]) == 0
    text = capsys.readouterr().out
    assert "processes (2):" in text and "RACI (2):" in text
    assert (
        "technical_support is now Accountable for step resolve of process feedback_handling" in text
    )
    assert "process feedback_handling: step follow_up no longer leads to resolve" in text
    assert main([*args, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "<summary>Process changes (2)</summary>" in markdown
    assert "<b>" not in markdown and "&lt;b&gt;Feedback&lt;/b&gt; &amp; \\*x\\*\\|" in markdown
    assert main([*args, "--format", "sarif"]) == 0
    assert json.loads(capsys.readouterr().out)["runs"][0]["results"] == []


def test_process_changes_are_the_same_every_run(
    edited: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for _ in range(2):
        for form in ("text", "json", "markdown"):
            main(["diff", str(REFERENCE), str(edited), "--no-findings", "--format", form])
            outputs.append(capsys.readouterr().out)
    assert outputs[:3] == outputs[3:]


def test_typed_results_from_python(edited: Path) -> None:
    result = _diff(edited)
    assert all(isinstance(c, ProcessChange) for c in result.processes)
    assert all(isinstance(c, RaciChange) for c in result.raci)
    assert not result.empty
