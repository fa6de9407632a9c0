"""How crmorg's concepts are named and measured in Dataverse: tables, privileges, depths.

Dataverse (Dynamics 365) gives a security role one privilege per table and verb
(``prvReadAccount``), each at a depth: Basic (the user's own records), Local (the
user's business unit), Deep (the business unit and the ones below it) or Global (the
whole organisation). Nothing here reads a model: these are the system's facts.
"""

from __future__ import annotations

import enum
import functools
import uuid
from collections.abc import Mapping

from crmorg.roles.scopes import BIT, Scope


class Depth(enum.IntEnum):
    """A privilege's depth, narrowest first (Dataverse's ``PrivilegeDepth``)."""

    NONE = 0
    BASIC = 1
    LOCAL = 2
    DEEP = 3
    GLOBAL = 4

    @property
    def level(self) -> str:
        """The ``level`` attribute of a ``RolePrivilege`` in customizations.xml."""
        return self.name.capitalize()


LEVELS: Mapping[str, Depth] = {depth.level: depth for depth in Depth if depth is not Depth.NONE}

DEPTH_OF_SCOPE: Mapping[Scope, Depth] = {
    Scope.NONE: Depth.NONE,
    Scope.OWN: Depth.BASIC,
    # Dataverse has no depth for "records of my teams" or "records of my reports": both
    # become Basic, and the fidelity report lists what that under-grants.
    Scope.SUBORDINATES: Depth.BASIC,
    Scope.TEAM: Depth.BASIC,
    # crmorg's department includes the departments below it, as Deep does; Local (the
    # business unit alone) has no crmorg scope and is never written.
    Scope.DEPARTMENT: Depth.DEEP,
    Scope.ORGANIZATION: Depth.GLOBAL,
}


@functools.cache
def depth_of(covered: int) -> Depth:
    """The depth that carries a down-set of scopes: the deepest of its members."""
    return max(
        (depth for scope, depth in DEPTH_OF_SCOPE.items() if covered & BIT[scope]),
        default=Depth.NONE,
    )


VERBS: Mapping[str, str] = {
    "create": "Create",
    "read": "Read",
    "update": "Write",
    "delete": "Delete",
    "assign": "Assign",
    "share": "Share",
}
"""crmorg action -> the verb of its per-table privilege. Other actions (export, import,
approve, a model's own) have no per-table privilege: a grant loss."""

LINKING_VERBS = ("Append", "AppendTo")
"""Needed to set a lookup on a record (Append) and to be looked up (AppendTo); crmorg has
no such action, so they are written at the depth of ``update``."""

STANDARD_TABLES: Mapping[str, str] = {
    "lead": "lead",
    "opportunity": "opportunity",
    "account": "account",
    "contact": "contact",
    "service_case": "incident",
    "case": "incident",
    "quote": "quote",
    "order": "salesorder",
    "salesorder": "salesorder",
    "invoice": "invoice",
    "product": "product",
    "campaign": "campaign",
}
"""crmorg resource id -> the standard table of the same meaning (logical name)."""

SCHEMA_NAMES: Mapping[str, str] = {
    "lead": "Lead",
    "opportunity": "Opportunity",
    "account": "Account",
    "contact": "Contact",
    "incident": "Incident",
    "quote": "Quote",
    "salesorder": "SalesOrder",
    "invoice": "Invoice",
    "product": "Product",
    "campaign": "Campaign",
}
"""Standard table logical name -> its schema name, which privilege names use."""

ORGANIZATION_OWNED: frozenset[str] = frozenset({"product"})
"""Standard tables owned by the organisation, not by users or teams: their privileges
are Global or none (no record has an owner whose business unit a depth could follow)."""


def table_of(resource: str, objects: Mapping[str, str], prefix: str) -> str:
    """The logical name of the table a resource maps to: the settings' name, the
    standard table of the same meaning, or a custom table ``<prefix>_<id>``."""
    named = objects.get(resource)
    if named is not None:
        return named
    return STANDARD_TABLES.get(resource, f"{prefix}_{resource}")


def schema_name(table: str) -> str:
    """The schema name privileges are named after (``prvReadIncident``); a custom table's
    schema name is taken to be its logical name."""
    return SCHEMA_NAMES.get(table, table)


def privilege_name(verb: str, table: str) -> str:
    return f"prv{verb}{schema_name(table)}"


def column_of(
    resource: str, field: str, fields: Mapping[str, Mapping[str, str]], prefix: str
) -> str:
    """The logical name of the column a field maps to (``<prefix>_<field>`` by default)."""
    return fields.get(resource, {}).get(field, f"{prefix}_{field}")


GUID_NAMESPACE = uuid.UUID("6f1d0f3e-5b7a-5c55-9d0e-64796e616d69")
"""The namespace of every GUID this target writes (fixed forever: GUIDs must not move)."""


def guid(solution: str, kind: str, local_id: str) -> str:
    """A stable GUID: uuid5 of the solution's unique name, the kind of component and the
    crmorg id, so that a re-import updates the same role instead of adding one."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{solution}/{kind}/{local_id}"))
