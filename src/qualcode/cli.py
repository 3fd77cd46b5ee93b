"""The command line: parse, call the library, print. The only module that imports click.

Exit codes: 0 success; 1 an error stopped the run (bad codebook, missing input, unwritable
output); 2 wrong usage; 3 the run finished but some transcripts could not be read.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from qualcode import __version__
from qualcode.errors import QualcodeError

EXIT_PARTIAL = 3
F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn a QualcodeError into a one-line message (plus its details) and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QualcodeError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            for line in exc.details:
                click.echo(f"  {line}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qualcode")
def main() -> None:
    """Code interview transcripts with a codebook, explainably."""


@main.command("code")
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


@main.group("codebook")
def codebook_group() -> None:
    """Inspect codebooks."""


@codebook_group.command("show")
@click.argument("codebook", type=click.Path(path_type=Path))
@reports_errors
def codebook_show(codebook: Path) -> None:
    """Print the code tree and what every keyword expands to, with warnings."""
    from qualcode import console
    from qualcode.codebook import load_codebook
    from qualcode.matching.expansion import keyword_expansions

    book = load_codebook(codebook)
    console.print_codebook(book, keyword_expansions(book))


if __name__ == "__main__":  # pragma: no cover
    main()
