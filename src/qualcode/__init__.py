"""qualcode: explainable, Indonesian-aware coding of interview transcripts."""

__version__ = "0.1.0"
