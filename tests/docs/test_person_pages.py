"""Per-person onboarding pages: ``people/<id>.html`` and ``.md``, linked from the people
page and role cards, with what the model says about that person and a checklist
derived from it."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from crmorg import load
from crmorg.docs.site import build_site
from crmorg.model import Model

from .inspect_output import parse_html

REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference"


@pytest.fixture(scope="module")
def reference() -> Model:
    return load(REFERENCE)


@pytest.fixture(scope="module")
def html_en(reference: Model) -> dict[str, str]:
    return build_site(reference, fmt="html")


def _text(html: str) -> str:
    """The visible text of the page's main part."""
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_every_person_has_a_page_in_both_formats(reference: Model, html_en: dict[str, str]):
    markdown = build_site(reference, fmt="markdown")
    for person_id in reference.people:
        assert f"people/{person_id}.html" in html_en
        assert f"people/{person_id}.md" in markdown


def test_the_people_page_and_role_cards_link_to_person_pages(html_en: dict[str, str]) -> None:
    people = parse_html(html_en["people.html"])
    assert "people/liu_yang.html" in people.hrefs
    card = parse_html(html_en["roles/sales_rep.html"])
    assert "../people/liu_yang.html" in card.hrefs


def test_a_sales_reps_page_says_who_what_and_what_to_do(html_en: dict[str, str]) -> None:
    page = html_en["people/liu_yang.html"]
    text = _text(page)
    # who: roles (and the roles they bring), manager, team and its lead
    assert "Sales Representative" in text and "Employee" in text
    assert "Reports to Wang Fang" in text
    assert "East Region Sales (led by Wang Fang )" in text
    # what they may do, in the role card's sentences (own and team scopes)
    assert "can create, view and edit their own opportunities" in text
    assert "can view contacts for their team" in text
    # what they answer for, and the KPIs they are measured on (as a contributor)
    assert "Manage the sales pipeline" in text
    assert re.search(r"Opportunity win rate measured on 30%", text)
    # the checklist, derived: manager by name, the role's reach, their R items, KPIs
    assert "Meet your manager, Wang Fang ." in text
    assert "Check that your CRM account has the role Sales Representative" in text
    assert "Carry out Manage the sales pipeline yourself once" in text
    assert "Go through your first figures of Opportunity win rate against its target (30%)" in text
    assert "Review your part in Opportunity win rate with Wang Fang ." in text
    for phase in ("First week", "By day 30", "By day 60", "By day 90"):
        assert f"<h3>{phase}</h3>" in page


def test_a_manager_page_has_reports_and_owned_kpis(
    reference: Model, html_en: dict[str, str]
) -> None:
    owner = next(p for p, person in reference.people.items() if "sales_manager" in person.roles)
    text = _text(html_en[f"people/{owner}.html"])
    assert "Sales target attainment owner" in text
    assert "Meet the people who report to you" in text
    assert "which you own" in text  # review_owned, at 90 days
    assert "Answer for" in text  # an accountable responsibility


def test_every_link_on_person_pages_resolves(html_en: dict[str, str]) -> None:
    parsed = {path: parse_html(text) for path, text in html_en.items() if path.endswith(".html")}
    for path in (p for p in parsed if p.startswith("people/")):
        for href in parsed[path].hrefs:
            if href.startswith(("#", "http")):
                continue
            target, _, anchor = href.partition("#")
            resolved = str(Path(path).parent / target).replace("\\", "/")
            resolved = re.sub(r"[^/]+/\.\./", "", resolved)
            assert resolved in parsed, f"{path}: {href}"
            if anchor:
                assert anchor in parsed[resolved].ids, f"{path}: {href}"


def test_chinese_person_page_is_chinese(reference: Model) -> None:
    page = build_site(reference, fmt="html", lang="zh")["people/liu_yang.html"]
    text = _text(page)
    for phrase in ("与你的上级", "第一周", "30 天内", "你在 CRM 中可以做什么", "考核你的 KPI"):
        assert phrase in text
    for english in ("Meet your", "First week", "Reports to", "measured on"):
        assert english not in text
    # This page's own brackets are full-width; the shared target macro's "(越高越好)" is
    # the Chinese-audience work's to change.
    mine = re.sub(r"\((?:越高越好|越低越好)\)", "", text)
    assert "(" not in mine and "（负责人：" in mine


def test_hostile_names_are_escaped_on_person_pages(tmp_path: Path) -> None:
    hostile = '<img src=x onerror=alert(1)> & "q" =cmd |*x*'
    (tmp_path / "m.yaml").write_text(
        "version: 1\norganization: {name: T}\n"
        "resources: {lead: {}}\n"
        "roles:\n  rep: {name: '" + hostile + "', grants: {lead: {read: own}}}\n"
        "  boss: {}\n"
        "teams:\n  t1: {name: '" + hostile + "', lead: b}\n"
        "people:\n  a: {name: '" + hostile + "', roles: [rep], teams: [t1], reports_to: b}\n"
        "  b: {name: Boss, roles: [boss]}\n",
        encoding="utf-8",
    )
    model = load(tmp_path / "m.yaml")
    html_page = build_site(model, fmt="html")["people/a.html"]
    assert "<img" not in html_page
    assert "&lt;img src=x onerror=alert(1)&gt;" in html_page
    md_page = build_site(model, fmt="markdown")["people/a.md"]
    assert "<img" not in md_page


def test_person_pages_stay_linear(tmp_path: Path) -> None:
    """Four times the people cost about four times as long, not sixteen."""

    def model_of(people: int) -> Model:
        lines = ["version: 1", "organization: {name: O}", "resources: {lead: {}}", "roles:"]
        lines += [f"  r{i}: {{grants: {{lead: {{read: team}}}}}}" for i in range(20)]
        lines += ["teams:"] + [f"  t{i}: {{lead: p{i}}}" for i in range(20)]
        lines.append("people:")
        lines += [
            f"  p{i}: {{roles: [r{i % 20}], teams: [t{i % 20}]"
            + (f", reports_to: p{i // 4}" if i else "")
            + "}"
            for i in range(people)
        ]
        path = tmp_path / f"m{people}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return load(path)

    from crmorg.docs.context import SiteContext
    from crmorg.docs.html import HTML
    from crmorg.docs.person_pages import person_pages
    from crmorg.docs.site import SECTIONS
    from crmorg.lint.engine import Report

    def seconds(model: Model) -> float:
        ctx = SiteContext(model, Report(()), "en", HTML, SECTIONS)
        start = time.perf_counter()
        assert sum(1 for _ in person_pages(ctx)) == len(model.people)
        return time.perf_counter() - start

    small, large = model_of(300), model_of(1200)
    seconds(small)  # warm the template cache
    ratio = seconds(large) / seconds(small)
    assert ratio < 8, ratio
