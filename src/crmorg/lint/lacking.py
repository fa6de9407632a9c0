"""Entries that lack something: the gap rules that find a missing field word them alike."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from crmorg.lint.rule import Problem

Entry = TypeVar("Entry")


def lacking(
    section: str, entries: Mapping[str, Entry], lacks: Callable[[Entry], bool], message: str
) -> Iterator[Problem]:
    """One problem per entry of ``section`` that ``lacks`` what it needs, at its key.

    ``message`` names the entry as ``{id}`` and says how to fill the gap.
    """
    for entry_id, entry in entries.items():
        if lacks(entry):
            yield Problem(message.format(id=entry_id), (section, entry_id), (entry_id,), True)
