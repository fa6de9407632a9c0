"""Salesforce names: API names derived from crmorg ids, objects for resources, labels.

A Salesforce API name (``DeveloperName``, a custom object's or field's name) starts with
a letter, holds only letters, digits and single underscores, does not end with an
underscore, and has a length limit per kind of component. crmorg ids are already close
(``^[a-z][a-z0-9_]{0,63}$``); :class:`ApiNames` makes each one valid and distinct within
its kind, shortening a long one with a digest so that two long ids stay apart.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from crmorg.text import clean_text

STANDARD_OBJECTS: Mapping[str, str] = {
    "account": "Account",
    "campaign": "Campaign",
    "case": "Case",
    "contact": "Contact",
    "contract": "Contract",
    "lead": "Lead",
    "opportunity": "Opportunity",
    "order": "Order",
    "product": "Product2",
    "quote": "Quote",
    "service_case": "Case",
}
"""crmorg resource id -> the standard object of the same meaning (when not set in
``settings.export.salesforce.objects``); any other resource is a custom object."""

CUSTOM_SUFFIX = "__c"
_API_NAME = re.compile(r"^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)$")


def is_api_name(name: str) -> bool:
    """Whether ``name`` is a valid API name (without a ``__c`` suffix)."""
    return bool(_API_NAME.match(name))


def _valid(text: str) -> str:
    """``text`` with anything an API name cannot hold replaced or dropped."""
    name = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")
    if not name or not name[0].isalpha():
        name = "X" + ("_" + name if name else "")
    return name


def _fit(name: str, limit: int) -> str:
    """``name`` at most ``limit`` characters: a long one keeps its start and a digest."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return name[: limit - 9].rstrip("_") + "_" + digest


def pascal(identifier: str) -> str:
    """``sales_plan`` -> ``Sales_Plan``: the parts capitalised, single underscores kept,
    so that ``a_1`` and ``a1`` stay apart."""
    return "_".join(part[:1].upper() + part[1:] for part in identifier.split("_") if part)


class ApiNames:
    """Distinct, valid API names of one kind (permission sets, groups, roles...)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._taken: set[str] = set()

    def take(self, wanted: str) -> str:
        """A valid name like ``wanted``, not given before (case-insensitive, as in
        Salesforce); a clash gets a numbered suffix."""
        base = _fit(_valid(wanted), self._limit)
        name, number = base, 1
        while name.lower() in self._taken:
            number += 1
            suffix = f"_{number}"
            name = _fit(base, self._limit - len(suffix)) + suffix
        self._taken.add(name.lower())
        return name


def object_names(resources: list[str], settings: Mapping[str, str]) -> dict[str, str]:
    """crmorg resource -> its Salesforce object: the setting, the standard object, or a
    custom object ``Xxx__c``; each object serves one resource (a later resource that
    would share one becomes a custom object of its own)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    customs = ApiNames(40)
    for resource in resources:
        wanted = settings.get(resource) or STANDARD_OBJECTS.get(resource)
        if wanted is not None and wanted.lower() not in used and _is_object_name(wanted):
            names[resource] = wanted
            used.add(wanted.lower())
            if wanted.endswith(CUSTOM_SUFFIX):
                customs.take(wanted[: -len(CUSTOM_SUFFIX)])
    for resource in resources:
        if resource not in names:
            name = customs.take(pascal(resource)) + CUSTOM_SUFFIX
            while name.lower() in used:
                name = customs.take(pascal(resource)) + CUSTOM_SUFFIX
            names[resource] = name
            used.add(name.lower())
    return names


def _is_object_name(name: str) -> bool:
    stem = name[: -len(CUSTOM_SUFFIX)] if name.endswith(CUSTOM_SUFFIX) else name
    return is_api_name(stem) and len(stem) <= 40


def field_name(field: str, settings: Mapping[str, str], taken: ApiNames) -> str:
    """A crmorg field -> its Salesforce field: the setting, or a custom ``Xxx__c``."""
    wanted = settings.get(field)
    if wanted is not None and _is_object_name(wanted):
        stem = wanted[: -len(CUSTOM_SUFFIX)] if wanted.endswith(CUSTOM_SUFFIX) else wanted
        if taken.take(stem) == stem:
            return wanted
    return taken.take(pascal(field)) + CUSTOM_SUFFIX


def label(text: str, limit: int = 80) -> str:
    """User text as a one-line Salesforce label: hidden characters shown as escapes
    (``\\u202e``), line breaks as spaces, at most ``limit`` characters."""
    line = " ".join(clean_text(text).split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line or "-"


def description(text: str, limit: int = 255) -> str:
    """User text for a description: hidden characters shown as escapes, lines kept, at
    most ``limit`` characters (a permission set's description holds 255)."""
    shown = clean_text(text).strip()
    return shown if len(shown) <= limit else shown[: limit - 1].rstrip() + "…"
