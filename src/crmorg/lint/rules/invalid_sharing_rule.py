"""Sharing rules that name groups the model does not define, or actions that do not apply."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.permissions.models import GROUP_SECTIONS
from crmorg.sections import section
from crmorg.suggestions import did_you_mean

_WHOSE = {"from": "the records owned by", "to": "records with"}


@rule("invalid-sharing-rule", "CRM110", "access", Severity.ERROR)
def invalid_sharing_rule(model: Model) -> Iterator[Problem]:
    """A sharing rule's `from` or `to` names a role, team or department that does not
    exist, or its `actions` include one that does not apply to its resource.

    A sharing rule (format v1.1) shares the records of its resource owned by the
    members of `from` with the members of `to`, for its actions. A group naming an id
    the model does not define is reported with the closest id of that kind; an action
    that exists but does not apply to the resource could never be shared. Each problem
    is its own finding, at the group's id or the action. A resource or an action that
    the model does not declare at all is reported by `unknown-reference`.

    Fails:
    ```yaml
    resources:
      opportunity: {actions: [create, read, update]}
    sharing:
      east_deals_to_support:
        resource: opportunity
        from: {team: sales_eats}          # typo: sales_east
        to: {role: support_agent}
        actions: [read, approve]          # approve does not apply to opportunity
    ```
    Fix: name a defined group (`from: {team: sales_east}`), and share only actions the
    resource lists.
    """
    catalog = model.access.catalog
    for rule_id, sharing in model.sharing.items():
        for end, group in (("from", sharing.from_), ("to", sharing.to)):
            key = GROUP_SECTIONS[group.kind]
            if not model.document.known(key, group.id):
                yield Problem(
                    f"sharing rule {rule_id} shares {_WHOSE[end]} {group.kind} `{group.id}`, "
                    f"which is not a {section(key).singular} in the model"
                    f"{did_you_mean(group.id, getattr(model, key))}; fix the id, or define it "
                    f"under `{key}`",
                    ("sharing", rule_id, end, group.kind),
                    (rule_id, group.id),
                )
        resource = sharing.resource
        if resource not in model.resources:
            continue
        for index, action in enumerate(sharing.actions):
            if action in catalog.actions and not catalog.applies(resource, action):
                yield Problem(
                    f"sharing rule {rule_id} shares `{action}`, which does not apply to "
                    f"{resource} (its actions: {', '.join(catalog.applicable[resource])}); "
                    "remove it, or add it to the resource's `actions`",
                    ("sharing", rule_id, "actions", index),
                    (rule_id, resource, action),
                )
