"""``crmorg docs --pdf``: the PDF pack printed by headless Chromium, read back with
poppler (``pdftotext``, ``pdfinfo``): every role and record type, the contents and
their page numbers, the footer's page numbers, landscape matrix pages, fixed dates."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import crmorg
from crmorg.cli.main import main
from crmorg.docs.context import Names
from crmorg.docs.pdf import _print, chromium_binary, handbook_pdf, normalise_pdf, page_texts
from crmorg.docs.print_page import MARK_PREFIX, css_string, print_document, print_sections
from crmorg.docs.site import build_site
from crmorg.lint.engine import Report

from .conftest import SKIP_RENDER, SMALL_MODEL

REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference"
_TOC_LINE = re.compile(r"^\s*(\S.*?)\s{2,}(\d+)\s*$")


def _require_poppler_and_chromium() -> None:
    missing = [
        name
        for name, found in (
            ("chromium (apt-get install chromium)", chromium_binary()),
            ("pdftotext (apt-get install poppler-utils)", shutil.which("pdftotext")),
            ("pdfinfo (apt-get install poppler-utils)", shutil.which("pdfinfo")),
        )
        if found is None
    ]
    if not missing:
        return
    message = "real renderer(s) missing: " + "; ".join(missing)
    if SKIP_RENDER:
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "10000", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (float(w), float(h))
        for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)
    ]


def _raw_text(pdf: Path, page: int) -> str:
    """One page's text in reading order (a header cell's wrapped lines kept together)."""
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The reference handbook's pack, written by the command line with the site."""
    _require_poppler_and_chromium()
    folder = tmp_path_factory.mktemp("pdf-en")
    pdf = folder / "handbook.pdf"
    assert main(["docs", str(REFERENCE), "--out", str(folder / "site"), "--pdf", str(pdf)]) == 0
    assert (folder / "site" / "index.html").is_file()
    return pdf, page_texts(pdf)


@pytest.fixture(scope="module")
def chinese(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    _require_poppler_and_chromium()
    pdf = tmp_path_factory.mktemp("pdf-zh") / "handbook.pdf"
    pdf.write_bytes(handbook_pdf(crmorg.load(SMALL_MODEL), lang="zh"))
    return pdf, page_texts(pdf)


@pytest.mark.render
def test_every_role_and_record_type_is_in_the_pack(english: tuple[Path, list[str]]) -> None:
    model = crmorg.load(REFERENCE)
    names = Names(model, "en")
    text = _flat("\n".join(english[1]))
    missing_roles = [r for r in model.roles if _flat(names.role(r)) not in text]
    missing_resources = [r for r in model.resources if _flat(names.resource(r)) not in text]
    assert missing_roles == []
    assert missing_resources == []
    for department in model.departments:
        assert _flat(names.department(department)) in text


def _contents(texts: list[str], heading: str) -> list[tuple[str, int]]:
    """(title, page) of each line of the contents: the pages from ``heading`` up to the
    page the first entry names (each page's footer, ``n / total``, left out)."""
    start = next(i for i, page in enumerate(texts) if page.strip().startswith(heading))
    entries: list[tuple[str, int]] = []
    end = len(texts)
    index = start
    while index < end:
        for line in texts[index].splitlines():
            match = _TOC_LINE.match(line)
            if match and "/" not in line:
                entries.append((match.group(1).strip(), int(match.group(2))))
        if entries:
            end = min(end, entries[0][1] - 1)
        index += 1
    return entries


@pytest.mark.render
def test_the_contents_give_each_page_its_number(english: tuple[Path, list[str]]) -> None:
    texts = english[1]
    assert texts[1].strip().startswith("Contents")
    entries = _contents(texts, "Contents")
    model = crmorg.load(REFERENCE)
    # the navigation pages, every department and every role card
    assert len(entries) >= 6 + len(model.departments) + len(model.roles)
    numbers = [n for _, n in entries]
    assert numbers == sorted(numbers)  # in reading order
    assert all(2 < n <= len(texts) for n in numbers)
    for title, number in entries:
        page = _flat(texts[number - 1])
        assert _flat(title)[:20] in page, (title, number)


@pytest.mark.render
def test_every_page_but_the_cover_shows_its_number(english: tuple[Path, list[str]]) -> None:
    texts = english[1]
    total = len(texts)
    assert total > 50
    assert f"/ {total}" not in texts[0]
    assert not any(MARK_PREFIX in page for page in texts)  # the first print's marks are gone
    for number, page in enumerate(texts[1:], start=2):
        assert re.search(rf"\b{number} / {total}\s*$", page.rstrip()), number


@pytest.mark.render
def test_matrix_pages_are_landscape(english: tuple[Path, list[str]]) -> None:
    pdf, texts = english
    sizes = _page_sizes(pdf)
    assert len(sizes) == len(texts)
    landscape = {i for i, (w, h) in enumerate(sizes) if w > h}
    assert landscape, "no landscape page"
    matrix_pages = [i for i, t in enumerate(texts) if "Record types" in t and "(table" in t]
    assert len(matrix_pages) >= 4  # the permission matrix in four tables
    assert set(matrix_pages) <= landscape
    # a table running over pages repeats its header row on each
    continued = [i for i in range(matrix_pages[0], matrix_pages[-1] + 1) if i not in matrix_pages]
    assert continued, "no permission table runs over a page"
    for i in range(matrix_pages[0], matrix_pages[-1] + 1):
        assert i in landscape
        assert re.search(r"^\s*Role\s{2,}", texts[i], re.M), f"no header row on page {i + 1}"
    raci = next(i for i, t in enumerate(texts) if t.lstrip().startswith("RACI matrix"))
    assert raci in landscape
    assert 0 not in landscape and 1 not in landscape  # cover and contents: portrait
    assert len(landscape) < len(texts) / 4
    # every column prints: each record type heads a column on the matrix pages
    model = crmorg.load(REFERENCE)
    names = Names(model, "en")
    # (a long name wraps inside its header cell, beside its neighbours' lines: each of
    # its words is looked for)
    printed = set("\n".join(_raw_text(pdf, i + 1) for i in matrix_pages).split())
    missing = [r for r in model.resources if not set(names.resource(r).split()) <= printed]
    assert missing == []


@pytest.mark.render
def test_the_pack_in_chinese(chinese: tuple[Path, list[str]]) -> None:
    pdf, texts = chinese
    model = crmorg.load(SMALL_MODEL)
    names = Names(model, "zh")
    text = _flat("\n".join(texts))
    assert "莲花茶业" in texts[0]
    assert texts[1].strip().startswith("目录")
    assert [r for r in model.roles if _flat(names.role(r)) not in text] == []
    assert [r for r in model.resources if _flat(names.resource(r)) not in text] == []
    entries = _contents(texts, "目录")
    assert len(entries) >= len(model.roles)
    data = pdf.read_bytes()
    assert b"(D:19800101000000" in data
    assert not re.search(rb"\(D:(?!19800101000000)\d{14}", data)


@pytest.mark.render
def test_two_prints_are_byte_identical_once_normalised(tmp_path: Path) -> None:
    _require_poppler_and_chromium()
    chromium = chromium_binary()
    assert chromium is not None
    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html><meta charset=utf-8><style>@page matrix { size: A4 landscape }"
        " .m { page: matrix }</style><p>下 上 Hello</p><p class=m>wide</p>",
        encoding="utf-8",
    )
    prints = []
    for run in range(2):
        pdf = tmp_path / f"{run}.pdf"
        _print(chromium, page, pdf, tmp_path / f"profile{run}")
        prints.append(pdf.read_bytes())
    assert normalise_pdf(prints[0]) == normalise_pdf(prints[1])
    assert len(normalise_pdf(prints[0])) == len(prints[0])  # offsets stay right


def test_normalising_keeps_the_length_of_every_date() -> None:
    data = b"<< /CreationDate (D:20261207170225+05'30') /ModDate (D:20261207170225Z) >>"
    fixed = normalise_pdf(data)
    assert fixed == b"<< /CreationDate (D:19800101000000+00'00') /ModDate (D:19800101000000Z) >>"
    assert len(fixed) == len(data)


def test_without_chromium_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    pdf, site = tmp_path / "h.pdf", tmp_path / "site"
    args = ["docs", str(SMALL_MODEL), "--out", str(site), "--pdf", str(pdf)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "apt-get install chromium" in err
    assert "poppler-utils" in err
    assert not pdf.exists()
    assert not site.exists()  # nothing partial: the site waits for the PDF


def test_the_print_document_links_inside_itself() -> None:
    model = crmorg.load(SMALL_MODEL)
    files = build_site(model, report=Report(()))
    sections = print_sections(files, model)
    paths = [s.path for s in sections]
    assert paths[:3] == ["index.html", "roles.html", "people.html"]
    assert paths[-1] == "report.html"
    screen_only = {"chart.html", "search.html"}  # zoom and search work only on a screen
    assert screen_only <= set(files)
    assert sorted(paths) == sorted(p for p in files if p.endswith(".html") and p not in screen_only)
    document = print_document(sections, model, "en", {s.key: 3 for s in sections})
    ids = re.findall(r'\sid="([^"]*)"', document)
    assert len(ids) == len(set(ids))  # unique across the pages
    targets = set(ids)
    for href in re.findall(r'\shref="#([^"]*)"', document):
        assert href in targets, href
    assert not re.search(r'href="(?![#]|https?:|mailto:)[^"]+"', document)


def test_css_strings_cannot_escape() -> None:
    hostile = 'a"b\\c</style><script>x</script>\n\u202e'
    quoted = css_string(hostile)
    assert quoted.startswith('"') and quoted.endswith('"')
    inner = quoted[1:-1]
    assert '"' not in inner and "<" not in inner and "\n" not in inner and "\u202e" not in inner


def test_hostile_names_stay_text_in_the_print_document(hostile_model: crmorg.Model) -> None:
    files = build_site(hostile_model, report=Report(()))
    sections = print_sections(files, hostile_model)
    for lang in ("en", "zh"):
        document = print_document(sections, hostile_model, lang, marks=True)
        body = document.split("</style>", 1)[1]
        assert "<script" not in body.lower()
        assert "<img" not in body.lower()
        assert "&lt;script&gt;alert(&#x27;org&#x27;)&lt;/script&gt;" in body  # the cover
        style = document.split("<style>", 1)[1].split("</style>", 1)[0]
        assert "</" not in style and "<script" not in style  # the footer's CSS string


def test_a_page_outside_the_handbook_layout_is_left_out() -> None:
    model = crmorg.load(SMALL_MODEL)
    files = dict(build_site(model, report=Report(())))
    files["charts/viewer.html"] = "<!DOCTYPE html><html><body><svg id='x'></svg></body></html>"
    files["index.html"] = files["index.html"].replace(
        "</main>", '<a href="charts/viewer.html">viewer</a></main>'
    )
    sections = print_sections(files, model)
    assert "charts/viewer.html" not in [s.path for s in sections]
    index = next(s for s in sections if s.path == "index.html")
    assert "<a>viewer</a>" in index.body  # the link is plain text in print
