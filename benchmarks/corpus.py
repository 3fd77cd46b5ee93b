"""Deterministic synthetic Indonesian interview corpora and codebooks for the benchmarks."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

FUNCTION_WORDS = (
    "yang", "dan", "di", "ke", "dari", "itu", "ini", "dengan", "untuk", "tidak", "ada",
    "kami", "kita", "saya", "juga", "sudah", "akan", "bisa", "karena", "jadi", "ya", "tapi",
    "atau", "pada", "dalam", "lebih", "masih", "harus", "seperti", "kalau", "banyak", "sangat",
    "mereka", "begitu", "gitu", "pak", "bu", "nah", "memang", "sebenarnya",
)  # fmt: skip

# Affixes that attach without sound changes, so the words look like real Indonesian forms.
PREFIXES = ("", "", "", "", "di", "ber", "ter", "se")
SUFFIXES = ("", "", "", "nya", "an", "kan", "lah")


def _roots(rng: random.Random, size: int) -> list[str]:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    words = sorted(w for w in StemmerFactory().get_words() if w.isalpha() and 4 <= len(w) <= 9)
    return rng.sample(words, size)


def vocabulary(seed: int = 7, roots: int = 6000) -> tuple[list[str], list[str]]:
    """(content words with affixes, the roots they come from)."""
    rng = random.Random(seed)
    base = _roots(rng, roots)
    words = []
    for root in base:
        words.append(rng.choice(PREFIXES) + root + rng.choice(SUFFIXES))
    return words, base


def write_corpus(folder: Path, words_total: int, *, seed: int = 11, doc_words: int = 5000) -> int:
    """Interview transcripts of ~doc_words words each; returns the informant word count."""
    rng = random.Random(seed)
    content, _ = vocabulary()
    # Zipf-like; cumulative weights once, not per draw (same draws as `weights=`, ~50x faster).
    cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(content))))
    folder.mkdir(parents=True, exist_ok=True)
    informant_words = written = 0
    number = 0
    while written < words_total:
        number += 1
        lines = ["---", f"informant: Informan {number}", "interviewer: Peneliti", "---"]
        doc_written = 0
        while doc_written < doc_words and written < words_total:
            question = " ".join(rng.choices(FUNCTION_WORDS, k=8)) + "?"
            lines.append(f"Peneliti: {question.capitalize()}")
            size = rng.randint(30, 120)
            picks = []
            for _ in range(size):
                if rng.random() < 0.45:
                    picks.append(rng.choice(FUNCTION_WORDS))
                else:
                    picks.append(rng.choices(content, cum_weights=cumulative)[0])
                if rng.random() < 0.07:
                    picks[-1] += rng.choice((",", ".", "?"))
            lines.append(f"Informan {number}: " + " ".join(picks).capitalize() + ".")
            doc_written += size + 8
            written += size + 8
            informant_words += size
        (folder / f"wawancara_{number:04d}.txt").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    return informant_words


def write_codebook(path: Path, keywords: int, *, seed: int = 5, codes: int = 10) -> None:
    """A codebook with ``keywords`` keywords (a tenth of them two-word phrases) over ``codes`` codes."""
    rng = random.Random(seed)
    content, roots = vocabulary()
    pool = sorted(set(content) | set(roots))
    lines = ["name: Benchmark", "language: id", 'version: "1"', "codes:"]
    per_code = max(1, keywords // codes)
    for c in range(codes):
        lines.append(f"  - id: c{c:02d}")
        lines.append(f"    name: Code {c}")
        lines.append("    keywords:")
        for k in range(per_code):
            word = f"{rng.choice(pool)} {rng.choice(pool)}" if k % 10 == 9 else rng.choice(pool)
            lines.append(f"      - {word}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
