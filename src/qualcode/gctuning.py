"""Fewer garbage-collector passes while coding builds many small objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def fewer_gc_passes() -> Iterator[None]:
    """Run the collector's young pass every 100,000 allocations instead of 700.

    Coding allocates millions of small acyclic objects (hits, codings, strings), and the default
    thresholds spent ~25% of a 1M-word coding run in collections that free nothing (measured;
    peak memory unchanged, also for a 50 MB transcript). Cyclic garbage is still collected, just
    less often. Not used for the report: there it saved 3% of the time for 100 MB more memory.
    The previous thresholds are restored after.
    """
    previous = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
