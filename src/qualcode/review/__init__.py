"""Researcher review of auto-codes: the decisions file, re-anchoring, and the review session."""
