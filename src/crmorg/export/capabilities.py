"""What a target can express, declared beside it, and what a model asks of it.

A :class:`Construct` is something a model may say that not every target can represent
(a forced inheritance cycle, an id shared by a person and a role, ...), declared once
with the function that finds where a model says it. Each target declares its
:class:`Capabilities`: the questions its engine answers and the constructs it
expresses. :func:`inexpressible` lists what a model says outside them, and the export
refuses such a model with one :class:`~crmorg.export.errors.UnsupportedModelError`.

A target expresses only what it lists, so a new construct (baselines, sharing rules,
field permissions) is refused by every target until the target says otherwise: adding
one is a :class:`Construct` in :data:`CONSTRUCTS`, and one flag in the ``expresses`` of
each target that can express it (``EVERY_V1_CONSTRUCT | {SHARING_RULE}``).

Each scope of the registry is a construct too (:data:`SCOPE_CONSTRUCTS`, used where a
grant is written at it), derived from the registry: a scope added there (v1.1's
``subordinates``) is refused by a target that writes scopes' reach until the target has
a form for its reach (:attr:`Capabilities.scope_forms`, :mod:`crmorg.export.scope_forms`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from crmorg.export.compiled import source_of
from crmorg.export.errors import Inexpressible
from crmorg.export.scope_forms import expressible
from crmorg.findings import Path
from crmorg.model import Model
from crmorg.roles.scopes import SCOPES, Scope


class Question(enum.Enum):
    """A question that a target's engine answers itself, from the exported files."""

    SUBJECT_AT_SCOPE = "may a role or person act at a scope (Model.allows)"
    PERSON_ON_RECORD = "may a person act on one record (Model.decide)"


@dataclass(frozen=True)
class Use:
    """Where a model uses a construct: a model path, and what is there."""

    path: Path
    text: str


@dataclass(frozen=True)
class Construct:
    """Something a model may say that a target may be unable to express."""

    name: str
    summary: str
    find: Callable[[Model], Iterable[Use]]
    unexpressed: str = "the target cannot express it"
    """The reason a refusal gives when the target says no other."""


def _cycles(cycles: Iterable[list[str]]) -> list[tuple[str, ...]]:
    """The cycles that matter, each as its sorted ids, sorted."""
    # A role inheriting itself (or a department its own parent) changes nothing.
    return sorted(tuple(sorted(cycle)) for cycle in cycles if len(cycle) > 1)


def _inheritance_cycles(model: Model) -> Iterator[Use]:
    for cycle in _cycles(model.org.inheritance_cycles):
        yield Use(("roles", cycle[0], "inherits"), f"inheritance cycle {' -> '.join(cycle)}")


def _department_cycles(model: Model) -> Iterator[Use]:
    for cycle in _cycles(model.org.department_cycles):
        yield Use(("departments", cycle[0], "parent"), f"department cycle {' -> '.join(cycle)}")


def _shared_person_role_ids(model: Model) -> Iterator[Use]:
    for shared in sorted(set(model.roles) & set(model.people)):
        yield Use(("people", shared), f"`{shared}` names both a role and a person")


def _reporting_cycles(model: Model) -> Iterator[Use]:
    # Reporting lines matter to an export only through grants and baselines at
    # `subordinates`.
    at = SCOPES[Scope.SUBORDINATES].name
    granted = any(True for _ in _grants_at(Scope.SUBORDINATES)(model))
    if not granted and not any(
        at in resource.baseline.values() for resource in model.resources.values()
    ):
        return
    for cycle in _cycles(model.org.reporting_cycles):
        yield Use(("people", cycle[0], "reports_to"), f"reporting cycle {' -> '.join(cycle)}")


def _baselines(model: Model) -> Iterator[Use]:
    for resource_id, resource in model.resources.items():
        for action_key, scope in resource.baseline.items():
            yield Use(
                ("resources", resource_id, "baseline", action_key),
                f"`{resource_id}` has a baseline {action_key}: {scope}",
            )


def _sharing_rules(model: Model) -> Iterator[Use]:
    for rule_id, rule in model.sharing.items():
        yield Use(("sharing", rule_id), f"sharing rule `{rule_id}` on {rule.resource}")


def _restricted_fields(model: Model) -> Iterator[Use]:
    for resource_id, resource in model.resources.items():
        for field_id, field_ in resource.fields.items():
            if field_.restricted:
                yield Use(
                    ("resources", resource_id, "fields", field_id),
                    f"`{resource_id}.{field_id}` is a restricted field",
                )


INHERITANCE_CYCLE = Construct(
    "inheritance-cycle",
    "roles that inherit each other in a circle (only exported with --force)",
    _inheritance_cycles,
)
DEPARTMENT_CYCLE = Construct(
    "department-cycle",
    "departments that are each other's parents (only exported with --force)",
    _department_cycles,
)
SHARED_PERSON_ROLE_ID = Construct(
    "shared-person-role-id",
    "an id that names both a role and a person (the format allows it)",
    _shared_person_role_ids,
)


REPORTING_CYCLE = Construct(
    "reporting-cycle",
    "people whose reports_to lines run in a circle, with grants at subordinates (--force)",
    _reporting_cycles,
)
BASELINE = Construct(
    "baseline", "a resource's baseline: a scope for everyone with a grant (v1.1)", _baselines
)
SHARING_RULE = Construct(
    "sharing-rule",
    "records of one group's members shared with another group (v1.1)",
    _sharing_rules,
)
RESTRICTED_FIELD = Construct(
    "restricted-field", "a field hidden unless a role grants it (v1.1)", _restricted_fields
)
ACCESS_V1_1 = frozenset({BASELINE, SHARING_RULE, RESTRICTED_FIELD})
"""Format v1.1's access constructs besides its scope: a target lists those it expresses."""


def _grants_at(scope: Scope) -> Callable[[Model], Iterator[Use]]:
    name = SCOPES[scope].name

    def find(model: Model) -> Iterator[Use]:
        for role_id, role in model.roles.items():
            for resource_key, actions in role.grants.items():
                for action_key, written in actions.items():
                    if written == name:
                        yield Use(
                            ("roles", role_id, "grants", resource_key, action_key),
                            f"`{role_id}` grants {resource_key}.{action_key} at scope {name}",
                        )

    return find


SCOPE_CONSTRUCTS: Mapping[Scope, Construct] = {
    scope: Construct(
        f"{definition.name}-scope",
        f"a grant at scope `{definition.name}`",
        _grants_at(scope),
        "the target writes no reach for this scope, or for a scope it includes",
    )
    for scope, definition in SCOPES.items()
}
"""Per scope of the registry: grants written at it."""

CONSTRUCTS: tuple[Construct, ...] = (
    INHERITANCE_CYCLE,
    DEPARTMENT_CYCLE,
    REPORTING_CYCLE,
    SHARED_PERSON_ROLE_ID,
    *SCOPE_CONSTRUCTS.values(),
    BASELINE,
    SHARING_RULE,
    RESTRICTED_FIELD,
)
"""Every construct a target may be unable to express, in the order they are reported."""

EVERY_V1_CONSTRUCT = frozenset(
    {INHERITANCE_CYCLE, DEPARTMENT_CYCLE, REPORTING_CYCLE, SHARED_PERSON_ROLE_ID}
)
"""What a target expresses if it expresses all that format v1 can say besides its scopes
(which follow from :attr:`Capabilities.scope_forms`). Constructs of a later version are
not in it, so such a target still refuses them until it lists them."""


@dataclass(frozen=True)
class Capabilities:
    """What one target can do: the questions it answers and the constructs it expresses.

    ``why_not`` gives, for a construct it cannot express, the reason and the fix that the
    refusal shows. ``scope_forms`` is how the target writes each scope's reach, for a
    target that writes it (:mod:`crmorg.export.scope_forms`); ``expresses`` then holds
    the constructs of exactly the scopes those forms express, whatever it was given. A
    target without forms writes scopes only by name and order (a matrix, Casbin's
    ``g2`` lines), which the registry gives for every scope, so it expresses every scope.
    """

    answers: frozenset[Question] = frozenset()
    expresses: frozenset[Construct] = frozenset()
    why_not: Mapping[Construct, str] = field(default_factory=dict)
    scope_forms: Mapping[Scope, object] | None = None

    @classmethod
    def v1(
        cls,
        *answers: Question,
        refuses: Mapping[Construct, str] | None = None,
        scope_forms: Mapping[Scope, object] | None = None,
        also: frozenset[Construct] = frozenset(),
    ) -> Capabilities:
        """A target that answers ``answers`` and expresses every v1 construct but those it
        ``refuses`` (each with the reason and fix its refusal shows), and the later
        constructs in ``also``."""
        refused = dict(refuses or {})
        expressed = (EVERY_V1_CONSTRUCT | also) - set(refused)
        return cls(frozenset(answers), expressed, refused, scope_forms)

    def __post_init__(self) -> None:
        # The scopes expressed follow from the forms alone (also after dataclasses.replace),
        # so they are never declared twice nor kept from other forms.
        scopes = SCOPES if self.scope_forms is None else expressible(self.scope_forms)
        declared = self.expresses - frozenset(SCOPE_CONSTRUCTS.values())
        expressed = declared | {SCOPE_CONSTRUCTS[scope] for scope in scopes}
        object.__setattr__(self, "expresses", expressed)


def inexpressible(model: Model, capabilities: Capabilities) -> tuple[Inexpressible, ...]:
    """Every use in ``model`` of a construct that ``capabilities`` does not express."""
    found: list[Inexpressible] = []
    for construct in CONSTRUCTS:
        if construct in capabilities.expresses:
            continue
        reason = capabilities.why_not.get(construct, construct.unexpressed)
        found += [
            Inexpressible(construct.name, f"{use.text}; {reason}", source_of(model, use.path))
            for use in construct.find(model)
        ]
    return tuple(found)
