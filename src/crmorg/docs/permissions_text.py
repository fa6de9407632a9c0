"""Grants as plain sentences: ("quote", "approve", "team") -> "can approve quotes for
their team" / "可审批本团队的报价单".

Sentences name the record type by its (localised) name from the model; the English
form is made plural, the Chinese form needs no plural. Model-specific actions read
naturally where this module knows the verb, and as "can <action> ..." /
"可对…执行“<action>”操作" where it does not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from crmorg.catalogs import LANGUAGES, messages
from crmorg.permissions.models import Resource
from crmorg.permissions.scopes import Scope
from crmorg.roles.scopes import SCOPES
from crmorg.text import localize

__all__ = [
    "VERBS",
    "describe",
    "describe_actions",
    "resource_name",
    "resource_plural",
]

VERBS: Mapping[str, Mapping[str, str]] = {
    lang: {
        key.removeprefix("verb."): text
        for key, text in messages(lang).items()
        if key.startswith("verb.")
    }
    for lang in LANGUAGES
}
"""Action id -> verb, per language, from the message catalogs (``verb.<action>``).
Actions not listed fall back to their id."""

# Verbs that do not read as "可<verb>…的<things>": the sentence takes the scope's
# "<lang>-object-first" form, "可对…的<things>执行<verb>操作", where it has one.
_OBJECT_FIRST = frozenset({"refund"})

# "Account (customer company)" -> "Account": the qualifier reads badly in a sentence.
_QUALIFIER = re.compile(r"\s*[(（].*$")
_WORD = re.compile(r"[A-Za-z]+")


def resource_name(resource_id: str, resource: Resource | None, lang: str) -> str:
    """The record type's name in ``lang`` (English next, the id last)."""
    fallback = resource_id.replace("_", " ")
    return localize(resource.name, lang, fallback) if resource is not None else fallback


def _lower_word(word: str) -> str:
    # "Opportunity" -> "opportunity", but "API" and "CRM" stay as they are.
    return word.lower() if word[:1].isupper() and word[1:].islower() else word


def _plural_word(word: str) -> str:
    lower = word.lower()
    if lower.endswith("s"):
        return word  # "settings", "sales": already plural or uncountable
    if lower.endswith(("x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def resource_plural(resource_id: str, resource: Resource | None, lang: str) -> str:
    """How a sentence names the records: "quotes", "user accounts", "报价单"."""
    name = _QUALIFIER.sub("", resource_name(resource_id, resource, lang)).strip()
    if not name:
        name = resource_id.replace("_", " ")
    if lang.split("-")[0] != "en" or not name.isascii():
        return name  # no plural outside English, nor for a name in another script
    words = name.split(" ")
    words = [_lower_word(word) for word in words]
    last = len(words) - 1
    while last >= 0 and not _WORD.fullmatch(words[last]):
        last -= 1
    if last >= 0:
        words[last] = _plural_word(words[last])
    return " ".join(words)


def _verb(action: str, lang: str) -> tuple[str, bool]:
    """The verb for ``action`` and whether it is known (not just the id)."""
    table = VERBS.get(lang.split("-")[0], VERBS["en"])
    known = table.get(action)
    if known is not None:
        return known, True
    return _text(lang, "verb.fallback").format(action=action, words=action.replace("_", " ")), False


def _text(lang: str, key: str) -> str:
    language = lang.split("-")[0]
    return messages(language if language in LANGUAGES else "en")[key]


def _join(items: Sequence[str], lang: str) -> str:
    """Verbs in a sentence, ``a, b and c`` / ``a、b、c``: separators from the catalog."""
    if len(items) <= 1:
        return "".join(items)
    return _text(lang, "list_sep").join(items[:-1]) + _text(lang, "verb_last_sep") + items[-1]


def describe_actions(
    resource_id: str,
    resource: Resource | None,
    actions: Sequence[str],
    scope: Scope,
    lang: str = "en",
    *,
    baseline: bool = False,
) -> str:
    """One sentence for several actions on one record type at one scope; with
    ``baseline``, the resource's baseline for them (format v1.1, section 10): everyone who
    may do them at all may do them at that scope.

    >>> describe_actions("quote", None, ["read", "approve"], Scope.TEAM)
    'can view and approve quotes for their team'
    >>> describe_actions("quote", None, ["read"], Scope.TEAM, baseline=True)
    'Everyone who may view quotes at all can view quotes for their team.'
    """
    if not actions:
        raise ValueError("describe_actions needs at least one action")
    things = resource_plural(resource_id, resource, lang)
    verbs = [_verb(action, lang) for action in actions]
    words = SCOPES[scope].words
    language = lang.split("-")[0]
    sentence = words.get(language, words["en"])
    # A language whose sentence puts the verb before the things ("可审批…的报价单") has
    # an "object-first" form for verbs that do not read so ("可对…执行“x”操作").
    object_first = words.get(f"{language}-object-first")
    awkward = not all(known for _, known in verbs) or _OBJECT_FIRST & set(actions)
    if object_first is not None and awkward:
        sentence = object_first
    joined = _join([v for v, _ in verbs], lang)
    grant = sentence.format(verbs=joined, things=things)
    if not baseline:
        return grant
    said = messages(language if language in LANGUAGES else "en")["baseline.sentence"]
    return said.format(verbs=joined, things=things, grant=grant)


def describe(
    resource_id: str,
    action: str,
    scope: Scope | str,
    lang: str = "en",
    resource: Resource | None = None,
) -> str:
    """One grant as a sentence.

    >>> describe("quote", "approve", "team")
    'can approve quotes for their team'
    >>> describe("quote", "approve", "team", "zh")
    '可审批本团队的quote'
    """
    return describe_actions(resource_id, resource, [action], Scope.parse(scope), lang)
