"""Teams without a lead."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.lacking import lacking
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model

_MESSAGE = "team {id} has no lead; name one with `lead: PERSON`"


@rule("team-without-lead", "CRM210", "organisation", Severity.WARNING)
def team_without_lead(model: Model) -> Iterator[Problem]:
    """A team names no lead.

    Without a lead nobody reviews the team's pipeline or answers for its numbers, and
    the handbook and the teams chart show the team with no one in charge.

    Fails:
    ```yaml
    teams:
      sales_east: {name: East Sales, department: sales}
    ```
    Fix: `lead: alice` (a person id).
    """
    return lacking("teams", model.teams, lambda team: team.lead is None, _MESSAGE)
