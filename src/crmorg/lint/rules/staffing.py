"""Gaps in the organisation: roles nobody holds, people without roles, units
without a head, managers with too many direct reports."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.lint.facts import facts, listing
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model


@rule("vacant-role")
def vacant_role(model: Model) -> Iterator[Problem]:
    """No person holds the role, directly or through a role that inherits it.

    Checked only when the model declares people: a model of roles alone describes
    jobs, not staffing. A base role that nobody holds as such but that held roles
    inherit (like `employee`) is not vacant.

    Fails:
    ```yaml
    roles:
      crm_trainer: {department: crm}
    people:
      ann: {roles: [crm_admin]}        # nobody is crm_trainer
    ```
    Fix: give the role to someone (`roles: [crm_admin, crm_trainer]`), or waive it
    while the position is being filled.
    """
    if not model.people:
        return
    holders = facts(model).holders
    for role_id in model.roles:
        if not holders[role_id]:
            yield Problem(
                f"nobody holds role {role_id}; give it to someone, or remove it",
                ("roles", role_id),
                (role_id,),
                at_key=True,
            )


@rule("person-without-role")
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


@rule("department-without-head")
def department_without_head(model: Model) -> Iterator[Problem]:
    """A department names no head role.

    Fails:
    ```yaml
    departments:
      sales: {name: Sales, parent: management}
    ```
    Fix: `head: sales_manager` (a role id).
    """
    for dept_id, dept in model.departments.items():
        if dept.head is None:
            yield Problem(
                f"department {dept_id} has no head; name its head role with `head: ROLE`",
                ("departments", dept_id),
                (dept_id,),
                at_key=True,
            )


@rule("team-without-lead")
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


@rule("span-of-control")
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
    reports: dict[str, list[str]] = {}
    for person_id, person in model.people.items():
        if person.reports_to is not None and person.reports_to in model.people:
            reports.setdefault(person.reports_to, []).append(person_id)
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
