"""Codebooks: YAML files of codes with definitions and matching rules."""

from qualcode.codebook.loader import load_codebook, parse_codebook
from qualcode.codebook.schema import Code, Codebook, Keyword, Pattern

__all__ = ["Code", "Codebook", "Keyword", "Pattern", "load_codebook", "parse_codebook"]
