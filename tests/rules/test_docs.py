"""The rule reference is generated from the registry, and every rule documents itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crmorg.cli.main import main
from crmorg.lint.catalog import CATALOG
from crmorg.lint.docs import REGENERATE, anchor, render_rules_markdown
from crmorg.lint.registry import BUILTIN_RULES, builtin_rules

RULES_MD = Path(__file__).parents[2] / "docs" / "rules.md"

# Catalogue entries whose implementation another part of crmorg is adding; while
# unimplemented they are exempt, and once registered they are checked like the rest.
PENDING = {"kpi-owner-lacks-access"}


def test_rules_md_is_up_to_date() -> None:
    assert RULES_MD.read_text(encoding="utf-8") == render_rules_markdown(), (
        f"docs/rules.md is stale; regenerate it with `{REGENERATE}`"
    )


def test_every_catalogue_entry_is_implemented_once() -> None:
    names = [rule.name for rule in BUILTIN_RULES]
    assert len(names) == len(set(names))
    missing = set(CATALOG) - set(names) - PENDING
    assert not missing, f"catalogue entries without an implementation: {sorted(missing)}"
    assert names == [name for name in CATALOG if name in names], "keep catalogue order"


def test_codes_are_unique_and_well_formed() -> None:
    codes = [info.code for info in CATALOG.values()]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"CRM\d{3}", code) for code in codes)


@pytest.mark.parametrize("name", list(builtin_rules()))
def test_rule_documents_itself(name: str) -> None:
    doc = builtin_rules()[name].doc
    summary = doc.split("\n\n", 1)[0]
    assert summary and summary[0].isupper() and summary.rstrip().endswith("."), summary
    snippet = re.search(r"^Fails:\n```yaml\n(.+?)\n```$", doc, re.S | re.M)
    assert snippet, f"{name}: the docstring needs `Fails:` and a ```yaml block"
    assert re.search(r"^Fix: \S", doc, re.M), f"{name}: the docstring needs a `Fix:` line"


def test_every_rule_has_a_section(capsys: pytest.CaptureFixture[str]) -> None:
    text = render_rules_markdown()
    for name in builtin_rules():
        assert f"\n### {name}\n" in text
        assert f"](#{anchor(name)})" in text
    assert "## Configuration" in text and "## How the rules decide" in text


def test_rules_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    for name, rule in builtin_rules().items():
        assert re.search(rf"^{name} +{rule.info.code} ", listing, re.M)
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in data["rules"]] == list(builtin_rules())
    assert main(["rules", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == render_rules_markdown()
    assert main(["rules", "CRM106"]) == 0
    assert capsys.readouterr().out.startswith("privilege-escalation (CRM106, conflict, default")
    assert main(["rules", "no-such-rule"]) == 2
    assert "no rule named" in capsys.readouterr().err
