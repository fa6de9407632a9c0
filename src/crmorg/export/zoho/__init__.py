"""The ``zoho`` target: the plan of Zoho CRM API v8 requests (``plan.json`` and one
file per request body under ``requests/``) that ``crmorg deploy zoho`` applies.

People become users, each with a position in Zoho's role tree under their manager's;
the sets of roles people hold become profiles; baselines become data sharing defaults;
team, department and organization reach, and the model's sharing rules, become sharing
rules between user groups; field permissions become profile field permissions. What
Zoho cannot carry is in ``FIDELITY.md`` (docs/crm-systems.md).
"""

from __future__ import annotations

from crmorg.export.target import Options, Rendering, crm_exporter
from crmorg.export.zoho.render import PLAN, REQUESTS
from crmorg.model import Model


def build(model: Model, options: Options) -> Rendering:
    from crmorg.export.zoho.build import build_plan
    from crmorg.export.zoho.render import render
    from crmorg.export.zoho.report import fidelity_of

    plan = build_plan(model)
    fidelity = fidelity_of(model, plan)
    return Rendering({**render(plan), **fidelity.files(model)}, fidelity)


EXPORTER = crm_exporter(
    "zoho",
    "Zoho CRM API v8 request plan (roles, profiles, data sharing, sharing rules, groups, "
    "users) for crmorg deploy zoho",
    build,
    files=(PLAN,),
    directories=(REQUESTS,),
)
