"""The plan of Zoho CRM API v8 requests for a model, and the facts it puts in Zoho.

Mapping (docs/crm-systems.md):

- **person -> user and position.** Each person becomes a Zoho user with a role of their
  own (a *position*) that reports to their manager's position; people without a manager
  report to the organisation's root role (``CEO``). Zoho lets a superior act on the
  records of every user below them, which is crmorg's ``subordinates`` reach exactly.
- **held roles -> profile.** A Zoho user has one profile, so each set of roles held
  together becomes a profile (cloned from ``Standard``) whose module permissions are the
  union of the roles' effective grants. Each role alone gets a profile too.
- **baselines -> data sharing defaults.** ``read`` (and ``update``, ``delete``) at
  ``organization`` for everyone with the permission is Zoho's Public Read Only (Public
  Read/Write, Public Read/Write/Delete); any other module stays Private.
- **team, department and organization reach -> sharing rules.** Records owned by the
  members of a team (by the people at or below a department, by all users) are shared
  with a user group of exactly the people whose grants reach them there.
- **sharing rules -> sharing rules** between user groups of the same people.
- **field permissions -> profile field permissions** (read/write, read only, hidden).

Ids are not known until deploy time: a body names what it refers to, and its step lists
where the id goes (``resolve``) and which step or existing object gives it (``ref``).
:mod:`crmorg.export.zoho.build` builds the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crmorg.export.compiled import CompiledModel
from crmorg.export.zoho.mapping import OWNED_ACTIONS

Body = dict[str, Any]

READ = "read"
READ_WRITE_DELETE = "read_write_delete"
SHARE_TYPES = {
    frozenset(): "private",
    frozenset({"read"}): "public_read_only",
    frozenset({"read", "update"}): "public_read_write",
    frozenset({"read", "update", "delete"}): "public",
}
"""Actions at ``organization`` for everyone with the permission -> Zoho's share type."""
SHARE_TYPE_ACTIONS = {share_type: actions for actions, share_type in SHARE_TYPES.items()}
LEVEL_ACTIONS = {READ: frozenset({"read"}), READ_WRITE_DELETE: frozenset(OWNED_ACTIONS)}
"""What a Zoho sharing rule's ``permission_type`` lets its receivers do."""
FIELD_PERMISSIONS = {"edit": "read_write", "read": "read_only", "none": "hidden"}
"""crmorg field access -> a Zoho profile's field permission."""


@dataclass(frozen=True)
class Resolve:
    """Where an id goes in a step's body, and what gives it."""

    at: tuple[str | int, ...]
    ref: str
    """A step's name (``role:alice``) or something the organisation has already:
    ``existing-role:CEO``, ``existing-profile:Standard``,
    ``permission:Leads:Crm_Implied_View_Leads``, ``field:Deals:Margin``."""


@dataclass(frozen=True)
class Step:
    """One request of phase 2."""

    name: str
    method: str
    path: str
    """May hold ``{ref}`` placeholders, resolved like ``resolve``."""
    body: Body
    sdk: str
    """The SDK class of the body, under ``zohocrmsdk.src.com.zoho.crm.api``."""
    params: Mapping[str, str] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()
    resolve: tuple[Resolve, ...] = ()
    creates: tuple[str, str] | None = None
    """(kind, name) of the object the step creates; deploying reuses one of that name."""
    update_path: str | None = None
    """Where the body goes (PUT) when the object exists already: ``{existing}`` is its
    id. None: an existing one is kept as it is (a profile: its permissions follow)."""
    resolve_permissions: bool = False
    """Each of the body's ``permissions_details`` gets the id of the organisation's
    permission of its ``module`` and ``name`` (``permission:<module>:<name>``)."""
    blocked: str | None = None
    """Why the step cannot run yet (a person without an email), or None."""


@dataclass(frozen=True)
class Read:
    """One request of phase 1: what the organisation has already."""

    name: str
    path: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ZohoRule:
    """A sharing rule as Zoho applies it: records of ``resource`` owned by ``sources``
    (or every user) are shared with ``receivers`` at ``level``."""

    name: str
    resource: str
    sources: frozenset[str] | None
    """People whose records are shared; None for every user."""
    receivers: frozenset[str]
    level: str
    origin: tuple[str, str]
    """("sharing", rule id) for a crmorg sharing rule, or (kind, id) of the reach it
    draws: ("organization", ""), ("team", id), ("department", id)."""


@dataclass(frozen=True)
class Plan:
    """The requests, and the access they give in Zoho (read by the fidelity report)."""

    reads: tuple[Read, ...]
    steps: tuple[Step, ...]
    modules: Mapping[str, str]
    """Resource -> its Zoho module."""
    fields: Mapping[str, Mapping[str, str]]
    """Resource -> field -> its Zoho field API name."""
    manager: Mapping[str, str | None]
    """Person -> the person their position reports to (None: the root role)."""
    profile_of: Mapping[str, tuple[str, ...]]
    """Person -> the roles of their profile."""
    profile_permissions: Mapping[tuple[str, ...], frozenset[tuple[str, str]]]
    """Profile (its roles) -> the (resource, action) record permissions it enables."""
    share_type: Mapping[str, str]
    """Resource -> its data sharing default."""
    rules: tuple[ZohoRule, ...]
    field_permissions: Mapping[tuple[tuple[str, ...], str, str], str]
    """(profile, resource, field) -> read_write, read_only or hidden."""
    compiled: CompiledModel = field(repr=False, compare=False)


def position_name(compiled: CompiledModel, person: str) -> str:
    return f"{compiled.people[person].name} [{person}]"


def profile_name(compiled: CompiledModel, roles: tuple[str, ...]) -> str:
    if not roles:
        return "crmorg: no access"
    if len(roles) == 1:
        return f"{compiled.roles[roles[0]].name} [{roles[0]}]"
    return "crmorg: " + " + ".join(roles)


def profile_step(roles: tuple[str, ...]) -> str:
    return "profile:" + ("+".join(roles) or "-")


def clone_step(roles: tuple[str, ...]) -> str:
    return "clone-" + profile_step(roles)
