"""Entries that lack something: the gap rules that find a missing field word them alike."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Mapping
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


def absent(
    section: str, ids: Iterable[str], present: Container[str], message: str
) -> Iterator[Problem]:
    """One problem per id of ``section`` that is not among ``present``, at its key."""
    for entry_id in ids:
        if entry_id not in present:
            yield Problem(message.format(id=entry_id), (section, entry_id), (entry_id,), True)
