"""Transcript ingest: find transcript files and read each into a segmented Document.

``find_transcripts`` expands files and folders into ``(path, name)`` pairs; ``read_document``
reads one file (``.txt``/``.md``/``.docx``) following docs/transcripts.md: decoding
(:mod:`.decoding`), Word reading (:mod:`.docx_reader`), front matter (:mod:`.front_matter`) and
speaker turns/segments (:mod:`.segmentation`).
"""

from __future__ import annotations

from qualcode.ingest.discovery import SUPPORTED_SUFFIXES, find_transcripts
from qualcode.ingest.reader import read_document
from qualcode.ingest.segmentation import DEFAULT_INTERVIEWER_LABELS, UNITS

__all__ = [
    "DEFAULT_INTERVIEWER_LABELS",
    "SUPPORTED_SUFFIXES",
    "UNITS",
    "find_transcripts",
    "read_document",
]
