"""The report's counted parts: code references and colours, overview, frequencies, heat-tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qualcode.analysis import code_frequencies
from qualcode.analysis.matrices import code_by_attribute, code_by_document, cooccurrence
from qualcode.codebook import Codebook
from qualcode.models import INFORMANT
from qualcode.outputs import OutputFolder
from qualcode.report.context import (
    CodeRef,
    CodeRow,
    DocumentRow,
    HeatCell,
    HeatLabel,
    HeatRow,
    HeatTable,
    Overview,
)

#: Colours for codes the codebook gives none (by top-level code), the "tab10" palette.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
#: Attributes shown as columns of the overview, when documents have them.
KEY_ATTRIBUTES = ("informant", "role", "date")
BAR_WIDTH = 160
HEAT_RGB = (31, 119, 180)
DIAGONAL_STYLE = "background:#eeeeee;font-weight:600"
#: A heat-table with more columns than this (and than rows) is transposed.
TRANSPOSE_ABOVE = 12
#: A heat-table with more columns than this writes its column headers vertically.
ROTATE_ABOVE = 6


def code_anchor(code_id: str) -> str:
    return f"code-{code_id}"


def doc_anchor(index: int) -> str:
    return f"doc-{index + 1}"


def code_refs(codebook: Codebook) -> dict[str, CodeRef]:
    """Every code with its depth, colour (own, else its parent's, else the palette's) and anchor."""
    parents = codebook.parent_ids()
    refs: dict[str, CodeRef] = {}
    top = 0
    for code in codebook.walk():
        parent = parents[code.id]
        if parent is None:
            color, depth = code.color or PALETTE[top % len(PALETTE)], 0
            top += 1
        else:
            color, depth = code.color or refs[parent].color, refs[parent].depth + 1
        refs[code.id] = CodeRef(code.id, code.name, depth, color, code_anchor(code.id))
    return refs


def key_attributes(folder: OutputFolder) -> tuple[str, ...]:
    names = [n for n in folder.attributes if n in KEY_ATTRIBUTES]
    if names:
        return tuple(n for n in KEY_ATTRIBUTES if n in names)
    return tuple(n for n in folder.attributes if n != "title")[:3]


def overview(folder: OutputFolder, labels: Mapping[str, str]) -> Overview:
    keys = key_attributes(folder)
    segments = folder.segments
    informant = segments[segments["speaker_type"] == INFORMANT]
    turns = segments.groupby("document", sort=False).size()
    informant_turns = informant.groupby("document", sort=False).size()
    coded = informant[informant["coded"] == "yes"].groupby("document", sort=False).size()
    rows = []
    for index, doc in enumerate(folder.documents):
        n_informant, n_coded = int(informant_turns.get(doc.name, 0)), int(coded.get(doc.name, 0))
        rows.append(
            DocumentRow(
                index=index,
                anchor=doc_anchor(index),
                name=doc.name,
                title=doc.attributes.get("title", ""),
                key_attributes=tuple(doc.attributes.get(k, "") for k in keys),
                other_attributes=tuple(
                    (k, v) for k, v in doc.attributes.items() if k not in keys and k != "title"
                ),
                turns=int(turns.get(doc.name, 0)),
                informant_turns=n_informant,
                coded_turns=n_coded,
                coverage=_share(n_coded, n_informant),
            )
        )
    failures = tuple(
        (str(f.get("document", "")), str(f.get("error") or f.get("reason") or ""))
        for key in ("failures", "skipped")
        for f in folder.manifest.get(key) or []
        if isinstance(f, dict)
    )
    return Overview(
        key_columns=tuple(labels.get(k, k) for k in keys),
        documents=tuple(rows),
        turns=len(segments),
        informant_turns=len(informant),
        coded_turns=int((informant["coded"] == "yes").sum()),
        coverage=_share(int((informant["coded"] == "yes").sum()), len(informant)),
        codings=len(folder.codings),
        hits=int((folder.hits["status"] == "counted").sum()),
        failures=failures,
    )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def frequency_rows(folder: OutputFolder, refs: Mapping[str, CodeRef]) -> tuple[CodeRow, ...]:
    counts = code_frequencies(folder.codebook, folder.coding_records())
    largest = max((c.segments for c in counts), default=0) or 1
    return tuple(
        CodeRow(refs[c.code], c.is_leaf, c.segments, c.documents,
                round(BAR_WIDTH * c.segments / largest))
        for c in counts
    )  # fmt: skip


def matrices(
    folder: OutputFolder, refs: Mapping[str, CodeRef], labels: Mapping[str, str]
) -> tuple[HeatTable, ...]:
    """Code x document, code x attribute (grouping attributes only), code co-occurrence."""
    codebook, codings = folder.codebook, folder.codings
    names = [d.name for d in folder.documents]
    by_doc = code_by_document(codebook, codings, names)
    docs = [HeatLabel(_short(n), n, doc_anchor(i)) for i, n in enumerate(names)]
    tables = [
        _heat("m-documents", labels["code_by_document"], labels["matrix_note"],
              (labels["code"], labels["document"]), _code_labels(list(by_doc.index), refs), docs,
              by_doc.values.tolist())
    ]  # fmt: skip
    for n, (name, column) in enumerate(folder.grouping_attributes().items(), start=1):
        table = code_by_attribute(codebook, codings, folder.segments, column)
        shown = labels.get(name, name)
        values = [HeatLabel(_short(str(v), 40), str(v), "") for v in table.columns]
        tables.append(_heat(
            f"m-attribute-{n}", labels["code_by_attribute"].format(name=shown),
            labels["matrix_note"], (labels["code"], shown), _code_labels(list(table.index), refs),
            values, table.values.tolist(),
        ))  # fmt: skip
    co = cooccurrence(codebook, codings)
    tables.append(_heat(
        "m-cooccurrence", labels["cooccurrence"], labels["cooccurrence_note"],
        (labels["code"], labels["code"]), _code_labels(list(co.index), refs),
        [HeatLabel(_short(refs[c].name, 24), f"{refs[c].name} ({c})", refs[c].anchor, 0,
                   refs[c].color) for c in co.columns],
        co.values.tolist(), diagonal=True,
    ))  # fmt: skip
    return tuple(tables)


def _code_labels(codes: Sequence[str], refs: Mapping[str, CodeRef]) -> list[HeatLabel]:
    return [
        HeatLabel(refs[c].name, f"{refs[c].name} ({c})", refs[c].anchor, refs[c].depth,
                  refs[c].color)
        for c in codes
    ]  # fmt: skip


def _heat(
    table_id: str,
    title: str,
    note: str,
    corners: tuple[str, str],
    rows: Sequence[HeatLabel],
    columns: Sequence[HeatLabel],
    values: Sequence[Sequence[int]],
    *,
    diagonal: bool = False,
) -> HeatTable:
    """A heat-table; one with many more columns than rows is transposed to stay readable."""
    if not diagonal and len(columns) > TRANSPOSE_ABOVE and len(columns) > len(rows):
        rows, columns = columns, [_as_column(r) for r in rows]
        values = [list(column) for column in zip(*values, strict=True)] if values else []
        corners = (corners[1], corners[0])
    off = [v for i, row in enumerate(values) for j, v in enumerate(row) if not diagonal or i != j]
    largest = max(off, default=0) or 1
    heat_rows = []
    for i, (label, row) in enumerate(zip(rows, values, strict=True)):
        cells = tuple(
            HeatCell(
                int(v), DIAGONAL_STYLE if diagonal and i == j else _heat_style(int(v), largest)
            )
            for j, v in enumerate(row)
        )
        heat_rows.append(HeatRow(label, cells))
    return HeatTable(table_id, title, note, corners[0], tuple(columns), tuple(heat_rows),
                     rotate=len(columns) > ROTATE_ABOVE)  # fmt: skip


def _as_column(label: HeatLabel) -> HeatLabel:
    return HeatLabel(_short(label.text, 24), label.full, label.anchor, 0, label.color)


def _heat_style(value: int, largest: int) -> str:
    if value <= 0:
        return "color:#b0b0b0"
    alpha = 0.12 + 0.78 * min(1.0, value / largest)
    red, green, blue = HEAT_RGB
    ink = ";color:#ffffff" if alpha > 0.55 else ""
    return f"background:rgba({red},{green},{blue},{alpha:.2f}){ink}"


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
