"""The fidelity report of a Zoho plan: its losses, what is carried, what is manual."""

from __future__ import annotations

from crmorg.export.fidelity import Fidelity
from crmorg.export.zoho.losses import losses
from crmorg.export.zoho.mapping import ROOT_ROLE, is_custom, module_of
from crmorg.export.zoho.plan import Plan
from crmorg.model import Model


def fidelity_of(model: Model, plan: Plan) -> Fidelity:
    lost = losses(model, plan)
    compiled = plan.compiled
    lost_rules = {loss.path[1] for loss in lost if loss.construct == "sharing-rule"}
    manual: list[str] = []
    for resource in compiled.resources:
        if is_custom(model, resource):
            manual.append(
                f"create the custom module {module_of(model, resource)} for {resource} "
                "(or map it in settings.export.zoho.objects) before deploying"
            )
    fields = sorted((r, f) for r in compiled.resources for f in sorted(model.resources[r].fields))
    if fields:
        manual.append(
            "check that the fields exist in Zoho (their API names are in the field steps "
            "of plan.json; settings.export.zoho.fields maps them)"
        )
    no_email = sorted(p for p in compiled.people if not model.people[p].email)
    if no_email:
        shown = ", ".join(no_email[:10]) + (
            f" and {len(no_email) - 10} more" if len(no_email) > 10 else ""
        )
        manual.append(
            f"give an email to {len(no_email)} person(s) without one ({shown}) and export "
            "again: Zoho invites each user by email, and deploy refuses their steps until then"
        )
    manual += [
        "confirm the invited users: each receives Zoho's invitation email",
        f"people without a manager report to the {ROOT_ROLE} role: its users (the "
        "administrator) see every record through the role hierarchy",
        "a record's team and department are its owner's in Zoho (records have no team or "
        "department field of their own)",
        "the administrator profile is left as it is: review who holds it",
    ]
    baselines = sum(
        1
        for (r, a), scope in compiled.baselines.items()
        if a in ("read", "update", "delete") and str(scope.name).lower() == "organization"
    )
    return Fidelity(
        "zoho",
        lost,
        manual=tuple(manual),
        carried={
            "grant": sum(len(p) for p in plan.profile_permissions.values()),
            "baseline": baselines,
            "sharing-rule": sum(1 for r in compiled.sharing if r.id not in lost_rules),
            "field-permission": len(plan.field_permissions),
            "structure": len(plan.manager),
        },
    )
