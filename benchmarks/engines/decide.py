"""crmorg's own ``Model.decide``: cold (the first requests after load) and warm."""

from __future__ import annotations

import crmorg

from .sample import Figures, Sample, timed, wrong_answers


def measure(sample: Sample) -> list[Figures]:
    model, load_seconds = timed(lambda: crmorg.load(sample.path))
    decide = model.decide  # type: ignore[attr-defined]

    def ask() -> list[bool]:
        return [
            bool(decide(r.person, r.action, r.resource, r.owner, r.team, r.department))
            for r in sample.requests
        ]

    figures = []
    for label in ("cold", "warm"):
        answers, seconds = timed(ask)
        figures.append(
            Figures(
                f"decide() {label}",
                len(model.roles),  # type: ignore[attr-defined]
                "roles",
                {},
                load_seconds if label == "cold" else 0.0,
                seconds / len(sample.requests) * 1e6,
                wrong_answers(answers, sample),  # type: ignore[arg-type]
                "first requests after load" if label == "cold" else "same requests again",
            )
        )
    return figures
