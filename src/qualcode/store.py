"""Coded data as pandas DataFrames with fixed columns, and their CSV files.

CSV is UTF-8 with a BOM (Excel opens it cleanly), LF line endings, rows in a stable order. A text
cell that starts with ``= + - @``, a tab or a CR is prefixed with ``'`` so that a spreadsheet
never runs it as a formula (CWE-1236); :func:`read_csv` removes that prefix again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.fileio import write_text_atomic
from qualcode.models import Coding, Document, Hit

if TYPE_CHECKING:
    import pandas as pd

SEGMENT_COLUMNS = (
    "document", "segment", "speaker", "speaker_type", "timestamp",
    "start", "end", "coded", "codes", "text",
)  # fmt: skip
CODING_COLUMNS = (
    "document", "segment", "speaker", "start", "end", "code", "origin", "hits", "matched", "text",
    "memo",
)  # fmt: skip
HIT_COLUMNS = ("document", "segment", "code", "start", "end", "matched", "rule", "key", "status")

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def attribute_names(documents: Sequence[Document]) -> list[str]:
    """Attribute keys over all documents, in first-seen order."""
    return list(dict.fromkeys(key for doc in documents for key in doc.attributes))


def attribute_column(name: str, taken: Iterable[str] = SEGMENT_COLUMNS) -> str:
    """The column an attribute gets: its own name, or ``attr_<name>`` if that is taken."""
    return f"attr_{name}" if name in set(taken) else name


def segments_frame(documents: Sequence[Document], codings: Sequence[Coding]) -> pd.DataFrame:
    """Every segment of every document, with its codes and the document's attributes."""
    import pandas as pd

    codes: dict[tuple[str, int], list[str]] = {}
    for coding in codings:
        codes.setdefault((coding.document, coding.segment), []).append(coding.code)
    names = attribute_names(documents)
    rows = []
    for doc in documents:
        for seg in doc.segments:
            seg_codes = codes.get((doc.name, seg.number), [])
            row: dict[str, object] = {
                "document": doc.name,
                "segment": seg.number,
                "speaker": seg.speaker,
                "speaker_type": seg.speaker_type,
                "timestamp": seg.timestamp,
                "start": seg.start,
                "end": seg.end,
                "coded": "yes" if seg_codes else "no",
                "codes": LIST_SEPARATOR.join(seg_codes),
                "text": seg.text,
            }
            for name in names:
                row[attribute_column(name)] = doc.attributes.get(name, "")
            rows.append(row)
    columns = [*SEGMENT_COLUMNS, *(attribute_column(n) for n in names)]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=columns)
    return frame


def codings_frame(codings: Sequence[Coding]) -> pd.DataFrame:
    import pandas as pd

    rows = [
        (c.document, c.segment, c.speaker, c.start, c.end, c.code, c.origin, c.hits,
         LIST_SEPARATOR.join(c.matched), c.text, c.memo)
        for c in codings
    ]  # fmt: skip
    frame: pd.DataFrame = pd.DataFrame(rows, columns=list(CODING_COLUMNS))
    return frame


def hits_frame(hits: Sequence[Hit]) -> pd.DataFrame:
    import pandas as pd

    rows = [
        (h.document, h.segment, h.code, h.start, h.end, h.matched, h.rule, h.key, h.status)
        for h in hits
    ]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=list(HIT_COLUMNS))
    return frame


def neutralise(value: object) -> object:
    """Prefix ``'`` to a string a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text (no BOM), formula-like cells neutralised."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(c) for c in frame.columns])
    # Plain lists per column: indexing pandas arrays cell by cell costs ~10x more.
    columns = [_csv_cells(frame[name].tolist()) for name in frame.columns]
    writer.writerows(zip(*columns, strict=True))
    return buffer.getvalue()


def _csv_cells(values: list[object]) -> list[object]:
    """One column's cells: formula-like text neutralised, missing values empty."""
    import pandas as pd

    return [
        ("'" + v if v.startswith(FORMULA_PREFIXES) else v)
        if isinstance(v, str)
        else ("" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v)
        for v in values
    ]


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` atomically as UTF-8-with-BOM CSV."""
    write_text_atomic(path, csv_text(frame), bom=True)


def read_csv(path: Path, *, text_columns: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Read a CSV qualcode wrote (or a spreadsheet export), undoing the formula neutralisation."""
    import pandas as pd

    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for column in frame.columns:
        frame[column] = frame[column].map(_unneutralise)
    for column in ("segment", "start", "end", "hits"):
        if column in frame.columns and (text_columns is None or column not in text_columns):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return frame


def _unneutralise(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
