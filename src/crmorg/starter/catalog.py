"""The team templates by company size, read from the package's data files.

``templates.yaml`` lists them in order of company size with their summaries; each
template is the directory of the same name, whose YAML files are written unchanged
into the new model. What a listing shows about a template's content (how many roles a
person can hold, how many example people) is counted from those files.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

import yaml

from crmorg.text import Text, localize

__all__ = [
    "Template",
    "TemplateError",
    "default_template",
    "default_template_id",
    "find_template",
    "listing_labels",
    "template_ids",
    "templates",
]


class TemplateError(ValueError):
    """No template has the id asked for; the message lists those that exist."""


@dataclass(frozen=True)
class Template:
    """One starter model: its id, what it is for, and its files (name -> text)."""

    id: str
    summary: Text
    team_size: Text
    files: Mapping[str, str]

    @functools.cached_property
    def sections(self) -> Mapping[str, Mapping[str, Any]]:
        """The model's sections, merged over its files (as the loader merges them)."""
        merged: dict[str, dict[str, Any]] = {}
        for name in sorted(self.files):
            data = yaml.safe_load(self.files[name]) or {}
            for key, value in data.items():
                if isinstance(value, dict):
                    merged.setdefault(key, {}).update(value)
        return merged

    @property
    def role_count(self) -> int:
        """Roles a person can hold (abstract building blocks left out)."""
        roles = self.sections.get("roles", {})
        return sum(1 for role in roles.values() if not (role or {}).get("abstract"))

    @property
    def people_count(self) -> int:
        return len(self.sections.get("people", {}))

    def summary_in(self, lang: str) -> str:
        return localize(self.summary, lang)

    def team_size_in(self, lang: str) -> str:
        return localize(self.team_size, lang)


def _starter() -> Traversable:
    return files("crmorg").joinpath("starter")


@functools.cache
def _index() -> Mapping[str, Any]:
    text = _starter().joinpath("templates.yaml").read_text(encoding="utf-8")
    index: Mapping[str, Any] = yaml.safe_load(text)
    return index


@functools.cache
def templates() -> Mapping[str, Template]:
    """Every template, smallest company first."""
    found: dict[str, Template] = {}
    for template_id, entry in _index()["templates"].items():
        directory = _starter().joinpath(template_id)
        texts = {
            item.name: item.read_text(encoding="utf-8")
            for item in sorted(directory.iterdir(), key=lambda item: item.name)
            if item.is_file() and item.name.endswith((".yaml", ".yml"))
        }
        found[template_id] = Template(template_id, entry["summary"], entry["team_size"], texts)
    return MappingProxyType(found)


def template_ids() -> tuple[str, ...]:
    """The templates' ids, smallest company first (read from the index alone)."""
    return tuple(_index()["templates"])


def default_template() -> Template:
    """The template plain ``crmorg init DIR`` writes."""
    return templates()[default_template_id()]


def default_template_id() -> str:
    default: str = _index()["default"]
    return default


def listing_labels(lang: str) -> Mapping[str, str]:
    """The headings of a listing of templates in ``lang`` (English when it has none)."""
    labels: Mapping[str, Mapping[str, str]] = _index()["labels"]
    return labels.get(lang, labels["en"])


def find_template(template_id: str) -> Template:
    """The template ``template_id``; :class:`TemplateError` naming the others if none."""
    known = templates()
    if template_id in known:
        return known[template_id]
    close = difflib.get_close_matches(template_id, list(known), n=1)
    hint = f" (did you mean `{close[0]}`?)" if close else ""
    raise TemplateError(
        f"no template `{template_id}`{hint}; choose one of {', '.join(known)} "
        "(`crmorg init --list-templates` describes them)"
    )
