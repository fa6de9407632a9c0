"""The ``dynamics`` target: a Dataverse (Dynamics 365) unmanaged solution and Web API
request bodies.

``solution.zip`` (also unpacked in ``solution/``) holds one security role per crmorg
role with its effective grants as privileges at Basic, Deep or Global depth, and one
field security profile per role that grants restricted fields. ``webapi/`` holds the
requests that create the business units (the department tree), owner teams and users
and give them their roles and profiles. ``FIDELITY.md`` lists what Dataverse cannot
carry (``team`` and ``subordinates`` scopes, sharing rules, actions without a
privilege, people in several departments).
"""

from __future__ import annotations

from crmorg.export.dynamics.losses import fidelity
from crmorg.export.dynamics.plan import Plan
from crmorg.export.dynamics.render import (
    SECURED_COLUMNS,
    SOLUTION_DIR,
    SOLUTION_ZIP,
    WEBAPI_DIR,
    render_files,
)
from crmorg.export.target import Option, Options, Rendering, crm_exporter
from crmorg.model import Model
from crmorg.text import reveal

FIDELITY_MARKDOWN = "FIDELITY.md"

PREFIXES = ("new", "crmorg", "cr")
"""Publisher prefixes offered for custom tables and columns (``new_<id>``)."""


def build(model: Model, options: Options) -> Rendering:
    plan = Plan(model, options["publisher-prefix"])
    report = fidelity(plan)
    files = render_files(plan)
    files.update(report.files(model))
    # A model's file name is user text too (``model\x1b]0;...yaml``), and FIDELITY.md
    # quotes it in every row: show its hidden characters as escapes.
    files[FIDELITY_MARKDOWN] = reveal(str(files[FIDELITY_MARKDOWN]))
    return Rendering(files, report)


EXPORTER = crm_exporter(
    "dynamics",
    "Dataverse / Dynamics 365 unmanaged solution (security roles, field security "
    "profiles) and Web API bodies (business units, teams, users)",
    build,
    files=(SOLUTION_ZIP, SECURED_COLUMNS),
    directories=(SOLUTION_DIR, WEBAPI_DIR),
    options=(
        Option(
            "publisher-prefix",
            PREFIXES,
            "the publisher's customization prefix of custom tables and columns",
        ),
    ),
)
