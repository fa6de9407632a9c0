"""The ``keycloak`` target: a realm file (``realm.json``) to import into Keycloak.

Roles are realm roles whose composites carry inheritance, grants are client roles of the
client ``crmorg``, departments and teams are groups, people are users
(:mod:`crmorg.export.keycloak.render`). A realm's groups form a tree (``subGroups``) and
its roles' composites are written as the inheritance graph, so the target refuses a
department or inheritance cycle. Nothing of the people side is lost; the reach of a scope
on a record, sharing rules and restricted fields stay with the CRM that reads the client
roles (docs/exports.md).
"""

from __future__ import annotations

from crmorg.export.capabilities import (
    ACCESS_V1_1,
    DEPARTMENT_CYCLE,
    INHERITANCE_CYCLE,
    Capabilities,
)
from crmorg.export.keycloak.render import REALM, render
from crmorg.export.target import Exporter, Options, Rendering
from crmorg.model import Model

_TREE = "a Keycloak realm's groups and composite roles are written as a tree: break the cycle"


def _build(model: Model, options: Options) -> Rendering:
    # A section-16 target (build is set): it writes every scope by name, as a CRM
    # target does, and loses nothing of the people side, so it has no fidelity report.
    return Rendering(render(model))


EXPORTER = Exporter(
    name="keycloak",
    summary="a Keycloak realm: roles as composite realm roles, grants as client roles, "
    "departments and teams as groups, people as users",
    files=(REALM,),
    render=render,
    build=_build,
    capabilities=Capabilities.v1(
        refuses={INHERITANCE_CYCLE: _TREE, DEPARTMENT_CYCLE: _TREE},
        also=ACCESS_V1_1,
    ),
)
