"""Coded data as pandas DataFrames with fixed columns, and their CSV files.

CSV is UTF-8 with a BOM (Excel opens it cleanly), LF line endings, rows in a stable order. A text
cell that starts with ``= + - @``, a tab or a CR is prefixed with ``'`` so that a spreadsheet
never runs it as a formula (CWE-1236); :func:`read_csv` removes that prefix again.

The coding outputs are :class:`Table` cells first: ``segments_frame`` & co. turn them into frames,
:func:`write_table` writes them to CSV directly (the same bytes as :func:`write_csv` of the frame,
several times faster).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.fileio import write_bytes_atomic, write_text_atomic
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
#: Whole-number columns: written as they are, read back as Int64.
INTEGER_COLUMNS = ("segment", "start", "end", "hits")

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
_LINE_END = "\n"  # csv.writer(lineterminator=_LINE_END) for every table
_BOM = "\ufeff".encode()  # starts every CSV file (see fileio.write_text_atomic)


def attribute_names(documents: Sequence[Document]) -> list[str]:
    """Attribute keys over all documents, in first-seen order."""
    return list(dict.fromkeys(key for doc in documents for key in doc.attributes))


def attribute_column(name: str, taken: Iterable[str] = SEGMENT_COLUMNS) -> str:
    """The column an attribute gets: its own name, or ``attr_<name>`` if that is taken."""
    return f"attr_{name}" if name in set(taken) else name


def segments_frame(documents: Sequence[Document], codings: Sequence[Coding]) -> pd.DataFrame:
    """Every segment of every document, with its codes and the document's attributes."""
    return segments_table(documents, codings).frame()


def codings_frame(codings: Sequence[Coding]) -> pd.DataFrame:
    return codings_table(codings).frame()


def hits_frame(hits: Sequence[Hit]) -> pd.DataFrame:
    return hits_table(hits).frame()


@dataclass(frozen=True)
class Table:
    """One output table, column by column: its frame and its CSV are both made from these cells.

    ``integers`` are the positions of the columns of ints; every other cell is text (or None).
    """

    columns: tuple[str, ...]
    cells: Sequence[Sequence[object]]  # one sequence per column, all of the same length
    integers: frozenset[int]

    def __post_init__(self) -> None:
        if len(self.columns) < 2:  # csv.writer writes the empty cell of a lone column as ""
            raise ValueError("a Table has two columns or more")

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = list(zip(*self.cells, strict=True))
        frame: pd.DataFrame = pd.DataFrame(rows, columns=list(self.columns))
        return frame

    def csv_bytes(self) -> bytes:
        """The file :func:`write_csv` writes for ``self.frame()``, made without pandas.

        Each distinct text of a column is neutralised, quoted and encoded once (UTF-8 encodes
        field by field, so joining encoded fields changes nothing); an integer is written as
        ``str`` writes it, like csv.writer does.
        """
        row = b",".join(b"%d" if i in self.integers else b"%b" for i in range(len(self.columns)))
        fields = [
            values if i in self.integers else map(_Fields().__getitem__, values)
            for i, values in enumerate(self.cells)
        ]
        header = _BOM + ",".join(map(_quoted, self.columns)).encode("utf-8")
        return b"\n".join([header, *map(row.__mod__, zip(*fields, strict=True)), b""])


def segments_table(documents: Sequence[Document], codings: Sequence[Coding]) -> Table:
    """The cells of segments.csv: :data:`SEGMENT_COLUMNS`, then one column per attribute."""
    codes: dict[tuple[str, int], list[str]] = {}
    for coding in codings:
        codes.setdefault((coding.document, coding.segment), []).append(coding.code)
    owners = [doc for doc in documents for _ in doc.segments]
    segments = [seg for doc in documents for seg in doc.segments]
    seg_codes = [codes.get((d.name, s.number), ()) for d, s in zip(owners, segments, strict=True)]
    fields = ("number", "speaker", "speaker_type", "timestamp", "start", "end", "text")
    number, speaker, speaker_type, timestamp, start, end, text = _record_columns(segments, fields)
    coded = ["yes" if c else "no" for c in seg_codes]
    joined = list(map(LIST_SEPARATOR.join, seg_codes))
    cells = [
        [doc.name for doc in owners], number, speaker, speaker_type, timestamp, start, end, coded,
        joined, text,
    ]  # fmt: skip
    names = attribute_names(documents)
    attribute_columns = [attribute_column(name) for name in names]
    # Two attributes can share a column ("text" and "attr_text"): the later one fills both.
    source = dict(zip(attribute_columns, names, strict=True))
    for column in attribute_columns:
        cells.append([doc.attributes.get(source[column], "") for doc in owners])
    return Table((*SEGMENT_COLUMNS, *attribute_columns), cells, _integers(SEGMENT_COLUMNS))


def codings_table(codings: Sequence[Coding]) -> Table:
    cells = _record_columns(codings, CODING_COLUMNS)
    cells[CODING_COLUMNS.index("matched")] = [LIST_SEPARATOR.join(c.matched) for c in codings]
    return Table(CODING_COLUMNS, cells, _integers(CODING_COLUMNS))


def hits_table(hits: Sequence[Hit]) -> Table:
    return Table(HIT_COLUMNS, _record_columns(hits, HIT_COLUMNS), _integers(HIT_COLUMNS))


def _record_columns(records: Sequence[object], names: Sequence[str]) -> list[Sequence[object]]:
    """For each name, that field of every record."""
    return [list(map(attrgetter(name), records)) for name in names]


def _integers(columns: Sequence[str]) -> frozenset[int]:
    return frozenset(i for i, name in enumerate(columns) if name in INTEGER_COLUMNS)


def neutralise(value: object) -> object:
    """Prefix ``'`` to a string a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_cells(values: Iterable[object]) -> list[object]:
    """Cells as the CSV holds them: formula-like text neutralised, missing values empty."""
    pandas = sys.modules.get("pandas")  # pd.NA exists only once pandas is loaded
    na = pandas.NA if pandas is not None else None
    return [
        ("'" + v if v.startswith(FORMULA_PREFIXES) else v)
        if isinstance(v, str)
        else ("" if v is None or v is na or (isinstance(v, float) and v != v) else v)
        for v in values
    ]


class _Fields(dict[object, bytes]):
    """A text column's CSV fields in UTF-8, by cell value, each worked out on first use."""

    def __missing__(self, value: object) -> bytes:
        (cell,) = _csv_cells((value,))
        field = self[value] = _quoted(cell if isinstance(cell, str) else str(cell)).encode("utf-8")
        return field


def _quoted(text: str) -> str:
    """``text`` as one field of a row, exactly as ``csv.writer`` writes it."""
    if "\r" in text:  # whether a lone CR is quoted differs between Python versions: ask csv
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=_LINE_END).writerow([text, ""])
        return buffer.getvalue()[: -len(",\n")]
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text:
        return '"' + text + '"'
    return text


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text (no BOM), formula-like cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=_LINE_END)
    writer.writerow([str(c) for c in frame.columns])
    # Plain lists per column: indexing pandas arrays cell by cell costs ~10x more.
    columns = [_csv_cells(frame[name].tolist()) for name in frame.columns]
    writer.writerows(zip(*columns, strict=True))
    return buffer.getvalue()


def write_table(table: Table, path: Path) -> None:
    """Write ``table`` atomically: the file ``write_csv(table.frame(), path)`` would write."""
    write_bytes_atomic(path, table.csv_bytes())


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` atomically as UTF-8-with-BOM CSV."""
    write_text_atomic(path, csv_text(frame), bom=True)


def read_csv(path: Path, *, text_columns: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Read a CSV qualcode wrote (or a spreadsheet export), undoing the formula neutralisation."""
    import pandas as pd

    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for column in frame.columns:
        frame[column] = frame[column].map(_unneutralise)
    for column in INTEGER_COLUMNS:
        if column in frame.columns and (text_columns is None or column not in text_columns):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return frame


def _unneutralise(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
