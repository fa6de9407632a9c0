"""The onboarding handbook: a static, self-contained site of the organisation.

::

    from crmorg.docs import build_site, write_site

    files = build_site(model, fmt="html", lang="zh")  # {relative path: text}
    write_site(files, "site")                          # all or nothing

One module per output format (:mod:`~crmorg.docs.html`, :mod:`~crmorg.docs.markdown`),
jinja2 templates as package data (``templates/``), the stylesheet inlined into every
HTML page (``static/style.css``). Pages come from the explicit registry
:data:`~crmorg.docs.site.SECTIONS`; more can be passed as ``extra_sections``.
"""

from __future__ import annotations

from crmorg.docs.context import Page, PageBuilder, Progress, Section, SiteContext
from crmorg.docs.site import FORMATS, SECTIONS, SiteError, build_site, write_site

__all__ = [
    "FORMATS",
    "SECTIONS",
    "Page",
    "PageBuilder",
    "Progress",
    "Section",
    "SiteContext",
    "SiteError",
    "build_site",
    "write_site",
]
