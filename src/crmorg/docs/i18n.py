"""Interface text of the generated handbook, in every language it is written in.

Model text (names, descriptions) comes from the model through
:func:`crmorg.text.localize`; this module holds only the words crmorg itself puts
around it. They live in crmorg's message catalogs (:mod:`crmorg.catalogs`, one ``.po``
file per language). ``STRINGS`` is a plain registry filled from them: a page added by
another program adds its keys to both languages with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from crmorg.catalogs import LANGUAGES, messages

__all__ = ["LANGUAGES", "STRINGS", "Translator", "register"]

STRINGS: dict[str, dict[str, str]] = {lang: dict(messages(lang)) for lang in LANGUAGES}
"""Language -> key -> text. Every language has every key (a test checks it)."""
_EN = STRINGS["en"]


def register(strings: Mapping[str, Mapping[str, str]]) -> None:
    """Add interface text for a new page: ``{"en": {...}, "zh": {...}}``."""
    for lang, entries in strings.items():
        STRINGS.setdefault(lang, {}).update(entries)


@dataclass(frozen=True)
class Translator:
    """Interface text in one language; English where a key has no translation."""

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        table = STRINGS.get(self.lang, _EN)
        text = table.get(key)
        if text is None:
            text = _EN.get(key)
        if text is None:
            raise KeyError(f"no interface text {key!r}")
        return text.format(**values) if values else text

    def join(self, items: list[str]) -> str:
        """``a, b and c`` / ``a、b和c``: separators from the catalog (``list_sep``,
        ``list_last_sep``)."""
        if not items:
            return ""
        if len(items) == 1:
            return items[0]
        return self("list_sep").join(items[:-1]) + self("list_last_sep") + items[-1]

    def has(self, key: str) -> bool:
        """Whether this language (or English, the fallback) has text for ``key``."""
        return key in STRINGS.get(self.lang, _EN) or key in _EN

    def action(self, action: str) -> str:
        """An action as a word (``read`` -> "view" / "查看"); an action the catalog does
        not name reads as its id (``verb.fallback``)."""
        known = STRINGS.get(self.lang, _EN).get(f"verb.{action}")
        if known is not None:
            return known
        return self("verb.fallback", action=action, words=action.replace("_", " "))

    def actions(self, actions: Iterable[str]) -> str:
        """Several actions as words: "view, export" / "查看、导出"."""
        return self("action_sep").join(self.action(action) for action in actions)

    def paren(self, text: str) -> str:
        """``text`` in the language's brackets: " (a)" / "（a）" (plain text only)."""
        return self("paren_open") + text + self("paren_close")
