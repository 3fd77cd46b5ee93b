"""Speed and memory of `qualcode code` against the bare spaCy tokenizer, measured in one run.

    .venv/bin/python benchmarks/bench_code.py            # 100k and 1M words (a few minutes)
    .venv/bin/python benchmarks/bench_code.py --quick    # 100k words only
    .venv/bin/python benchmarks/bench_code.py --scale    # 50 MB transcript, 1,000 files (bench_scale.py)

Prints, for each corpus size and codebook size: words/s of bare spaCy tokenization of the same
informant turns (the floor), words/s of the full coding path (reading, normalisation, matching,
writing outputs; one process, no cache), their ratio and the peak memory of that run. Then the
speed-up of --jobs 2, and a cold `qualcode code` process against a re-run after a codebook edit
(warm cache), start-up included, and a re-run with nothing changed, with --jobs 1 and with the
default (the machine's cores). Each configuration runs in its own process so that peak memory
(ru_maxrss) is its own, three times (--repeat) taking turns with the configurations it is
compared with, the fastest run kept. Beside --jobs 2, the machine's own ceiling for it: two
independent processes started together, each coding half of the files (no shared work, nothing
sent back), against one process coding all of them. The edit re-runs are timed for each
codebook size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_codebook, write_corpus  # noqa: E402

from qualcode.matching.batch import default_jobs  # noqa: E402

KEYWORDS = (10, 100, 1000)


def measure(corpus: Path, codebook: Path, jobs: int, mode: str) -> dict[str, float]:
    """In a fresh process: the floor (bare spaCy tokenization) or the full coding path.

    spaCy's blank pipeline (the floor's tokenizer) is built before the clock starts in both
    modes. Everything else is timed from scratch (in "full": reading, codebook, building
    qualcode's own tokenizer with the special cases the texts need, normalisation, matching,
    CSV/JSON outputs).
    """
    from qualcode.ingest import find_transcripts, read_document
    from qualcode.matching.tokens import blank_pipeline
    from qualcode.runner import CodingOptions, code_transcripts

    nlp = blank_pipeline("id")
    texts = [
        s.text
        for path, name in find_transcripts([corpus])
        for s in read_document(path, name=name).segments
        if not s.is_interviewer
    ]
    words = sum(len(t.split()) for t in texts)
    hits = 0
    start = time.perf_counter()
    if mode == "floor":
        for _doc in nlp.tokenizer.pipe(texts):
            pass
    elif mode == "halves":  # two independent processes, each coding half of the files
        files = [path for path, _name in find_transcripts([corpus])]
        with tempfile.TemporaryDirectory() as out:
            pid = os.fork()
            half = files[pid == 0 :: 2]
            result = code_transcripts(half, codebook, Path(out) / str(pid == 0), CodingOptions())
            if pid == 0:
                os._exit(0)
            os.waitpid(pid, 0)
            hits = len(result.hits)
    else:
        with tempfile.TemporaryDirectory() as out:
            result = code_transcripts([corpus], codebook, Path(out), CodingOptions(jobs=jobs))
            hits = len(result.hits)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "words": words,
        "hits": hits,
        "wps": words / seconds,
        "seconds": seconds,
        "peak_mb": max(peak_mb, children_mb),
    }


#: Each configuration is timed this many times (--repeat), the configurations compared taking
#: turns, and its fastest run kept: on a shared virtual machine a run can be 20-40% slower than
#: the next one.
REPEAT = 3


Config = tuple[Path, Path, int, str]  # corpus, codebook, jobs, mode


def interleaved(configs: list[Config], repeat: int) -> list[dict[str, float]]:
    """:func:`measure` of each configuration in a fresh process, ``repeat`` rounds in which the
    configurations take turns (a machine slowed down for a while slows all of them): for each
    its fastest run, with the highest peak memory of its runs."""
    runs: list[list[dict[str, float]]] = [[] for _ in configs]
    for _ in range(repeat):
        for config, done in zip(configs, runs, strict=True):
            corpus, codebook, jobs, mode = config
            command = [sys.executable, __file__, "--one", str(corpus), str(codebook), str(jobs)]
            output = subprocess.run(
                [*command, mode], check=True, capture_output=True, text=True
            ).stdout
            done.append(dict(json.loads(output.strip().splitlines()[-1])))
    return [
        {**min(done, key=lambda run: run["seconds"]), "peak_mb": max(r["peak_mb"] for r in done)}
        for done in runs
    ]


def timed_cli(*args: str) -> float:
    qualcode = Path(sys.executable).parent / "qualcode"
    start = time.perf_counter()
    subprocess.run([str(qualcode), *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100k words only")
    parser.add_argument(
        "--scale", action="store_true",
        help="only the scale faults: a 50 MB transcript and 1,000 files (bench_scale.py)",
    )  # fmt: skip
    parser.add_argument(
        "--one", nargs=4, metavar=("CORPUS", "CODEBOOK", "JOBS", "MODE"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--repeat", type=int, default=REPEAT, help="runs per configuration, the fastest kept"
    )
    args = parser.parse_args()
    repeat = max(1, args.repeat)
    if args.one:
        corpus, codebook, jobs, mode = args.one
        print(json.dumps(measure(Path(corpus), Path(codebook), int(jobs), mode)))
        return
    if args.scale:
        from bench_scale import run_scale

        run_scale()
        return

    sizes = (100_000,) if args.quick else (100_000, 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for n in KEYWORDS:
            write_codebook(root / f"cb{n}.yaml", n)
        corpora = {}
        for size in sizes:
            corpora[size] = root / f"corpus{size}"
            write_corpus(corpora[size], size)

        print(
            f"{'words':>9} {'keywords':>8} {'hits':>8} {'floor w/s':>10} {'qualcode w/s':>12} "
            f"{'ratio':>6} {'peak MB':>8}"
        )
        rows = {}
        for size in sizes:
            configs: list[Config] = [(corpora[size], root / "cb10.yaml", 1, "floor")]
            configs += [(corpora[size], root / f"cb{n}.yaml", 1, "full") for n in KEYWORDS]
            floor, *measured = interleaved(configs, repeat)
            for n, row in zip(KEYWORDS, measured, strict=True):
                row["floor_wps"], row["full_wps"] = floor["wps"], row["wps"]
                rows[(size, n)] = row
                print(
                    f"{row['words']:>9,.0f} {n:>8} {row['hits']:>8,.0f} {row['floor_wps']:>10,.0f} "
                    f"{row['full_wps']:>12,.0f} {row['full_wps'] / row['floor_wps']:>6.2f} "
                    f"{row['peak_mb']:>8,.0f}"
                )
        big = sizes[-1]
        small_cost = 1 / rows[(sizes[0], 1000)]["full_wps"]
        big_cost = 1 / rows[(big, 1000)]["full_wps"]
        floor_ratio = rows[(sizes[0], 1000)]["floor_wps"] / rows[(big, 1000)]["floor_wps"]
        print(
            f"\nper-word cost at {big:,} vs {sizes[0]:,} words (1,000 keywords): {big_cost / small_cost:.2f}x"
            f" (the bare tokenizer's own: {floor_ratio:.2f}x; both fall as fewer words are new)"
        )
        flat = rows[(big, 10)]["full_wps"] / rows[(big, 1000)]["full_wps"]
        print(f"throughput with 10 vs 1,000 keywords ({big:,} words): {flat:.2f}x")

        configs = [(corpora[big], root / "cb1000.yaml", jobs, "full") for jobs in (1, 2)]
        one, two, halves = interleaved([*configs, (*configs[0][:3], "halves")], repeat)
        print(
            f"--jobs 2 vs --jobs 1 ({big:,} words, 1,000 keywords): "
            f"{one['seconds']:.1f}s / {two['seconds']:.1f}s = "
            f"{one['seconds'] / two['seconds']:.2f}x (peak {two['peak_mb']:,.0f} MB); "
            f"this machine's ceiling, two independent processes each coding half of the files: "
            f"{one['seconds']:.1f}s / {halves['seconds']:.1f}s = "
            f"{one['seconds'] / halves['seconds']:.2f}x"
        )

        for n in KEYWORDS:  # each codebook with one keyword added
            text = (root / f"cb{n}.yaml").read_text(encoding="utf-8")
            (root / f"cb{n}_edited.yaml").write_text(
                text.replace("    keywords:\n", "    keywords:\n      - kerja sama\n", 1),
                encoding="utf-8",
            )
        job_counts = sorted({"1", str(default_jobs())})
        times: dict[tuple[int, str], list[tuple[float, float, float]]] = {}
        for attempt in range(repeat):  # each from an empty cache, the configurations taking turns
            for n in KEYWORDS:
                for jobs in job_counts:
                    cache, out = (
                        root / f"cache{n}-{jobs}-{attempt}",
                        root / f"out{n}-{jobs}-{attempt}",
                    )
                    common = ("-o", str(out), "--cache-dir", str(cache), "-q", "-j", jobs)
                    edited = root / f"cb{n}_edited.yaml"
                    runs = [(root / f"cb{n}.yaml", *common), (edited, *common), (edited, *common)]
                    cold, warm, again = (
                        timed_cli("code", str(corpora[big]), "-c", str(cb), *rest, "--no-report")
                        for cb, *rest in runs
                    )
                    times.setdefault((n, jobs), []).append((cold, warm, again))
        print(
            f"\ncold process vs re-run after a codebook edit (one keyword added; warm cache), "
            f"start-up included, {big:,} words:"
        )
        for (n, jobs), runs in times.items():  # the fastest of each kind of run
            cold, warm, again = (min(column) for column in zip(*runs, strict=True))
            print(
                f"  {n:>5} keywords, --jobs {jobs}: {cold:.1f}s / {warm:.1f}s = {cold / warm:.2f}x; "
                f"re-run with nothing changed: {again:.1f}s = {cold / again:.2f}x"
            )


if __name__ == "__main__":
    main()
