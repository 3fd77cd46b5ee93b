"""Matching: normalised word keys, compiled codebook rules, and the engine that applies them."""

from qualcode.matching.engine import CodebookMatcher, codings_from_hits
from qualcode.matching.normaliser import Normaliser

__all__ = ["CodebookMatcher", "Normaliser", "codings_from_hits"]
