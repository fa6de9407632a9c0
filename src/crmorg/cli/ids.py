"""Ids named on the command line: an unknown one is a usage error with a did-you-mean."""

from __future__ import annotations

from collections.abc import Collection

from crmorg.cli.common import UsageError
from crmorg.model import Model
from crmorg.suggestions import did_you_mean


def require_known(value: str | None, known: Collection[str], what: str) -> None:
    """Raise a usage error naming the closest known id unless ``value`` is one (or None)."""
    if value is not None and value not in known:
        raise UsageError(f"no {what} `{value}` in the model{did_you_mean(value, known)}")


def require_action_on(model: Model, action: str, resource: str) -> None:
    """The action and the resource of a question are ones the model declares."""
    require_known(resource, model.catalog.resources, "resource")
    require_known(action, model.catalog.actions, "action")
