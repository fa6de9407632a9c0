"""What page builders work with: the site context, names, links and pages.

A page builder (see :data:`crmorg.docs.site.SECTIONS`) receives a
:class:`SiteContext` and yields :class:`Page` objects, usually through
:meth:`SiteContext.render`, which gives every template the same variables: ``t``
(interface text), ``n`` (display names), ``link`` (links from that page), ``fmt``,
``lang``, ``title``, ``org_name``, ``nav``, ``css`` and ``home``.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment

from crmorg.charts.tree import Chart
from crmorg.charts.views import ChartView, build_chart
from crmorg.docs.history import ModelHistory, Stamp
from crmorg.docs.html import stylesheet
from crmorg.docs.i18n import Translator
from crmorg.docs.indexes import SiteIndex
from crmorg.lint.engine import Report
from crmorg.model import Model
from crmorg.sections import MAPPING, SECTIONS
from crmorg.sections import Section as ModelSection
from crmorg.text import localize

__all__ = [
    "Links",
    "Names",
    "NavEntry",
    "Page",
    "PageBuilder",
    "Progress",
    "Section",
    "SiteContext",
    "SiteFormat",
]

Progress = Callable[[str, int, int], None]
"""``(stage, done, total)``; stage is ``"render"`` (sections), ``"write"`` (files) or
``"print"`` (the passes of the PDF pack, :mod:`crmorg.docs.pdf`)."""


class SiteFormat(Protocol):
    """An output format of the handbook (``html.py``, ``markdown.py``)."""

    name: str
    extension: str
    """The pages' file ending; a page's template is ``<page><extension>.j2``."""

    def environment(self) -> Environment: ...

    def escape(self, text: str) -> str: ...

    def safe(self, text: str) -> str: ...

    def link(self, text: str, href: str, css_class: str = "") -> str: ...

    def chart(self, chart: Chart, links: Mapping[str, str] | None = None) -> str: ...


@dataclass(frozen=True)
class Page:
    """One generated file: a path relative to the site root, and its text."""

    path: str
    content: str


_SECTIONS_BY_ITEM: Mapping[str, ModelSection] = {s.item: s for s in SECTIONS if s.item}
"""The kinds of model item (``role``, ``kpi``, ...): the sections' entries."""


class Names:
    """Display names in one language, the id where the model gives no name.

    ``n.role(id)``, ``n.kpi(id)``, ...: one per kind of item that ``crmorg.sections``
    declares, each :meth:`of` that kind.
    """

    def __init__(self, model: Model, lang: str) -> None:
        self.model = model
        self.lang = lang

    def of(self, kind: str, item_id: str) -> str:
        """The display name of the item of ``kind`` with id ``item_id``."""
        declared = _SECTIONS_BY_ITEM[kind]
        entries = getattr(self.model.document, declared.key)
        if declared.shape == MAPPING:
            item = entries.get(item_id)
        else:
            item = next((e for e in entries if getattr(e, "id", e) == item_id), None)
        return localize(getattr(item, "name", None), self.lang, item_id)

    def __getattr__(self, kind: str) -> Callable[[str], str]:
        if kind not in _SECTIONS_BY_ITEM:
            raise AttributeError(kind)
        name = partial(self.of, kind)
        setattr(self, kind, name)  # found directly from now on
        return name

    @property
    def organization(self) -> str:
        org = self.model.organization
        return localize(org.name, self.lang) if org is not None else ""

    def text(self, value: Any) -> str:
        """Any localisable model text (a description, a title)."""
        return localize(value, self.lang)


# Where each kind of model item is shown: (page stem, anchor prefix or None), the most
# specific kind first (a finding's subject links to each kind that has its id, so).
_TARGETS: dict[str, tuple[str, str | None]] = {
    "constraint": ("permissions", "constraint-"),
    "responsibility": ("raci", "resp-"),
    "kpi": ("kpis", "kpi-"),
    "role": ("roles/{id}", None),
    "person": ("people/{id}", None),
    "team": ("people", "team-"),
    "department": ("departments/{id}", None),
    "resource": ("permissions", "resource-"),
    "metric": ("kpis", "metric-"),
    "sharing_rule": ("permissions", "sharing-"),
    "process": ("processes/{id}", None),
}


@lru_cache(maxsize=65536)
def _relative(target: str, here: str) -> str:
    """``target`` relative to the directory ``here``: every page of a directory links to
    the same few pages, and ``posixpath.relpath`` is slow enough to show at 10,000."""
    return posixpath.relpath(target, here)


@dataclass(frozen=True)
class NavEntry:
    label: str
    href: str
    active: bool


class Links:
    """Links from one page (``stem``, e.g. ``roles/sales_rep``) to the rest of the site."""

    def __init__(self, ctx: SiteContext, stem: str) -> None:
        self.ctx = ctx
        self.stem = stem

    def url(self, stem: str, anchor: str | None = None) -> str:
        """The relative URL of page ``stem`` (optionally an anchor on it) from here."""
        target = stem + self.ctx.fmt.extension
        relative = _relative(target, posixpath.dirname(self.stem) or ".")
        if anchor is not None:
            return f"{relative}#{anchor}" if stem != self.stem else f"#{anchor}"
        return relative

    def to(self, kind: str, item_id: str, label: str | None = None, css_class: str = "") -> str:
        """A link to a model item of ``kind``; plain text where it has no page."""
        text = label if label is not None else self.ctx.names.of(kind, item_id)
        if kind not in _TARGETS or not self.ctx.exists(kind, item_id):
            return self.ctx.fmt.escape(text)
        stem_pattern, prefix = _TARGETS[kind]
        stem = stem_pattern.format(id=item_id)
        anchor = f"{prefix}{item_id}" if prefix is not None else None
        return self.ctx.fmt.link(text, self.url(stem, anchor), css_class)

    def __getattr__(self, kind: str) -> Callable[[str], str]:
        """``link.role(id)``, ``link.kpi(id)``, ...: :meth:`to` each kind of item."""
        if kind not in _SECTIONS_BY_ITEM:
            raise AttributeError(kind)
        link = partial(self.to, kind)
        setattr(self, kind, link)
        return link

    def subject(self, item_id: str) -> list[str]:
        """Links to everything a finding's subject id may be (usually one thing)."""
        kinds = self.ctx.kinds_of(item_id)
        if not kinds:
            return [self.ctx.fmt.escape(item_id)]
        return [self.to(kind, item_id) for kind in kinds]

    def page(self, stem: str, label: str, anchor: str | None = None) -> str:
        return self.ctx.fmt.link(label, self.url(stem, anchor))


@dataclass
class SiteContext:
    """Everything a page builder needs: the model, its report, language and format."""

    model: Model
    report: Report
    lang: str
    fmt: SiteFormat
    sections: tuple[Section, ...] = ()
    audience: str = "internal"
    """``internal`` (the modellers: findings, rule ids, file positions) or ``client``."""
    stamp: Stamp | None = None
    """What every page says about itself (a client handbook's "prepared for" line)."""
    history: ModelHistory | None = None
    """The model's git history, for the change log; None outside git."""
    t: Translator = field(init=False)
    names: Names = field(init=False)

    def __post_init__(self) -> None:
        self.t = Translator(self.lang)
        self.names = Names(self.model, self.lang)
        self._charts: dict[tuple[str, str | None], Chart | None] = {}
        self._section_ids: dict[str, Container[str]] = {}

    @cached_property
    def index(self) -> SiteIndex:
        """The per-item lookups every page reads (built once, not scanned per page)."""
        return SiteIndex(self.model, tuple(self.report.findings))

    @cached_property
    def env(self) -> Environment:
        return self.fmt.environment()

    def exists(self, kind: str, item_id: str) -> bool:
        """Whether the model has this item (and so the site a page or an anchor for it)."""
        return item_id in self._ids(_SECTIONS_BY_ITEM[kind])

    def _ids(self, declared: ModelSection) -> Container[str]:
        ids = self._section_ids.get(declared.key)
        if ids is None:
            entries = getattr(self.model.document, declared.key)
            if declared.shape == MAPPING:
                ids = entries
            else:
                ids = frozenset(getattr(entry, "id", entry) for entry in entries)
            self._section_ids[declared.key] = ids
        return ids

    def kinds_of(self, item_id: str) -> list[str]:
        """Every kind of model item that has ``item_id``, most specific first."""
        return [kind for kind in _TARGETS if self.exists(kind, item_id)]

    @property
    def for_client(self) -> bool:
        """A client handbook: no findings, rule ids or file positions."""
        return self.audience == "client"

    def stamp_line(self) -> str:
        """The stamp as one line of plain text ("" without a stamp)."""
        stamp = self.stamp
        if stamp is None:
            return ""
        prepared = (
            self.t("stamp.prepared_for", company=stamp.company)
            if stamp.company.strip()
            else self.t("stamp.prepared")
        )
        parts = [prepared, stamp.date]
        if stamp.revision is not None:
            revision = self.t("stamp.revision", revision=stamp.revision)
            parts.append(revision + (self.t("stamp.dirty") if stamp.dirty else ""))
        parts.append(self.t("stamp.version", version=stamp.version))
        return self.t("stamp_sep").join(parts)

    def location(self, file: str, line: int, column: int) -> str:
        """``file:line:column`` with the file relative to the model's root."""
        root = self.model.root
        shown = file
        if root and file:
            base = Path(root) if Path(root).is_dir() else Path(root).parent
            try:
                shown = os.path.relpath(file, base)
            except ValueError:  # another drive on Windows
                shown = file
        shown = shown.replace(os.sep, "/")
        return f"{shown}:{line}:{column}"

    def chart(self, view: ChartView, root: str | None = None) -> Chart | None:
        """An org chart of the model (``crmorg.charts.views``), or None when empty."""
        key = (view, root)
        if key not in self._charts:
            chart = build_chart(self.model, view, root, None, self.lang)
            self._charts[key] = chart if chart.roots else None
        return self._charts[key]

    def nav(self, stem: str) -> list[NavEntry]:
        links = Links(self, stem)
        entries = []
        for section in self.sections:
            if section.nav is None or section.stem is None:
                continue
            active = stem == section.stem or (
                section.stem == "roles" and stem.startswith(("roles/", "departments/"))
            )
            entries.append(NavEntry(self.t(section.nav), links.url(section.stem), active))
        return entries

    def site_links(self, links: Links) -> dict[str, str]:
        """URLs of the pages every HTML page's header and footer link to, where the site has
        them (``chart``, ``glossary``, ``search``: sections of those keys)."""
        if self.fmt.name != "html":
            return {}
        keys = {section.key for section in self.sections}
        return {key: links.url(key) for key in ("chart", "glossary", "search") if key in keys}

    def render(self, page: str, stem: str, title: str, **values: Any) -> Page:
        """Render template ``page`` (e.g. ``"role"``) as the page at ``stem``."""
        template = self.env.get_template(f"{page}{self.fmt.extension}.j2")
        links = Links(self, stem)
        text = template.render(
            t=self.t,
            n=self.names,
            link=links,
            fmt=self.fmt,
            lang=self.lang,
            title=title,
            org_name=self.names.organization,
            nav=self.nav(stem),
            css=self.fmt.safe(stylesheet()) if self.fmt.name == "html" else "",
            home=links.url("index"),
            site_links=self.site_links(links),
            audience=self.audience,
            stamp=self.stamp,
            stamp_line=self.stamp_line(),
            **values,
        )
        return Page(stem + self.fmt.extension, text)


PageBuilder = Callable[[SiteContext], Iterable[Page]]
"""Makes the pages of one section of the site."""


@dataclass(frozen=True)
class Section:
    """A part of the site: its pages and, optionally, an entry in the navigation.

    ``nav`` is the interface-text key of the navigation label and ``stem`` the page
    it opens (``"kpis"`` for ``kpis.html``); sections without ``nav`` are reached
    through links only (the per-role and per-department pages).
    """

    key: str
    build: PageBuilder
    nav: str | None = None
    stem: str | None = None
