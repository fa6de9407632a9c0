"""Pause Python's cyclic garbage collector during bulk work.

Loading a large model creates millions of small objects, none of which form cycles that
need collecting before the work ends; with the collector on, each generation-2 pass walks
every object created so far, which more than doubles the time of loading and checking a
100,000-person model. The previous state is restored afterwards, so a program embedding
crmorg keeps the collector it had.

With the collector off, every object made during the work waits in the youngest
generation, and the first collection after it would walk them all (a third of a second
for a 100,000-person model, paid at the end of loading and again after checking). So
the objects that survive the work are moved to the collector's permanent generation
(``gc.freeze``) before it is turned back on: they hold no cycles (a model is freed by
reference counting alone) and are freed as usual when their last user lets go.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
