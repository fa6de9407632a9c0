"""Baselines keyed by something other than `*` or an action that applies."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model
from crmorg.permissions.models import WILDCARD
from crmorg.suggestions import did_you_mean


@rule("invalid-baseline", "CRM111", "access", Severity.ERROR)
def invalid_baseline(model: Model) -> Iterator[Problem]:
    """A resource's `baseline` names an action that does not apply to it.

    A baseline (format v1.1) maps `*` or an action to the scope every subject with a
    grant of that action receives. Its keys are checked like a grant's: an action
    that is neither built in nor declared in `actions:` (with the closest one
    suggested), or one that does not apply to the resource (a model-specific action
    the resource does not list, or a built-in its `actions` leave out), would give
    nothing to anyone. The finding points at the key.

    Fails:
    ```yaml
    resources:
      opportunity:
        actions: [create, read, update]
        baseline: {read: organization, approve: organization}   # approve does not apply
    ```
    Fix: key the baseline by `*` or by an action the resource lists, or add the action
    to the resource's `actions`.
    """
    catalog = model.access.catalog
    for resource_id, resource in model.resources.items():
        for key in resource.baseline:
            if key == WILDCARD or catalog.applies(resource_id, key):
                continue
            path = ("resources", resource_id, "baseline", key)
            applicable = catalog.applicable[resource_id]
            if key not in catalog.actions:
                message = (
                    f"resource {resource_id} has a baseline for action `{key}`, which is "
                    f"neither built in nor declared{did_you_mean(key, applicable)}; fix "
                    "the name, or add the action to the top-level `actions:` list"
                )
            else:
                message = (
                    f"resource {resource_id} has a baseline for `{key}`, which does not apply "
                    f"to it (its actions: {', '.join(applicable)}); add it to the resource's "
                    "`actions` or remove it from the baseline"
                )
            yield Problem(message, path, (resource_id, key), at_key=True)
