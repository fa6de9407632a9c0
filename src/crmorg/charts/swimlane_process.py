"""A model's process as a :class:`~crmorg.charts.swimlane.Swimlane`.

Lanes are roles (``lanes="role"``, the default) or departments
(``lanes="department"``). A step sits in the lane of its first Responsible role
(or that role's department); a step with no Responsible role falls back to its
Accountable role, and failing that to a lane "(no Responsible role)" (validation
reports such a step). Lanes come in the order the steps first use them.

Each box shows the step's name, then its RACI parts as lines ``R: ...`` (only when
the lane does not already say it all: several Responsible roles, or lanes per
department), ``A: ...``, ``C: ...`` and ``I: ...``, with roles by their localised
names. Arrows follow ``next`` (:func:`crmorg.roles.processes.successors`); an arrow
to the same or an earlier step is a loop (:func:`~crmorg.roles.processes.back_edges`),
the step with several next steps a decision, one with none an end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

from crmorg.catalogs import LANGUAGES, messages
from crmorg.model import Model
from crmorg.roles.processes import Process, ProcessStep, back_edges, index_of, successors
from crmorg.text import localize

from .swimlane import Lane, LaneBox, Swimlane, flow

__all__ = ["LANE_MODES", "LaneMode", "UnknownProcessError", "legend", "process_swimlane"]

LaneMode = Literal["role", "department"]
LANE_MODES: tuple[LaneMode, ...] = get_args(LaneMode)

_UNASSIGNED = "(unassigned)"  # lane ids that no model id can be
_NO_DEPARTMENT = "(no-department)"


class UnknownProcessError(ValueError):
    """The model has no process of the id asked for; the message lists its ids."""


def _language(lang: str) -> str:
    language = lang.split("-")[0].split("_")[0]
    return language if language in LANGUAGES else "en"


def legend(lang: str) -> tuple[tuple[str, str], ...]:
    """The swimlane legend's texts in ``lang``, per kind."""
    words = messages(_language(lang))
    return tuple(
        (kind, words[f"swimlane.legend.{kind}"]) for kind in ("step", "decision", "end", "back")
    )


def _require(model: Model, process_id: str) -> Process:
    found = model.processes.get(process_id)
    if found is not None:
        return found
    known = ", ".join(model.processes) or "none (the model has no `processes:` section)"
    raise UnknownProcessError(f"no process `{process_id}` in the model; its processes: {known}")


class _Lanes:
    """Assigns each step a lane and remembers the lanes in order of first use."""

    def __init__(self, model: Model, mode: LaneMode, lang: str) -> None:
        self.model, self.mode, self.lang = model, mode, lang
        self.words = messages(_language(lang))
        self.lanes: dict[str, Lane] = {}

    def role_name(self, role_id: str) -> str:
        role = self.model.roles.get(role_id)
        return localize(role.name if role is not None else None, self.lang, role_id) or role_id

    def _department(self, role_id: str) -> Lane:
        role = self.model.roles.get(role_id)
        dept_id = role.department if role is not None else None
        if dept_id is None:
            return Lane(_NO_DEPARTMENT, self.words["swimlane.lane.no_department"])
        dept = self.model.departments.get(dept_id)
        return Lane(dept_id, localize(dept.name if dept else None, self.lang, dept_id) or dept_id)

    def of(self, step: ProcessStep) -> str:
        owner = next(iter(step.responsible), step.accountable)
        if owner is None:
            lane = Lane(_UNASSIGNED, self.words["swimlane.lane.unassigned"])
        elif self.mode == "department":
            lane = self._department(owner)
        else:
            lane = Lane(owner, self.role_name(owner))
        self.lanes.setdefault(lane.id, lane)
        return lane.id


def _notes(step: ProcessStep, lanes: _Lanes) -> tuple[str, ...]:
    def named(ids: Sequence[str]) -> str:
        return lanes.words["list_sep"].join(lanes.role_name(r) for r in dict.fromkeys(ids))

    notes = []
    if len(step.responsible) > 1 or (lanes.mode == "department" and step.responsible):
        notes.append(f"R: {named(step.responsible)}")
    for letter, ids in (
        ("A", [step.accountable] if step.accountable else []),
        ("C", step.consulted),
        ("I", step.informed),
    ):
        if ids:
            notes.append(f"{letter}: {named(ids)}")
    return tuple(notes)


def process_swimlane(
    model: Model, process_id: str, lanes: LaneMode = "role", lang: str = "en"
) -> Swimlane:
    """The process ``process_id`` of ``model`` as a swimlane chart.

    Raises :class:`UnknownProcessError` (a ``ValueError``) naming the model's
    processes when it has none of that id, and ``ValueError`` for an unknown lane mode.
    """
    if lanes not in LANE_MODES:
        raise ValueError(f"unknown lanes {lanes!r}; expected one of: {', '.join(LANE_MODES)}")
    process = _require(model, process_id)
    assign = _Lanes(model, lanes, lang)
    steps = [process.steps[position] for position in index_of(process).values()]
    boxes = [
        LaneBox(s.id, localize(s.name, lang, s.id) or s.id, assign.of(s), _notes(s, assign))
        for s in steps
    ]
    title = localize(process.name, lang, process_id) or process_id
    return flow(
        title,
        tuple(assign.lanes.values()),
        boxes,
        {s.id: successors(process, s.id) for s in steps},
        back=back_edges(process),
    )
