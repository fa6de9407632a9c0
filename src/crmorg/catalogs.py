"""crmorg's own interface text in every language, from gettext message catalogs.

The source of each language is ``locale/<lang>/LC_MESSAGES/crmorg.po`` beside this
module. The compiled ``crmorg.mo`` is committed next to it and read here with the
standard library's :class:`gettext.GNUTranslations`, so nothing beyond Python is needed
at run time. Message ids are keys (``nav.index``), not English text: English is a
catalog like the others, every catalog has every key, and rewording the English
touches no other catalog.

After editing a ``.po`` file, compile the catalogs again (Babel is in the ``test``
extra)::

    pybabel compile --domain crmorg --directory src/crmorg/locale

The tests check that each committed ``.mo`` is what compiling its ``.po`` gives, that
every catalog has the same keys, and that every key the code uses is in them.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from importlib.resources import files
from types import MappingProxyType
from typing import Final

__all__ = ["DOMAIN", "LANGUAGES", "messages"]

LANGUAGES: Final[tuple[str, ...]] = ("en", "zh")
"""The languages crmorg writes its own text in; English first, the fallback."""
DOMAIN: Final = "crmorg"


@functools.cache
def messages(lang: str) -> Mapping[str, str]:
    """Message id -> text, from the catalog of ``lang`` (one of :data:`LANGUAGES`)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no message catalog for {lang!r}; crmorg has {list(LANGUAGES)}")
    resource = files(__package__ or DOMAIN) / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with resource.open("rb") as stream:
        catalog = gettext.GNUTranslations(stream)
    # GNUTranslations looks messages up but has no public way to list them; it keeps
    # them in `_catalog`, with the catalog's header under the empty id.
    parsed: dict[str, str] = vars(catalog)["_catalog"]
    return MappingProxyType({key: text for key, text in parsed.items() if key})
