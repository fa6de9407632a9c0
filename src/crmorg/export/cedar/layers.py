"""The ``cedar`` target's policies for format v1.1's sharing rules and restricted fields.

- A sharing rule is one ``permit`` per action it shares: a principal in its ``to`` group,
  on a record whose owner is in its ``from`` group, when the principal holds some grant
  of the action on the resource (the object permission gates sharing, section 11). A
  group is the role, team or department entity itself: a holder of a role, or of a role
  inheriting it, is ``in`` it; a member or lead ``in`` the team; a person ``in`` their
  departments and those above them.
- A restricted field is one ``forbid`` per action that reads or edits it: a request that
  names the field in its context (``{"field": "margin"}``) is denied unless the
  principal is in the field's ``read`` (for ``read``) or ``edit`` (for ``update``) field
  grant, which roles are in as written and inherit (section 12).
"""

from __future__ import annotations

import itertools

from crmorg.export.cedar.entities import NAMESPACE, field_grant_id, grant_id, written
from crmorg.export.compiled import CompiledModel
from crmorg.permissions.fields import FIELD_ACTIONS, NEEDS
from crmorg.roles.models import FIELD_ACCESS

_GROUP_TYPES = {"role": "Role", "team": "Team", "department": "Department"}


def sharing_policies(compiled: CompiledModel, types: dict[str, str]) -> list[str]:
    held = {
        permission: [grant_id(g) for g in grants]
        for permission, grants in itertools.groupby(written(compiled), key=lambda g: g[:2])
    }
    lines: list[str] = []
    for rule in compiled.sharing:
        to_kind, to_id = rule.to
        from_kind, from_id = rule.from_
        to_group = f'{NAMESPACE}::{_GROUP_TYPES[to_kind]}::"{to_id}"'
        for action in rule.actions:
            grants = held.get((rule.resource, action))
            if not grants:
                continue  # nobody holds the action, so the rule shares nothing
            gate = " ||\n    ".join(f'principal in {NAMESPACE}::Grant::"{g}"' for g in grants)
            lines += [
                "",
                f"// sharing rule {rule.id} ({rule.source})",
                f'@id("sharing:{rule.id}.{action}")',
                f'@sharing("{rule.id}")',
                f'@action("{action}")',
                "permit (",
                f"  principal is {NAMESPACE}::Person in {to_group},",
                f'  action == {NAMESPACE}::Action::"{action}",',
                f"  resource is {NAMESPACE}::{types[rule.resource]}",
                ")",
                "when {",
                "  resource has owner &&",
                f'  resource.owner in {NAMESPACE}::{_GROUP_TYPES[from_kind]}::"{from_id}" &&',
                f"  ({gate})",
                "};",
            ]
    return lines


def field_policies(compiled: CompiledModel, types: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for resource, fields in compiled.restricted_fields.items():
        actions = [a for a in FIELD_ACTIONS if a in compiled.applicable[resource]]
        for field, action in itertools.product(fields, actions):
            needed = field_grant_id(resource, field, FIELD_ACCESS[NEEDS[action]])
            lines += [
                "",
                f'@id("field:{resource}.{field}.{action}")',
                f'@resource("{resource}")',
                f'@field("{field}")',
                f'@action("{action}")',
                "forbid (",
                "  principal,",
                f'  action == {NAMESPACE}::Action::"{action}",',
                f"  resource is {NAMESPACE}::{types[resource]}",
                ")",
                f'when {{ context has field && context.field == "{field}" }}',
                "unless {",
                f'  principal in {NAMESPACE}::FieldGrant::"{needed}"',
                "};",
            ]
    return lines
