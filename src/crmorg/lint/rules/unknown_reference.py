"""References to ids that the model does not define: one walk over the references that
``crmorg.sections`` declares, each checked and worded by its kind."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Iterator, Mapping
from functools import cached_property
from itertools import chain
from operator import attrgetter
from typing import Any

from crmorg.findings import GROUPS, Path
from crmorg.lint.rule import Problem, checks
from crmorg.loading.identities import UNKNOWN_REFERENCE
from crmorg.model import Model
from crmorg.permissions.models import PermissionName
from crmorg.sections import LIST, MAPPING, SECTIONS, Kind, Reference, Section, section

_Entry = tuple[Path, tuple[str, ...], Any]
"""Where an entry is, the ids that own what it names (its own id, if any), the entry."""


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


class _References:
    """What each kind of reference may name in one model, and the problems it finds."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.document = model.document
        self.catalog = model.catalog
        self._entries: dict[str, frozenset[str]] = {}

    # What may be named ---------------------------------------------------------------
    def entries(self, key: str) -> frozenset[str]:
        """The ids of a section, rejected ones included: they are defined, only wrong."""
        known = self._entries.get(key)
        if known is None:
            defined: Iterable[str] = getattr(self.document, key)
            known = frozenset(defined) | self.document.rejected.get(key, frozenset())
            self._entries[key] = known
        return known

    @cached_property
    def actions(self) -> frozenset[str]:
        return frozenset(self.catalog.actions)

    @cached_property
    def applicable(self) -> Mapping[str, frozenset[str]]:
        return {r: frozenset(actions) for r, actions in self.catalog.applicable.items()}

    @cached_property
    def rules(self) -> frozenset[str]:
        # Imported here, not at the top: the catalogue is derived from the registry,
        # which imports this rule.
        from crmorg.lint.catalog import IDENTITIES

        return frozenset(IDENTITIES)

    @cached_property
    def rules_or_groups(self) -> frozenset[str]:
        return self.rules | frozenset(GROUPS)

    @cached_property
    def any_ids(self) -> frozenset[str]:
        """Every valid id the model defines: entries of every section, and actions."""
        ids: set[str] = set(self.catalog.actions)
        for resource in self.document.resources.values():
            ids.update(resource.fields)  # findings about fields name them
        for process in self.document.processes.values():
            ids.update(part.id for part in process.steps)  # and those about steps, steps
        for declared in SECTIONS:
            if declared.shape == MAPPING:
                ids.update(getattr(self.document, declared.key))
            elif declared.shape == LIST:
                entries: Iterable[Any] = getattr(self.document, declared.key)
                ids.update(item if isinstance(item, str) else item.id for item in entries)
        return frozenset(ids)

    def names(self, ref: Reference) -> frozenset[str] | None:
        """The names a reference may take, where membership alone decides."""
        if ref.kind is Kind.ENTRY:
            assert ref.section is not None
            return self.entries(ref.section)
        if ref.kind is Kind.ACTION:
            return self.actions
        if ref.kind is Kind.RULE:
            return self.rules
        if ref.kind is Kind.RULE_OR_GROUP:
            return self.rules_or_groups
        if ref.kind is Kind.ANY_ID:
            return self.any_ids
        return None

    # The walk --------------------------------------------------------------------------
    def section(self, declared: Section) -> Iterator[Problem]:
        value = getattr(self.document, declared.key)
        salvaged = self.document.salvaged.get(declared.key)
        if salvaged:  # what validates of rejected entries: their other errors count too
            value = {**value, **salvaged}
        if declared.shape == MAPPING:
            entries: Collection[Any] = value.values()
        elif declared.shape == LIST:
            entries = value
        else:
            entries = () if value is None else (value,)
        # Nearly every reference resolves: a whole section is checked with set
        # operations first, and walked entry by entry only for what may be unknown.
        doubtful = [ref for ref in declared.references if not self._all_known(ref, entries)]
        if doubtful:
            for path, owner, entry in self._located(declared, value):
                yield from self.entry(doubtful, path, owner, entry)

    def _located(self, declared: Section, value: Any) -> Iterator[_Entry]:
        if declared.shape == MAPPING:
            for entry_id, entry in value.items():
                yield (declared.key, entry_id), (entry_id,), entry
        elif declared.shape == LIST:
            for entry in value:
                yield self.document.path_of(declared.key, entry.id), (entry.id,), entry
        elif value is not None:
            yield (declared.key,), (), value

    def _all_known(self, ref: Reference, entries: Collection[Any]) -> bool:
        if ref.on is not None:
            return False
        values = map(attrgetter(ref.field), entries)
        if ref.kind is Kind.GRANTS:
            return all(map(self._grants_known, values))
        names = self.names(ref)
        if names is None:
            return False
        if ref.each or ref.keys:
            # A missing list (None) names nothing; ids are never empty strings.
            return names.issuperset(chain.from_iterable(filter(None, values)))
        return names.issuperset(filter(None, values))

    def entry(
        self, refs: Iterable[Reference], path: Path, owner: tuple[str, ...], entry: Any
    ) -> Iterator[Problem]:
        for ref in refs:
            if ref.on is not None and not isinstance(entry, ref.on):
                continue
            value = getattr(entry, ref.field)
            if value is None:
                continue
            where = (*path, ref.field)
            if ref.kind is Kind.PARTS:
                for index, part in enumerate(value):
                    # A part with an id of its own (a process step) is named in messages.
                    part_id = getattr(part, "id", None)
                    named = (*owner, part_id) if owner and isinstance(part_id, str) else owner
                    yield from self.entry(ref.parts, (*where, index), named, part)
            elif ref.kind is Kind.GRANTS:
                if not self._grants_known(value):
                    yield from self._grants(ref, where, owner, value)
            else:
                names = self.names(ref)
                if ref.each:
                    if names is None or not names.issuperset(value):
                        for index, name in enumerate(value):
                            yield from self._name(ref, (*where, index), owner, name)
                elif ref.keys:
                    for name in value:
                        yield from self._name(ref, (*where, name), owner, name, at_key=True)
                elif names is None or value not in names:
                    yield from self._name(ref, where, owner, value)

    # One name, by kind -------------------------------------------------------------
    def _name(
        self, ref: Reference, path: Path, owner: tuple[str, ...], name: str, at_key: bool = False
    ) -> Iterator[Problem]:
        relation = ref.relation.format(id=owner[0], step=owner[-1]) if owner else ref.relation
        if ref.kind is Kind.PERMISSION:
            yield from self._permission(relation, path, owner, name)
            return
        names = self.names(ref)
        if names is None or name in names:
            return
        if ref.section is not None:
            noun = section(ref.section).singular
            # Suggestions come from the valid entries: a rejected one is no better.
            suggestions: Iterable[str] = getattr(self.document, ref.section)
        else:
            noun, suggestions = "", names
        message = _WORDING[ref.kind].format(
            relation=relation,
            name=name,
            hint=_suggest(name, suggestions),
            noun=noun,
            section=ref.section,
        )
        yield Problem(message, path, (*owner, name), at_key)

    def _permission(
        self, relation: str, path: Path, owner: tuple[str, ...], permission: str
    ) -> Iterator[Problem]:
        resource, action, field = PermissionName.parse(permission)
        if resource not in self.entries("resources"):
            yield Problem(
                f"{relation} resource `{resource}`, which is not declared"
                f"{_suggest(resource, self.model.resources)}",
                path,
                (*owner, resource),
            )
        elif field is not None:
            declared = self.model.resources.get(resource)
            if declared is not None and field not in declared.fields:
                yield Problem(
                    f"{relation} field `{field}` of {resource}, which the resource does not "
                    f"declare{_suggest(field, declared.fields)}; declare it under the "
                    "resource's `fields` or fix the name",
                    path,
                    (*owner, resource, field),
                )
        elif resource in self.model.resources and not self.catalog.applies(resource, action):
            yield Problem(
                f"{relation} `{permission}`, but `{action}` does not apply to {resource}",
                path,
                (*owner, resource, action),
            )

    @cached_property
    def _grantable(self) -> Mapping[str, frozenset[str]]:
        """Resource key of a grant map -> the action keys it may hold, ``*`` included."""
        grantable = {r: actions | {"*"} for r, actions in self.applicable.items()}
        grantable["*"] = self.actions | {"*"}
        return grantable

    def _grants_known(self, grants: Mapping[str, Mapping[str, str]]) -> bool:
        grantable = self._grantable
        for resource, actions in grants.items():
            allowed = grantable.get(resource)
            if allowed is None or not allowed.issuperset(actions):
                return False
        return True

    def _grants(
        self,
        ref: Reference,
        base: Path,
        owner: tuple[str, ...],
        grants: Mapping[str, Mapping[str, str]],
    ) -> Iterator[Problem]:
        relation = ref.relation.format(id=owner[0], step=owner[-1])
        catalog = self.catalog
        resources = self.model.resources
        for resource, actions in grants.items():
            if resource != "*" and resource not in self.entries("resources"):
                yield Problem(
                    f"{relation} resource `{resource}`, which is not declared"
                    f"{_suggest(resource, resources)}; declare it under `resources`",
                    (*base, resource),
                    (*owner, resource),
                    at_key=True,
                )
                continue
            for action in actions:
                if action == "*":
                    continue
                if action not in self.actions:
                    yield Problem(
                        f"{relation} action `{action}`, which is neither built in nor "
                        f"declared{_suggest(action, catalog.actions)}; add it to `actions:`",
                        (*base, resource, action),
                        (*owner, action),
                        at_key=True,
                    )
                elif (
                    resource != "*"
                    and resource in resources
                    and not catalog.applies(resource, action)
                ):
                    yield Problem(
                        f"{relation} `{resource}.{action}`, but `{action}` does not apply to "
                        f"{resource} (its actions: {', '.join(catalog.applicable[resource])}); "
                        "add it to the resource's `actions` or remove it here",
                        (*base, resource, action),
                        (*owner, resource, action),
                        at_key=True,
                    )


_WORDING: Mapping[Kind, str] = {
    Kind.ENTRY: "{relation} `{name}`, which is not a {noun} in the model{hint}; "
    "define it under `{section}` or fix the id",
    Kind.ACTION: "{relation} action `{name}`, which is neither built in nor declared{hint}; "
    "add it to the top-level `actions:` list",
    Kind.RULE: "{relation} rule `{name}`, which does not exist{hint}",
    Kind.RULE_OR_GROUP: "{relation} `{name}`, which is not a rule{hint}; `crmorg rules` lists them",
    Kind.ANY_ID: "{relation} `{name}`, which is no id in the model{hint}",
}
"""The message about an unknown name, for each kind of reference that names one id;
``hint`` is the did-you-mean, ``noun`` and ``section`` those of the section named."""


@checks(UNKNOWN_REFERENCE)
def unknown_reference(model: Model) -> Iterator[Problem]:
    """A reference names an id that the model does not define.

    Every id a model refers to — a department's parent and head, a role's department,
    inherited roles and reporting line, RACI roles, grant resources and actions, team
    leads, people's roles and teams, KPI owners and contributors, metric sources, constraint members
    (a field a separation-of-duties permission names, too), waiver rules — must be
    defined.

    Fails:
    ```yaml
    roles:
      sales_rep: {inherits: [employe]}   # typo
    ```
    Fix: `inherits: [employee]`, or define the missing role.
    """
    references = _References(model)
    for declared in SECTIONS:
        if declared.references:
            yield from references.section(declared)
