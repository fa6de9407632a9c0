"""People who hold no role."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.lacking import lacking
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model

_MESSAGE = "{id} holds no role; give them one with `roles: [ROLE]`"


@rule("person-without-role", "CRM208", "organisation", Severity.WARNING)
def person_without_role(model: Model) -> Iterator[Problem]:
    """A person holds no role, so they have no permissions and no work.

    Often someone who joined or moved and whose roles were not yet given.

    Fails:
    ```yaml
    people:
      ann: {name: Ann Lee, teams: [sales_east]}
    ```
    Fix: `roles: [sales_rep]`.
    """
    return lacking("people", model.people, lambda person: not person.roles, _MESSAGE)
