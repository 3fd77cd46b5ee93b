"""Fewer garbage-collector passes while a command builds many small objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def fewer_gc_passes() -> Iterator[None]:
    """Run the collector's young pass every 100,000 allocations instead of 700.

    Coding and the report allocate millions of small acyclic objects (hits, codings, strings,
    rows), and the default thresholds spent ~25% of a 1M-word coding run (measured; ~10% of a
    report) in collections that free nothing; cyclic garbage is still collected, just less often.
    The previous thresholds are restored after.
    """
    previous = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
