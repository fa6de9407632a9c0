"""The Chinese handbook is Chinese: no English interface word, no half-width punctuation
beside Chinese text, on any page, in HTML and in Markdown.

What counts as English: every ASCII word of three letters or more in a page's visible
text (tags, scripts and styles stripped; SVG text kept, it is visible) that is not text
of the model itself. Model text (names, descriptions, ids, waiver reasons, file paths)
is what the client wrote, in whatever language; it is collected from the model's YAML
(the Chinese value of a bilingual text, else the one given) and cut out of the page
first, as whole strings. What remains is crmorg's own wording, and the only Latin
words allowed there are the acronyms Chinese business text writes as they are
(``ALLOWED``). This is stricter than a word list taken from the English catalog: it
also catches English that never was in a catalog (rule messages, chart legends drawn
by code, units).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from crmorg.api import load
from crmorg.catalogs import LANGUAGES
from crmorg.docs.scorecard import scorecard_section
from crmorg.docs.site import build_site
from crmorg.lint.registry import all_rules, engine_rules
from crmorg.loading.metric_data import read_metric_data

from .hostile import write_hostile_model
from .inspect_output import MERMAID_BLOCK, markdown_to_html, parse_html

REFERENCE = Path(__file__).parents[2] / "examples" / "reference"
METRICS = REFERENCE.parent / "reference-metrics.csv"

ALLOWED = frozenset({"CRM", "KPI", "RACI", "crmorg", "JavaScript"})  # names Chinese text keeps
"""Latin words a Chinese page may use: acronyms written as they are, and the tool's name."""

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_HALF_WIDTH = re.compile(rf"{_CJK}\s?[(:,;]|[(:,;]\s?{_CJK}|{_CJK}\s?\)|\)\s?{_CJK}")
_READ_ATTRIBUTES = frozenset({"title", "aria-label", "alt"})
_SCRIPT_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)


def _shown(value: Any) -> Iterator[str]:
    """Every string of the model as a Chinese page may show it."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        texts = all(isinstance(v, str) for v in value.values())
        if value and set(value) <= set(LANGUAGES) and texts:
            yield value.get("zh", value.get("en", ""))
            yield from value.values()  # the English one where a page falls back to it
            return
        for key, item in value.items():
            yield str(key)
            yield from _shown(item)
    elif isinstance(value, list):
        for item in value:
            yield from _shown(item)


def model_strings(root: Path) -> list[str]:
    """The model's own text and its file paths (``root``: a directory or one file), and
    the rules' names and codes (identifiers, like model ids), longest first."""
    found: set[str] = set()
    for rule in {**engine_rules(), **all_rules()}.values():
        found.update((rule.info.name, rule.info.code))
    base = root if root.is_dir() else root.parent
    for path in sorted(root.rglob("*.yaml")) if root.is_dir() else [root]:
        found.add(path.relative_to(base).as_posix())
        found.update(_shown(yaml.safe_load(path.read_text(encoding="utf-8"))))
    pieces: set[str] = set()
    for text in found:
        pieces.add(text.strip())
        pieces.update(line.strip() for line in text.splitlines())  # multi-line text
    return sorted((p for p in pieces if p), key=lambda p: (-len(p), p))


def _cutter(strings: Iterable[str]) -> re.Pattern[str]:
    """One pattern for all the strings, each as a whole word where it starts or ends
    with a letter (``rep`` is not cut out of ``report``)."""

    def whole(text: str) -> str:
        before = r"(?<![A-Za-z0-9_])" if re.match(r"\w", text[0]) else ""
        after = r"(?![A-Za-z0-9_])" if re.match(r"\w", text[-1]) else ""
        # Any run of spaces may be a wrapped line's break and indent in Markdown.
        return before + r"\s+".join(re.escape(part) for part in text.split()) + after

    return re.compile("|".join(whole(s) for s in strings if s.strip()))


def visible_text(path: str, content: str) -> str:
    if path.endswith(".md"):
        content = markdown_to_html(MERMAID_BLOCK.sub("", content))
    content = content.replace("</tspan>", "</tspan>\n")  # an SVG label's lines
    parsed = parse_html(_SCRIPT_STYLE.sub(" ", content))
    # Tooltips and labels for screen readers are read too.
    said = [value or "" for _, name, value in parsed.attributes if name in _READ_ATTRIBUTES]
    return "\n".join([parsed.text, *said])


def _keep_edges(match: re.Match[str]) -> str:
    """A cut-out model string leaves its Chinese edge characters behind, so that a
    half-width mark crmorg puts beside a Chinese name ("王芳, 李娜") is still seen."""
    text = match.group()
    first = text[0] if re.match(_CJK, text[0]) else ""
    last = text[-1] if re.match(_CJK, text[-1]) else ""
    return f" {first}\x00{last} "


def problems(files: dict[str, str], cut: re.Pattern[str]) -> list[str]:
    """``page: what`` for every English word and half-width mark left on the pages."""
    found = []
    for path, content in files.items():
        if path.endswith(".js"):
            continue  # the search index: the titles of the pages checked here, as data
        text = cut.sub(_keep_edges, visible_text(path, content))
        english = sorted({w for w in _WORD.findall(text) if len(w) >= 3 and w not in ALLOWED})
        if english:
            found.append(f"{path}: English {english[:12]}")
        marks = sorted({m.group() for m in _HALF_WIDTH.finditer(text)})
        if marks:
            found.append(f"{path}: half-width {marks[:12]}")
    return found


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(write_hostile_model(tmp_path_factory.mktemp("hostile-zh")))


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_reference_handbook_in_chinese_has_no_english(fmt: str) -> None:
    """Every page, the KPI scorecard of the reference data too (its notes, units)."""
    model = load(REFERENCE)
    data = read_metric_data(METRICS, model.metrics).data
    files = build_site(model, fmt=fmt, lang="zh", extra_sections=[scorecard_section(data)])
    assert any(path.startswith("scorecard.") for path in files)
    strings = [*model_strings(REFERENCE), str(data.source), METRICS.name]
    assert problems(files, _cutter(strings)) == []


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_hostile_handbook_in_chinese_has_no_english(fmt: str, hostile_root: Path) -> None:
    files = build_site(load(hostile_root), fmt=fmt, lang="zh")
    assert problems(files, _cutter(model_strings(hostile_root))) == []


def test_the_check_finds_english_and_half_width_marks() -> None:
    """The check itself: an English word or a half-width bracket beside Chinese fails."""
    cut = _cutter(["sales_rep", "Sales Rep"])
    page = "<p>销售代表 (Sales Rep) 可 read 报价单: sales_rep</p><style>.x{color:red}</style>"
    found = problems({"roles/x.html": page}, cut)
    assert found == [
        "roles/x.html: English ['read']",
        "roles/x.html: half-width [') 可', '单:', '表 (']",
    ]
    assert problems({"ok.html": "<p>销售代表（Sales Rep）可查看报价单：sales_rep</p>"}, cut) == []
    names = _cutter(["王芳", "James Miller"])  # a mark beside a Chinese name counts too
    assert problems({"a.html": "<p>王芳, James Miller</p>"}, names) == [
        "a.html: half-width ['芳 ,']"
    ]
    assert problems({"a.html": "<p>王芳、James Miller</p>"}, names) == []
