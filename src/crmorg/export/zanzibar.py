"""What the Zanzibar-style targets (``openfga``, ``spicedb``) share: names and schema.

OpenFGA and SpiceDB decide ``check(person, permission, record)`` by following
relationships (tuples). crmorg does not know the records, so the export is the static
part: a schema, and the relationships of :mod:`crmorg.export.zanzibar_relationships`.
The application writes a few relationships for each record as it creates it
(:meth:`ZanzibarNames.record_relationships` lists them, and ``docs/exports.md`` says
why). Both targets render the one schema built here, each in its own syntax, so they
cannot drift apart.

A check walks a fixed number of objects, whatever the depth of inheritance and however
many roles grant the permission: each person's **effective** grants (their roles', what
those inherit, and the baselines they earn, format v1.1 §9-10) are written as direct
relationships ``policy:<resource>#<scope>_<action>@person:P``, one per maximal scope,
so "may P act at scope s" is a handful of direct look-ups on one object. The schema:

- ``person``: ``team`` and ``department`` (the teams they list or lead; the
  departments of those teams and of their roles); ``managers`` (everyone above them in
  the reporting lines, listed whole, so a check never recurses); ``teammate`` is
  everyone in one of their teams, ``departments_reached_by`` everyone who reaches one of
  their departments; with sharing rules, ``shared_<type>_<action>``: the rules that
  share their records (``sharing#recipient``).
- ``team``: ``member`` (the people who list it, and its lead).
- ``department``: ``member`` (people whose departments include it) and ``ancestor``
  (every department above it, listed whole); ``reached_by`` is its members and its
  ancestors' members: the people whose reach holds it.
- ``policy``: one object per CRM resource type (``policy:<resource id>``): relation
  ``<scope>_<action>`` holds the people whose effective scopes for the action include
  that maximal scope, ``may_<scope>_<action>`` the people who may act at that scope or
  wider (a union of the former, one hop); ``field_<field>_read|edit`` the people whose
  field access to a restricted field is that.
- ``sharing`` (with sharing rules): one object per rule, ``recipient`` its ``to`` group.
- one type per resource: the record, with ``policy``, ``owner``, ``team``,
  ``department``, and ``teams_from`` / ``departments_from`` (the owner, written only when
  the record names no team / department), one permission per action that applies and,
  for a restricted field, ``field_<field>_read`` / ``field_<field>_update``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, TypeAlias

from crmorg.export.errors import Inexpressible, UnsupportedModelError
from crmorg.export.scope_forms import Trivial, reaching
from crmorg.model import Model
from crmorg.roles.scopes import SCOPE_NAMES, Scope, includes

PERSON = "person"
TEAM = "team"
DEPARTMENT = "department"
POLICY = "policy"
SHARING = "sharing"
BUILT_IN_TYPES = (PERSON, TEAM, DEPARTMENT, POLICY, SHARING, "role")
"""Type names crmorg keeps for itself (``role`` too: earlier exports had the type)."""

# A person's relations.
MANAGERS = "managers"
TEAMMATE = "teammate"
DEPARTMENTS_REACHED_BY = "departments_reached_by"
RECIPIENT = "recipient"

# A record's relations, written by the application (see ZanzibarNames.record_relationships).
RECORD_POLICY = "policy"
RECORD_OWNER = "owner"
RECORD_TEAM = "team"
RECORD_TEAMS_FROM = "teams_from"
RECORD_DEPARTMENT = "department"
RECORD_DEPARTMENTS_FROM = "departments_from"
RECORD_IN_SUBORDINATES = "in_subordinates"
RECORD_IN_TEAM = "in_team"
RECORD_IN_DEPARTMENT = "in_department"
RECORD_RELATIONS = frozenset(
    {
        RECORD_POLICY,
        RECORD_OWNER,
        RECORD_TEAM,
        RECORD_TEAMS_FROM,
        RECORD_DEPARTMENT,
        RECORD_DEPARTMENTS_FROM,
        RECORD_IN_SUBORDINATES,
        RECORD_IN_TEAM,
        RECORD_IN_DEPARTMENT,
    }
)

# Words that neither syntax accepts as a type or relation name, found by trying each in
# the real parsers (OpenFGA's DSL and SpiceDB's schema); the tests try them again.
RESERVED_WORDS = frozenset(
    {
        # SpiceDB schema keywords
        "caveat",
        "definition",
        "nil",
        "permission",
        "relation",
        "with",
        # OpenFGA DSL keywords and reserved relation/type names
        "and",
        "condition",
        "define",
        "false",
        "from",
        "in",
        "null",
        "or",
        "relations",
        "self",
        "this",
        "true",
    }
)

# Both syntaxes: SpiceDB wants 3 to 64 characters ending in a letter or digit,
# OpenFGA relation names at most 50 characters.
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,48}[a-z0-9]$")
_TYPE_NAME = re.compile(r"^[a-z][a-z0-9_]{1,62}[a-z0-9]$")
_LONGEST_PREFIX = len(f"may_{max(SCOPE_NAMES, key=len)}_")
_BODY_ROOM = 50 - _LONGEST_PREFIX
_BODY = re.compile(rf"^[a-z]([a-z0-9_]{{0,{_BODY_ROOM - 2}}}[a-z0-9])?$")
FIELD_LEVELS = ("read", "edit")
"""The field accesses a policy relation holds people at (``none`` holds nobody)."""
FIELD_ACTIONS: Mapping[str, tuple[str, ...]] = {"read": ("read", "edit"), "update": ("edit",)}
"""A record action that reads or edits a field -> the field accesses that allow it."""


def _digest(identifier: str) -> str:
    return hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:8]


def _hashed(prefix: str, identifier: str, room: int) -> str:
    """``prefix`` + a readable start of ``identifier`` + a digest: fits ``room`` characters."""
    keep = room - len(prefix) - 9
    return f"{prefix}{identifier[:keep]}_{_digest(identifier)}"


class FieldNames(NamedTuple):
    """The names of one restricted field: its policy relations and record permissions."""

    policy: Mapping[str, str]
    """Field access (``read``, ``edit``) -> the policy relation holding people at it."""
    permissions: Mapping[str, str]
    """Record action (``read``, ``update``) -> the record type's permission for the field."""


@dataclass(frozen=True)
class ZanzibarNames:
    """How crmorg ids become type, relation and permission names in both targets.

    A resource's type and an action's permission are the id itself wherever both
    syntaxes accept it; otherwise (too short or long, ending in ``_``, a keyword, or
    one of crmorg's own names) ``resource_<id>`` / ``action_<id>``, with a digest when
    even that does not fit. Object ids (people, teams, departments, resources, sharing
    rules) are crmorg ids as they are: both targets accept every id the format allows.
    """

    types: Mapping[str, str]
    """Resource id -> its record type."""
    permissions: Mapping[str, str]
    """Action id -> the permission on record types that decides it."""
    bodies: Mapping[str, str]
    """Action id -> the part of the policy relation names that stands for it."""
    shared: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """(resource, action) a sharing rule covers -> the person relation naming the rules."""
    fields: Mapping[tuple[str, str], FieldNames] = field(default_factory=dict)
    """(resource, restricted field) -> its names."""

    @classmethod
    def for_model(cls, model: Model) -> ZanzibarNames:
        """The names for ``model`` (what the ``openfga`` and ``spicedb`` exports use)."""
        catalog = model.access.catalog
        shared = {
            (rule.resource, action)
            for rule in model.sharing.values()
            for action in rule.actions
            if catalog.applies(rule.resource, action)
        }
        fields = {
            (resource_id, field_id)
            for resource_id, resource in model.resources.items()
            if resource_id in catalog.applicable
            for field_id, declared in resource.fields.items()
            if declared.restricted
        }
        return cls.build(sorted(catalog.applicable), sorted(catalog.actions), shared, fields)

    @classmethod
    def build(
        cls,
        resources: Iterable[str],
        actions: Iterable[str],
        shared: Iterable[tuple[str, str]] = (),
        fields: Iterable[tuple[str, str]] = (),
    ) -> ZanzibarNames:
        resources, actions = sorted(resources), sorted(actions)
        types = _assign(
            resources,
            _TYPE_NAME,
            taken=set(BUILT_IN_TYPES),
            prefix="resource_",
            room=64,
        )
        permissions = _assign(
            actions, _NAME, taken=set(RECORD_RELATIONS), prefix="action_", room=50
        )
        bodies = _assign(actions, _BODY, taken=set(), prefix="", room=_BODY_ROOM, reserved=False)
        pairs = sorted(shared)
        shared_names = _assign(
            [f"{types[r]}_{bodies[a]}" for r, a in pairs],
            _NAME,
            taken=set(),
            prefix="shared_",
            room=50,
            always_prefixed=True,
        )
        return cls(
            types=types,
            permissions=permissions,
            bodies=bodies,
            shared={p: shared_names[f"{types[p[0]]}_{bodies[p[1]]}"] for p in pairs},
            fields=_field_names(sorted(fields), set(permissions.values())),
        )

    def grant_relation(self, action: str, scope: Scope) -> str:
        """The policy relation holding the people whose maximal scopes include ``scope``."""
        return f"{scope.label}_{self.bodies[action]}"

    def may_relation(self, action: str, scope: Scope) -> str:
        """The policy permission: the people who may do ``action`` at ``scope`` or wider."""
        return f"may_{scope.label}_{self.bodies[action]}"

    def record_relationships(
        self,
        resource: str,
        record_id: str,
        *,
        owner: str | None = None,
        team: str | None = None,
        department: str | None = None,
    ) -> list[Relationship]:
        """What an application writes when it creates a ``resource`` record.

        ``policy`` always; ``owner`` when the record has one; ``team`` when it names
        one, otherwise ``teams_from`` the owner (so the owner's teams count, and stay
        current as the owner moves); likewise ``department`` or ``departments_from``.
        """
        record_type = self.types[resource]

        def to(relation: str, subject_type: str, subject_id: str) -> Relationship:
            return Relationship(record_type, record_id, relation, subject_type, subject_id)

        written = [to(RECORD_POLICY, POLICY, resource)]
        if owner is not None:
            written.append(to(RECORD_OWNER, PERSON, owner))
        if team is not None:
            written.append(to(RECORD_TEAM, TEAM, team))
        elif owner is not None:
            written.append(to(RECORD_TEAMS_FROM, PERSON, owner))
        if department is not None:
            written.append(to(RECORD_DEPARTMENT, DEPARTMENT, department))
        elif owner is not None:
            written.append(to(RECORD_DEPARTMENTS_FROM, PERSON, owner))
        return written


def _assign(
    ids: list[str],
    pattern: re.Pattern[str],
    *,
    taken: set[str],
    prefix: str,
    room: int,
    reserved: bool = True,
    always_prefixed: bool = False,
) -> dict[str, str]:
    """A distinct, valid name for every id: the id itself where possible (or, with
    ``always_prefixed``, the prefix and the id)."""

    def usable(name: str) -> bool:
        return bool(pattern.match(name)) and not (reserved and name in RESERVED_WORDS)

    names: dict[str, str] = {}
    if not always_prefixed:
        names = {i: i for i in ids if usable(i) and i not in taken}
    used = taken | set(names.values())
    for identifier in ids:
        if identifier in names:
            continue
        name = prefix + identifier
        if not usable(name) or name in used:
            name = _hashed(prefix, identifier, room)
        if not usable(name) or name in used:
            # Names are built from ids alone (some actions are built in), so no line of
            # the model is to blame.
            problem = Inexpressible(
                "unnameable-id",
                f"cannot find an OpenFGA/SpiceDB name for `{identifier}`: `{name}` is taken; "
                "rename one of them",
            )
            raise UnsupportedModelError((problem,))
        names[identifier] = name
        used.add(name)
    return dict(sorted(names.items()))


def _field_names(
    fields: list[tuple[str, str]], permissions: set[str]
) -> dict[tuple[str, str], FieldNames]:
    """Policy relations ``field_<field>_<access>`` (shared by every resource: the policy
    object tells them apart) and record permissions ``field_<field>_<action>`` (beside
    the actions' permissions on the record type)."""
    field_ids = sorted({f for _, f in fields})
    policy = {
        access: _assign(
            [f"{f}_{access}" for f in field_ids], _NAME, taken=set(), prefix="field_",
            room=50, always_prefixed=True,
        )
        for access in FIELD_LEVELS
    }  # fmt: skip
    record = {
        action: _assign(
            [f"{f}_{action}" for f in field_ids], _NAME, taken=permissions | RECORD_RELATIONS,
            prefix="field_", room=50, always_prefixed=True,
        )
        for action in FIELD_ACTIONS
    }  # fmt: skip
    return {
        (resource, f): FieldNames(
            {access: policy[access][f"{f}_{access}"] for access in FIELD_LEVELS},
            {action: record[action][f"{f}_{action}"] for action in FIELD_ACTIONS},
        )
        for resource, f in fields
    }


# --- the schema, independent of syntax ------------------------------------------------------
@dataclass(frozen=True)
class Computed:
    """Another relation of the same object."""

    relation: str


@dataclass(frozen=True)
class Arrow:
    """``relation`` of every object that ``tupleset`` points at (tuple to userset)."""

    tupleset: str
    relation: str


@dataclass(frozen=True)
class UnionOf:
    children: tuple[Rewrite, ...]


@dataclass(frozen=True)
class IntersectionOf:
    children: tuple[Rewrite, ...]


Rewrite: TypeAlias = Computed | Arrow | UnionOf | IntersectionOf


def union(children: Iterable[Rewrite]) -> Rewrite:
    """The union of ``children``; one child alone is itself."""
    found = tuple(children)
    return found[0] if len(found) == 1 else UnionOf(found)


@dataclass(frozen=True)
class Syntax:
    """How a target's language writes a rewrite: an arrow (``{tupleset}``, ``{relation}``),
    and the operators of a union and an intersection."""

    arrow: str
    union: str
    intersection: str

    def expression(self, rewrite: Rewrite, nested: bool = False) -> str:
        """``rewrite`` in this syntax; a nested union or intersection in parentheses."""
        if isinstance(rewrite, Computed):
            return rewrite.relation
        if isinstance(rewrite, Arrow):
            return self.arrow.format(tupleset=rewrite.tupleset, relation=rewrite.relation)
        operator = self.union if isinstance(rewrite, UnionOf) else self.intersection
        text = operator.join(self.expression(child, nested=True) for child in rewrite.children)
        return f"({text})" if nested else text


RECORD_REACH: Mapping[Scope, Rewrite | Trivial] = {
    Scope.NONE: Trivial.NO_RECORD,
    Scope.OWN: Computed(RECORD_OWNER),
    Scope.SUBORDINATES: Computed(RECORD_IN_SUBORDINATES),
    Scope.TEAM: Computed(RECORD_IN_TEAM),
    Scope.DEPARTMENT: Computed(RECORD_IN_DEPARTMENT),
    Scope.ORGANIZATION: Trivial.EVERY_RECORD,
}
"""Each scope's own reach: the relation of a record that holds the people it reaches."""

SCOPES = reaching(RECORD_REACH)
"""The scopes with policy relations, narrowest first: those that reach some record."""

WIDER: Mapping[Scope, tuple[Scope, ...]] = {
    scope: tuple(w for w in SCOPES if includes(w, scope)) for scope in SCOPES
}
"""Scope -> itself and every scope of :data:`SCOPES` that includes it: whose grants
``may_<scope>_<action>`` unions, one hop from the policy object."""


@dataclass(frozen=True)
class RelationDef:
    """A relation written by tuples (``subjects``: ``type`` or ``type#relation``) or a
    permission computed (``rewrite``)."""

    name: str
    subjects: tuple[str, ...] = ()
    rewrite: Rewrite | None = None
    comment: str = ""


@dataclass(frozen=True)
class TypeDef:
    name: str
    relations: tuple[RelationDef, ...]
    comment: tuple[str, ...] = ()


def schema(model: Model, names: ZanzibarNames) -> tuple[TypeDef, ...]:
    """Every type of the export, in the order both targets print them."""
    catalog = model.access.catalog
    person = [
        RelationDef(TEAM, (TEAM,), comment="the teams they list or lead"),
        RelationDef(DEPARTMENT, (DEPARTMENT,), comment="the departments of their teams and roles"),
        RelationDef(MANAGERS, (PERSON,), comment="everyone above them in the reporting lines"),
        RelationDef(TEAMMATE, rewrite=Arrow(TEAM, "member")),
        RelationDef(DEPARTMENTS_REACHED_BY, rewrite=Arrow(DEPARTMENT, "reached_by")),
    ]
    person += [
        RelationDef(relation, (f"{SHARING}#{RECIPIENT}",), comment=f"rules sharing {r} {a}")
        for (r, a), relation in names.shared.items()
    ]
    types = [
        TypeDef(
            PERSON,
            tuple(person),
            ("A person: someone who acts on records, and may own them.",),
        ),
        TypeDef(
            TEAM,
            (RelationDef("member", (PERSON,), comment="who lists the team, and its lead"),),
        ),
        TypeDef(
            DEPARTMENT,
            (
                RelationDef("member", (PERSON,), comment="people whose departments include it"),
                RelationDef("ancestor", (DEPARTMENT,), comment="every department above it"),
                RelationDef(
                    "reached_by", rewrite=UnionOf((Computed("member"), Arrow("ancestor", "member")))
                ),
            ),
            ("reached_by: the people whose department reach holds this department.",),
        ),
        TypeDef(POLICY, _policy_relations(catalog.actions, names), _POLICY_COMMENT),
    ]
    if names.shared:
        types.append(
            TypeDef(
                SHARING,
                (RelationDef(RECIPIENT, (PERSON,), comment="the rule's `to` group"),),
                ("One object per sharing rule (sharing:<rule id>).",),
            )
        )
    for resource in sorted(catalog.applicable):
        actions = tuple(sorted(catalog.applicable[resource]))
        types.append(_record_type(names, resource, actions))
    return tuple(types)


_POLICY_COMMENT = (
    "One object per CRM resource type (policy:<resource id>) holds its grants:",
    "<scope>_<action> are the people whose effective scopes for the action include",
    "that widest scope (their roles', inherited, and baselines), may_<scope>_<action>",
    "the people who may act at that scope or wider, field_<field>_<access> the people",
    "with that access to a restricted field.",
)


def _policy_relations(actions: Iterable[str], names: ZanzibarNames) -> tuple[RelationDef, ...]:
    relations: list[RelationDef] = []
    for action in sorted(actions):
        for scope in SCOPES:
            relations.append(RelationDef(names.grant_relation(action, scope), (PERSON,)))
        for scope in SCOPES:
            held = union(Computed(names.grant_relation(action, w)) for w in WIDER[scope])
            relations.append(RelationDef(names.may_relation(action, scope), rewrite=held))
    levels = sorted({name for named in names.fields.values() for name in named.policy.values()})
    relations += [RelationDef(name, (PERSON,)) for name in levels]
    return tuple(relations)


def _record_type(names: ZanzibarNames, resource: str, actions: tuple[str, ...]) -> TypeDef:
    relations = [
        RelationDef(RECORD_POLICY, (POLICY,), comment=f"always policy:{resource}"),
        RelationDef(RECORD_OWNER, (PERSON,)),
        RelationDef(RECORD_TEAM, (TEAM,), comment="when the record names a team"),
        RelationDef(RECORD_TEAMS_FROM, (PERSON,), comment="otherwise the owner"),
        RelationDef(RECORD_DEPARTMENT, (DEPARTMENT,), comment="when it names a department"),
        RelationDef(RECORD_DEPARTMENTS_FROM, (PERSON,), comment="otherwise the owner"),
        RelationDef(RECORD_IN_SUBORDINATES, rewrite=Arrow(RECORD_OWNER, MANAGERS)),
        RelationDef(
            RECORD_IN_TEAM,
            rewrite=UnionOf((Arrow(RECORD_TEAM, "member"), Arrow(RECORD_TEAMS_FROM, TEAMMATE))),
        ),
        RelationDef(
            RECORD_IN_DEPARTMENT,
            rewrite=UnionOf(
                (
                    Arrow(RECORD_DEPARTMENT, "reached_by"),
                    Arrow(RECORD_DEPARTMENTS_FROM, DEPARTMENTS_REACHED_BY),
                )
            ),
        ),
    ]
    for action in actions:
        reached: list[Rewrite] = []
        for scope in SCOPES:
            may = Arrow(RECORD_POLICY, names.may_relation(action, scope))
            reach = RECORD_REACH[scope]  # every scope here reaches some record
            reached.append(may if isinstance(reach, Trivial) else IntersectionOf((reach, may)))
        shared = names.shared.get((resource, action))
        if shared is not None:  # the object permission (any scope) gates a sharing rule
            gate = Arrow(RECORD_POLICY, names.may_relation(action, Scope.OWN))
            reached.append(IntersectionOf((Arrow(RECORD_OWNER, shared), gate)))
        relations.append(
            RelationDef(
                names.permissions[action],
                rewrite=UnionOf(tuple(reached)),
                comment=f"action {action}" if names.permissions[action] != action else "",
            )
        )
    for (field_resource, field_id), named in sorted(names.fields.items()):
        if field_resource != resource:
            continue
        for action, accesses in FIELD_ACTIONS.items():
            if action not in actions:
                continue
            allowed = union(Arrow(RECORD_POLICY, named.policy[a]) for a in accesses)
            relations.append(
                RelationDef(
                    named.permissions[action],
                    rewrite=IntersectionOf((Computed(names.permissions[action]), allowed)),
                    comment=f"restricted field {field_id}: {action}",
                )
            )
    return TypeDef(names.types[resource], tuple(relations), (f"resource {resource}",))


# --- relationships --------------------------------------------------------------------------
class Relationship(NamedTuple):
    """``object_type:object_id#relation@subject_type:subject_id[#subject_relation]``."""

    object_type: str
    object_id: str
    relation: str
    subject_type: str
    subject_id: str
    subject_relation: str = ""

    @property
    def spicedb(self) -> str:
        subject = f"{self.subject_type}:{self.subject_id}"
        if self.subject_relation:
            subject += f"#{self.subject_relation}"
        return f"{self.object_type}:{self.object_id}#{self.relation}@{subject}"

    @property
    def openfga(self) -> dict[str, str]:
        user = f"{self.subject_type}:{self.subject_id}"
        if self.subject_relation:
            user += f"#{self.subject_relation}"
        return {
            "user": user,
            "relation": self.relation,
            "object": f"{self.object_type}:{self.object_id}",
        }


def type_notes(names: ZanzibarNames) -> list[str]:
    """Comment lines naming each resource whose type or action whose permission differs."""
    notes = [
        f"resource {resource} is type {name}"
        for resource, name in names.types.items()
        if name != resource
    ]
    notes += [
        f"action {action} is permission {name}"
        for action, name in names.permissions.items()
        if name != action
    ]
    return notes
