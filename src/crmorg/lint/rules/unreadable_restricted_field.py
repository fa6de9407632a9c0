"""Restricted fields that nobody may read."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.permissions.fields import LEVEL


@rule("unreadable-restricted-field", "CRM219", "access", Severity.WARNING)
def unreadable_restricted_field(model: Model) -> Iterator[Problem]:
    """A restricted field that nobody may read.

    A restricted field (format v1.1) is read by a person who may `read` its record and
    whose roles grant the field `read` or `edit` (the grant and the record permission
    may come from different roles of theirs). When no person does, the data is
    written but never seen: a field grant is missing, or it sits on a role whose
    holders cannot read the record. In a model without people, the roles are checked
    instead: no role both reads the record and is granted the field. The finding
    points at the field.

    Fails:
    ```yaml
    resources:
      opportunity:
        fields:
          margin: {name: Margin, restricted: true}
    roles:
      sales_rep: {grants: {opportunity: {read: own}}}   # no field grant for margin
    ```
    Fix: grant the field to the role that needs it (`fields: {opportunity: {margin:
    read}}` on a role that reads opportunities), or remove the field if nobody needs it.
    """
    access = model.access
    fields = access.fields
    people = model.people
    for resource_id, resource in model.resources.items():
        for field_id, field in resource.fields.items():
            if not field.restricted:
                continue
            granted = {
                role_id
                for role_id in model.roles
                if (grant := fields.role_grant(role_id, resource_id, field_id)) is not None
                and grant.level >= LEVEL["read"]
            }
            readers = {
                role_id
                for role_id, held in access.role_grants.items()
                if (resource_id, "read") in held
            }
            if people:
                readable = any(
                    not granted.isdisjoint(person.roles) and not readers.isdisjoint(person.roles)
                    for person in people.values()
                )
                nobody = "no person"
            else:
                readable = not granted.isdisjoint(readers)
                nobody = "no role"
            if not readable:
                yield Problem(
                    f"restricted field {resource_id}.{field_id} can be read by nobody: "
                    f"{nobody} both may read {resource_id} and is granted the field; grant "
                    "it (`read` or `edit`) to a role that reads the record, or remove it",
                    ("resources", resource_id, "fields", field_id),
                    (resource_id, field_id),
                    at_key=True,
                )
