"""The sections of a model file, each declared once, with the references between them.

Everything that depends on the list of sections reads it from :data:`SECTIONS`: the
loader (which sections exist, what validates an entry, the noun in its messages), the
JSON Schema (``crmorg.schema``), the `unknown-reference` rule (one walk over the declared
references), the handbook's names and links, and the HR CSV columns.

Adding a section (v1.1's ``sharing`` and ``processes``, for example) is one entry here
and its pydantic model in its domain package::

    Section("sharing", MAPPING, SharingRule, item="sharing_rule", references=(
        Reference("resource", Kind.ENTRY, "sharing rule {id} shares", section="resources"),
        Reference("actions", Kind.ACTION, "sharing rule {id} shares", each=True),
    )),

plus a field on :class:`crmorg.document.Document` and a property on
:class:`crmorg.model.Model` (typed, so written out; ``tests/core/test_sections.py`` checks
that both agree with this table). A nested list of parts with references of their own
(a process's ``steps``) is a :attr:`Kind.PARTS` reference holding the parts' references.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from crmorg.kpi.models import Kpi, Metric
from crmorg.permissions.models import (
    Constraint,
    ExclusiveRoles,
    Resource,
    RoleCardinality,
    SeparationOfDuties,
    SharingRule,
)
from crmorg.roles.models import Department, Person, Responsibility, Role, Team
from crmorg.roles.processes import Process
from crmorg.settings import Organization, Settings
from crmorg.text import Id

__all__ = [
    "ID_SECTIONS",
    "LIST",
    "MAPPING",
    "ONE",
    "SECTIONS",
    "SECTION_KEYS",
    "Kind",
    "Reference",
    "Section",
    "Shape",
    "section",
]

Shape = Literal["mapping", "list", "one"]
MAPPING: Shape = "mapping"
"""A mapping from id to entry (``roles``)."""
LIST: Shape = "list"
"""A list of entries (``constraints``, each with its own ``id``; ``actions``, of ids)."""
ONE: Shape = "one"
"""A single value (``organization``, ``settings``)."""


class Kind(Enum):
    """What a reference names, and so how `unknown-reference` checks and words it."""

    ENTRY = "an entry of a section"
    ACTION = "an action, built in or declared"
    GRANTS = "a grant map: resource -> action -> scope, `*` for every resource or action"
    PERMISSION = "a `resource:action` pair"
    RULE = "a rule"
    RULE_OR_GROUP = "a rule or a rule group"
    ANY_ID = "any id the model defines"
    PARTS = "a list of parts, each with references of its own"


@dataclass(frozen=True)
class Reference:
    """A field of an entry that names something defined elsewhere in the model.

    ``relation`` starts the message about an unknown name, ``{id}`` standing for the
    entry's id (``"role {id} inherits"``). ``each``: the field is a list of names (a
    missing list is no names); ``keys``: the names are the keys of the field's mapping.
    ``on`` limits the reference to entries of one model (a kind of constraint).
    """

    field: str
    kind: Kind
    relation: str = ""
    section: str | None = None
    """The section named, for :attr:`Kind.ENTRY`."""
    each: bool = False
    keys: bool = False
    on: type[Any] | None = None
    parts: tuple[Reference, ...] = ()
    """The references of each part, for :attr:`Kind.PARTS`."""


@dataclass(frozen=True)
class Section:
    """One top-level section: its key, shape, what validates an entry, its references.

    ``item`` names one entry in code and in the handbook (``n.kpi``, ``link.kpi``);
    ``noun`` names it in messages where that differs (``KPI``).
    """

    key: str
    shape: Shape
    entry: Any
    """The pydantic model of one entry (the type of the value for ``one`` sections)."""
    item: str = ""
    noun: str = ""
    references: tuple[Reference, ...] = ()
    description: str | None = None
    """Shown in the JSON Schema."""
    default: Any = None
    """A ``one`` section's value when a file leaves it out."""

    @property
    def singular(self) -> str:
        """One entry as messages call it."""
        return self.noun or self.item


def _to(section: str, field: str, relation: str, *, each: bool = False) -> Reference:
    return Reference(field, Kind.ENTRY, relation, section, each=each)


def _grants(field: str) -> Reference:
    return Reference(field, Kind.GRANTS, "{id} names")


_RACI = tuple(
    _to("roles", part, f"responsibility {{id}} lists as {part}", each=True)
    for part in ("responsible", "consulted", "informed")
)

# What each section's entries name, by section.
_OF_DEPARTMENT = (
    _to("departments", "parent", "department {id} has parent"),
    _to("roles", "head", "department {id} is headed by"),
)
_OF_ROLE = (
    _to("departments", "department", "role {id} belongs to"),
    _to("roles", "inherits", "role {id} inherits", each=True),
    _to("roles", "reports_to", "role {id} reports to"),
    _grants("grants"),
    Reference("fields", Kind.ENTRY, "role {id} grants fields of", "resources", keys=True),
    _to("roles", "assignable", "role {id} may assign", each=True),
)
_OF_RESPONSIBILITY = (
    _to("departments", "department", "responsibility {id} belongs to"),
    _to("roles", "accountable", "responsibility {id} is accountable to"),
    *_RACI,
    _grants("requires"),
)
_OF_TEAM = (
    _to("departments", "department", "team {id} belongs to"),
    _to("people", "lead", "team {id} is led by"),
)
_OF_PERSON = (
    _to("roles", "roles", "{id} holds", each=True),
    _to("teams", "teams", "{id} is in", each=True),
    _to("people", "reports_to", "{id} reports to"),
)
_OF_KPI = (
    _to("departments", "department", "KPI {id} belongs to"),
    _to("roles", "owner", "KPI {id} is owned by"),
    _to("roles", "contributors", "KPI {id} lists as contributor", each=True),
)
_OF_CONSTRAINT = (
    Reference(
        "permissions", Kind.PERMISSION, "constraint {id} names", each=True, on=SeparationOfDuties
    ),
    Reference("roles", Kind.ENTRY, "constraint {id} names", "roles", each=True, on=ExclusiveRoles),
    Reference("role", Kind.ENTRY, "constraint {id} names", "roles", on=RoleCardinality),
)
_WAIVER = (
    Reference("rule", Kind.RULE, "a waiver names"),
    Reference("subjects", Kind.ANY_ID, "a waiver names", each=True),
)
_OF_SETTINGS = (
    Reference("rules", Kind.RULE_OR_GROUP, "settings.rules names", keys=True),
    Reference("waivers", Kind.PARTS, each=True, parts=_WAIVER),
)
_RESOURCE_ACTIONS = Reference("actions", Kind.ACTION, "resource {id} lists", each=True)
_OF_SHARING_RULE = (
    _to("resources", "resource", "sharing rule {id} shares"),
    Reference("actions", Kind.ACTION, "sharing rule {id} shares", each=True),
)
_OF_STEP = (
    _to("roles", "accountable", "step {step} of process {id} is accountable to"),
    *(
        _to("roles", part, f"step {{step}} of process {{id}} lists as {part}", each=True)
        for part in ("responsible", "consulted", "informed")
    ),
    Reference("requires", Kind.GRANTS, "step {step} of process {id} names"),
)
_OF_PROCESS = (
    _to("departments", "department", "process {id} belongs to"),
    Reference("steps", Kind.PARTS, each=True, parts=_OF_STEP),
)
_METRIC_SOURCE = _to("resources", "source", "metric {id} is computed from")

# The order is the one the loader's messages list the sections in.
SECTIONS: tuple[Section, ...] = (
    Section("version", ONE, Literal[1], default=1),
    Section("organization", ONE, Organization),
    Section("actions", LIST, Id, "action", "action id", description="Model-specific actions."),
    Section("resources", MAPPING, Resource, "resource", references=(_RESOURCE_ACTIONS,)),
    Section("departments", MAPPING, Department, "department", references=_OF_DEPARTMENT),
    Section("roles", MAPPING, Role, "role", references=_OF_ROLE),
    Section(
        "responsibilities", MAPPING, Responsibility, "responsibility", references=_OF_RESPONSIBILITY
    ),
    Section("teams", MAPPING, Team, "team", references=_OF_TEAM),
    Section("people", MAPPING, Person, "person", references=_OF_PERSON),
    Section("kpis", MAPPING, Kpi, "kpi", "KPI", references=_OF_KPI),
    Section("metrics", MAPPING, Metric, "metric", references=(_METRIC_SOURCE,)),
    Section("constraints", LIST, Constraint, "constraint", references=_OF_CONSTRAINT),
    Section(
        "sharing",
        MAPPING,
        SharingRule,
        "sharing_rule",
        "sharing rule",
        references=_OF_SHARING_RULE,
        description="Sharing rules (format v1.1): records owned by one group, shared with another.",
    ),
    Section(
        "processes",
        MAPPING,
        Process,
        "process",
        references=_OF_PROCESS,
        description="Processes (format section 15): steps with RACI, `requires` and `next`.",
    ),
    Section("settings", ONE, Settings, references=_OF_SETTINGS),
)
SECTION_KEYS: tuple[str, ...] = tuple(declared.key for declared in SECTIONS)
ID_SECTIONS: tuple[str, ...] = tuple(s.key for s in SECTIONS if s.shape == MAPPING)
"""The sections that map ids to entries, in declaration order."""

_BY_KEY: Mapping[str, Section] = {declared.key: declared for declared in SECTIONS}


def section(key: str) -> Section:
    """The declaration of section ``key``."""
    return _BY_KEY[key]
