"""Scale faults in the suite (marked slow; CI runs them): big inputs finish in bounded memory.

The 50 MB transcript and 1,000 files of 20k characters are measured by
``benchmarks/bench_code.py --scale`` (numbers in README "Confidentiality and reliability"); here
a 5 MB transcript, a one-line transcript of 1.2M characters and 1,000 small files run the whole
`qualcode code` (report included) in a child process whose peak memory is read back.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import SMALL_CODEBOOK, write

pytestmark = pytest.mark.slow

VOCABULARY = [
    "koperasi", "anggota", "pengurus", "pembinaan", "kerja", "sama", "rentenir", "pinjol",
    "bank", "keliling", "yang", "dan", "di", "ke", "dari", "itu", "ini", "dengan", "untuk",
    "tidak", "ada", "kami", "kita", "saya", "juga", "sudah", "akan", "bisa", "karena", "jadi",
    "simpanan", "rapat", "tahunan", "laporan", "keuangan", "usaha", "modal", "pinjaman",
    "dinas", "kelurahan", "warga", "pasar",
]  # fmt: skip

MEASURE = textwrap.dedent(
    """\
    import json, resource, sys, time
    from qualcode.cli import main
    start = time.perf_counter()
    try:
        main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code or 0
    print(json.dumps({"code": code, "seconds": time.perf_counter() - start,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    """
)


def measured(root: Path, *args: str) -> dict[str, float]:
    """Run `qualcode ARGS` in a child process: exit code, seconds and peak memory (MB)."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def transcript(chars: int, *, seed: int, one_line: bool = False) -> str:
    rng = random.Random(seed)
    parts = ["---\ninformant: Informan 1\ninterviewer: Peneliti\n---\n"]
    written = 0
    while written < chars:
        answer = " ".join(rng.choices(VOCABULARY, k=rng.randint(20, 90))).capitalize() + "."
        turn = (
            answer + " "
            if one_line
            else f"Peneliti: Bagaimana {rng.choice(VOCABULARY)}?\nInforman 1: {answer}\n"
        )
        parts.append(turn)
        written += len(turn)
    return "".join(parts)


def code_and_check(root: Path, folder: str) -> dict[str, float]:
    write(root / "cb.yaml", SMALL_CODEBOOK)
    facts = measured(
        root, "code", folder, "-c", "cb.yaml", "-o", "out", "-q", "-j", "1", "--no-cache"
    )
    assert facts["code"] == 0
    run = json.loads((root / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["failures"] == [] and run["summary"]["codings"] > 0
    assert (root / "out" / "report.html").stat().st_size > 0
    print(f"\n{folder}: {facts['seconds']:.1f} s, peak {facts['peak_mb']:.0f} MB")
    return {**facts, **run["summary"]}


def test_A8_one_line_transcript_of_1_2m_characters_is_coded_without_E088(tmp_path: Path) -> None:
    write(tmp_path / "t" / "one_line.txt", transcript(1_200_000, seed=1, one_line=True))
    facts = code_and_check(tmp_path, "t")
    assert facts["segments"] == 1 and facts["hits"] > 10_000  # one segment, global offsets
    from qualcode.store import read_csv

    hits = read_csv(tmp_path / "out" / "hits.csv")
    body = json.loads((tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8"))["body"]
    assert len(body) > 1_000_000
    last = hits.iloc[-1]
    assert body[last["start"] : last["end"]] == last["matched"] and last["end"] > 1_000_000
    assert facts["seconds"] < 240 and facts["peak_mb"] < 1000


def test_A8_F2_5_mb_transcript_is_coded_and_reported_in_bounded_memory(tmp_path: Path) -> None:
    write(tmp_path / "t" / "besar.txt", transcript(5_000_000, seed=2))
    facts = code_and_check(tmp_path, "t")
    assert facts["segments"] > 20_000
    assert facts["seconds"] < 300 and facts["peak_mb"] < 1000


def test_F2_a_folder_of_1000_transcripts_is_coded_in_bounded_memory(tmp_path: Path) -> None:
    for number in range(1000):
        write(tmp_path / "t" / f"wawancara_{number:04d}.txt", transcript(2_000, seed=number))
    facts = code_and_check(tmp_path, "t")
    assert facts["documents"] == 1000
    assert facts["seconds"] < 300 and facts["peak_mb"] < 1000
