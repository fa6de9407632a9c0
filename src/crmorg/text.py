"""Free text that may be given in several languages, and the id type; the characters of
free text that no reader can see, and how text is shown without them.

:data:`HIDDEN_CHARACTERS` is the one definition (the ``hidden-characters`` rule warns
about them); :func:`reveal` shows them as escapes in documents, charts and terminal
output, :func:`json_text` as ``\\uXXXX`` escapes in JSON. docs/format.md, "How user
text is made safe", lists what each output does.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Final

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


HIDDEN_CHARACTERS: Final = (
    "\x00-\x08\x0b-\x1f"  # the C0 controls but tab and line feed (ESC drives a terminal)
    "\x7f-\x9f"  # DEL and the C1 controls
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides, isolates
    "\u200b-\u200d\u2060\ufeff"  # zero-width space, (non-)joiner, word joiner, BOM
)
"""What a reader cannot see but that changes what is shown (a regex character class).

Tab and line feed are left to each format, which has its own way to show them."""
HIDDEN: Final = re.compile(f"[{HIDDEN_CHARACTERS}]")


def escape_sequence(char: str) -> str:
    """``char`` as Python writes it in a string literal: ``\\x1b``, ``\\u202e``."""
    return char.encode("unicode_escape").decode("ascii")


def reveal(text: str, keep: str = "") -> str:
    """``text`` with each hidden character but those in ``keep`` shown as its escape
    sequence (``\\u202e``).

    What documents and charts do with user text: the reader sees that something is
    there, and nothing reorders the line or drives a terminal.
    """

    def shown(found: re.Match[str]) -> str:
        char = found.group()
        return char if char in keep else escape_sequence(char)

    return HIDDEN.sub(shown, text)


# Python's own line boundaries (str.splitlines) besides "\n", so that "\u2028" in a
# label breaks the line in every format instead of surprising one of them.
_LINE_BREAKS: Final = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Lone surrogates (which UTF-8 cannot encode) and the non-characters U+FFFE and U+FFFF:
# no XML 1.0 document may hold them, and they stand for no text.
_UNWRITABLE: Final = re.compile("[\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` as lines of display text: line breaks as ``"\\n"``, tabs as spaces, hidden
    characters revealed and unwritable ones dropped.

    What charts and Markdown show of a label or a cell, so that all formats agree on it.
    """
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    return reveal(_UNWRITABLE.sub("", text))


def json_text(value: Any, **options: Any) -> str:
    """``json.dumps(value, **options)`` with every hidden character as a ``\\uXXXX`` escape.

    JSON is data, so the text stays exact: a reader gets the same string back, but no
    raw control or bidi character is in the file. ``json.dumps`` escapes only C0.
    """
    return hidden_escaped(json.dumps(value, **options))


def hidden_escaped(serialized: str) -> str:
    """JSON text with every hidden character as a ``\\uXXXX`` escape.

    Outside its strings JSON holds only ASCII punctuation, digits and letters, so every
    hidden character found is inside a string, where ``\\uXXXX`` means that character.
    """
    return HIDDEN.sub(lambda found: f"\\u{ord(found.group()):04x}", serialized)


def printable(text: str, limit: int = 80) -> str:
    """``text`` fit for a one-line message: control characters escaped, long text cut.

    Findings are printed one per line, and a key such as ``"sales\\n"`` is user input.
    """
    if len(text) <= limit and text.isprintable():
        return text  # the common case, without a character-by-character pass
    shown = "".join(char if char.isprintable() else escape_sequence(char) for char in text[:limit])
    return shown + ("..." if len(text) > limit else "")
