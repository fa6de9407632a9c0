"""OpenFGA: the engine of the ``fga`` CLI (``fga model test``, in memory) on the export.

The CLI's in-memory datastore scans a store's every tuple on each read (and on each
write), so a store of the whole export is not a fair measure of the export: each of the
CLI's tests gets a store of its own holding only the tuples its checks can read (50
records a test, as in the equivalence tests; :class:`TupleIndex` in
``tests/export/zanzibar_engines.py``). The figures: the tuples exported, the time to
parse them and build that index ("load"), the wall-clock time of ``fga model test`` per
decision (its per-test store and model writes included), and how many tuples one check
can read, which is what the export's fan-out decides.
"""

from __future__ import annotations

import json
import time

from crmorg.export.zanzibar import ZanzibarNames

from .sample import Figures, Sample, sizes, wrong_answers
from .zanzibar import OpenFGAEngine, TupleIndex, queries, read_note, tuples_read


def measure(sample: Sample) -> list[Figures]:
    files = sample.render("openfga")
    started = time.perf_counter()
    engine = OpenFGAEngine(sample.model, files)
    index = TupleIndex(engine.model_json, engine.tuples)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    answers = engine.decide(queries(sample))
    seconds = time.perf_counter() - started
    read = tuples_read(index, sample, ZanzibarNames.for_model(sample.model))
    return [
        Figures(
            "openfga",
            len(json.loads(files["tuples.json"])),
            "tuples",
            sizes(files),
            load_seconds,
            seconds * 1e6 / len(sample.requests),
            wrong_answers(answers, sample),
            f"fga model test, wall clock; {read_note(read)}",
        )
    ]
