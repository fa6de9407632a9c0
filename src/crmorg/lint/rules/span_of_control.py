"""Managers with more direct reports than the span of control allows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from operator import attrgetter

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model


@rule("span-of-control", "CRM213", "organisation", Severity.WARNING)
def span_of_control(model: Model) -> Iterator[Problem]:
    """A person has more direct reports than `settings.span_of_control` (default 10).

    Direct reports are the people whose `reports_to` names the person. Role-level
    `reports_to` lines are not counted: they describe the structure, not how many
    people one manager looks after.

    Fails:
    ```yaml
    settings: {span_of_control: 2}
    people:
      dan: {roles: [sales_manager]}
      ann: {roles: [sales_rep], reports_to: dan}
      bob: {roles: [sales_rep], reports_to: dan}
      cy: {roles: [sales_rep], reports_to: dan}
    ```
    Fix: add a level (a team leader between them), or raise `span_of_control` if the
    work allows it.
    """
    limit = model.settings.span_of_control
    # Counted in one C-level pass; only managers over the limit get their reports listed
    # (the org graph's direct_reports has an entry for every person, which triples this
    # rule's cost at 100,000 people). A self-report counts here (reporting-cycle reports
    # the loop); direct_reports leaves it out.
    people = model.people
    counts = Counter(map(attrgetter("reports_to"), people.values()))
    over = {m for m, n in counts.items() if n > limit and m is not None and m in people}
    reports: dict[str, list[str]] = {manager: [] for manager in counts if manager in over}
    if over:
        for person_id, person in people.items():
            manager = person.reports_to
            if manager is not None and manager in over:
                reports[manager].append(person_id)
    for manager, direct in reports.items():
        if len(direct) > limit:
            yield Problem(
                f"{manager} has {len(direct)} direct reports, more than the span of control "
                f"of {limit}: {listing(direct)}; add a level between them, or raise "
                "`settings.span_of_control`",
                ("people", manager),
                (manager,),
                at_key=True,
            )
