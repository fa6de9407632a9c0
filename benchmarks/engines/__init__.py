"""One measurement per engine target, each in its own module, registered here.

A measurement takes a :class:`~engines.sample.Sample` (a model, fixed person-on-record
requests and crmorg's answers) and returns its :class:`~engines.sample.Figures`. Adding
an engine is a module with a ``measure`` function and one line in :data:`MEASUREMENTS`.
"""

from __future__ import annotations

from . import casbin, cedar, decide, rego
from .sample import Measure

MEASUREMENTS: dict[str, Measure] = {
    "decide": decide.measure,
    "cedar": cedar.measure,
    "casbin": casbin.measure,
    "rego": rego.measure,
}
