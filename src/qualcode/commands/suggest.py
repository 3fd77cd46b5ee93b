"""`qualcode suggest`: candidate keywords for a code, from an output folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qualcode.commands.common import reports_errors
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.analysis.suggest import Suggestion, Unit
    from qualcode.outputs import OutputFolder


@click.command("suggest")
@click.argument("code")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--top", type=click.IntRange(1, 500), default=20, show_default=True,
              help="Terms to list in each table.")  # fmt: skip
@click.option("--min-count", type=click.IntRange(1), default=2, show_default=True,
              help="Minimum occurrences in the segments examined.")  # fmt: skip
@click.option(
    "--method", type=click.Choice(["g2", "logodds"]), default="g2", show_default=True,
    help="Keyness: log-likelihood G2, or log-odds z with an informative Dirichlet prior.",
)  # fmt: skip
@click.option(
    "--reviews", type=click.Path(path_type=Path), default=None,
    help="Decisions file to honour (default: reviews.csv beside FOLDER, if there is one).",
)  # fmt: skip
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), default=None,
              help="Also write both tables to this CSV file.")  # fmt: skip
@reports_errors
def suggest_command(
    code: str,
    folder: Path,
    top: int,
    min_count: int,
    method: str,
    reviews: Path | None,
    csv_path: Path | None,
) -> None:
    """Suggest keywords for CODE from FOLDER (the --out folder of `qualcode code`).

    Lists the words and two-word phrases most over-represented in the informant turns that
    carry CODE (after review, when there are decisions) against the other informant turns, with
    their counts, the forms seen, and which codes' keywords already cover them. A second table
    lists the terms most typical of uncoded turns: hints for codes that are missing.
    """
    from qualcode.analysis.suggest import carrying, suggest_terms
    from qualcode.matching import CodebookMatcher
    from qualcode.outputs import load_output_folder

    output = load_output_folder(folder)
    if code not in {c.id for c in output.codebook.walk()}:
        raise QualcodeError(f"{folder}/codebook.yaml: no code {code!r} in the codebook")
    texts, coded, note = _segments(output, reviews)
    if note:
        click.echo(note)
    target = carrying(coded, code)
    if not target:
        click.echo(f"No informant turn carries {code}: nothing to compare.")
    matcher = CodebookMatcher(output.codebook)
    for_code = (
        suggest_terms(matcher, texts, target, method=method, min_count=min_count, top=top)
        if target
        else []
    )
    uncoded = {u for u, _ in texts if not coded.get(u)}
    for_uncoded = (
        suggest_terms(matcher, texts, uncoded, method=method, min_count=min_count, top=top)
        if uncoded and len(uncoded) < len(texts)
        else []
    )
    stat = "G2" if method == "g2" else "z"
    _print_table(
        f"Candidate keywords for {code}: {len(target)} of {len(texts)} informant turns",
        for_code,
        stat,
        code,
    )
    _print_table(
        f"Typical of the {len(uncoded)} uncoded informant turns (hints for missing codes)",
        for_uncoded,
        stat,
        None,
    )
    if csv_path is not None:
        _write_csv(csv_path, code, for_code, for_uncoded)
        click.echo(f"Wrote {csv_path}")


def _segments(
    output: OutputFolder, reviews: Path | None
) -> tuple[list[tuple[Unit, str]], dict[Unit, set[str]], str]:
    """Informant turns (unit, text), the codes of each after review, and a note on the review."""
    from qualcode.analysis.suggest import apply_decisions

    segments = output.segments
    informant = segments[segments["speaker_type"] != "interviewer"]
    texts = [
        ((str(row.document), int(row.segment)), str(row.text))
        for row in informant.itertuples(index=False)
    ]
    units = {u for u, _ in texts}
    coded: dict[Unit, set[str]] = {u: set() for u in units}
    for row in output.codings.itertuples(index=False):
        unit = (str(row.document), int(str(row.segment)))
        if unit in coded:
            coded[unit].add(str(row.code))
    decisions, note = _decisions(output, reviews, dict(texts))
    return texts, apply_decisions(coded, decisions), note


def _decisions(
    output: OutputFolder, given: Path | None, texts: dict[Unit, str]
) -> tuple[list[tuple[Unit, str, str]], str]:
    """Review decisions placed by segment; a decision whose segment text changed is skipped."""
    import hashlib

    from qualcode.review.decisions import default_path, read_decisions

    path = given if given is not None else default_path(output.path)
    if given is not None and not Path(given).is_file():
        raise QualcodeError(f"{given}: decisions file not found")
    if not path.is_file():
        return [], ""
    rows, _warnings = read_decisions(path)
    placed, stale = [], 0
    for decision in rows:
        unit = (decision.document, decision.segment)
        text = texts.get(unit)
        digest = decision.anchor.text_sha256
        if text is None or (digest and hashlib.sha256(text.encode()).hexdigest() != digest):
            stale += 1
            continue
        placed.append((unit, decision.code, decision.decision))
    note = f"Honouring {len(placed)} review decision(s) from {path}"
    if stale:
        note += f" ({stale} skipped: their turn is not in this run or its text changed)"
    return placed, note


def _covered_text(suggestion: Suggestion, code: str | None) -> str:
    parts = []
    for other in suggestion.covered:
        parts.append("this code" if other == code else other)
    for other in suggestion.part_of:
        parts.append("part of a keyword of " + ("this code" if other == code else other))
    return ", ".join(parts)


def _print_table(title: str, rows: Sequence[Suggestion], stat: str, code: str | None) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from qualcode.commands.inputs import print_wide

    if not rows:
        click.echo(f"{title}: no terms over-represented.")
        return
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False
    )
    table.add_column("term (key)", no_wrap=True)
    for column in (stat, "in", "out", "turns"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("seen as", no_wrap=True)
    table.add_column("keyword of", no_wrap=True)
    for row in rows:
        forms = ", ".join(f"{form} ({n})" for form, n in row.forms)
        cells = [row.term, f"{row.score:.1f}", str(row.target), str(row.reference),
                 str(row.segments), forms, _covered_text(row, code)]  # fmt: skip
        table.add_row(*(Text(cell) for cell in cells))
    print_wide(table)


def _write_csv(
    path: Path, code: str, for_code: Sequence[Suggestion], for_uncoded: Sequence[Suggestion]
) -> None:
    import pandas as pd

    from qualcode.store import write_csv

    columns = ["table", "term", "kind", "score", "in", "out", "turns", "seen_as", "keyword_of"]
    rows = []
    for table, suggestions, own in (("code", for_code, code), ("uncoded", for_uncoded, None)):
        for s in suggestions:
            forms = "; ".join(f"{form} ({n})" for form, n in s.forms)
            rows.append([table, s.term, s.kind, round(s.score, 3), s.target, s.reference,
                         s.segments, forms, _covered_text(s, own)])  # fmt: skip
    write_csv(pd.DataFrame(rows, columns=columns), path)
