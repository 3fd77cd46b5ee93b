"""`qualcode review DIR`: accept, reject and add codes in the terminal."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.commands.common import reports_errors


@click.command("review")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--decisions", type=click.Path(path_type=Path), default=None,
    help="Decisions file to read and update (default: DIR/../reviews.csv).",
)  # fmt: skip
@click.option(
    "--code", "codes", multiple=True, metavar="CODE",
    help="Only proposals of this code or its sub-codes (repeatable).",
)  # fmt: skip
@click.option(
    "--document", "documents", multiple=True, metavar="NAME",
    help="Only this document (its name or a shell pattern such as 'ppkl_*'; repeatable).",
)  # fmt: skip
@click.option(
    "--only-unreviewed", is_flag=True, help="Leave out proposals that already have a decision."
)
@reports_errors
def review_command(
    folder: Path,
    decisions: Path | None,
    codes: tuple[str, ...],
    documents: tuple[str, ...],
    only_unreviewed: bool,
) -> None:
    """Walk through the auto-codes of an output folder DIR and decide on each.

    Keys: a accept, r reject, + add a code (Tab completes), m memo, s skip, b back, q quit.
    Every decision is saved at once to the decisions file; run again to continue with the first
    proposal still without a decision. `qualcode code` applies the decisions.
    """
    from qualcode.review.decisions import default_path
    from qualcode.review.terminal import run_review

    path = decisions or default_path(folder)
    run = run_review(
        folder, path, codes=codes, documents=documents, only_unreviewed=only_unreviewed
    )
    session = run.session
    total = len(session.items)
    if not total:
        return
    left = total - session.decided
    click.echo(
        f"{session.decided} of {total} proposals decided ({left} left); "
        f"{run.saved} change(s) saved to {path}."
    )
    if run.saved:
        option = "" if decisions is None else f" --decisions {path}"
        click.echo(f"Apply them: qualcode code ... --out {folder}{option}")
