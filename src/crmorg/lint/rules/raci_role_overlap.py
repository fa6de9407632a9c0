"""One role playing several RACI parts in one responsibility."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.model import Model

_PARTS = ("accountable", "responsible", "consulted", "informed")
_PART_NAMES = {
    "accountable": "Accountable",
    "responsible": "Responsible",
    "consulted": "Consulted",
    "informed": "Informed",
}


@rule(
    "raci-role-overlap", code="CRM105", group="raci", family="conflict", severity=Severity.WARNING
)
def raci_role_overlap(model: Model) -> Iterator[Problem]:
    """One role plays more than one RACI part in one responsibility.

    A role may be Accountable and Responsible at once (it does the work it answers
    for), but it is only one of Responsible, Consulted and Informed, and it is neither
    Consulted nor Informed about work it is Accountable for. The finding points at the
    role's second appearance.

    Fails:
    ```yaml
    responsibilities:
      manage_pipeline:
        accountable: sales_manager
        responsible: [sales_rep]
        consulted: [sales_rep]           # already Responsible
        informed: [sales_manager]        # already Accountable
    ```
    Fix: keep the strongest part only (`responsible: [sales_rep]`; drop the others).
    """
    for resp_id, resp in model.responsibilities.items():
        places: dict[str, list[tuple[str, int | None]]] = {}
        if resp.accountable is not None:
            places[resp.accountable] = [("accountable", None)]
        for part in _PARTS[1:]:
            for index, role_id in enumerate(getattr(resp, part)):
                found = places.setdefault(role_id, [])
                if all(place[0] != part for place in found):
                    found.append((part, index))
        for role_id, found in places.items():
            parts = [part for part, _ in found]
            clash = next((i for i in range(1, len(found) + 1) if _overlap(parts[:i])), None)
            if clash is None:
                continue
            part, position = found[clash - 1]
            named = " and ".join(_PART_NAMES[p] for p in parts)
            yield Problem(
                f"role {role_id} is {named} for responsibility {resp_id}; give it one part "
                "(Accountable and Responsible together is fine)",
                ("responsibilities", resp_id, part, position if position is not None else 0),
                (resp_id, role_id),
            )


def _overlap(parts: list[str]) -> bool:
    rci = [part for part in parts if part != "accountable"]
    return len(rci) > 1 or ("accountable" in parts and any(p != "responsible" for p in rci))
