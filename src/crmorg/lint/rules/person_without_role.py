"""People who hold no role."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("person-without-role", "CRM208", "organisation", Severity.WARNING)
def person_without_role(model: Model) -> Iterator[Problem]:
    """A person holds no role, so they have no permissions and no work.

    Fails:
    ```yaml
    people:
      ann: {name: Ann Lee, teams: [sales_east]}
    ```
    Fix: `roles: [sales_rep]`.
    """
    for person_id, person in model.people.items():
        if not person.roles:
            yield Problem(
                f"{person_id} holds no role; give them one with `roles: [ROLE]`",
                ("people", person_id),
                (person_id,),
                at_key=True,
            )
