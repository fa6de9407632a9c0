"""What the Zanzibar-style targets (``openfga``, ``spicedb``) share: names, schema, tuples.

OpenFGA and SpiceDB decide ``check(person, permission, record)`` by following
relationships (tuples). crmorg does not know the records, so the export is the static
part: a schema, and the relationships that say who holds which role, which role inherits
which, who is in which team and department, and which role is granted what. The
application writes a few relationships for each record as it creates it
(:meth:`ZanzibarNames.record_relationships` lists them, and ``docs/exports.md`` says
why). Both targets render the one schema built here, each in its own syntax, so they
cannot drift apart.

The schema (format-v1 section 3 in relationships):

- ``person``: ``team`` and ``department`` (the teams they list or lead; the
  departments of those teams and of their roles); ``teammate`` is everyone in one of
  their teams, ``departments_reached_by`` everyone who reaches one of their departments.
- ``team``: ``member`` (the people who list it, and its lead).
- ``department``: ``member`` (people whose departments include it) and ``ancestor``
  (every department above it, listed whole, so a check never recurses); ``reached_by``
  is its members and its ancestors' members: the people whose reach holds it.
- ``role``: ``holder`` (people) and ``heir`` (every role that inherits it, listed whole);
  ``assignee`` is its holders and its heirs' holders.
- ``policy``: one object per CRM resource type (``policy:<resource id>``) carrying the
  grants: relation ``<scope>_<action>`` holds the roles granted that action at that
  scope, and ``may_<scope>_<action>`` the people who may act at that scope or wider.
- one type per resource: the record, with ``policy``, ``owner``, ``team``,
  ``department``, and ``teams_from`` / ``departments_from`` (the owner, written only when
  the record names no team / department), and one permission per action that applies.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

from crmorg.export.compiled import CompiledModel
from crmorg.export.errors import Inexpressible, UnsupportedModelError
from crmorg.export.scope_forms import Trivial, directly_wider, reaching
from crmorg.model import Model
from crmorg.roles.scopes import SCOPE_NAMES, Scope

PERSON = "person"
TEAM = "team"
DEPARTMENT = "department"
ROLE = "role"
POLICY = "policy"
BUILT_IN_TYPES = (PERSON, TEAM, DEPARTMENT, ROLE, POLICY)

# A record's relations, written by the application (see ZanzibarNames.record_relationships).
RECORD_POLICY = "policy"
RECORD_OWNER = "owner"
RECORD_TEAM = "team"
RECORD_TEAMS_FROM = "teams_from"
RECORD_DEPARTMENT = "department"
RECORD_DEPARTMENTS_FROM = "departments_from"
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


def _digest(identifier: str) -> str:
    return hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:8]


def _hashed(prefix: str, identifier: str, room: int) -> str:
    """``prefix`` + a readable start of ``identifier`` + a digest: fits ``room`` characters."""
    keep = room - len(prefix) - 9
    return f"{prefix}{identifier[:keep]}_{_digest(identifier)}"


@dataclass(frozen=True)
class ZanzibarNames:
    """How crmorg ids become type, relation and permission names in both targets.

    A resource's type and an action's permission are the id itself wherever both
    syntaxes accept it; otherwise (too short or long, ending in ``_``, a keyword, or
    one of crmorg's own names) ``resource_<id>`` / ``action_<id>``, with a digest when
    even that does not fit. Object ids (people, teams, departments, roles, resources)
    are crmorg ids as they are: both targets accept every id the format allows.
    """

    types: Mapping[str, str]
    """Resource id -> its record type."""
    permissions: Mapping[str, str]
    """Action id -> the permission on record types that decides it."""
    bodies: Mapping[str, str]
    """Action id -> the part of the policy relation names that stands for it."""

    @classmethod
    def for_model(cls, model: Model) -> ZanzibarNames:
        """The names for ``model`` (what the ``openfga`` and ``spicedb`` exports use)."""
        catalog = model.access.catalog
        return cls.build(sorted(catalog.applicable), sorted(catalog.actions))

    @classmethod
    def build(cls, resources: Iterable[str], actions: Iterable[str]) -> ZanzibarNames:
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
        return cls(types=types, permissions=permissions, bodies=bodies)

    def grant_relation(self, action: str, scope: Scope) -> str:
        """The policy relation holding the roles granted ``action`` at exactly ``scope``."""
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
) -> dict[str, str]:
    """A distinct, valid name for every id: the id itself where possible."""

    def usable(name: str) -> bool:
        return bool(pattern.match(name)) and not (reserved and name in RESERVED_WORDS)

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
    Scope.TEAM: Computed(RECORD_IN_TEAM),
    Scope.DEPARTMENT: Computed(RECORD_IN_DEPARTMENT),
    Scope.ORGANIZATION: Trivial.EVERY_RECORD,
}
"""Each scope's own reach: the relation of a record that holds the people it reaches."""

SCOPES = reaching(RECORD_REACH)
"""The scopes with policy relations, narrowest first: those that reach some record."""


@dataclass(frozen=True)
class RelationDef:
    """A relation written by tuples (``subjects``) or a permission computed (``rewrite``)."""

    name: str
    subjects: tuple[str, ...] = ()
    rewrite: Rewrite | None = None
    comment: str = ""


@dataclass(frozen=True)
class TypeDef:
    name: str
    relations: tuple[RelationDef, ...]
    comment: tuple[str, ...] = ()


def schema(compiled: CompiledModel, names: ZanzibarNames) -> tuple[TypeDef, ...]:
    """Every type of the export, in the order both targets print them."""
    types = [
        TypeDef(
            PERSON,
            (
                RelationDef(TEAM, (TEAM,), comment="the teams they list or lead"),
                RelationDef(
                    DEPARTMENT, (DEPARTMENT,), comment="the departments of their teams and roles"
                ),
                RelationDef("teammate", rewrite=Arrow(TEAM, "member")),
                RelationDef("departments_reached_by", rewrite=Arrow(DEPARTMENT, "reached_by")),
            ),
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
        TypeDef(
            ROLE,
            (
                RelationDef("holder", (PERSON,), comment="people who hold the role"),
                RelationDef("heir", (ROLE,), comment="every role that inherits it"),
                RelationDef(
                    "assignee", rewrite=UnionOf((Computed("holder"), Arrow("heir", "holder")))
                ),
            ),
            ("assignee: the people the role's grants reach (its holders and its heirs').",),
        ),
        TypeDef(POLICY, _policy_relations(compiled, names), _policy_comment()),
    ]
    for resource in compiled.resources:
        types.append(_record_type(compiled, names, resource))
    return tuple(types)


def _policy_comment() -> tuple[str, ...]:
    return (
        "One object per CRM resource type (policy:<resource id>) holds its grants:",
        "<scope>_<action> are the roles granted the action at that scope, and",
        "may_<scope>_<action> the people who may act at that scope or wider.",
    )


def _policy_relations(compiled: CompiledModel, names: ZanzibarNames) -> tuple[RelationDef, ...]:
    relations: list[RelationDef] = []
    for action in compiled.actions:
        for scope in SCOPES:
            relations.append(RelationDef(names.grant_relation(action, scope), (ROLE,)))
        for scope in reversed(SCOPES):
            held = Arrow(names.grant_relation(action, scope), "assignee")
            wider = [Computed(names.may_relation(action, w)) for w in directly_wider(scope, SCOPES)]
            rewrite = UnionOf((held, *wider)) if wider else held
            relations.append(RelationDef(names.may_relation(action, scope), rewrite=rewrite))
    return tuple(relations)


def _record_type(compiled: CompiledModel, names: ZanzibarNames, resource: str) -> TypeDef:
    relations = [
        RelationDef(RECORD_POLICY, (POLICY,), comment=f"always policy:{resource}"),
        RelationDef(RECORD_OWNER, (PERSON,)),
        RelationDef(RECORD_TEAM, (TEAM,), comment="when the record names a team"),
        RelationDef(RECORD_TEAMS_FROM, (PERSON,), comment="otherwise the owner"),
        RelationDef(RECORD_DEPARTMENT, (DEPARTMENT,), comment="when it names a department"),
        RelationDef(RECORD_DEPARTMENTS_FROM, (PERSON,), comment="otherwise the owner"),
        RelationDef(
            RECORD_IN_TEAM,
            rewrite=UnionOf((Arrow(RECORD_TEAM, "member"), Arrow(RECORD_TEAMS_FROM, "teammate"))),
        ),
        RelationDef(
            RECORD_IN_DEPARTMENT,
            rewrite=UnionOf(
                (
                    Arrow(RECORD_DEPARTMENT, "reached_by"),
                    Arrow(RECORD_DEPARTMENTS_FROM, "departments_reached_by"),
                )
            ),
        ),
    ]
    for action in compiled.applicable[resource]:
        reached: list[Rewrite] = []
        for scope in SCOPES:
            may = Arrow(RECORD_POLICY, names.may_relation(action, scope))
            reach = RECORD_REACH[scope]  # every scope here reaches some record
            reached.append(may if isinstance(reach, Trivial) else IntersectionOf((reach, may)))
        relations.append(
            RelationDef(
                names.permissions[action],
                rewrite=UnionOf(tuple(reached)),
                comment=f"action {action}" if names.permissions[action] != action else "",
            )
        )
    return TypeDef(names.types[resource], tuple(relations), (f"resource {resource}",))


# --- the relationships crmorg exports -------------------------------------------------------
@dataclass(frozen=True, order=True)
class Relationship:
    """``object_type:object_id#relation@subject_type:subject_id``."""

    object_type: str
    object_id: str
    relation: str
    subject_type: str
    subject_id: str

    @property
    def spicedb(self) -> str:
        return (
            f"{self.object_type}:{self.object_id}#{self.relation}"
            f"@{self.subject_type}:{self.subject_id}"
        )

    @property
    def openfga(self) -> dict[str, str]:
        return {
            "user": f"{self.subject_type}:{self.subject_id}",
            "relation": self.relation,
            "object": f"{self.object_type}:{self.object_id}",
        }


@dataclass(frozen=True)
class RelationshipEntry:
    """Relationships that one fact of the model produces, and what that fact is.

    ``about`` is plain text (names included); renderers make it safe for a comment.
    """

    about: str
    relationships: tuple[Relationship, ...]


RelationshipGroup: TypeAlias = tuple[RelationshipEntry, ...]
"""The entries of one department, person or role."""


def relationships(
    model: Model, compiled: CompiledModel, names: ZanzibarNames
) -> tuple[RelationshipGroup, ...]:
    """Every relationship of the static export: departments, then people, then roles."""
    groups: list[RelationshipGroup] = []
    above: dict[str, set[str]] = {dept: set() for dept in compiled.departments}
    for upper, under in model.org.department_below.items():
        for dept_id in under:
            if dept_id != upper and dept_id in above:
                above[dept_id].add(upper)
    for dept in compiled.departments.values():
        ancestors = sorted(above[dept.id])
        if ancestors:
            entry = RelationshipEntry(
                f"department {dept.id}: {dept.name}; below {', '.join(ancestors)}",
                tuple(
                    Relationship(DEPARTMENT, dept.id, "ancestor", DEPARTMENT, a) for a in ancestors
                ),
            )
            groups.append((entry,))
    for person in compiled.people.values():
        found = [Relationship(ROLE, r, "holder", PERSON, person.id) for r in person.roles]
        for team in person.teams:
            found.append(Relationship(PERSON, person.id, TEAM, TEAM, team))
            found.append(Relationship(TEAM, team, "member", PERSON, person.id))
        for dept_id in person.departments:
            found.append(Relationship(PERSON, person.id, DEPARTMENT, DEPARTMENT, dept_id))
            found.append(Relationship(DEPARTMENT, dept_id, "member", PERSON, person.id))
        if found:
            about = f"person {person.id}: {person.name} ({person.source})"
            groups.append((RelationshipEntry(about, tuple(found)),))
    for role in compiled.roles.values():
        entries: list[RelationshipEntry] = []
        if role.ancestors or role.grants:
            entries.append(RelationshipEntry(f"role {role.id}: {role.name} ({role.source})", ()))
        if role.ancestors:
            indirect = [a for a in role.ancestors if a not in role.inherits]
            through = f" and, through them, {', '.join(indirect)}" if indirect else ""
            entries.append(
                RelationshipEntry(
                    f"{role.id} inherits {', '.join(role.inherits)}{through} "
                    f"({role.inherits_source})",
                    tuple(Relationship(ROLE, a, "heir", ROLE, role.id) for a in role.ancestors),
                )
            )
        for grant in role.grants:
            relation = names.grant_relation(grant.action, grant.scope)
            entries.append(
                RelationshipEntry(
                    f"{role.id} may {grant.action} {grant.resource} at {grant.scope.label} "
                    f"scope (grant {grant.written} at {grant.source})",
                    (Relationship(POLICY, grant.resource, relation, ROLE, role.id),),
                )
            )
        if entries:
            groups.append(tuple(entries))
    return tuple(groups)


def flatten(groups: Iterable[RelationshipGroup]) -> list[Relationship]:
    return [r for group in groups for entry in group for r in entry.relationships]


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


def role_notes(compiled: CompiledModel) -> list[str]:
    """One line per role: where it is defined, its grant count, what it inherits."""
    lines = []
    for role in compiled.roles.values():
        inherits = f"; inherits {', '.join(role.inherits)}" if role.inherits else ""
        grants = f"{len(role.grants)} grant{'s' if len(role.grants) != 1 else ''}"
        lines.append(f"{role.id}: {role.name} ({role.source}); {grants}{inherits}")
    return lines
