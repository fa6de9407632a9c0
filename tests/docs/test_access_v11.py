"""The handbook speaks format v1.1 access: baselines, the reporting line (subordinates),
sharing rules, restricted fields and abstract roles, in English and Chinese.

Uses ``fixtures/v11`` (every construct once); the goldens of its permission page and a
role card are in ``golden/v11-*`` (regenerate with ``CRMORG_UPDATE_GOLDEN=1``).
"""

from __future__ import annotations

import re

import pytest

from crmorg.api import load
from crmorg.docs.site import build_site
from crmorg.lint.engine import Report
from crmorg.model import Model

from .conftest import GOLDEN_DIR, HERE, UPDATE_GOLDEN
from .hostile import hostile
from .inspect_output import markdown_to_html, parse_html, squash

V11_MODEL = HERE / "fixtures" / "v11"
_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)
"""The stylesheet is the same on every page; the 1.0 goldens hold it."""
GOLDEN_PAGES = ("permissions", "roles/sales_manager")
"""The pages that hold most of v1.1; the tests below check the other pages' words."""


@pytest.fixture(scope="module")
def v11_model() -> Model:
    return load(V11_MODEL)


def _pages(model: Model, fmt: str, lang: str) -> dict[str, str]:
    """The site's pages as plain text (Markdown rendered first), whitespace squashed."""
    files = build_site(model, fmt=fmt, lang=lang, report=Report(()))
    return {
        path.rsplit(".", 1)[0]: squash(
            parse_html(text if fmt == "html" else markdown_to_html(text)).text
        )
        for path, text in files.items()
        if not path.endswith(".svg")
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_golden_v11_pages(v11_model: Model, fmt: str, lang: str) -> None:
    files = build_site(v11_model, fmt=fmt, lang=lang, report=Report(()))
    extension = ".html" if fmt == "html" else ".md"
    directory = GOLDEN_DIR / f"v11-{fmt}-{lang}"
    for page in GOLDEN_PAGES:
        golden = directory / f"{page}{extension}"
        text = _STYLE.sub(
            "<style>/* see tests/docs/golden/html-* */</style>", files[page + extension]
        )
        if UPDATE_GOLDEN:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(text.encode("utf-8"))
            continue
        assert text == golden.read_bytes().decode("utf-8"), (
            f"v11-{fmt}-{lang}/{page}{extension} differs from its golden file; if intended, "
            "regenerate with CRMORG_UPDATE_GOLDEN=1 and review the diff"
        )


# What each language says, in every format ----------------------------------------------
ENGLISH = {
    "permissions": [
        # the baseline, said on the resource
        "Baseline: Everyone who may view opportunities at all can view all opportunities "
        "across the organization.",
        # who has it, marked as the baseline's
        "Sales Representative (organization) (baseline)",
        # hierarchy
        "Sales Manager (subordinates)",
        # sharing rules, each with its parts
        "Sharing rules",
        "East deals to support",
        "Support follows up on East Sales deals.",
        "Owned by: team East Sales",
        "Shared with: role Support Agent",
        # fields: an unrestricted one follows the record, a restricted one names its roles
        "Amount amount follows the record",
        "Margin margin · Restricted",
        "Edit: Director",
        "Read: Sales Manager",
        "Card number card_number · Restricted",
    ],
    "roles/sales_manager": [
        "can view all opportunities across the organization — from the record type's baseline",
        "can edit and delete their own opportunities and those of the people who report to them",
        "Baseline: Everyone who may view opportunities at all",
        "Restricted fields",
        "Margin margin Opportunity Read",
    ],
    "roles/staff": [
        "Building block",
        "A building block: other roles inherit it, and nobody holds it directly.",
        "Margin margin Opportunity Hidden",
    ],
    "roles/support_agent": ["Records shared with it East deals to support"],
    "roles/director": [
        "May give people these roles Sales Representative, Sales Manager, Support Agent",
        "Margin margin Opportunity Edit",
        "Card number card_number Payment Read",
    ],
    "roles": ["Building block"],
}
CHINESE = {
    "permissions": [
        "凡有查看销售机会权限者，均可查看全公司的销售机会。",
        "销售代表 (全公司) （基线）",
        "销售经理 (本人及下属)",
        "共享规则",
        "华东商机共享给客服",
        "客服跟进华东销售组的商机。",
        "记录负责人：团队 华东销售组",
        "共享给：角色 客服专员",
        "随记录权限",
        "毛利率 margin · 受限",
        "编辑：总经理",
        "查看：销售经理",
    ],
    "roles/sales_manager": [
        "可查看全公司的销售机会 — 来自该记录类型的基线权限",
        "可编辑、删除本人及下属的销售机会",
        "受限字段",
        "毛利率 margin 销售机会 查看",
    ],
    "roles/staff": [
        "基础角色模块",
        "供其他角色继承，不直接分配给任何人",
        "毛利率 margin 销售机会 隐藏",
    ],
    "roles/support_agent": ["共享给本角色的记录 华东商机共享给客服"],
    "roles/director": [
        "可为他人分配的角色 销售代表、销售经理、客服专员",
        "银行卡号 card_number 收款 查看",
    ],
    "roles": ["基础角色模块"],
}


@pytest.mark.parametrize(("lang", "expected"), [("en", ENGLISH), ("zh", CHINESE)])
@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_the_handbook_says_v11_access(
    v11_model: Model, fmt: str, lang: str, expected: dict[str, list[str]]
) -> None:
    pages = _pages(v11_model, fmt, lang)
    for page, sentences in expected.items():
        for sentence in sentences:
            assert _plain(sentence) in _plain(pages[page]), f"{fmt}-{lang} {page}: {sentence!r}"


def _plain(text: str) -> str:
    """Words only: HTML lists facts and badges without the colons and dots Markdown has."""
    return squash(re.sub(r"[:：·()（）]", " ", text))


def test_the_sharing_rule_has_its_anchor_and_links_reach_it(v11_model: Model) -> None:
    for fmt, extension in (("html", ".html"), ("markdown", ".md")):
        files = build_site(v11_model, fmt=fmt, report=Report(()))
        assert 'id="sharing-east_deals_to_support"' in files[f"permissions{extension}"]
        card = files[f"roles/support_agent{extension}"]
        assert f"../permissions{extension}#sharing-east_deals_to_support" in card


def test_the_scope_legend_lists_the_scopes_the_model_uses(v11_model: Model) -> None:
    legend = _pages(v11_model, "markdown", "en")["permissions"].split("| Role |")[0]
    assert "subord.: their own and their reports' records" in legend
    assert "own: records they own" in legend and "org.: every record" in legend
    assert "team:" not in legend and "dept.:" not in legend  # no grant at either


def test_a_1_0_model_says_nothing_of_v11(small_model: Model) -> None:
    for lang in ("en", "zh"):
        files = build_site(small_model, fmt="markdown", lang=lang, report=Report(()))
        everything = "\n".join(files.values())
        for word in ("subord", "本人及下属", "baseline", "基线", "sharing-", "共享规则", "受限"):
            assert word not in everything, (lang, word)


def test_an_abstract_role_is_never_vacant(v11_model: Model) -> None:
    pages = _pages(v11_model, "html", "en")
    assert "Vacant" not in pages["roles/staff"]


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_hostile_v11_text_is_shown_literally_where_it_belongs(
    hostile_model: Model, fmt: str
) -> None:
    files = build_site(hostile_model, fmt=fmt)
    page = files[f"permissions.{'html' if fmt == 'html' else 'md'}"]
    parsed = parse_html(page if fmt == "html" else markdown_to_html(page))
    assert "script" not in parsed.elements and "img" not in parsed.elements
    text = squash(parsed.text)
    sharing = text.split("Sharing rules", 1)[1]
    for shown in (hostile(3), hostile(6).split("\n")[0]):  # the rule's name, description
        assert squash(shown) in sharing, shown
    fields = text.split("Who may read or edit it", 1)[1]
    for shown in (hostile(2), hostile(4).split("\n")[0], hostile(5)):  # field names, texts
        assert squash(shown) in fields, shown
    assert "{{ 7*7 }}" in text and "49" not in text
