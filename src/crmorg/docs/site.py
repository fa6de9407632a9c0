"""Build the onboarding handbook in memory, then write it to disk atomically.

:func:`build_site` turns a model into ``{relative path: text}``: one page per
department and role, the overview, the RACI and permission matrices, the KPI
dictionary, the people directory and the validation report, all in one output
format (``FORMATS``: HTML or Markdown) and one language. :func:`write_site` writes
such a mapping into a temporary directory beside the target and renames it into
place, so a failure leaves nothing partial behind.

Pages come from ``SECTIONS``, an explicit registry of
:class:`~crmorg.docs.context.Section` objects (each a page builder plus its
navigation entry). A new page, such as a KPI scorecard, is one more section: pass it
to ``build_site(..., extra_sections=...)``, or add it to the registry. The library
stays silent; callers who want progress pass a ``progress`` callback.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from crmorg.docs import pages
from crmorg.docs.context import Progress, Section, SiteContext, SiteFormat
from crmorg.docs.html import HTML
from crmorg.docs.i18n import LANGUAGES
from crmorg.docs.markdown import MARKDOWN
from crmorg.lint.engine import Report
from crmorg.model import Model
from crmorg.swap import swap_into_place

__all__ = [
    "FORMATS",
    "MARKER_FILE",
    "SECTIONS",
    "SiteError",
    "build_site",
    "write_site",
]

MARKER_FILE = ".crmorg-site"
"""Written into every generated site; a directory holding it may be replaced."""


class SiteError(Exception):
    """The site cannot be written (e.g. the target holds files crmorg did not write)."""


FORMATS: dict[str, SiteFormat] = {"html": HTML, "markdown": MARKDOWN}


SECTIONS: tuple[Section, ...] = (
    Section("index", pages.index_page, "nav.index", "index"),
    Section("roles", pages.roles_page, "nav.roles", "roles"),
    Section("people", pages.people_page, "nav.people", "people"),
    Section("raci", pages.raci_page, "nav.raci", "raci"),
    Section("permissions", pages.permissions_page, "nav.permissions", "permissions"),
    Section("kpis", pages.kpis_page, "nav.kpis", "kpis"),
    Section("report", pages.report_page, "nav.report", "report"),
    Section("departments", pages.department_pages),
    Section("role_cards", pages.role_pages),
    Section("charts", pages.chart_files),
)
"""The sections of the handbook, in navigation order."""


def build_site(
    model: Model,
    *,
    fmt: str = "html",
    lang: str = "en",
    report: Report | None = None,
    sections: Sequence[Section] = SECTIONS,
    extra_sections: Sequence[Section] = (),
    progress: Progress | None = None,
) -> dict[str, str]:
    """The whole handbook as ``{relative path: text}``, sorted by path.

    ``report`` defaults to validating ``model`` with every rule. The same model,
    format and language always give byte-identical output.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of: {', '.join(LANGUAGES)}")
    if report is None:
        from crmorg.lint.engine import run

        report = run(model)
    all_sections = (*sections, *extra_sections)
    ctx = SiteContext(model, report, lang, FORMATS[fmt], all_sections)
    files: dict[str, str] = {}
    for done, section in enumerate(all_sections, start=1):
        for page in section.build(ctx):
            _check_path(page.path)
            if page.path in files:
                raise ValueError(f"two pages at {page.path!r} (section {section.key})")
            files[page.path] = page.content
        if progress is not None:
            progress("render", done, len(all_sections))
    return dict(sorted(files.items()))


def _check_path(path: str) -> None:
    parts = path.split("/")
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or any(part in ("", ".", "..") for part in parts)
        or parts[0] == MARKER_FILE
    ):
        raise ValueError(f"unsafe page path {path!r}")


def _write_file(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8"))


def write_site(
    files: Mapping[str, str],
    out_dir: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> list[Path]:
    """Write ``files`` as the directory ``out_dir``, all or nothing.

    The files go into a temporary directory beside ``out_dir``, which is then renamed
    into place; a previous site there (a directory holding :data:`MARKER_FILE`, or an
    empty one) is replaced. A directory holding anything else is left alone unless
    ``force`` is true. On any failure the target is as it was before.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} exists and is not a directory")
    if out.is_dir() and not force and any(out.iterdir()) and not (out / MARKER_FILE).is_file():
        raise SiteError(
            f"{out} is not empty and was not written by crmorg; choose another directory "
            "or pass force to replace it"
        )
    for path in files:
        _check_path(path)
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    try:
        total = len(files)
        for done, (path, content) in enumerate(files.items(), start=1):
            _write_file(staging.joinpath(*path.split("/")), content)
            if progress is not None:
                progress("write", done, total)
        (staging / MARKER_FILE).write_text(
            "This directory was generated by crmorg; it is replaced on the next run.\n",
            encoding="utf-8",
        )
        staging.chmod(0o755)  # mkdtemp makes it private
        swap_into_place(staging, out.resolve())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out.joinpath(*path.split("/")) for path in files]
