"""The whole HTML handbook as one printable page: cover, contents, every page in order.

:func:`print_document` takes the pages :func:`crmorg.docs.site.build_site` made and
joins their ``<main>`` parts into one document, each a ``<section>`` that starts a new
printed page. Ids are made unique per section (``roles-admin--perm-x``) and every link
between pages becomes a link inside the document, so the PDF's contents and cross
references can be followed. The page numbers in the contents come from the caller
(:mod:`crmorg.docs.pdf` prints once, reads where each section starts, and prints again);
``marks`` puts an invisible text mark at the start of each section for that first print.

Pages come in the handbook's reading order: the pages of the navigation, then the
department pages in the department tree's order, then the role cards in the roles
section's order, then any other page (one another program added) by path.
"""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from crmorg.docs.html import stylesheet
from crmorg.docs.i18n import Translator
from crmorg.model import Model
from crmorg.text import localize

__all__ = ["MARK_PREFIX", "PrintSection", "print_document", "print_sections"]

MARK_PREFIX: Final = "crmorg-print-section-"
"""Text of the mark at the start of section ``n``: ``crmorg-print-section-0007``."""

_NAV_ORDER: Final = ("index", "roles", "people", "raci", "permissions", "kpis", "scorecard")
_LAST: Final = ("report",)
_MAIN = re.compile(r'<main id="content">\n?(.*?)</main>', re.DOTALL)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_ASIDE = re.compile(r'<span class="(?:id|badge)[^"]*">.*?</span>', re.DOTALL)
"""An id or a badge beside a page's title: left out of the contents."""
_ID = re.compile(r'(\sid=")([^"]*)"')
_HREF = re.compile(r'(\s(?:xlink:)?href=")([^"]*)"')
_URL = re.compile(r"url\(#([^)]*)\)")
_CSS_ESCAPED: Final = frozenset('"\\<>&')
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

_PRINT_CSS: Final = """
/* The printed pack (crmorg docs --pdf). */
@page { @bottom-left { content: %(org)s; font-size: 8pt; color: #4b5563; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt;
  color: #4b5563; } }
@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }
body.print-pack { background: #fff; }
body.print-pack main { max-width: none; padding: 0; }
.print-section { position: relative; }
.print-mark { position: absolute; top: 0; left: 0; font-size: 2px; color: #fff; }
.cover { min-height: 240mm; display: flex; flex-direction: column; justify-content: center;
  padding: 0 10mm; }
.cover .kicker { font-size: 11pt; text-transform: uppercase; letter-spacing: .14em;
  color: #4b5563; }
.cover h1 { font-size: 30pt; margin: .3em 0; border: none; }
.cover .summary { font-size: 12pt; color: #374151; }
ol.toc { list-style: none; padding: 0; margin: 0; }
ol.toc li { display: flex; align-items: baseline; gap: .4em; padding: .12em 0;
  break-inside: avoid; }
ol.toc li.sub { padding-left: 1.4em; font-size: .93em; }
ol.toc li .leader { flex: 1; border-bottom: 1px dotted #9ca3af; }
ol.toc li .page { font-variant-numeric: tabular-nums; min-width: 2.2em; text-align: right; }
ol.toc a { color: inherit; }
"""


@dataclass(frozen=True)
class PrintSection:
    """One page of the site in the pack: its path, its key (the section's id), its title
    (plain text) and its ``<main>`` content with ids and links rewritten."""

    path: str
    key: str
    title: str
    body: str
    level: int


def _key(path: str) -> str:
    return posixpath.splitext(path)[0].replace("/", "-")


def _order(paths: Sequence[str], model: Model) -> list[tuple[str, int]]:
    """The HTML pages in reading order, each with its level in the contents (1 or 2)."""
    pages = set(paths)
    ordered: list[tuple[str, int]] = []
    for stem in _NAV_ORDER:
        if f"{stem}.html" in pages:
            ordered.append((f"{stem}.html", 1))
    for department_id, _depth in model.org.department_order:
        if f"departments/{department_id}.html" in pages:
            ordered.append((f"departments/{department_id}.html", 2))
    for role_id in model.roles:
        if f"roles/{role_id}.html" in pages:
            ordered.append((f"roles/{role_id}.html", 2))
    taken = {path for path, _ in ordered} | {f"{stem}.html" for stem in _LAST}
    ordered += [(p, 2 if "/" in p else 1) for p in sorted(pages) if p not in taken]
    ordered += [(f"{stem}.html", 1) for stem in _LAST if f"{stem}.html" in pages]
    return ordered


_SCREEN_ONLY: Final = frozenset({"chart.html", "search.html"})
"""Pages that work only on a screen, by script (the zoomable chart, the site search)."""


def print_sections(files: Mapping[str, str], model: Model) -> list[PrintSection]:
    """The HTML pages of ``files`` (a built site) as sections of one document. A page
    without the handbook's ``<main id="content">`` (a stand-alone chart viewer, say), or
    one that works only on a screen, is left out; links to it become plain text."""
    mains = {
        path: _MAIN.search(text)
        for path, text in files.items()
        if path.endswith(".html") and path not in _SCREEN_ONLY
    }
    order = _order([path for path, found in mains.items() if found is not None], model)
    keys = {path: _key(path) for path, _ in order}
    sections = []
    for path, level in order:
        match = mains[path]
        assert match is not None
        body = match.group(1)
        heading = _H1.search(body)
        title = (
            html.unescape(_TAG.sub("", _ASIDE.sub("", heading.group(1)))).strip()
            if heading
            else path
        )
        sections.append(PrintSection(path, keys[path], title, _rebase(body, path, keys), level))
    return sections


def _rebase(body: str, path: str, keys: Mapping[str, str]) -> str:
    """``body`` of page ``path`` with its ids prefixed by its key, and its links to pages
    of the pack turned into links to their sections."""
    own = keys[path]
    folder = posixpath.dirname(path)

    def target(href: str) -> str | None:
        if not href or _EXTERNAL.match(href):
            return href
        page, _, fragment = href.partition("#")
        if not page:
            return f"#{own}--{fragment}"
        resolved = posixpath.normpath(posixpath.join(folder, page))
        key = keys.get(resolved)
        if key is None:
            return None  # a file outside the pack (a chart's SVG): plain text in print
        return f"#{key}--{fragment}" if fragment else f"#{key}"

    def link(match: re.Match[str]) -> str:
        new = target(html.unescape(match.group(2)))
        if new is None:
            return ""
        return f'{match.group(1)}{html.escape(new, quote=True)}"'

    body = _ID.sub(lambda m: f'{m.group(1)}{own}--{m.group(2)}"', body)
    body = _HREF.sub(link, body)
    return _URL.sub(lambda m: f"url(#{own}--{m.group(1)})", body)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the style element."""
    out = ['"']
    for char in text:
        if char in _CSS_ESCAPED or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def print_document(
    sections: Sequence[PrintSection],
    model: Model,
    lang: str,
    pages: Mapping[str, int] | None = None,
    *,
    marks: bool = False,
) -> str:
    """The pack as one HTML document; ``pages`` maps section keys to their first page
    (unknown numbers print as ``000``, which takes the room a real one will)."""
    t = Translator(lang)
    org = model.organization
    org_name = localize(org.name, lang) if org is not None else ""
    esc = html.escape
    summary = t(
        "pdf.summary",
        roles=len(model.roles),
        departments=len(model.departments),
        people=len(model.people),
    )
    toc = []
    for section in sections:
        number = (pages or {}).get(section.key)
        shown = str(number) if number is not None else "000"
        css_class = ' class="sub"' if section.level > 1 else ""
        toc.append(
            f'<li{css_class}><a href="#{section.key}">{esc(section.title)}</a>'
            f'<span class="leader"></span><span class="page">{shown}</span></li>'
        )
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">',
        '<head>\n<meta charset="utf-8">\n<meta name="generator" content="crmorg">',
        f"<title>{esc(t('pdf.title', org=org_name))}</title>",
        "<style>",
        stylesheet(),
        _PRINT_CSS % {"org": css_string(org_name)},
        "</style>\n</head>",
        '<body class="print-pack">\n<main id="content">',
        '<section class="cover" id="cover">',
        f'<div class="kicker">{esc(t("handbook"))}</div>',
        f"<h1>{esc(org_name)}</h1>",
        f'<p class="summary">{esc(summary)}</p>',
        "</section>",
        '<section class="print-section" id="contents">',
        f"<h1>{esc(t('pdf.contents'))}</h1>",
        '<ol class="toc">',
        *toc,
        "</ol>\n</section>",
    ]
    for number, section in enumerate(sections, start=1):
        mark = f'<span class="print-mark">{MARK_PREFIX}{number:04d}</span>' if marks else ""
        parts.append(
            f'<section class="print-section" id="{section.key}">{mark}\n{section.body}</section>'
        )
    parts.append("</main>\n</body>\n</html>\n")
    return "\n".join(parts)
