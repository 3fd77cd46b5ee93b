"""A codebook's own settings <-> the readable ``Description`` of a REFI-QDA project.

A ``.qdpx`` has room for one project description and none for qualcode's codebook settings, so
they are written after the codebook's description as labelled paragraphs (the same layout as a
code's Description, :mod:`qualcode.refi.description`)::

    Kode untuk wawancara ...

    Language: id

    Version: 1.0

    Overrides:
    - perbankan: bank

    Protect:
    - Banjarmasin

Importing the project reads them back, so that the imported codebook normalises words as the
original did.
"""

from __future__ import annotations

from typing import Any

from qualcode.codebook.schema import Codebook
from qualcode.refi.description import format_list, list_items, split_sections

SECTIONS = ("Language", "Version", "Overrides", "Protect", "Negators")


def compose_settings(codebook: Codebook) -> str:
    """The project Description for ``codebook``."""
    parts = [codebook.description] if codebook.description else []
    parts.append(f"Language: {codebook.language}")
    if codebook.version:
        parts.append(f"Version: {codebook.version}")
    if codebook.overrides:
        parts.append(format_list("Overrides", [f"{k}: {v}" for k, v in codebook.overrides.items()]))
    if codebook.protect:
        parts.append(format_list("Protect", codebook.protect))
    if codebook.negators is not None:
        parts.append(format_list("Negators", codebook.negators))
    return "\n\n".join(parts)


def parse_settings(text: str, warnings: list[str]) -> dict[str, Any]:
    """Codebook fields found in a project Description (``description`` holds the rest)."""
    settings: dict[str, Any] = {}
    for label, lines in split_sections(text, SECTIONS):
        body = "\n".join(lines).strip()
        if label == "":
            if body:
                settings["description"] = body
        elif label == "Language":
            if body in ("id", "en"):
                settings["language"] = body
            else:
                warnings.append(f"project Description: language '{body}' is not id or en")
        elif label == "Version":
            settings["version"] = body
        elif label == "Overrides":
            settings["overrides"] = _overrides(lines, warnings)
        else:
            settings[label.lower()] = list_items(lines, split_inline=True)
    return settings


def _overrides(lines: list[str], warnings: list[str]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for item in list_items(lines, split_inline=False):
        word, sep, key = item.partition(":")
        if sep and word.strip() and key.strip():
            overrides[word.strip()] = key.strip()
        else:
            warnings.append(f"project Description: override '{item}' is not 'word: key'; dropped")
    return overrides
