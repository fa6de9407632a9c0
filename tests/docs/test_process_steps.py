"""Processes in the handbook: the steps on role cards and each process on the RACI page."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest

from crmorg.api import load
from crmorg.docs.site import build_site
from crmorg.model import Model

from .inspect_output import ParsedHtml, markdown_to_html, parse_html, squash

REFERENCE = Path(__file__).parents[2] / "examples" / "reference"

HOSTILE = """\
organization: {name: T}
roles:
  boss: {name: "Boss <b>&amp;"}
  rep: {}
processes:
  flow:
    name: {en: "<script>alert(1)</script> | pipe", zh: "流程 <i>"}
    steps:
      - id: first
        name: "Step \\"one\\" <img src=x> | [link](javascript:x) =cmd"
        accountable: boss
        responsible: [rep]
      - id: second
        name: "\\u202eevil"
        accountable: boss
        responsible: [rep]
"""


@pytest.fixture(scope="module")
def reference() -> Model:
    return load(REFERENCE)


def _parsed(files: dict[str, str], fmt: str) -> dict[str, ParsedHtml]:
    return {
        path: parse_html(text if fmt == "html" else markdown_to_html(text))
        for path, text in files.items()
        if not path.endswith(".svg")
    }


@pytest.mark.parametrize(("fmt", "lang"), [("html", "en"), ("markdown", "zh")])
def test_role_cards_list_the_steps_and_their_links_resolve(
    reference: Model, fmt: str, lang: str
) -> None:
    files = build_site(reference, fmt=fmt, lang=lang)
    parsed = _parsed(files, fmt)
    ext = ".html" if fmt == "html" else ".md"
    card = parsed[f"roles/customer_service_rep{ext}"]
    text = squash(card.text)
    if lang == "en":
        assert "Process steps" in text
        assert "R Collect feedback collect Customer feedback handling" in text
        assert "I Resolve resolve Customer feedback handling" in text
    else:
        assert "流程步骤" in text and "收集反馈" in text and "客户反馈处理" in text
    # The process and each step link to the process page (crmorg.docs.process_pages).
    assert f"../processes/feedback_handling{ext}" in card.hrefs
    assert f"../processes/feedback_handling{ext}#step-collect" in card.hrefs
    for path, page in parsed.items():
        for href in page.hrefs:
            if "#process-" not in href and "#step-" not in href:
                continue
            target, _, anchor = href.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            resolved = resolved if target else path  # "#step-..." on the page itself
            assert anchor in parsed[resolved].ids, f"{path}: no anchor {href}"
    raci = squash(parsed[f"raci{ext}"].text)
    for process_id in reference.processes:
        assert f"process-{process_id}" in parsed[f"raci{ext}"].ids
    if lang == "en":
        assert "Follow up follow_up" in raci and "Close the feedback, Resolve" in raci
        assert "ends the process" in raci


def test_a_role_in_no_step_has_no_steps_section(reference: Model) -> None:
    files = build_site(reference, fmt="html")
    assert "Process steps" not in files["roles/accountant.html"]
    assert "Process steps" in files["roles/crm_manager.html"]


def test_hostile_names_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(HOSTILE, encoding="utf-8")
    model = load(tmp_path)
    html = build_site(model, fmt="html")
    for page in ("roles/rep.html", "raci.html"):
        text = html[page]
        assert "<script>alert" not in text and "<img src=x>" not in text
        assert "&lt;script&gt;" in text and "\u202e" not in text
        parsed = parse_html(text)
        assert "script" not in parsed.elements and "img" not in parsed.elements
    markdown = build_site(model, fmt="markdown", lang="zh")
    for page in ("roles/rep.md", "raci.md"):
        rendered = parse_html(markdown_to_html(markdown[page]))
        assert "img" not in rendered.elements and "i" not in rendered.elements
        assert not any(h.startswith("javascript") for h in rendered.hrefs)
        assert "\u202e" not in markdown[page]
    row = next(line for line in markdown["roles/rep.md"].splitlines() if "`first`" in line)
    assert row.count(" | ") == 2  # the `|` in the name does not open a column


def test_the_handbook_is_deterministic(reference: Model) -> None:
    assert build_site(reference, fmt="markdown") == build_site(load(REFERENCE), fmt="markdown")
