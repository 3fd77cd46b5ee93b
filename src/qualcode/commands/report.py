"""`qualcode report`: re-render report.html and codings.xlsx from an output folder."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.commands.common import reports_errors


@click.command("report")
@click.argument("out_dir", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--lang", type=click.Choice(["id", "en"]), default=None,
    help="Language of the report's labels (default: the codebook's).",
)  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@reports_errors
def report_command(out_dir: Path, lang: str | None, quiet: bool) -> None:
    """Write report.html and codings.xlsx into DIR, an output folder of `qualcode code`.

    Nothing is re-coded: the report is rebuilt from DIR's CSV files, so it can be re-rendered
    (e.g. in another language) at any time. The same inputs give byte-identical files.
    Warns (also in the report) when the codebook or a transcript changed since the codings were
    made, and about codings whose code is not in DIR/codebook.yaml.
    """
    from qualcode.publish import render_folder

    written = render_folder(
        out_dir, lang=lang, warn=lambda line: click.echo(f"warning: {line}", err=True)
    )
    if not quiet:
        for path in written:
            click.echo(f"Wrote {path}")
