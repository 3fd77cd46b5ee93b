"""``codings.xlsx``: the researcher's workbook, the report's numbers as sheets.

Sheets: codings (one row per coded segment, with the segment's time and its document's
attributes), segments, frequencies, code x document, code x attribute, co-occurrence, codebook.
Cells are written by :mod:`qualcode.exports.xlsx` (strings stay strings, control characters
replaced, long cells marked ``[truncated]``, header frozen with filters, deterministic bytes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qualcode.analysis import code_frequencies
from qualcode.analysis.matrices import code_by_attribute, code_by_document, cooccurrence
from qualcode.exports.xlsx import SheetData, workbook_bytes
from qualcode.outputs import OutputFolder

if TYPE_CHECKING:
    import pandas as pd

SHEETS = (
    "codings", "segments", "frequencies", "code x document", "code x attribute",
    "co-occurrence", "codebook",
)  # fmt: skip


def codings_workbook(folder: OutputFolder) -> bytes:
    """The workbook for an output folder, as bytes."""
    return workbook_bytes([SheetData(name, _rows(frame)) for name, frame in _frames(folder)])


def _frames(folder: OutputFolder) -> list[tuple[str, pd.DataFrame]]:
    import pandas as pd

    codebook, codings, segments = folder.codebook, folder.codings, folder.segments
    names = {code.id: code.name for code in codebook.walk()}
    attributes = [c for c in folder.attributes.values() if c not in codings.columns]
    context = segments[["document", "segment", "speaker_type", "timestamp", *attributes]]
    coded = codings.merge(context, on=["document", "segment"], how="left", sort=False)
    coded.insert(int(coded.columns.get_loc("code")) + 1, "code name", coded["code"].map(names))
    frequencies = pd.DataFrame(
        [(c.code, c.name, c.depth, "yes" if c.is_leaf else "no", c.segments, c.documents)
         for c in code_frequencies(codebook, folder.coding_records())],
        columns=["code", "name", "depth", "leaf", "segments", "documents"],
    )  # fmt: skip
    by_doc = code_by_document(codebook, codings, [d.name for d in folder.documents])
    by_attribute = [
        code_by_attribute(codebook, codings, segments, column).add_prefix(f"{name}: ")
        for name, column in folder.grouping_attributes().items()
    ]
    attribute_table = pd.concat(by_attribute, axis=1) if by_attribute else by_doc.iloc[:, :0]
    frames = [
        coded,
        segments,
        frequencies,
        _named(by_doc, names),
        _named(attribute_table, names),
        _named(cooccurrence(codebook, codings), names),
        _codebook_frame(folder),
    ]
    return list(zip(SHEETS, frames, strict=True))


def _named(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    frame: pd.DataFrame = table.reset_index()
    frame.insert(1, "name", frame["code"].map(names))
    return frame


def _codebook_frame(folder: OutputFolder) -> pd.DataFrame:
    import pandas as pd

    parents = folder.codebook.parent_ids()
    rows = []
    for code in folder.codebook.walk():
        rows.append({
            "code": code.id, "name": code.name, "parent": parents[code.id] or "",
            "description": code.description, "include": code.include, "exclude": code.exclude,
            "examples": "\n".join(code.examples),
            "keywords": "; ".join(k.label() for k in code.keywords),
            "patterns": "; ".join(p.label() for p in code.patterns),
            "not_within": "; ".join(code.not_within), "negation": code.negation,
            "min_hits": code.min_hits, "color": code.color or "",
            "facets": "; ".join(f"{k}: {v}" for k, v in code.facets.items()),
        })  # fmt: skip
    frame: pd.DataFrame = pd.DataFrame(rows)
    return frame


def _rows(frame: pd.DataFrame) -> list[list[Any]]:
    """Header plus rows, with pandas' missing values as empty cells."""
    import pandas as pd

    body = frame.astype(object).where(pd.notna(frame), None)
    return [[str(c) for c in frame.columns], *(list(r) for r in body.itertuples(index=False))]
