"""Cycles as findings: the three cycle rules word and place them alike."""

from __future__ import annotations

from collections.abc import Iterator

from crmorg.lint.rule import Problem


def cycle_problems(
    kind: str, members_list: list[list[str]], section: str, field: str
) -> Iterator[Problem]:
    """One problem per cycle, at the ``field`` of its first member, naming every member."""
    for members in members_list:
        circle = " -> ".join([*members, members[0]])
        yield Problem(
            f"{kind} in a circle: {circle}; break the circle by changing one `{field}`",
            (section, members[0], field),
            tuple(members),
        )
