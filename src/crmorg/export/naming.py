"""Names that targets derive from ids: Cedar's PascalCase entity types."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

# crmorg's own entity types, and Cedar's built-in type names that a schema cannot reuse.
RESERVED_TYPE_NAMES = frozenset(
    {"Person", "Role", "Team", "Department", "Action"}
    | {"Grant", "WrittenGrant", "FieldGrant", "ReportingLine"}
    | {"Bool", "Boolean", "String", "Long", "Set", "Record", "Entity", "Extension"}
)
FALLBACK_PREFIX = "Resource_"


def pascal_case(identifier: str) -> str:
    """``service_case`` -> ``ServiceCase``."""
    return "".join(part[:1].upper() + part[1:] for part in identifier.split("_"))


def resource_type_names(resources: Iterable[str]) -> dict[str, str]:
    """Resource id -> its Cedar entity type name, distinct for every resource.

    The name is the id in PascalCase. Where that would be a reserved name or shared by
    two ids (``a_1`` and ``a1`` are both ``A1``), it is ``Resource_<id>`` instead: a
    PascalCase name never contains ``_``, so the fallbacks cannot meet another name.
    """
    ids = list(resources)
    counts = Counter(pascal_case(r) for r in ids)
    names: dict[str, str] = {}
    for resource in ids:
        name = pascal_case(resource)
        if name in RESERVED_TYPE_NAMES or counts[name] > 1:
            name = FALLBACK_PREFIX + resource
        names[resource] = name
    return names
