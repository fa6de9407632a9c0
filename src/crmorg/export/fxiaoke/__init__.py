"""The ``fxiaoke`` target (纷享销客): OpenAPI payloads plus a configuration workbook.

``openapi/*.json`` create the organisation (部门), the people (员工), the teams (用户组)
and the roles (角色) through Fxiaoke's OpenAPI, in the order of ``plan.json``;
``fxiaoke-configuration.xlsx`` (and ``workbook/*.csv``) say what to set in the console
where the API does not reach: 功能权限, 数据权限, 字段权限 and 数据共享规则. What
Fxiaoke cannot express is in ``FIDELITY.md`` (format section 16).
"""

from __future__ import annotations

from crmorg.export.fidelity import Fidelity
from crmorg.export.fxiaoke.payloads import DIRECTORY, PLAN, render_payloads
from crmorg.export.fxiaoke.plan import RangeChoice, plan
from crmorg.export.fxiaoke.workbook import CSV_DIRECTORY, WORKBOOK, render_sheets
from crmorg.export.target import Option, Options, Rendering, crm_exporter
from crmorg.model import Model

RANGE_OPTION = Option(
    "data-range",
    tuple(choice.value for choice in RangeChoice),
    "a role's one 数据范围 per object where its operations reach differently: the "
    "narrowest (under-grants) or the widest (over-grants)",
)


def build(model: Model, options: Options) -> Rendering:
    found = plan(model, RangeChoice(options[RANGE_OPTION.name]))
    fidelity: Fidelity = found.fidelity
    files: dict[str, str | bytes] = {
        **render_payloads(found),
        **render_sheets(found),
        **fidelity.files(model),
    }
    return Rendering(dict(sorted(files.items())), fidelity)


EXPORTER = crm_exporter(
    "fxiaoke",
    "纷享销客 Fxiaoke: OpenAPI payloads (organisation, users, user groups, roles) and a "
    "configuration workbook",
    build,
    files=(PLAN, WORKBOOK),
    directories=(DIRECTORY, CSV_DIRECTORY),
    options=(RANGE_OPTION,),
)
