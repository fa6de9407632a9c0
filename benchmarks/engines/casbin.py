"""Casbin (pycasbin): ``enforce(person, resource, action, relation)`` from the exported files.

The application computes the record's relation to the person (``docs/exports.md``); it
is computed beforehand here, so the time is the engine's alone.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import casbin

from .sample import Figures, Sample, engine_figures, timed


def measure(sample: Sample) -> list[Figures]:
    files = sample.render("casbin")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        enforcer, load_seconds = timed(
            lambda: casbin.Enforcer(str(Path(tmp) / "model.conf"), str(Path(tmp) / "policy.csv"))
        )
    enforce = enforcer.enforce  # type: ignore[attr-defined]
    asked = [
        (r.person, r.resource, r.action, relation)
        for r, relation in zip(sample.requests, sample.relations, strict=True)
    ]
    asked_engine = timed(lambda: [bool(enforce(*question)) for question in asked])
    lines = files["policy.csv"].splitlines()
    policy = sum(1 for line in lines if line.startswith("p,"))
    links = sum(1 for line in lines if line.startswith(("g,", "g2,")))
    counted = ("casbin", policy, "p lines")
    note = f"{links:,} g lines"
    return [engine_figures(sample, files, counted, load_seconds, asked_engine, note)]
