"""Free text that may be given in several languages, and the id type."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

ID_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
ID_RE = re.compile(ID_PATTERN)
LOCALE_PATTERN = r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Locale = Annotated[str, StringConstraints(pattern=LOCALE_PATTERN)]
NonEmptyText = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
Text = NonEmptyText | dict[Locale, NonEmptyText]
"""Free text, or a mapping from locale to text: ``{en: Sales, zh: 销售}``."""

STRICT = ConfigDict(frozen=True, extra="forbid", strict=True)


class Described(BaseModel):
    """An entry with an optional name and description, in one language or several;
    strict (unknown keys and loose types are errors) and frozen."""

    model_config = STRICT

    name: Text | None = None
    description: Text | None = None


def localize(text: Text | None, lang: str = "en", fallback: str = "") -> str:
    """The text in ``lang``; English next, then the first given; ``fallback`` if none."""
    if text is None:
        return fallback
    if isinstance(text, str):
        return text
    for locale in (lang, lang.split("-")[0].split("_")[0], "en"):
        if locale in text:
            return text[locale]
    return next(iter(text.values()), fallback)


def is_id(value: object) -> bool:
    return isinstance(value, str) and ID_RE.fullmatch(value) is not None


def printable(text: str, limit: int = 80) -> str:
    """``text`` fit for a one-line message: control characters escaped, long text cut.

    Findings are printed one per line, and a key such as ``"sales\\n"`` is user input.
    """
    shown = "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text[:limit]
    )
    return shown + ("..." if len(text) > limit else "")
