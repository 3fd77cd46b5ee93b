"""Greedy choice of non-overlapping spans in O(n log n).

Matching (overlapping hits of one code count once) and the report (one ``<mark>`` per word)
both walk spans in priority order and keep each span that overlaps none kept so far. The
obvious loop compares every span with every kept one: quadratic, which took minutes on a
1.3M-character transcript with one segment (RELIABILITY A8). Kept spans are pairwise disjoint,
so sorted by (start, end) their ends never decrease; one bisection finds the only kept span
that can overlap a new one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def pick_disjoint(ranked: Iterable[T], bounds: Callable[[T], tuple[int, int]]) -> list[T]:
    """The items of ``ranked`` (best first) that overlap no better item kept before them.

    ``bounds(item)`` is its half-open ``(start, end)``; two spans overlap when
    ``end > other_start and start < other_end`` (so spans that only touch do not, and an empty
    span overlaps a span strictly around it). Returns the kept items in ``ranked`` order:
    exactly what comparing each item with every kept one gives, in O(n log n).
    """
    keys: list[tuple[int, float]] = []  # kept (start, end), sorted
    ends: list[int] = []  # their ends, non-decreasing
    kept: list[T] = []
    for item in ranked:
        start, end = bounds(item)
        before = bisect_left(keys, (end, float("-inf")))  # kept spans starting before `end`
        if before and ends[before - 1] > start:
            continue
        position = bisect_left(keys, (start, end))
        keys.insert(position, (start, end))
        ends.insert(position, end)
        kept.append(item)
    return kept
