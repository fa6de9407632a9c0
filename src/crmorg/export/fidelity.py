"""What a CRM-system export could not carry exactly (format section 16).

A CRM system cannot express everything crmorg can. Each CRM target lists every grant,
scope, baseline, sharing rule and field permission it could not carry exactly as a
:class:`Loss`: what the model says, what the target does instead, whether the target
then grants more than the model (:attr:`Direction.OVER`) or less
(:attr:`Direction.UNDER`), and the people affected. :class:`Fidelity` writes them as
``FIDELITY.md`` and ``fidelity.json`` beside the target's files; ``--strict`` refuses
any loss.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from crmorg.export.compiled import source_of
from crmorg.findings import Path
from crmorg.model import Model
from crmorg.text import reveal

FIDELITY_FILES = ("FIDELITY.md", "fidelity.json")
FORMAT = "crmorg.fidelity/1"


class Direction(enum.Enum):
    """Which way a loss errs."""

    OVER = "over-grants"
    """The target lets people do more than the model says."""
    UNDER = "under-grants"
    """The target lets people do less than the model says."""


@dataclass(frozen=True)
class Loss:
    """One thing the target could not carry exactly.

    ``construct`` is one of :data:`CONSTRUCTS`; ``path`` the model path of what is lost
    (its ``file:line`` is written beside it); ``written`` what the model says;
    ``carried`` what the target does instead; ``people`` who is affected (sorted).
    """

    construct: str
    path: Path
    written: str
    carried: str
    direction: Direction
    people: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.construct not in CONSTRUCTS:
            raise ValueError(f"unknown construct {self.construct!r}; one of {CONSTRUCTS}")


CONSTRUCTS = ("grant", "scope", "baseline", "sharing-rule", "field-permission", "structure")
"""What a loss may be about: a grant (an action the target cannot give), a scope (a
reach the target cannot draw), a baseline, a sharing rule, a field permission, or the
structure (teams, departments, inheritance) the target flattens."""


@dataclass(frozen=True)
class Fidelity:
    """Every loss of one export, and what a user must still do by hand."""

    target: str
    losses: tuple[Loss, ...] = ()
    manual: tuple[str, ...] = ()
    """Steps the target's files do not do (e.g. "activate the users")."""
    carried: Mapping[str, int] = field(default_factory=dict)
    """How many of each construct were carried exactly (for the summary)."""

    @property
    def exact(self) -> bool:
        return not self.losses

    def count(self, direction: Direction) -> int:
        return sum(1 for loss in self.losses if loss.direction is direction)

    def summary(self) -> str:
        """One line for the terminal."""
        if self.exact:
            return f"{self.target}: carried exactly, no losses (FIDELITY.md)"
        people = sorted({p for loss in self.losses for p in loss.people})
        return (
            f"{self.target}: {len(self.losses)} loss(es): "
            f"{self.count(Direction.OVER)} over-grant, {self.count(Direction.UNDER)} "
            f"under-grant, affecting {len(people)} people; see FIDELITY.md"
        )

    def files(self, model: Model) -> dict[str, str]:
        """``FIDELITY.md`` and ``fidelity.json`` for ``model``."""
        entries = [_entry(model, loss) for loss in _sorted(self.losses)]
        document = {
            "format": FORMAT,
            "target": self.target,
            "exact": self.exact,
            "counts": {direction.value: self.count(direction) for direction in Direction},
            "carried": dict(sorted(self.carried.items())),
            "losses": entries,
            "manual": list(self.manual),
        }
        text = json.dumps(document, indent=2, ensure_ascii=True, sort_keys=False) + "\n"
        return {"FIDELITY.md": _markdown(self, entries), "fidelity.json": text}


def _sorted(losses: Iterable[Loss]) -> list[Loss]:
    return sorted(
        losses,
        key=lambda loss: (
            CONSTRUCTS.index(loss.construct),
            tuple(str(part) for part in loss.path),
            loss.written,
            loss.carried,
        ),
    )


def _entry(model: Model, loss: Loss) -> dict[str, object]:
    return {
        "construct": loss.construct,
        "path": list(loss.path),
        "source": source_of(model, loss.path),
        "written": loss.written,
        "carried": loss.carried,
        "direction": loss.direction.value,
        "people": list(loss.people),
    }


def _cell(value: object) -> str:
    """A Markdown table cell: pipes, backticks and line breaks escaped, hidden characters
    (a terminal escape in a model file's name) shown as their escapes."""
    text = reveal(str(value))
    for raw, escaped in (("\\", "\\\\"), ("|", "\\|"), ("`", "\\`"), ("<", "&lt;")):
        text = text.replace(raw, escaped)
    return " ".join(text.split())


def _markdown(fidelity: Fidelity, entries: list[dict[str, object]]) -> str:
    lines = [f"# Fidelity of the {fidelity.target} export", ""]
    if fidelity.exact:
        lines += ["Everything the model says was carried exactly.", ""]
    else:
        lines += [
            f"{len(entries)} thing(s) could not be carried exactly: "
            f"{fidelity.count(Direction.OVER)} over-grant (the target allows more than "
            f"the model) and {fidelity.count(Direction.UNDER)} under-grant (it allows "
            "less). `--strict` refuses an export with any loss.",
            "",
            "| What | Where | The model says | The target does | Direction | People |",
            "|---|---|---|---|---|---|",
        ]
        for entry in entries:
            people = entry["people"]
            assert isinstance(people, list)
            shown = ", ".join(people[:10])
            if len(people) > 10:
                shown += f" and {len(people) - 10} more"
            lines.append(
                "| "
                + " | ".join(
                    _cell(v)
                    for v in (
                        entry["construct"],
                        entry["source"],
                        entry["written"],
                        entry["carried"],
                        entry["direction"],
                        shown or "nobody yet",
                    )
                )
                + " |"
            )
        lines.append("")
    if fidelity.carried:
        lines += ["## Carried exactly", ""]
        lines += [f"- {_cell(k)}: {v}" for k, v in sorted(fidelity.carried.items())]
        lines.append("")
    if fidelity.manual:
        lines += ["## Still to do by hand", ""]
        lines += [f"- {_cell(step)}" for step in fidelity.manual]
        lines.append("")
    return "\n".join(lines)


def holders(model: Model, role_ids: Iterable[str]) -> tuple[str, ...]:
    """The people who hold any of ``role_ids``, directly or through a role inheriting
    it, sorted: who a loss on those roles affects."""
    heirs = model.org.heirs
    wanted: set[str] = set()
    for role_id in role_ids:
        wanted |= heirs.get(role_id, frozenset({role_id}))
    return tuple(
        sorted(person_id for person_id, person in model.people.items() if wanted & {*person.roles})
    )
