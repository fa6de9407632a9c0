"""What the OpenFGA and SpiceDB measurements share: the test adapters, and the requests.

The adapters of ``tests/export/zanzibar_engines.py`` load an export into the real engine
and write each record's relationships as ``docs/exports.md`` tells an application to
(``record_tuples``); the measurements reuse them, so the figures are of exactly what
the equivalence tests prove.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.export.engines import Record
from tests.export.zanzibar_engines import (
    NodeHelper,
    OpenFGAEngine,
    SpiceDBEngine,
    TupleIndex,
    as_openfga,
    record_tuples,
)

from crmorg.export.zanzibar import ZanzibarNames

from .sample import Sample

__all__ = ["NodeHelper", "OpenFGAEngine", "SpiceDBEngine", "TupleIndex"]

DecideQuery = tuple[str, str, str, Record]


def queries(sample: Sample) -> list[DecideQuery]:
    """The sample's requests as the adapters' ``decide`` batches take them."""
    return [
        (r.person, r.action, r.resource, Record(r.owner, r.team, r.department))
        for r in sample.requests
    ]


def tuple_count(relationships: str) -> int:
    """Relationships in a ``relationships.txt`` (one per line, ``//`` comments)."""
    return sum(1 for line in relationships.splitlines() if line and not line.startswith("//"))


def tuples_read(
    index: TupleIndex, sample: Sample, names: ZanzibarNames, limit: int = 300
) -> Sequence[int]:
    """For the first ``limit`` requests: how many tuples one check can read (its record's
    own tuples included). Bounded fan-out means this does not grow with the model."""
    found = []
    for number, r in enumerate(sample.requests[:limit]):
        record_id = f"bench{number}"
        written = record_tuples(names, r.resource, record_id, Record(r.owner, r.team, r.department))
        for t in written:
            index.add(as_openfga(t))
        start = {(f"{names.types[r.resource]}:{record_id}", names.permissions[r.action])}
        found.append(len(index.readable(start, {f"person:{r.person}"})))
    return found


def read_note(counts: Sequence[int]) -> str:
    return f"a check reads {statistics.mean(counts):.0f} tuples on average, {max(counts)} at most"
