"""Regenerate id_keys_golden.tsv: the ~300 commonest content words of the demo interviews with
their key and its source. Review the diff by hand before committing a regenerated file: a changed
key after a dependency bump is exactly what the golden test exists to show.

    .venv/bin/python tests/data/make_id_keys_golden.py
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from qualcode.ingest import find_transcripts, read_document
from qualcode.matching.normaliser import Normaliser, stop_words

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
#: Words whose keys the tests pin down on purpose (over-stemming, slang, names, reduplication).
PINNED = [
    *("perbankan", "berikan", "memberikan", "relawan", "menangis", "bali", "bekasi", "susi"),
    *("gak", "nggak", "udah", "yg", "membina", "dibina", "pembinaannya", "binaan"),
    *("koperasi-koperasi", "pengurus-pengurus", "penguatan", "kemitraannya", "berkoperasi"),
    *("tahu", "pinjaman", "rentenir"),
]


def main() -> None:
    normaliser = Normaliser("id")
    stops = stop_words("id")
    counts: Counter[str] = Counter()
    for path, name in find_transcripts([REPO / "transcripts"]):
        document = read_document(path, name=name)
        if document.attributes.get("language", "id") != "id":
            continue
        for word in re.findall(r"[a-z]+(?:-[a-z]+)*", document.body.lower()):
            if word not in stops and len(word) > 3:
                counts[word] += 1
    words = list(dict.fromkeys([*PINNED, *(w for w, _ in counts.most_common(300))]))
    lines = ["word\tkey\tsource"]
    for word in sorted(words):
        key, source = normaliser.explain(word)
        lines.append(f"{word}\t{key}\t{source}")
    (HERE / "id_keys_golden.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
