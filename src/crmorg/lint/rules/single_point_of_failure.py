"""Critical responsibilities carried by fewer than two people."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.findings import Severity
from crmorg.lint.rule import Problem, rule
from crmorg.lint.wording import listing
from crmorg.model import Model
from crmorg.roles.raci import owners


@rule("single-point-of-failure", "CRM214", "organisation", Severity.WARNING)
def single_point_of_failure(model: Model) -> Iterator[Problem]:
    """A critical responsibility is held by fewer than two people.

    A person holds a responsibility when they hold (directly, or through a role that
    inherits it) a role that *has* it: its Accountable or a Responsible role. Checked
    only when the model declares people. The finding names the responsibility, its
    roles and the one person (if any) who carries it, and points at `critical`.

    Fails:
    ```yaml
    responsibilities:
      close_books: {accountable: finance_manager, responsible: [accountant],
                    critical: true}
    people:
      fay: {roles: [finance_manager, accountant]}   # nobody else
    ```
    Fix: give one of those roles to a second person (a deputy), or drop `critical`.
    """
    if not model.people:
        return
    critical = [(r, resp) for r, resp in model.responsibilities.items() if resp.critical]
    if not critical:
        return  # and every role's holders need not be counted
    org = model.org
    for resp_id, resp in critical:
        roles = [r for r in owners(resp) if r in model.roles]
        # Holders of these roles alone: given one of them or a role that inherits one.
        # Counting stops at the second: a finding names at most one person.
        people = _first_two(
            holder for r in roles for h in org.heirs[r] for holder in org.direct_holders[h]
        )
        if len(people) >= 2:
            continue
        who = f"only {people[0]}" if people else "nobody"
        yield Problem(
            f"critical responsibility {resp_id} is carried by {who} (through "
            f"{listing(roles) or 'no role'}); give one of its roles to a second person",
            ("responsibilities", resp_id, "critical"),
            (resp_id, *roles, *people),
        )


def _first_two(holders: Iterator[str]) -> list[str]:
    """The first two distinct people of ``holders`` (fewer when there are fewer)."""
    found: list[str] = []
    for holder in holders:
        if holder not in found:
            found.append(holder)
            if len(found) == 2:
                break
    return found
