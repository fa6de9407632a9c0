"""The public groups and owner-based sharing rules of a plan.

Teams and departments (with the departments below them) become public groups; the
``team``, ``department`` and ``organization`` reach of each person's grants becomes
owner-based sharing rules from those groups (or all internal users) to the people whose
grants reach that far, at Read, or Edit for ``update``; the model's sharing rules become
owner-based sharing rules between public groups. Salesforce's sharing never gives
Delete: :mod:`.losses` lists what that loses.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmorg.export.salesforce.names import ApiNames, description, label, pascal
from crmorg.export.salesforce.org import EDIT, READ, OwnerRule, Plan, PublicGroup
from crmorg.model import Model
from crmorg.permissions.models import Group
from crmorg.roles.scopes import BIT, Scope
from crmorg.text import localize


def add_sharing(model: Model, plan: Plan) -> None:
    """Fill ``plan.groups`` and ``plan.rules`` (its permission sets are already in)."""
    _Sharing(model, plan).build()


class _Sharing:
    """The public groups and owner-based sharing rules of a plan."""

    def __init__(self, model: Model, plan: Plan) -> None:
        self.model = model
        self.plan = plan
        self.group_names = ApiNames(40)
        self.rule_names: dict[str, ApiNames] = {}
        self.by_members: dict[frozenset[str], str] = {}

    def group(self, wanted: str, title: str, about: str, members: frozenset[str]) -> str:
        name = self.group_names.take(wanted)
        self.plan.groups[name] = PublicGroup(name, label(title, 40), description(about), members)
        return name

    def rule(
        self,
        obj: str,
        wanted: str,
        title: str,
        access: str,
        source: str | None,
        to: str,
        origin: tuple[str, ...],
    ) -> None:
        names = self.rule_names.setdefault(obj, ApiNames(40))
        self.plan.rules.append(
            OwnerRule(names.take(wanted), label(title), obj, access, source, to, origin)
        )

    def build(self) -> None:
        model, org = self.model, self.model.org
        teams = {
            team: self.group(
                f"Crm_Team_{pascal(team)}",
                localize(model.teams[team].name) or team,
                f"The members of the team {team} (crmorg).",
                org.team_members.get(team, frozenset()),
            )
            for team in sorted(model.teams)
        }
        below = org.department_below
        departments = {
            dept: self.group(
                f"Crm_Dept_{pascal(dept)}",
                localize(model.departments[dept].name) or dept,
                f"The people of the department {dept} and of those below it (crmorg).",
                frozenset(
                    p
                    for p, depts in org.person_departments.items()
                    if not depts.isdisjoint(below.get(dept, frozenset({dept})))
                ),
            )
            for dept in sorted(model.departments)
        }
        roles: dict[str, str] = {}
        for resource in sorted(model.resources):
            self.reach(resource, teams, departments)
            self.sharing_rules(resource, teams, departments, roles)

    def reach(
        self, resource: str, teams: Mapping[str, str], departments: Mapping[str, str]
    ) -> None:
        """Sharing rules for the ``organization``, ``team`` and ``department`` reach."""
        model, plan = self.model, self.plan
        sobject = plan.objects[resource]
        obj = sobject.api
        applies = model.access.catalog.applies
        covered = model.access.index.person_covered
        people = sorted(model.people)
        access = {p: plan.person_access(model.people[p].roles, obj) for p in people}

        def reaching(action: str, scope: Scope) -> set[str]:
            if not applies(resource, action):
                return set()
            return {p for p in people if covered(p, resource, action) & BIT[scope]}

        edit_all = sobject.sharing_model == "ReadWrite"
        read_all = sobject.sharing_model in ("Read", "ReadWrite")
        all_edit = {p for p in people if edit_all or access[p].modify_all}
        all_read = all_edit | {p for p in people if read_all or access[p].view_all}
        need_edit = reaching("update", Scope.ORGANIZATION) - all_edit
        need_read = reaching("read", Scope.ORGANIZATION) - all_read - need_edit
        short = pascal(resource)
        for level, needed in ((EDIT, need_edit), (READ, need_read)):
            if needed:
                to = self.group(
                    f"Crm_All_{short}_{level}",
                    f"{resource}: every record, {level}",
                    f"Who may {level.lower()} every {resource} record (crmorg).",
                    frozenset(needed),
                )
                self.rule(
                    obj,
                    f"Crm_All_{level}",
                    f"Every record: {level}",
                    level,
                    None,
                    to,
                    ("organization",),
                )
        everywhere_edit = all_edit | need_edit
        everywhere_read = all_read | need_edit | need_read
        for kind, units in (("team", teams), ("department", departments)):
            scope = Scope.TEAM if kind == "team" else Scope.DEPARTMENT
            prefix = "Team" if kind == "team" else "Dept"
            edit = reaching("update", scope) - everywhere_edit
            read = reaching("read", scope) - everywhere_read - edit
            for unit, source in units.items():
                if kind == "team":
                    members = self.model.org.team_members.get(unit, frozenset())
                else:
                    members = frozenset(
                        p for p, d in self.model.org.person_departments.items() if unit in d
                    )
                for level, needed in ((EDIT, edit), (READ, read)):
                    to_people = frozenset(members & needed)
                    if not to_people:
                        continue
                    if to_people == self.plan.groups[source].members:
                        to = source
                    else:
                        to = self.group(
                            f"Crm_{prefix}_{pascal(unit)}_{short}_{level}",
                            f"{unit}: {resource} {level}",
                            f"Who in {kind} {unit} may {level.lower()} its {resource} records "
                            "(crmorg).",
                            to_people,
                        )
                    self.rule(
                        obj,
                        f"Crm_{kind.title()}_{pascal(unit)}_{level}",
                        f"{kind.title()} {unit}: {level}",
                        level,
                        source,
                        to,
                        (kind, unit),
                    )

    def sharing_rules(
        self,
        resource: str,
        teams: Mapping[str, str],
        departments: Mapping[str, str],
        roles: dict[str, str],
    ) -> None:
        model = self.model
        obj = self.plan.objects[resource].api
        for rule_id in sorted(model.sharing):
            rule = model.sharing[rule_id]
            if rule.resource != resource:
                continue
            actions = set(rule.actions)
            level = EDIT if "update" in actions else READ if "read" in actions else None
            if level is None:
                continue  # create and custom actions are not per record; delete cannot be
            source = self.group_for(rule.from_, teams, departments, roles)
            to = self.group_for(rule.to, teams, departments, roles)
            title = localize(rule.name) or rule_id
            self.rule(obj, f"Crm_{pascal(rule_id)}", title, level, source, to, ("sharing", rule_id))

    def group_for(
        self,
        group: Group,
        teams: Mapping[str, str],
        departments: Mapping[str, str],
        roles: dict[str, str],
    ) -> str:
        if group.team is not None and group.team in teams:
            return teams[group.team]
        if group.department is not None and group.department in departments:
            return departments[group.department]
        role = group.role or group.team or group.department or ""
        if role not in roles:
            members = self.model.access.sharing.members(group)
            roles[role] = self.group(
                f"Crm_Role_{pascal(role)}",
                localize(self.model.roles[role].name) if role in self.model.roles else role,
                f"The holders of the role {role} and of the roles inheriting it (crmorg).",
                members,
            )
        return roles[role]
