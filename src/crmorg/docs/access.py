"""What the handbook says about format v1.1 access: baselines, sharing rules, restricted
fields, and the scopes a model uses.

Page builders (:mod:`crmorg.docs.pages`) call these; the facts come from the model's
access model (``model.access``: baselines, the sharing and field indexes), never
worked out again here. A model that uses none of v1.1 gets empty answers, so its
pages read as they did in 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmorg.docs.context import SiteContext
from crmorg.docs.permissions_text import describe_actions
from crmorg.model import Model
from crmorg.permissions.field_review import field_grant
from crmorg.permissions.scopes import Scope
from crmorg.roles.scopes import SCOPES

__all__ = [
    "FieldRow",
    "RoleField",
    "SharingRow",
    "baseline_sentences",
    "field_rows",
    "role_fields",
    "role_sharing",
    "sharing_rows",
    "used_scopes",
]


def used_scopes(model: Model) -> list[Scope]:
    """The scopes of the model's effective grants (baselines too), in the registry's
    order: what the permission page's legend explains."""
    used: set[Scope] = set()
    for grants in model.role_grants.values():
        for grant in grants.values():
            used.update(grant.scopes)
    return [scope for scope in SCOPES if scope in used and scope is not Scope.NONE]


def baseline_sentences(ctx: SiteContext, resource_id: str) -> list[str]:
    """The resource's baseline as sentences, one per scope, widest first."""
    model = ctx.model
    per_scope: dict[Scope, list[str]] = {}
    for action in model.catalog.applicable.get(resource_id, ()):
        source = model.access.baselines.get((resource_id, action))
        if source is not None:
            per_scope.setdefault(source.scope, []).append(action)
    resource = model.resources.get(resource_id)
    return [
        describe_actions(resource_id, resource, per_scope[scope], scope, ctx.lang, baseline=True)
        for scope in reversed(tuple(SCOPES))
        if scope in per_scope
    ]


@dataclass(frozen=True)
class SharingRow:
    """One sharing rule: records of ``resource`` owned by the ``source`` group are shared
    with the ``target`` group for ``actions``; groups are (kind, id)."""

    id: str
    description: str
    resource: str
    source: tuple[str, str]
    target: tuple[str, str]
    actions: tuple[str, ...]


def sharing_rows(ctx: SiteContext) -> list[SharingRow]:
    return [
        SharingRow(
            rule_id,
            ctx.names.text(rule.description),
            rule.resource,
            (rule.from_.kind, rule.from_.id),
            (rule.to.kind, rule.to.id),
            tuple(dict.fromkeys(rule.actions)),
        )
        for rule_id, rule in ctx.model.sharing.items()
    ]


def role_sharing(model: Model, role_id: str) -> list[str]:
    """The sharing rules that share records with the holders of ``role_id``: those whose
    ``to`` names the role or a role it inherits."""
    lineage = model.org.lineage.get(role_id, frozenset())
    return [
        rule_id
        for rule_id, rule in model.sharing.items()
        if rule.to.kind == "role" and rule.to.id in lineage
    ]


@dataclass(frozen=True)
class FieldRow:
    """A declared field and, when restricted, the roles that may edit or only read it."""

    resource: str
    id: str
    name: str
    description: str
    restricted: bool
    sensitive: bool
    editors: tuple[str, ...]
    readers: tuple[str, ...]


def field_rows(ctx: SiteContext, resource_id: str) -> list[FieldRow]:
    model = ctx.model
    rows = []
    for field_id, declared in model.resources[resource_id].fields.items():
        levels = (
            {role_id: model.field_access(role_id, resource_id, field_id) for role_id in model.roles}
            if declared.restricted
            else {}
        )
        rows.append(
            FieldRow(
                resource_id,
                field_id,
                ctx.names.text(declared.name) or field_id,
                ctx.names.text(declared.description),
                declared.restricted,
                declared.sensitive or declared.restricted,
                tuple(r for r, level in levels.items() if level == "edit"),
                tuple(r for r, level in levels.items() if level == "read"),
            )
        )
    return rows


@dataclass(frozen=True)
class RoleField:
    """A restricted field on a record type the role may read, and what the role may do
    with it (``none``: hidden from it); ``granted_on`` is the role whose field grant counts."""

    resource: str
    field: str
    name: str
    level: str
    granted_on: str | None


def role_fields(ctx: SiteContext, role_id: str) -> list[RoleField]:
    """The restricted fields of every resource the role may read, in the model's order."""
    model = ctx.model
    found = []
    for resource_id, resource in model.resources.items():
        if not model.catalog.applies(resource_id, "read") or not model.allows(
            role_id, "read", resource_id
        ):
            continue
        for field_id, declared in resource.fields.items():
            if declared.restricted:
                grant = field_grant(model.access, "role", role_id, resource_id, field_id)
                level = model.field_access(role_id, resource_id, field_id)
                name = ctx.names.text(declared.name) or field_id
                granted_on = grant.role if grant is not None else None
                found.append(RoleField(resource_id, field_id, name, level, granted_on))
    return found
