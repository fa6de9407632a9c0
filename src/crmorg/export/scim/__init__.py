"""The ``scim`` target: SCIM 2.0 Users and Groups (RFC 7643/7644), and a Bulk request.

An identity provider's directory carries who people are and which groups they are in:
roles, teams and departments become groups (:mod:`crmorg.export.scim.render`). Grants,
scopes, baselines, sharing rules and fields stay with the CRM targets: the groups name
the roles, and nothing of the people side is lost, so the target takes every model.
"""

from __future__ import annotations

from crmorg.export.capabilities import ACCESS_V1_1, Capabilities
from crmorg.export.scim.render import BULK, GROUPS, USERS, render
from crmorg.export.target import Exporter, Options, Rendering
from crmorg.model import Model


def _build(model: Model, options: Options) -> Rendering:
    # A section-16 target (build is set): it writes no scope's reach (roles are groups,
    # grants stay with the CRM) and loses nothing of the people side, so it has no
    # fidelity report.
    return Rendering(render(model))


EXPORTER = Exporter(
    name="scim",
    summary="SCIM 2.0 Users and Groups (roles, teams, departments) and a Bulk request",
    files=(BULK, GROUPS, USERS),
    render=render,
    build=_build,
    capabilities=Capabilities.v1(also=ACCESS_V1_1),
)
