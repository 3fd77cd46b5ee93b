"""Helpers for the report tests: a codebook with facets, a coded folder, synthetic folders."""

from __future__ import annotations

import json
import random
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from .conftest import REPO, write

#: A small study codebook with every report feature: a tree, colours, a facet inherited from
#: parents (factor) and a SWOT facet.
REPORT_CODEBOOK = textwrap.dedent(
    """\
    name: Uji laporan
    language: id
    version: "2.1"
    overrides:
      perbankan: bank
    protect: [RAT, PPKL]
    codes:
      - id: strategi
        name: Strategi
        color: "#1f77b4"
        children:
          - id: strategi.kerjasama
            name: Kerja sama
            description: Kerja sama dengan pihak lain.
            include: Bank, kampus, notaris.
            exclude: Kerja sama antaranggota.
            examples: ["Kami bekerja sama dengan perbankan."]
            keywords: [kerja sama, kemitraan, mitra]
            negation: skip
          - id: strategi.pembinaan
            name: Pembinaan
            color: "#2ca02c"
            keywords: [pembinaan, penyuluhan, sosialisasi, RAT]
      - id: kendala
        name: Kendala
        children:
          - id: kendala.internal
            name: Faktor internal
            facets: {factor: internal}
            children:
              - id: kendala.internal.anggota
                name: Anggota
                keywords: [anggota, simpanan wajib]
                not_within: [anggota DPRD]
              - id: kendala.internal.pengurus
                name: Pengurus
                keywords: [pengurus, pembukuan]
          - id: kendala.eksternal
            name: Faktor eksternal
            facets: {factor: external}
            children:
              - id: kendala.eksternal.pesaing
                name: Pesaing
                keywords: [pesaing, saingan, rentenir, "pinjol*", bank keliling]
      - id: swot
        name: SWOT
        children:
          - {id: swot.s, name: Kekuatan, facets: {swot: strength}, keywords: [kekuatan]}
          - {id: swot.w, name: Kelemahan, facets: {swot: weakness}, keywords: [kelemahan, lemah]}
          - {id: swot.o, name: Peluang, facets: {swot: opportunity}, keywords: [peluang]}
          - {id: swot.t, name: Ancaman, facets: {swot: threat}, keywords: [ancaman]}
    """
)


def run_code(*args: str) -> Any:
    """Run `qualcode code ...` in-process (absolute paths), one worker, no cache."""
    from qualcode.cli import main

    result = CliRunner().invoke(main, ["code", *args, "--jobs", "1", "--no-cache", "-q"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result


def code_demo(out: Path, codebook: Path | None = None) -> Path:
    """Code the bundled transcripts into ``out`` (the bundled codebook, else REPORT_CODEBOOK)."""
    bundled = REPO / "codebooks" / "koperasi.yaml"
    if codebook is None:
        codebook = bundled if bundled.is_file() else write(out.parent / "cb.yaml", REPORT_CODEBOOK)
    run_code(str(REPO / "transcripts"), "--codebook", str(codebook), "--out", str(out))
    return out


def synthetic_folder(
    path: Path,
    *,
    documents: int,
    turns: int,
    codings: int,
    codebook: str = REPORT_CODEBOOK,
    seed: int = 7,
) -> Path:
    """An output folder built directly from tables: ``documents`` x ``turns`` segments (every
    other one the interviewer's) and ``codings`` codings spread over the informant turns."""
    import pandas as pd

    from qualcode import store
    from qualcode.codebook import parse_codebook

    rng = random.Random(seed)
    book = parse_codebook(codebook.encode("utf-8"))
    leaves = [c.id for c in book.walk() if not c.children]
    words = ["koperasi", "anggota", "pengurus", "dinas", "pembinaan", "modal", "rapat", "bank"]
    segment_rows, coding_rows, hit_rows, inputs = [], [], [], []
    informant_units = []
    for d in range(documents):
        name = f"wawancara_{d:03d}.txt"
        attributes = {"informant": f"Informan {d}", "role": rng.choice(["PPKL", "pengurus"])}
        inputs.append({"document": name, "attributes": attributes, "segments": turns})
        offset = 0
        for n in range(1, turns + 1):
            interviewer = n % 2 == 1
            text = " ".join(rng.choice(words) for _ in range(rng.randint(12, 40)))
            segment_rows.append({
                "document": name, "segment": n, "speaker": "Peneliti" if interviewer else "Bu A",
                "speaker_type": "interviewer" if interviewer else "informant",
                "timestamp": f"00:{n // 60:02d}:{n % 60:02d}", "start": offset,
                "end": offset + len(text), "coded": "no", "codes": "", "text": text, **attributes,
            })  # fmt: skip
            if not interviewer:
                informant_units.append((len(segment_rows) - 1, name, n, offset, text))
            offset += len(text) + 1
    chosen: dict[tuple[int, str], None] = {}
    while len(chosen) < codings:
        unit = rng.randrange(len(informant_units))
        chosen[(unit, rng.choice(leaves))] = None
    for unit, code in sorted(chosen):
        row_index, name, number, offset, text = informant_units[unit]
        word = text.split(" ")[0]
        coding_rows.append({
            "document": name, "segment": number, "speaker": "Bu A", "start": offset,
            "end": offset + len(text), "code": code, "origin": "auto", "hits": 1,
            "matched": word, "text": text,
        })  # fmt: skip
        hit_rows.append({
            "document": name, "segment": number, "code": code, "start": offset,
            "end": offset + len(word), "matched": word, "rule": f"keyword: {word}", "key": word,
            "status": "counted",
        })  # fmt: skip
        segment_rows[row_index]["coded"] = "yes"
    path.mkdir(parents=True, exist_ok=True)
    store.write_csv(pd.DataFrame(segment_rows), path / "segments.csv")
    store.write_csv(pd.DataFrame(coding_rows), path / "codings.csv")
    store.write_csv(pd.DataFrame(hit_rows), path / "hits.csv")
    (path / "codebook.yaml").write_text(codebook, encoding="utf-8")
    manifest = {"codebook": {"name": book.name, "language": book.language}, "inputs": inputs}
    (path / "run.json").write_text(json.dumps(manifest), encoding="utf-8")
    return path


def replace_column(path: Path, column: str, old: str, new: str) -> None:
    """Rewrite one CSV of an output folder, replacing ``old`` by ``new`` in ``column``."""
    from qualcode import store

    frame = store.read_csv(path)
    frame[column] = frame[column].astype(str).str.replace(old, new, regex=False)
    store.write_csv(frame, path)


def visible_text(node: Any) -> str:
    """The text of an html5lib (xml.etree) element and its descendants."""
    return "".join(node.itertext())


def parse_html(path: Path) -> Any:
    import html5lib

    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def elements(tree: Any, tag: str) -> Sequence[Any]:
    return list(tree.iter(tag))
