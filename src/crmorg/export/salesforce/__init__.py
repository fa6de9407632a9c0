"""The ``salesforce`` target: an SFDX source project (format section 16).

A role is a permission set (and a permission set group of it and the sets of the roles
it inherits), a resource an object whose organisation-wide default carries the
baselines, ``reports_to`` the role hierarchy, teams and departments public groups, and
``team``, ``department`` and ``organization`` reach and the model's sharing rules
owner-based sharing rules. The people side (user roles, permission set group
assignments, group members) is data for Data Loader or ``sf data import``.
``docs/crm-systems.md`` has the mapping, the losses and the manual steps.
"""

from __future__ import annotations

from crmorg.export.salesforce.losses import TARGET, compare
from crmorg.export.salesforce.org import HIERARCHY_OPTIONS
from crmorg.export.salesforce.plan import build_plan
from crmorg.export.salesforce.render import PROJECT_FILE, TOP_DIRECTORIES, render_files
from crmorg.export.target import Option, Options, Rendering, crm_exporter
from crmorg.model import Model
from crmorg.text import reveal

HIERARCHY = Option(
    "salesforce-hierarchy",
    HIERARCHY_OPTIONS,
    "reports: the role hierarchy follows reports_to; flat: one role per person, no hierarchy",
)


def build(model: Model, options: Options) -> Rendering:
    plan = build_plan(model, options.get(HIERARCHY.name, HIERARCHY.default))
    fidelity = compare(model, plan)
    report = fidelity.files(model)
    # A source file's name may hold a terminal escape: the Markdown report shows it.
    report["FIDELITY.md"] = reveal(report["FIDELITY.md"])
    files: dict[str, str | bytes] = {**render_files(plan), **report}
    return Rendering(dict(sorted(files.items())), fidelity)


EXPORTER = crm_exporter(
    TARGET,
    "an SFDX source project: permission sets, role hierarchy, groups, sharing rules",
    build,
    files=(PROJECT_FILE,),
    directories=TOP_DIRECTORIES,
    options=(HIERARCHY,),
)
