"""docs/exports.md follows the registry of targets; the targets' templates are packaged."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import pytest

from crmorg.export import EXPORTERS, Question
from crmorg.export.capabilities import CONSTRUCTS

ROOT = Path(__file__).parents[2]
EXPORTS_MD = ROOT / "docs" / "exports.md"
BEGIN = (
    "<!-- The targets, generated from crmorg.export.EXPORTERS: "
    "`pytest tests/export --update-golden` rewrites this table. -->"
)
END = "<!-- end of the generated targets -->"
_ANSWERS = {
    Question.SUBJECT_AT_SCOPE: "a role or person at a scope",
    Question.PERSON_ON_RECORD: "a person on a record",
}


def targets_table() -> str:
    lines = [
        "| target | files | what it is | its engine decides | cannot express |",
        "|---|---|---|---|---|",
    ]
    for name, exporter in EXPORTERS.items():
        capabilities = exporter.capabilities
        files = ", ".join(f"`{file}`" for file in exporter.files)
        answers = [text for question, text in _ANSWERS.items() if question in capabilities.answers]
        cannot = [f"`{c.name}`" for c in CONSTRUCTS if c not in capabilities.expresses]
        lines.append(
            f"| `{name}` | {files} | {exporter.summary} | {'; '.join(answers) or '(for review)'}"
            f" | {', '.join(cannot) or '-'} |"
        )
    return "\n".join(lines)


def test_the_targets_table_is_generated_from_the_registry(request: pytest.FixtureRequest) -> None:
    text = EXPORTS_MD.read_text(encoding="utf-8")
    block = re.compile(re.escape(BEGIN) + r"\n(.*?)\n" + re.escape(END), re.DOTALL)
    assert block.search(text), f"docs/exports.md lacks the generated block {BEGIN!r}"
    if request.config.getoption("--update-golden"):
        text = block.sub(lambda _: f"{BEGIN}\n{targets_table()}\n{END}", text)
        EXPORTS_MD.write_text(text, encoding="utf-8")
    found = block.search(text)
    assert found and found.group(1) == targets_table(), (
        "docs/exports.md's table of targets is stale: run pytest tests/export --update-golden"
    )


def test_the_synopsis_and_the_constructs_are_documented() -> None:
    text = EXPORTS_MD.read_text(encoding="utf-8")
    synopsis = re.search(r"crmorg export PATH --target (\S+)", text)
    assert synopsis and set(synopsis.group(1).split("|")) == set(EXPORTERS)
    for construct in CONSTRUCTS:
        assert f"`{construct.name}`" in text, construct.name


def test_every_template_is_package_data() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["crmorg"]
    package = ROOT / "src" / "crmorg"
    templates = sorted(package.glob("export/*/templates/*"))
    assert templates
    for template in templates:
        relative = template.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative
