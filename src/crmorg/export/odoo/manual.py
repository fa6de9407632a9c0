"""What a user must still do by hand after installing the addon, and what it carried."""

from __future__ import annotations

from crmorg.export.odoo.mapping import MODULE
from crmorg.export.odoo.plan import PERMS, Plan, role_scopes
from crmorg.roles.scopes import Scope


def manual_steps(plan: Plan) -> tuple[str, ...]:
    steps = [
        f"Put the export directory on Odoo's addons path and install {MODULE} "
        f"(odoo -d DATABASE --addons-path=...,EXPORT_DIR -i {MODULE}).",
        "Invite the users the module creates (their logins are the crmorg person ids): "
        "set each one's email and password.",
        "The users are Internal Users (base.group_user): the standard access rights of that "
        "group still apply beside the module's; do not also give them Odoo's Sales or CRM "
        "groups, whose record rules would add to these.",
        "Records must name their owner (the salesperson field the rules read) for own, "
        "team, department and subordinates access to reach them.",
        "The rules assume one company; with several, Odoo's multi-company rules also apply.",
    ]
    models = plan.mapping.models
    if plan.custom_models:
        names = ", ".join(f"{odoo.name} ({resource})" for resource, odoo in plan.custom_models)
        steps.append(f"Add views and menus for the custom models the module declares: {names}.")
    added: dict[str, list[str]] = {}
    for odoo in plan.models:
        for name, _, _ in odoo.added_fields:
            added.setdefault(name, []).append(odoo.name)
    steps.append(
        "Fill the custom fields the rules read where a record has its own owner, sales team "
        "or department (an import, an automated action, or by hand): "
        + "; ".join(f"{name} on {', '.join(names)}" for name, names in sorted(added.items()))
        + "."
    )
    for resource, odoo in sorted(models.items()):
        if odoo.enterprise:
            steps.append(f"{odoo.name} (for {resource}) needs Odoo Enterprise ({odoo.module}).")
        if not odoo.known and not odoo.custom:
            steps.append(
                f"{odoo.name} (for {resource}) is not a model this exporter knows: check that "
                f"module {odoo.module} defines it and that its records name their owner in "
                "user_id."
            )
    if plan.compiled.restricted_fields:
        steps.append(
            "Restricted fields: add groups= to those fields in Python code of your own "
            "(FIDELITY.md lists them); the module cannot."
        )
    if any(a not in PERMS for scopes in role_scopes(plan.compiled).values() for (_, a) in scopes):
        steps.append(
            "Actions other than create, read, update and delete (assign, approve, export, ...) "
            "have no Odoo access right: enforce them in workflows (button groups=) by hand."
        )
    if any(rule.from_[0] == "department" for rule in plan.compiled.sharing):
        steps.append(
            "Sharing rules from a department list its members' logins as they are now: "
            "export again when people move."
        )
    return tuple(steps)


def carried(plan: Plan) -> dict[str, int]:
    grants = sum(
        1
        for role in plan.compiled.roles.values()
        for grant in role.grants
        if grant.action in PERMS and grant.scope is not Scope.NONE
    )
    baselines = sum(1 for (resource, action) in plan.compiled.baselines if action in PERMS)
    sharing = sum(1 for rule in plan.compiled.sharing if any(a in PERMS for a in rule.actions))
    return {
        "grant": grants,
        "baseline": baselines,
        "sharing-rule": sharing,
        "structure": len(plan.compiled.roles)
        + len(plan.people)
        + len(plan.teams)
        + len(plan.departments),
    }
