"""REFI-QDA exchange: codebooks (``.qdc``) and coded projects (``.qdpx``) to and from other tools.

Strict in what it writes (every file validates against the REFI-QDA 1.5 XSDs; GUIDs are derived
from content so exports are byte-identical), forgiving in what it reads (namespace variants,
braced or invalid GUIDs, odd source paths are read with a warning that names the deviation) and
safe with untrusted files (:mod:`.archive` checks ZIP members before reading anything,
:mod:`.xml_safety` parses without entity expansion).

Modules: :mod:`.guids`, :mod:`.xml_safety`, :mod:`.archive`, :mod:`.description` (a code's texts
and rules <-> a readable Description), :mod:`.qdc_write`, :mod:`.qdc_read`, :mod:`.codebook_build`
(imported codes -> codebook YAML), :mod:`.output_folder`, :mod:`.qdpx_write`, :mod:`.qdpx_read`,
:mod:`.source_files`, :mod:`.cases`, :mod:`.settings` (codebook settings <-> project
Description), :mod:`.offsets` (foreign text -> canonical body), :mod:`.qdpx_import`.
"""

from __future__ import annotations

from qualcode.errors import QualcodeError

#: Namespaces of the two REFI-QDA 1.x schemas.
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"


class ExchangeError(QualcodeError):
    """A REFI-QDA file could not be read or written (names the file and the problem)."""


__all__ = ["CODEBOOK_NS", "PROJECT_NS", "ExchangeError"]
