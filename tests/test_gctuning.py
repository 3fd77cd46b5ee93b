"""Coding and the report run with fewer collector passes, and leave the thresholds as they were."""

from __future__ import annotations

import gc

import pytest

from qualcode.gctuning import fewer_gc_passes


def test_thresholds_are_raised_inside_and_restored_after_even_on_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_gc_passes():
        assert gc.get_threshold()[0] == 100_000
        assert gc.isenabled()
        raise RuntimeError("boom")
    assert gc.get_threshold() == before
