"""One role playing several RACI parts in one responsibility."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.work import raci_work
from crmorg.model import Model
from crmorg.roles.raci import parts

_FIELDS = {"A": "accountable", "R": "responsible", "C": "consulted", "I": "informed"}
"""Each RACI letter's field in a responsibility, Accountable first: the other parts
are judged against it."""


@rule("raci-role-overlap", "CRM105", "raci", Severity.WARNING)
def raci_role_overlap(model: Model) -> Iterator[Problem]:
    """One role plays more than one RACI part in one responsibility or process step.

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
    for work in raci_work(model):
        roles_in = parts(work.assignment)
        places: dict[str, list[tuple[str, int]]] = {}  # role -> (letter, first index)
        for letter in _FIELDS:
            for index, role_id in enumerate(roles_in[letter]):
                found = places.setdefault(role_id, [])
                if not found or found[-1][0] != letter:  # parts come one after the other
                    found.append((letter, index))
        for role_id, found in places.items():
            if len(found) == 1:
                continue  # one part is never an overlap
            letters = [letter for letter, _ in found]
            clash = next((i for i in range(1, len(found) + 1) if _overlap(letters[:i])), None)
            if clash is None:
                continue
            letter, position = found[clash - 1]
            named = " and ".join(_FIELDS[part].capitalize() for part in letters)
            yield Problem(
                f"role {role_id} is {named} for {work.title}; give it one part "
                "(Accountable and Responsible together is fine)",
                (*work.path, _FIELDS[letter], position),
                (*work.subjects, role_id),
            )


def _overlap(letters: list[str]) -> bool:
    rci = [letter for letter in letters if letter != "A"]
    return len(rci) > 1 or ("A" in letters and any(letter != "R" for letter in rci))
