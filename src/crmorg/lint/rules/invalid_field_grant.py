"""Field grants that cannot mean anything: on a field not declared, or not restricted."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.suggestions import did_you_mean


@rule("invalid-field-grant", "CRM109", "access", Severity.ERROR)
def invalid_field_grant(model: Model) -> Iterator[Problem]:
    """A role's `fields` grant names a field its resource does not declare, or one that
    is not restricted.

    A field grant (format v1.1) opens a restricted field to a role that may already
    read or update the record. On a field the resource does not declare it is a typo
    or a leftover (the message suggests the closest declared field); on an unrestricted
    field it changes nothing, since such a field follows its record, and it suggests
    that the field was meant to be restricted. The finding points at the field's key
    under the role's `fields`. A resource that is not declared is reported by
    `unknown-reference`.

    Fails:
    ```yaml
    resources:
      opportunity:
        fields:
          amount: {name: Amount}                  # not restricted
          margin: {name: Margin, restricted: true}
    roles:
      finance_manager:
        fields: {opportunity: {amount: read, marign: read}}
    ```
    Fix: grant only restricted fields, spelt as declared (`margin: read`), or mark the
    field `restricted: true` if it should be hidden from the other roles.
    """
    resources = model.resources
    for role_id, role in model.roles.items():
        for resource_id, grants in role.fields.items():
            resource = resources.get(resource_id)
            if resource is None:
                continue
            for field_id in grants:
                path = ("roles", role_id, "fields", resource_id, field_id)
                subjects = (role_id, resource_id, field_id)
                field = resource.fields.get(field_id)
                if field is None:
                    yield Problem(
                        f"role {role_id} grants field `{field_id}` of {resource_id}, which "
                        f"the resource does not declare{did_you_mean(field_id, resource.fields)}"
                        f"; fix the name or declare it under resources.{resource_id}.fields",
                        path,
                        subjects,
                        at_key=True,
                    )
                elif not field.restricted:
                    yield Problem(
                        f"role {role_id} grants field {resource_id}.{field_id}, which is not "
                        "restricted and so follows its record for everyone: the grant "
                        "changes nothing; remove it, or mark the field `restricted: true`",
                        path,
                        subjects,
                        at_key=True,
                    )
