"""`qualcode codebook ...`: inspect codebooks."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.commands.codebook_check import codebook_check
from qualcode.commands.codebook_files import codebook_convert, codebook_export
from qualcode.commands.common import reports_errors


@click.group("codebook")
def codebook_group() -> None:
    """Inspect, check, export and convert codebooks."""


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


codebook_group.add_command(codebook_check)
codebook_group.add_command(codebook_export)
codebook_group.add_command(codebook_convert)
