"""Teams without a lead."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("team-without-lead", "CRM210", "organisation", Severity.WARNING)
def team_without_lead(model: Model) -> Iterator[Problem]:
    """A team names no lead.

    Fails:
    ```yaml
    teams:
      sales_east: {name: East Sales, department: sales}
    ```
    Fix: `lead: alice` (a person id).
    """
    for team_id, team in model.teams.items():
        if team.lead is None:
            yield Problem(
                f"team {team_id} has no lead; name one with `lead: PERSON`",
                ("teams", team_id),
                (team_id,),
                at_key=True,
            )
