"""Scale faults (RELIABILITY A8, F2): one 50 MB transcript and a folder of 1,000 transcripts.

    .venv/bin/python benchmarks/bench_code.py --scale              # 50 MB and 1,000 files
    .venv/bin/python benchmarks/bench_scale.py --mb 5 --files 200  # a smaller run

Each input is coded with a 100-keyword codebook (benchmarks/corpus.py) in its own process:
first ``qualcode code`` without the report (reading, matching, the CSV/JSON outputs), then
``qualcode report`` on the folder it wrote (report.html and codings.xlsx). For each phase it
prints the wall time and the process's peak resident memory (ru_maxrss), so the memory a run
needs can be stated: see README "Confidentiality and reliability".
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import FUNCTION_WORDS, vocabulary, write_codebook  # noqa: E402


def write_transcript(path: Path, chars: int, *, seed: int = 3, number: int = 1) -> None:
    """An interview of about ``chars`` characters: questions and answers of Zipf-like words."""
    rng = random.Random(seed)
    content, _ = vocabulary()
    cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(content))))
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write(f"---\ninformant: Informan {number}\ninterviewer: Peneliti\n---\n")
        while written < chars:
            question = " ".join(rng.choices(FUNCTION_WORDS, k=8)).capitalize() + "?"
            size = rng.randint(30, 120)
            words = rng.choices(content, cum_weights=cumulative, k=size)
            fillers = rng.choices(FUNCTION_WORDS, k=size)
            picks = [f if rng.random() < 0.45 else w for w, f in zip(words, fillers, strict=True)]
            answer = " ".join(picks).capitalize() + "."
            turn = f"Peneliti: {question}\nInforman {number}: {answer}\n"
            handle.write(turn)
            written += len(turn)


def write_folder(folder: Path, files: int, chars: int) -> None:
    for number in range(1, files + 1):
        write_transcript(folder / f"wawancara_{number:04d}.txt", chars, seed=number, number=number)


def phase(kind: str, source: Path, codebook: Path, out: Path) -> dict[str, float]:
    """Run one phase in this process; its time and this process's peak memory."""
    start = time.perf_counter()
    facts: dict[str, float] = {}
    if kind == "code":
        from qualcode.runner import CodingOptions, code_transcripts

        result = code_transcripts([source], codebook, out, CodingOptions(jobs=1))
        facts = {
            "documents": len(result.documents),
            "chars": sum(len(d.body) for d in result.documents),
            "segments": sum(len(d.segments) for d in result.documents),
            "codings": len(result.codings),
        }
    else:
        from qualcode.publish import render_folder

        render_folder(out)
    facts["seconds"] = time.perf_counter() - start
    facts["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return facts


def in_subprocess(kind: str, source: Path, codebook: Path, out: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--phase", kind, str(source), str(codebook), str(out)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def run_scale(mb: float = 50, files: int = 1000, file_chars: int = 20_000) -> None:
    """Print time and peak memory of coding and reporting a big transcript and many files."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        codebook = root / "cb100.yaml"
        write_codebook(codebook, 100)
        inputs = {
            f"one {mb:g} MB transcript": (root / "big" / "big.txt", lambda p: write_transcript(
                p, int(mb * 1_000_000))),
            f"{files:,} transcripts of {file_chars // 1000}k characters": (
                root / "many", lambda p: write_folder(p, files, file_chars)),
        }  # fmt: skip
        print(f"{'input':<36} {'phase':<7} {'chars':>12} {'segments':>9} {'codings':>8} "
              f"{'seconds':>8} {'peak MB':>8}")  # fmt: skip
        for label, (path, make) in inputs.items():
            make(path)
            source = path if path.is_dir() else path.parent
            out = root / f"out-{path.name}"
            coded = in_subprocess("code", source, codebook, out)
            print(
                f"{label:<36} {'code':<7} {coded['chars']:>12,.0f} {coded['segments']:>9,.0f} "
                f"{coded['codings']:>8,.0f} {coded['seconds']:>8.1f} {coded['peak_mb']:>8,.0f}",
                flush=True,
            )
            report = in_subprocess("report", source, codebook, out)
            size = sum(p.stat().st_size for p in out.iterdir() if p.is_file()) / 1e6
            print(
                f"{'':<36} {'report':<7} {'':>12} {'':>9} {'':>8} {report['seconds']:>8.1f} "
                f"{report['peak_mb']:>8,.0f}   (output folder {size:,.0f} MB)",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=50, help="size of the one big transcript")
    parser.add_argument("--files", type=int, default=1000, help="number of transcripts")
    parser.add_argument("--file-chars", type=int, default=20_000, help="size of each of them")
    parser.add_argument("--phase", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        kind, source, codebook, out = args.phase
        print(json.dumps(phase(kind, Path(source), Path(codebook), Path(out))))
        return
    run_scale(args.mb, args.files, args.file_chars)


if __name__ == "__main__":
    main()
