"""crmorg's message catalogs: compiled as committed, complete, and holding every key used."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from crmorg.catalogs import DOMAIN, LANGUAGES, messages
from crmorg.charts.svg import LEGEND
from crmorg.charts.views import VIEWS
from crmorg.kpi.render.context import DEFAULT_LABELS

SRC = Path(__file__).resolve().parents[2] / "src" / "crmorg"
LOCALE = SRC / "locale"
# `t("nav.index")` in Python and templates; `t("severity." ~ level)` in templates.
_LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z][a-z0-9_.]*[a-z0-9_])["']\s*[,)]""")
_KEY_PREFIX = re.compile(r"""\bt\(\s*["']([a-z][a-z0-9_.]*\.)["']\s*~""")


def _sources() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for pattern in ("**/*.py", "**/*.j2")
        for path in sorted(SRC.glob(pattern))
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_committed_mo_is_what_compiling_the_po_gives(lang: str) -> None:
    folder = LOCALE / lang / "LC_MESSAGES"
    with (folder / f"{DOMAIN}.po").open("rb") as source:
        catalog = read_po(source, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert compiled.getvalue() == (folder / f"{DOMAIN}.mo").read_bytes(), (
        f"{lang}: run `pybabel compile --domain crmorg --directory src/crmorg/locale`"
    )


def test_every_catalog_has_the_same_keys_and_no_empty_text() -> None:
    english = set(messages("en"))
    for lang in LANGUAGES:
        assert set(messages(lang)) == english, lang
        assert all(text.strip() for text in messages(lang).values()), lang


def test_every_key_the_code_uses_is_in_every_catalog() -> None:
    sources = _sources()
    used = set(_LITERAL_KEY.findall(sources))
    used |= {f"chart.title.{view}" for view in VIEWS}
    used |= {f"legend.{kind}" for kind, _ in LEGEND}
    used |= {f"scorecard.label.{key}" for key in DEFAULT_LABELS}
    prefixes = set(_KEY_PREFIX.findall(sources))
    assert len(used) > 100 and prefixes  # the scan finds the translator's calls
    for lang in LANGUAGES:
        keys = set(messages(lang))
        assert used - keys == set(), lang
        assert {prefix for prefix in prefixes if not any(k.startswith(prefix) for k in keys)} == (
            set()
        ), lang


def test_an_unknown_language_has_no_catalog() -> None:
    with pytest.raises(ValueError, match="no message catalog"):
        messages("fr")
