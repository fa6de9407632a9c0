"""The loaded model: its sections, and the public face of its OrgGraph and AccessModel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Generic, TypeVar, overload

from crmorg.document import Document
from crmorg.findings import Finding, Location, Path
from crmorg.kpi.models import Kpi, Metric
from crmorg.permissions.access import AccessModel
from crmorg.permissions.catalog import ActionCatalog
from crmorg.permissions.decisions import Decision, UnknownIdError
from crmorg.permissions.effective import EffectiveGrant, HeldGrant, Permission
from crmorg.permissions.models import Constraint, Resource, SharingRule
from crmorg.roles.models import Department, Person, Responsibility, Role, Team
from crmorg.roles.orggraph import OrgGraph
from crmorg.roles.processes import Process, StepPart, participation
from crmorg.roles.scopes import Scope
from crmorg.settings import Organization, Settings
from crmorg.source import SourceMap
from crmorg.text import localize

_Value = TypeVar("_Value")


class _Section(Generic[_Value]):
    """A section of the model's document, read as an attribute of the model.

    The first read stores the section on the model itself, so later reads (rules read
    ``model.roles`` in their loops) are a plain attribute lookup: a model never changes.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._key = name

    @overload
    def __get__(self, model: None, owner: type) -> _Section[_Value]: ...
    @overload
    def __get__(self, model: Model, owner: type) -> _Value: ...
    def __get__(self, model: Model | None, owner: type) -> _Section[_Value] | _Value:
        if model is None:
            return self
        value: _Value = getattr(model.document, self._key)
        model.__dict__[self._key] = value
        return value


class Model:
    """A crmorg model: what the YAML says, plus everything derived from it.

    Build one with :func:`crmorg.load`. Derived facts live in :attr:`org` (the
    organisation) and :attr:`access` (grants and decisions), each computed on first
    use and cached; the model is immutable.
    """

    def __init__(
        self,
        document: Document,
        source: SourceMap | None = None,
        load_findings: Iterable[Finding] = (),
        root: str = "",
    ) -> None:
        self.document = document
        self.source = source if source is not None else SourceMap()
        self.load_findings: tuple[Finding, ...] = tuple(load_findings)
        self.root = root
        self.org = OrgGraph(
            document.roles,
            document.people,
            document.departments,
            document.teams,
            document.responsibilities,
        )
        # The access model locates grants through the source map, not the model: no cycle
        # holds a model alive once its last user lets go of it.
        self.access = AccessModel(
            self.org, document.resources, document.actions, self.source.value, document.sharing
        )
        # Read by allows(), the hot path; filled when the first decision is asked for.
        self._rows = self.access.index.rows
        self._bits = self.access.index.bits

    def __repr__(self) -> str:
        return (
            f"<crmorg.Model {self.name!r}: {len(self.roles)} roles, "
            f"{len(self.people)} people, {len(self.resources)} resources>"
        )

    # Sections: one typed attribute per section that crmorg.sections declares (version
    # and actions aside); tests/core/test_sections.py checks they agree with it.
    organization: _Section[Organization | None] = _Section()
    resources: _Section[Mapping[str, Resource]] = _Section()
    departments: _Section[Mapping[str, Department]] = _Section()
    roles: _Section[Mapping[str, Role]] = _Section()
    responsibilities: _Section[Mapping[str, Responsibility]] = _Section()
    teams: _Section[Mapping[str, Team]] = _Section()
    people: _Section[Mapping[str, Person]] = _Section()
    kpis: _Section[Mapping[str, Kpi]] = _Section()
    metrics: _Section[Mapping[str, Metric]] = _Section()
    constraints: _Section[tuple[Constraint, ...]] = _Section()
    sharing: _Section[Mapping[str, SharingRule]] = _Section()
    processes: _Section[Mapping[str, Process]] = _Section()
    """Process id -> :class:`crmorg.roles.processes.Process` (format section 15)."""
    settings: _Section[Settings] = _Section()

    @property
    def name(self) -> str:
        org = self.document.organization
        return localize(org.name) if org is not None else ""

    def constraint_path(self, constraint_id: str) -> Path:
        """The document path of a constraint (constraints are a list in the YAML)."""
        return self.document.path_of("constraints", constraint_id)

    def process(self, process_id: str) -> Process:
        """The process ``process_id``; :class:`UnknownIdError` if the model has none."""
        found = self.processes.get(process_id)
        if found is None:
            raise UnknownIdError(f"no process `{process_id}` in the model")
        return found

    def steps_of(self, role_id: str) -> tuple[StepPart, ...]:
        """The process steps role ``role_id`` takes part in, with its RACI letters there,
        in process then step order (:func:`crmorg.roles.processes.participation`)."""
        if role_id not in self.roles:
            raise UnknownIdError(f"no role `{role_id}` in the model")
        return self.step_parts.get(role_id, ())

    @cached_property
    def step_parts(self) -> Mapping[str, tuple[StepPart, ...]]:
        """Role id -> the steps it takes part in (roles named in no step are absent)."""
        return participation(self.processes)

    def locate(self, path: Path) -> Location:
        """The file position of a path such as ``("roles", "sales_rep", "grants")``."""
        return self.source.value(path)

    # Derived structure ----------------------------------------------------------------
    # Names from before OrgGraph and AccessModel, cached so that rules reading them in
    # loops pay one dict lookup, as before.
    @cached_property
    def catalog(self) -> ActionCatalog:
        return self.access.catalog

    @cached_property
    def role_grants(self) -> Mapping[str, Mapping[Permission, EffectiveGrant]]:
        """Role id -> (resource, action) -> the winning effective grant."""
        return self.access.role_grants

    def person_grants(self, person: str) -> Mapping[Permission, HeldGrant]:
        """(resource, action) -> the winning grant among the person's roles."""
        return self.access.person_grants(person)

    def effective_grants(self, subject: str) -> Mapping[Permission, Scope]:
        """(resource, action) -> effective scope for a role or a person."""
        return self.access.effective_grants(subject)

    # Decisions ------------------------------------------------------------------------
    def effective_scope(self, subject: str, action: str, resource: str) -> Scope:
        """The widest scope at which ``subject`` (role or person) may act."""
        return self.access.effective_scope(subject, action, resource)

    def allows(self, subject: str, action: str, resource: str, scope: str | Scope = "own") -> bool:
        """Whether ``subject`` (a role or person id) may ``action`` ``resource`` at ``scope``.

        Unknown ids raise :class:`UnknownIdError`; an action that does not apply to the
        resource is simply not allowed.
        """
        # The hot path, inlined rather than delegated (a call would double its cost):
        # two dict lookups and an ``&``. Anything unusual (an index not built yet, an
        # unknown id, an action that does not apply, a bad scope) goes to the access model.
        row = self._rows.get(subject)
        bit = self._bits.get((resource, action, scope))
        if row is not None and bit is not None:
            return row & bit != 0
        return self.access.allows(subject, action, resource, scope)

    def relation(
        self,
        person: str,
        owner: str | None = None,
        team: str | None = None,
        department: str | None = None,
    ) -> Scope:
        """The narrowest scope that reaches a record, as format-v1 section 3 defines it."""
        self._require_record(person, owner, team, department)
        return self.access.relation(person, self.access.record(owner, team, department))

    def decide(
        self,
        person: str,
        action: str,
        resource: str,
        owner: str | None = None,
        team: str | None = None,
        department: str | None = None,
        field: str | None = None,
    ) -> Decision:
        """May ``person`` do ``action`` to one ``resource`` record, and why.

        The record has an ``owner`` and may name a ``team`` and ``department``; where it
        does not, they are the owner's. With ``field``, the question is about one field
        of the record: ``read`` reads it, ``update`` edits it (format v1.1, section 12).
        Baselines, reports and sharing rules apply (sections 9-11).
        """
        people = self.people
        if (
            person in people
            and (owner is None or owner in people)
            and team is None
            and department is None
        ):
            return self.access.decide(person, action, resource, owner, None, None, field)
        if person not in people:
            if person in self.roles:
                raise UnknownIdError(
                    f"`{person}` is a role; decide() is about a person acting on a record "
                    "(use allows() for roles)"
                )
            raise UnknownIdError(f"no person `{person}` in the model")
        self._require_record(person, owner, team, department)
        return self.access.decide(person, action, resource, owner, team, department, field)

    def explain(
        self,
        subject: str,
        action: str,
        resource: str,
        scope: str | Scope = "own",
        field: str | None = None,
    ) -> Decision:
        """Like :meth:`allows` (for one ``field`` when given), but with the reason."""
        return self.access.explain(subject, action, resource, scope, field)

    def field_access(self, subject: str, resource: str, field: str) -> str:
        """``"none"``, ``"read"`` or ``"edit"``: what a role or person may do to ``field``
        on the records of ``resource`` it may read or update (format v1.1, section 12)."""
        if subject not in self.roles and subject not in self.people:
            raise UnknownIdError(f"no role or person `{subject}` in the model")
        return self.access.field_access(subject, resource, field)

    def _require_record(
        self, person: str, owner: str | None, team: str | None, department: str | None
    ) -> None:
        self._require(person, self.people, "person")
        if owner is not None:
            self._require(owner, self.people, "person")
        if team is not None:
            self._require(team, self.teams, "team")
        if department is not None:
            self._require(department, self.departments, "department")

    @staticmethod
    def _require(value: str, section: Mapping[str, object], what: str) -> None:
        if value not in section:
            raise UnknownIdError(f"no {what} `{value}` in the model")
