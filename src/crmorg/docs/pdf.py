"""``crmorg docs --pdf``: the whole handbook as one PDF, printed by headless Chromium.

The pack is the print document of :mod:`crmorg.docs.print_page` (cover, contents, every
page of the HTML handbook in reading order) printed with the handbook's print stylesheet:
A4 portrait pages, the matrices on A4 landscape pages, page numbers in the footer (CSS
page-margin boxes). Chromium cannot put a target's page number into the text
(``target-counter``), so the pack is printed twice: the first print carries an invisible
mark at the start of each section, ``pdftotext`` (poppler-utils) says on which page each
mark is, and the second print has those numbers in its contents. The contents take the
same room either way (unknown numbers print as ``000``), so the pages do not move; should
the count of pages change anyway, it prints once more.

The bytes depend only on the model, the language, Chromium's version and the installed
fonts: the PDF's creation and modification dates (the only other things that change
from run to run) are set to 1980-01-01, in place, so the file's offsets stay right.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from crmorg.docs.context import Progress
from crmorg.docs.print_page import MARK_PREFIX, print_document, print_sections
from crmorg.lint.engine import Report
from crmorg.model import Model
from crmorg.output import OutputError

__all__ = [
    "CHROMIUM_NAMES",
    "PdfError",
    "RendererMissing",
    "chromium_binary",
    "handbook_pdf",
    "normalise_pdf",
    "page_texts",
]

CHROMIUM_NAMES: Final = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TIMEOUT: Final = 300.0
_PRINTS: Final = 3
_MARK = re.compile(re.escape(MARK_PREFIX) + r"(\d{4})")
_DATE = re.compile(rb"\(D:\d{14}(?:[+-]\d\d'\d\d'|Z)?")


class PdfError(OutputError):
    """The PDF could not be made (the message says why); nothing was written."""


class RendererMissing(PdfError):
    """Chromium or pdftotext is not installed; the message says what to install."""


def chromium_binary() -> str | None:
    """The path of a Chromium (or Chrome) binary on ``PATH``, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _tools() -> tuple[str, str]:
    chromium = chromium_binary()
    pdftotext = shutil.which("pdftotext")
    missing = []
    if chromium is None:
        missing.append("Chromium (Debian/Ubuntu: apt-get install chromium; or Google Chrome)")
    if pdftotext is None:
        missing.append("pdftotext (Debian/Ubuntu: apt-get install poppler-utils)")
    if chromium is None or pdftotext is None:
        raise RendererMissing(
            "--pdf prints the handbook with headless Chromium and reads its page numbers "
            "back with pdftotext; install " + " and ".join(missing)
        )
    return chromium, pdftotext


def _print(chromium: str, page: Path, pdf: Path, profile: Path) -> None:
    flags = [
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--no-pdf-header-footer",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    env = {**os.environ, "HOME": str(profile), "TZ": "UTC"}
    try:
        proc = subprocess.run(
            [chromium, *flags, page.as_uri()],
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise PdfError(f"Chromium did not finish printing within {_TIMEOUT:.0f} s") from None
    except OSError as failure:
        raise PdfError(f"cannot run {chromium}: {failure}") from None
    if not pdf.is_file() or pdf.stat().st_size == 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise PdfError(
            f"Chromium printed no PDF (exit status {proc.returncode}): " + " / ".join(tail)
        )


def page_texts(pdf: Path, pdftotext: str | None = None) -> list[str]:
    """The text of each page of ``pdf`` (``pdftotext -layout``), first page first."""
    binary = pdftotext or shutil.which("pdftotext")
    if binary is None:
        raise RendererMissing("pdftotext is not installed (apt-get install poppler-utils)")
    proc = subprocess.run(
        [binary, "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        timeout=_TIMEOUT,
        check=False,
    )
    if proc.returncode != 0:
        raise PdfError(f"pdftotext cannot read the printed PDF: {proc.stderr.decode()[-300:]}")
    pages = proc.stdout.decode("utf-8", "replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _section_pages(texts: list[str], keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, text in enumerate(texts, start=1):
        for match in _MARK.finditer(text):
            index = int(match.group(1)) - 1
            if 0 <= index < len(keys):
                found.setdefault(keys[index], number)
    return found


def normalise_pdf(data: bytes) -> bytes:
    """``data`` with its creation and modification dates set to 1980-01-01 (same length,
    so the cross-reference offsets stay right)."""

    def fixed(match: re.Match[bytes]) -> bytes:
        stamp = match.group(0)
        zone = stamp[len(b"(D:") + 14 :]
        return b"(D:19800101000000" + (b"+00'00'" if len(zone) == 7 else zone)

    return _DATE.sub(fixed, data)


def handbook_pdf(
    model: Model,
    *,
    lang: str = "en",
    report: Report | None = None,
    files: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The handbook of ``model`` as one PDF pack (``files``: an HTML site built already).
    ``progress`` is told ``("print", n, 2)`` as the n-th print starts (a third one, should
    the pages move, is ``(3, 3)``)."""
    chromium, pdftotext = _tools()
    if files is None:
        from crmorg.docs.site import build_site

        files = build_site(model, fmt="html", lang=lang, report=report)
    sections = print_sections(files, model)
    keys = [section.key for section in sections]
    with tempfile.TemporaryDirectory(prefix="crmorg-pdf-") as tmp:
        folder = Path(tmp)
        page, pdf, profile = folder / "handbook.html", folder / "handbook.pdf", folder / "p"

        prints = 0

        def printed(pages: Mapping[str, int] | None, marks: bool) -> list[str]:
            nonlocal prints
            prints += 1
            if progress is not None:
                progress("print", prints, max(prints, 2))
            document = print_document(sections, model, lang, pages, marks=marks)
            page.write_text(document, encoding="utf-8")
            pdf.unlink(missing_ok=True)
            _print(chromium, page, pdf, profile)
            return page_texts(pdf, pdftotext)

        marked = printed(None, marks=True)
        for _ in range(_PRINTS):
            pages = _section_pages(marked, keys)
            if len(printed(pages, marks=False)) == len(marked):
                break
            marked = printed(pages, marks=True)  # the pages moved after all: read again
        return normalise_pdf(pdf.read_bytes())
