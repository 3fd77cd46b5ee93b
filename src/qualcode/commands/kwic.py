"""`qualcode kwic`: keyword in context, with the same normalisation as coding."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qualcode.commands.common import EXIT_PARTIAL, reports_errors
from qualcode.commands.inputs import print_failures, read_transcripts, transcript_options
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.analysis.kwic import Line


@click.command("kwic")
@click.argument("args", nargs=-1, required=True, metavar="[TERM] TRANSCRIPTS...")
@click.option(
    "--codebook", "-c", type=click.Path(path_type=Path), default=None,
    help="Use this codebook's language, overrides and protected words (needed for --code).",
)  # fmt: skip
@click.option(
    "--code", "code_id", default=None, metavar="ID",
    help="List every counted hit of this code (and its subcodes) instead of a TERM.",
)  # fmt: skip
@click.option("--exact", is_flag=True, help="Match TERM's surface form only (no stemming).")
@click.option(
    "--language", type=click.Choice(["id", "en"]), default="id", show_default=True,
    help="Language when no --codebook is given.",
)  # fmt: skip
@click.option("--width", type=click.IntRange(10, 200), default=40, show_default=True,
              help="Characters of context on each side.")  # fmt: skip
@click.option(
    "--sort", type=click.Choice(["doc", "left", "right"]), default="doc", show_default=True,
    help="Order: by document, or by the words left/right of the match.",
)  # fmt: skip
@click.option(
    "--all-speakers", is_flag=True, help="Search the interviewer's turns too (never coded)."
)
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), default=None,
              help="Also write the lines to this CSV file.")  # fmt: skip
@transcript_options
@reports_errors
def kwic_command(
    args: tuple[str, ...],
    codebook: Path | None,
    code_id: str | None,
    exact: bool,
    language: str,
    width: int,
    sort: str,
    all_speakers: bool,
    csv_path: Path | None,
    unit: str,
    interviewers: tuple[str, ...],
    encoding: str | None,
) -> None:
    """Show every place TERM occurs in TRANSCRIPTS, with its left and right context.

    TERM is matched like a codebook keyword: `bina` finds membina, dibina, pembinaannya;
    `"kerja sama"` (quoted) also finds kerjasama; `pinjol*` is a prefix; --exact turns stemming
    off. With --code ID, the contexts of every counted hit of a code are listed instead.
    """
    from qualcode.analysis.kwic import TERM_CODE, concordance, term_codebook
    from qualcode.analysis.kwic import all_speakers as widen
    from qualcode.codebook.tabular import load_any_codebook
    from qualcode.matching import CodebookMatcher

    if code_id is not None:
        if codebook is None:
            raise click.UsageError("--code needs --codebook")
        term, paths = None, args
    else:
        if len(args) < 2:
            raise click.UsageError("give a TERM and at least one transcript file or folder")
        term, paths = args[0], args[1:]
    base = load_any_codebook(codebook) if codebook is not None else None
    documents, failures = read_transcripts(
        [Path(p) for p in paths],
        unit=unit,
        interviewers=interviewers,
        encoding=encoding,
        language=base.language if base is not None else language,
    )
    if all_speakers:
        documents = [widen(d) for d in documents]
    if term is None:
        assert base is not None and code_id is not None
        ids = {c.id for c in base.walk()}
        if code_id not in ids:
            raise QualcodeError(f"{codebook}: no code {code_id!r} in the codebook")
        matcher = CodebookMatcher(base)
        matcher.expect(documents)
        hits = [
            h
            for d in documents
            for h in matcher.match_document(d)
            if h.status == "counted" and (h.code == code_id or h.code.startswith(code_id + "."))
        ]
        title = f"code {code_id}"
    else:
        matcher = CodebookMatcher(term_codebook(term, base=base, language=language, exact=exact))
        matcher.expect(documents)
        hits = [h for d in documents for h in matcher.match_document(d) if h.code == TERM_CODE]
        keys = " ".join(matcher.normaliser.key(w) for w in term.split())
        title = f"'{term}'" + ("" if exact or keys == term.lower() else f" (key: {keys})")
    lines = concordance(documents, hits, width=width, sort=sort)
    _print_lines(lines, width, show_rule=term is None)
    hit_docs = len({ln.document for ln in lines})
    click.echo(f"{len(lines)} hit(s) of {title} in {hit_docs} of {len(documents)} document(s)")
    if csv_path is not None:
        from qualcode.analysis.kwic import lines_frame
        from qualcode.store import write_csv

        write_csv(lines_frame(lines), csv_path)
        click.echo(f"Wrote {csv_path}")
    if failures:
        print_failures(failures)
        sys.exit(EXIT_PARTIAL)


def _print_lines(lines: Sequence[Line], width: int, *, show_rule: bool) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from qualcode.commands.inputs import print_wide

    if not lines:
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("document", no_wrap=True)
    table.add_column("turn", justify="right", no_wrap=True)
    table.add_column("speaker", no_wrap=True, max_width=18, overflow="ellipsis")
    table.add_column("left", justify="right", no_wrap=True, min_width=width)
    table.add_column("match", no_wrap=True, style="bold")
    table.add_column("right", justify="left", no_wrap=True, min_width=width)
    if show_rule:
        table.add_column("code / rule", no_wrap=True)
    for line in lines:
        cells = [line.document, str(line.segment), line.speaker, line.left.rstrip(), line.match,
                 line.right.lstrip()]  # fmt: skip
        if show_rule:
            cells.append(f"{line.code}: {line.rule}")
        table.add_row(*(Text(cell) for cell in cells))
    print_wide(table)
