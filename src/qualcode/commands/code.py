"""`qualcode code`: transcripts + codebook -> coded segments."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qualcode.commands.common import EXIT_PARTIAL, reports_errors


@click.command("code")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--codebook", "-c", required=True, type=click.Path(path_type=Path), help="Codebook YAML."
)
@click.option(
    "--out", "-o", "out_dir", required=True, type=click.Path(path_type=Path),
    help="Output folder (created if missing).",
)  # fmt: skip
@click.option(
    "--unit", type=click.Choice(["turn", "paragraph", "sentence"]), default="turn",
    show_default=True, help="What one segment is.",
)  # fmt: skip
@click.option(
    "--interviewer", "interviewers", multiple=True, metavar="LABEL",
    help="Speaker label of the interviewer (repeatable); front matter wins.",
)  # fmt: skip
@click.option("--encoding", default=None, help="Force the encoding of text transcripts.")
@click.option(
    "--gold", type=click.Path(path_type=Path), default=None,
    help="Hand-coded sheet (document, segment, codes): print precision/recall per code.",
)  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@reports_errors
def code_command(
    paths: tuple[Path, ...],
    codebook: Path,
    out_dir: Path,
    unit: str,
    interviewers: tuple[str, ...],
    encoding: str | None,
    gold: Path | None,
    quiet: bool,
) -> None:
    """Code the transcripts in PATHS (files or folders) with a codebook.

    Writes segments.csv, codings.csv, hits.csv, run.json and codebook.yaml to --out.
    """
    from qualcode import console
    from qualcode.runner import CodingOptions, code_transcripts

    options = CodingOptions(unit=unit, interviewers=interviewers, encoding=encoding)
    with console.progress_bar(enabled=not quiet) as progress:
        result = code_transcripts(list(paths), codebook, out_dir, options, progress=progress)
    if not quiet:
        console.print_run_summary(result, out_dir)
    if gold is not None:
        from qualcode.analysis.evaluation import evaluate, read_gold

        leaves = [c.id for c in result.codebook.walk() if not c.children]
        predicted = [(c.document, c.segment, c.code) for c in result.codings]
        console.print_evaluation(evaluate(predicted, read_gold(gold), leaves))
    if result.failures:
        console.print_failures(result.failures)
        sys.exit(EXIT_PARTIAL)
