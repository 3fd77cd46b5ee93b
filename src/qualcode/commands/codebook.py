"""`qualcode codebook ...`: inspect codebooks."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.commands.common import reports_errors


@click.group("codebook")
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
