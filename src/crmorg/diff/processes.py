"""Process changes (format-v1 section 15): processes and steps added, removed or renamed,
who does each step (RACI), what it requires, and the flow between steps.

Steps are matched by id within their process (the first step of an id, as
:mod:`crmorg.roles.processes` does), never by position, so a moved line or a reordered
list is no change unless it changes the flow (a step without ``next`` is followed by
the next one in the list). A process whose id changed while its step ids stayed the
same, the only such pair on both sides, is ``renamed`` and compared as one process.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from crmorg.diff.results import ProcessChange, ProcessChangeKind, RaciChange
from crmorg.diff.structure import RACI_PARTS, members
from crmorg.diff.version import Version
from crmorg.roles.processes import Process, edges, end_steps, index_of


def process_changes(old: Version, new: Version) -> tuple[list[ProcessChange], list[RaciChange]]:
    """Every process change, and the RACI changes of the steps, in model order (OLD's
    processes, then NEW's new ones)."""
    before: Mapping[str, Process] = old.model.processes
    after: Mapping[str, Process] = new.model.processes
    renamed = _renamed(before, after)
    was_named = {then: now for now, then in renamed.items()}
    changes: list[ProcessChange] = []
    raci: list[RaciChange] = []
    order = [*before, *(key for key in after if key not in before)]
    for listed in order:
        if listed in renamed:
            continue  # compared where its old id was listed
        then_id, key = listed, was_named.get(listed, listed)
        then, now = before.get(then_id), after.get(key)
        if now is None:
            changes.append(ProcessChange(key, "removed", where=old.where(("processes", key))))
        elif then is None:
            changes.append(ProcessChange(key, "added", where=new.where(("processes", key))))
        elif then != now or then_id != key:
            pair = _Pair(old, new, then_id, key, then, now)
            changes += pair.process_changes()
            raci += pair.raci_changes()
    return changes, raci


def _renamed(before: Mapping[str, Process], after: Mapping[str, Process]) -> dict[str, str]:
    """New id -> old id, for each removed process whose step ids (in order) an added
    process has and no other removed or added process shares."""

    def signature(process: Process) -> tuple[str, ...]:
        return tuple(index_of(process))

    gone = [key for key in before if key not in after]
    came = [key for key in after if key not in before]
    old_by: dict[tuple[str, ...], list[str]] = {}
    new_by: dict[tuple[str, ...], list[str]] = {}
    for key in gone:
        old_by.setdefault(signature(before[key]), []).append(key)
    for key in came:
        new_by.setdefault(signature(after[key]), []).append(key)
    return {
        news[0]: olds[0]
        for sig, news in new_by.items()
        if len(news) == 1 and len(olds := old_by.get(sig, [])) == 1
    }


class _Pair:
    """One process on both sides (``then_id`` in OLD, ``key`` in NEW)."""

    def __init__(
        self, old: Version, new: Version, then_id: str, key: str, then: Process, now: Process
    ) -> None:
        self.old, self.new = old, new
        self.then_id, self.key = then_id, key
        self.then, self.now = then, now
        self.old_at, self.new_at = index_of(then), index_of(now)

    def _old(self, *path: str | int) -> str:
        return self.old.where(("processes", self.then_id, *path))

    def _new(self, *path: str | int) -> str:
        return self.new.where(("processes", self.key, *path))

    def _step_old(self, step: str, *path: str) -> str:
        return self._old("steps", self.old_at[step], *path)

    def _step_new(self, step: str, *path: str) -> str:
        return self._new("steps", self.new_at[step], *path)

    def process_changes(self) -> list[ProcessChange]:
        key, then, now = self.key, self.then, self.now
        found: list[ProcessChange] = []
        if self.then_id != key:
            found.append(ProcessChange(key, "renamed", None, "id", self.then_id, key, self._new()))
        attributes: tuple[tuple[str, ProcessChangeKind], ...] = (
            ("name", "renamed"),
            ("department", "changed"),
        )
        for attribute, kind in attributes:
            was, value = getattr(then, attribute), getattr(now, attribute)
            if was != value:
                found.append(
                    ProcessChange(
                        key,
                        kind,
                        None,
                        attribute,
                        _text(was),
                        _text(value),
                        self._new(attribute),
                    )
                )
        first_then, first_now = then.steps[0].id, now.steps[0].id
        if first_then != first_now:
            where = self._new("steps", 0)
            found.append(
                ProcessChange(key, "starts", first_now, None, first_then, first_now, where)
            )
        found += (
            ProcessChange(key, "removed", step, where=self._step_old(step))
            for step in self.old_at
            if step not in self.new_at
        )
        found += (
            ProcessChange(key, "added", step, where=self._step_new(step))
            for step in self.new_at
            if step not in self.old_at
        )
        found += self._requires()
        found += self._flow()
        return found

    def _requires(self) -> Iterator[ProcessChange]:
        for step, position in self.new_at.items():
            if step not in self.old_at:
                continue
            was = _permissions(self.then.steps[self.old_at[step]].requires)
            value = _permissions(self.now.steps[position].requires)
            for permission in [*was, *(p for p in value if p not in was)]:
                scope_then, scope_now = was.get(permission), value.get(permission)
                if scope_then != scope_now:
                    resource, action = permission
                    path = ("requires", resource, action)
                    where = (
                        self._step_old(step, *path)
                        if scope_now is None
                        else self._step_new(step, *path)
                    )
                    yield ProcessChange(
                        self.key,
                        "requires",
                        step,
                        f"{resource}.{action}",
                        scope_then,
                        scope_now,
                        where,
                    )

    def _flow(self) -> Iterator[ProcessChange]:
        then_edges, now_edges = edges(self.then), edges(self.now)
        for source, target in now_edges:
            if (source, target) not in then_edges:
                where = self._step_new(source, "next")
                yield ProcessChange(self.key, "next-added", source, None, None, target, where)
        for source, target in then_edges:
            if (source, target) not in now_edges:
                where = self._step_old(source, "next")
                yield ProcessChange(self.key, "next-removed", source, None, target, None, where)
        then_ends, now_ends = end_steps(self.then), end_steps(self.now)
        for step in now_ends:
            if step not in then_ends:
                yield ProcessChange(self.key, "ends", step, where=self._step_new(step))
        for step in then_ends:
            if step not in now_ends:
                yield ProcessChange(self.key, "no-longer-ends", step, where=self._step_old(step))

    def raci_changes(self) -> list[RaciChange]:
        found: list[RaciChange] = []
        for step, position in self.new_at.items():
            if step not in self.old_at:
                continue
            was, value = self.then.steps[self.old_at[step]], self.now.steps[position]
            if was == value:
                continue
            label = f"{self.key}/{step}"
            for part, attribute in RACI_PARTS:
                then, now = members(getattr(was, attribute)), members(getattr(value, attribute))
                found += (
                    RaciChange(
                        label,
                        "joined",
                        part,
                        role,
                        self._step_new(step, attribute),
                        self.key,
                        step,
                    )
                    for role in now
                    if role not in then
                )
                found += (
                    RaciChange(
                        label,
                        "left",
                        part,
                        role,
                        self._step_old(step, attribute),
                        self.key,
                        step,
                    )
                    for role in then
                    if role not in now
                )
        return found


def _permissions(requires: Mapping[str, Mapping[str, str]]) -> dict[tuple[str, str], str]:
    """``{"case": {"update": "team"}}`` -> ``{("case", "update"): "team"}``."""
    return {
        (resource, action): scope
        for resource, actions in requires.items()
        for action, scope in actions.items()
    }


def _text(value: Any) -> str | None:
    """A name or department as a reader sees it: ``en: Sales, zh: 销售``."""
    if value is None:
        return None
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
