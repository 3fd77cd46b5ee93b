"""Cross-tables of coded segments: code x document, code x attribute, code co-occurrence.

Pure functions, DataFrame in, DataFrame out. Every count is a number of *segments*. Rows are the
codebook's codes in codebook order (depth first); a parent code counts each segment that carries
it or any of its descendants once (the roll-up of :func:`code_frequencies`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from qualcode.codebook.schema import Codebook

if TYPE_CHECKING:
    import pandas as pd

UNIT = ["document", "segment"]


def rolled_up(codebook: Codebook, codings: pd.DataFrame) -> pd.DataFrame:
    """Unique (code, document, segment) rows: each coding, plus one row per ancestor code.

    Codes the codebook does not know are dropped (they cannot be placed in the tree).
    """
    import pandas as pd

    parents = codebook.parent_ids()
    known = codings[codings["code"].isin(list(parents))]
    chains: dict[str, list[str]] = {}
    for code_id in parents:
        chain: list[str] = []
        current: str | None = code_id
        while current is not None:
            chain.append(current)
            current = parents[current]
        chains[code_id] = chain
    base = known[["code", *UNIT]].copy()
    base["code"] = base["code"].map(chains)
    frame = base.explode("code").drop_duplicates(ignore_index=True)
    result: pd.DataFrame = pd.DataFrame(frame, columns=["code", *UNIT])
    return result


def code_order(codebook: Codebook) -> list[str]:
    return [code.id for code in codebook.walk()]


def code_by_document(
    codebook: Codebook, codings: pd.DataFrame, documents: Sequence[str]
) -> pd.DataFrame:
    """Segments per code (rows, rolled up) and document (columns, in the given order)."""
    return _crosstab(rolled_up(codebook, codings), "document", code_order(codebook), documents)


def code_by_attribute(
    codebook: Codebook, codings: pd.DataFrame, segments: pd.DataFrame, column: str
) -> pd.DataFrame:
    """Segments per code (rows, rolled up) and value of a segments.csv attribute column.

    Columns are the attribute's non-empty values in the order they first occur in ``segments``;
    segments whose document has no value are left out.
    """
    values = segments[[*UNIT, column]].rename(columns={column: "value"})
    values = values[values["value"].astype(str) != ""]
    merged = rolled_up(codebook, codings).merge(values, on=UNIT, how="inner")
    order = list(dict.fromkeys(values["value"].astype(str)))
    return _crosstab(merged, "value", code_order(codebook), order)


def cooccurrence(codebook: Codebook, codings: pd.DataFrame) -> pd.DataFrame:
    """Segments carrying both codes, for the codes applied (not rolled up) at least once.

    The diagonal holds each code's own segment count. Rows and columns are in codebook order.
    """
    import pandas as pd

    used = set(codings["code"])
    order = [c for c in code_order(codebook) if c in used]
    pairs = codings[codings["code"].isin(order)][["code", *UNIT]].drop_duplicates()
    joined = pairs.merge(pairs, on=UNIT, suffixes=("", "_other"))
    table = pd.crosstab(joined["code"], joined["code_other"])
    result: pd.DataFrame = table.reindex(index=order, columns=order, fill_value=0).astype(int)
    result.index.name, result.columns.name = "code", None
    return result


def _crosstab(
    frame: pd.DataFrame, column: str, rows: Sequence[str], columns: Sequence[str]
) -> pd.DataFrame:
    import pandas as pd

    if frame.empty:
        table = pd.DataFrame(0, index=list(rows), columns=list(columns))
    else:
        table = pd.crosstab(frame["code"], frame[column].astype(str))
    result: pd.DataFrame = table.reindex(
        index=list(rows), columns=list(columns), fill_value=0
    ).astype(int)
    result.index.name, result.columns.name = "code", None
    return result
