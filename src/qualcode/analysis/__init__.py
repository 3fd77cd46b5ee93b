"""Analysis: pure functions from coded data to tables (frequencies, matrices, agreement)."""

from qualcode.analysis.frequencies import CodeCount, code_frequencies

__all__ = ["CodeCount", "code_frequencies"]
