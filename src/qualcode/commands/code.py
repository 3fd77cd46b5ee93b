"""`qualcode code`: transcripts + codebook -> coded segments."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qualcode.commands.common import EXIT_PARTIAL, reports_errors
from qualcode.commands.inputs import transcript_options


@click.command("code")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--codebook", "-c", required=True, type=click.Path(path_type=Path), help="Codebook YAML."
)
@click.option(
    "--out", "-o", "out_dir", required=True, type=click.Path(path_type=Path),
    help="Output folder (created if missing).",
)  # fmt: skip
@transcript_options
@click.option(
    "--gold", type=click.Path(path_type=Path), default=None,
    help="Hand-coded sheet (document, segment, codes): print precision/recall per code.",
)  # fmt: skip
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None,
    help="Worker processes (default: the machine's cores).",
)  # fmt: skip
@click.option(
    "--cache-dir", type=click.Path(path_type=Path), default=None,
    help="Cache of read and tokenized transcripts, word keys and each code's hits "
    "(default: OUT/.qualcode-cache).",
)  # fmt: skip
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--decisions", type=click.Path(path_type=Path), default=None,
    help="Review decisions to apply (default: OUT/../reviews.csv if it exists).",
)  # fmt: skip
@click.option("--no-decisions", is_flag=True, help="Ignore any decisions file.")
@click.option(
    "--lang", type=click.Choice(["id", "en"]), default=None,
    help="Language of report.html's labels (default: the codebook's).",
)  # fmt: skip
@click.option(
    "--no-report", is_flag=True,
    help="Skip report.html and codings.xlsx (faster while editing a codebook).",
)  # fmt: skip
@click.option(
    "--redact", is_flag=True,
    help="Pseudonymise informants (Informan 1, ...) in every output; the key goes outside OUT.",
)  # fmt: skip
@click.option(
    "--redaction-key", type=click.Path(path_type=Path), default=None,
    help="Where --redact writes its key (default: OUT/../redaction_key.csv; never inside OUT).",
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
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    decisions: Path | None,
    no_decisions: bool,
    lang: str | None,
    no_report: bool,
    redact: bool,
    redaction_key: Path | None,
    quiet: bool,
) -> None:
    """Code the transcripts in PATHS (files or folders) with a codebook.

    Writes segments.csv, codings.csv, hits.csv, run.json and codebook.yaml to --out, then the
    supervisor's report.html and the workbook codings.xlsx (see `qualcode report`).
    Review decisions (`qualcode review`) in OUT/../reviews.csv or --decisions are applied.
    """
    from qualcode import console
    from qualcode.matching.batch import default_jobs
    from qualcode.review.decisions import resolve_path
    from qualcode.runner import CodingOptions, code_transcripts

    if redaction_key is not None and not redact:
        raise click.UsageError("--redaction-key needs --redact")
    # The default cache lives inside OUT, which a redacted run is meant to be shared as: none.
    default_cache = None if redact else out_dir / ".qualcode-cache"
    options = CodingOptions(
        unit=unit,
        interviewers=interviewers,
        encoding=encoding,
        jobs=jobs or default_jobs(),
        cache_dir=None if no_cache else (cache_dir or default_cache),
        decisions=resolve_path(out_dir, decisions, disabled=no_decisions),
        redact=redact,
        redaction_key=redaction_key,
    )
    with console.progress_bar(enabled=not quiet) as progress:
        result = code_transcripts(list(paths), codebook, out_dir, options, progress=progress)
    from qualcode.publish import REPORT_FILES, remove_reports, render_folder

    if no_report:
        remove_reports(out_dir)  # a report of an earlier run would no longer match the CSVs
    else:
        rendered = render_folder(out_dir, lang=lang)
    if not quiet:
        console.print_run_summary(result, out_dir)
        if no_report:
            click.echo(f"Not written (--no-report): {', '.join(REPORT_FILES)}")
        else:
            click.echo(f"Report: {rendered[0]}  Workbook: {rendered[1]}")
        if result.redaction_key is not None:
            click.echo(f"Redaction key (keep it private; never share it): {result.redaction_key}")
    if result.review is not None:
        console.print_review_outcome(result.review, out_dir, quiet=quiet)
    if gold is not None:
        from qualcode.analysis.evaluation import evaluate, read_gold

        leaves = [c.id for c in result.codebook.walk() if not c.children]
        predicted = [(c.document, c.segment, c.code) for c in result.proposals]
        console.print_evaluation(evaluate(predicted, read_gold(gold), leaves))
    if result.failures:
        console.print_failures(result.failures)
        sys.exit(EXIT_PARTIAL)
