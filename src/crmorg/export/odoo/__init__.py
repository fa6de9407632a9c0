"""The ``odoo`` target: an installable addon module, ``crmorg_access`` (format section 16).

Roles become groups (``res.groups``, inheritance as ``implied_ids``), grants access
rights (``ir.model.access.csv``) and record rules (``ir.rule``) whose domains draw the
scopes; departments, sales teams, users and employees are the module's data. What Odoo
cannot carry (actions beyond read/write/create/delete, field permissions, people's
several departments) is listed in ``FIDELITY.md``. ``--odoo-version`` picks 17, 18 or
19 (19 renamed the users' ``groups_id`` to ``group_ids`` and gives groups a privilege).
"""

from __future__ import annotations

from crmorg.export.capabilities import (
    ACCESS_V1_1,
    DEPARTMENT_CYCLE,
    INHERITANCE_CYCLE,
    REPORTING_CYCLE,
    Capabilities,
)
from crmorg.export.fidelity import Fidelity
from crmorg.export.odoo.losses import find_losses
from crmorg.export.odoo.manual import carried, manual_steps
from crmorg.export.odoo.mapping import MODULE
from crmorg.export.odoo.plan import build_plan
from crmorg.export.odoo.render import render_files
from crmorg.export.target import Option, Options, Rendering, crm_exporter
from crmorg.model import Model

VERSIONS = ("18", "17", "19")

_ACYCLIC = (
    "Odoo refuses recursive groups, departments and managers: break the cycle to export to Odoo"
)


def build(model: Model, options: Options) -> Rendering:
    plan = build_plan(model, options["odoo-version"])
    fidelity = Fidelity(
        "odoo", find_losses(model, plan), manual=manual_steps(plan), carried=carried(plan)
    )
    files: dict[str, str | bytes] = {
        **render_files(plan, model.name),
        **fidelity.files(model),
    }
    return Rendering(files, fidelity)


EXPORTER = crm_exporter(
    "odoo",
    "an Odoo addon module (crmorg_access): groups, access rights, record rules, org data",
    build,
    directories=(MODULE,),
    capabilities=Capabilities.v1(
        refuses={
            INHERITANCE_CYCLE: _ACYCLIC,
            DEPARTMENT_CYCLE: _ACYCLIC,
            REPORTING_CYCLE: _ACYCLIC,
        },
        also=ACCESS_V1_1,
    ),
    options=(Option("odoo-version", VERSIONS, "the Odoo version the module is for (default 18)"),),
)
