"""Pause Python's cyclic garbage collector during bulk work.

Loading a large model creates millions of small objects, none of which form cycles that
need collecting before the work ends; with the collector on, each generation-2 pass walks
every object created so far, which more than doubles the time of loading and checking a
100,000-person model. The previous state is restored afterwards, so a program embedding
crmorg keeps the collector it had.
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
            gc.enable()
