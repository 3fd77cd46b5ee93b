"""`qualcode init`: a new project folder with a starter codebook and an example transcript."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.commands.common import reports_errors
from qualcode.errors import OutputError

#: Project file -> package data file it is copied from.
PROJECT_FILES = {
    "codebooks/codebook.yaml": "starter_codebook.yaml",
    "transcripts/contoh_wawancara.txt": "starter_transcript.txt",
    "README.md": "starter_README.md",
}
PROJECT_FOLDERS = ("codebooks", "transcripts", "reports")


@click.command("init")
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite the starter files if they exist.")
@reports_errors
def init_command(directory: Path, force: bool) -> None:
    """Create a project in DIRECTORY (default: here): codebooks/, transcripts/, reports/, a
    starter codebook, an example transcript and a README with the next steps."""
    from importlib.resources import files

    from qualcode.fileio import write_bytes_atomic

    existing = [name for name in PROJECT_FILES if (directory / name).exists()]
    if existing and not force:
        raise OutputError(
            f"{directory}: already holds {', '.join(existing)}; "
            "nothing was written (use --force to overwrite)"
        )
    data = files("qualcode").joinpath("data")
    for folder in PROJECT_FOLDERS:
        try:
            (directory / folder).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{directory / folder}: cannot create ({exc.strerror})") from None
    for name, source in PROJECT_FILES.items():
        write_bytes_atomic(directory / name, data.joinpath(source).read_bytes())
    click.echo(f"Created a qualcode project in {directory}/:")
    for name in PROJECT_FILES:
        click.echo(f"  {name}")
    click.echo("  reports/")
    where = "" if str(directory) == "." else f"cd {directory} && "
    click.echo(
        f"Next: {where}qualcode codebook check codebooks/codebook.yaml transcripts\n"
        "      qualcode code transcripts --codebook codebooks/codebook.yaml --out reports\n"
        "See README.md there for the whole loop."
    )
