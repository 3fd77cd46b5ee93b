"""`qualcode export qdc|qdpx`: codebooks and coded projects for NVivo, ATLAS.ti, MAXQDA, ...."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.commands.common import reports_errors


@click.group("export")
def export_group() -> None:
    """Export to REFI-QDA (.qdc codebooks, .qdpx projects) for other QDA tools."""


@export_group.command("qdc")
@click.argument("codebook", type=click.Path(path_type=Path))
@click.option(
    "--out", "-o", "out", required=True, type=click.Path(path_type=Path),
    help="The .qdc file to write.",
)  # fmt: skip
@reports_errors
def export_qdc(codebook: Path, out: Path) -> None:
    """Write CODEBOOK (YAML) as a REFI-QDA codebook (.qdc)."""
    from qualcode.codebook import load_codebook
    from qualcode.fileio import write_bytes_atomic
    from qualcode.refi.qdc_write import codebook_qdc, facet_sets

    _refuse_same(codebook, out)
    book = load_codebook(codebook)
    write_bytes_atomic(out, codebook_qdc(book))
    codes = sum(1 for _ in book.walk())
    click.echo(f"Wrote {out} ({codes} codes, {len(facet_sets(book))} sets)")


@export_group.command("qdpx")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--out", "-o", "out", required=True, type=click.Path(path_type=Path),
    help="The .qdpx file to write.",
)  # fmt: skip
@click.option(
    "--researcher", default="researcher", show_default=True,
    help="Name of the User who reviewed codings (origin accepted/manual).",
)  # fmt: skip
@click.option("--name", default="", help="Project name (default: the codebook's name).")
@reports_errors
def export_qdpx(folder: Path, out: Path, researcher: str, name: str) -> None:
    """Write the output FOLDER of `qualcode code` as a REFI-QDA project (.qdpx)."""
    from qualcode.fileio import write_bytes_atomic
    from qualcode.publish import REPORT_FILES
    from qualcode.refi.output_folder import RESEARCHER_ORIGINS, read_output_folder
    from qualcode.refi.qdpx_write import project_qdpx
    from qualcode.runner import OUTPUT_FILES

    data = read_output_folder(folder)
    for name in (*OUTPUT_FILES, *REPORT_FILES):  # the folder's files, read or not (E10)
        _refuse_same(folder / name, out)
    write_bytes_atomic(out, project_qdpx(data, researcher=researcher, name=name))
    for warning in data.warnings:
        click.echo(f"warning: {warning}", err=True)
    reviewed = sum(1 for c in data.codings if c.origin in RESEARCHER_ORIGINS)
    segments = len({(c.document, c.start, c.end) for c in data.codings})
    click.echo(
        f"Wrote {out}: {len(data.documents)} documents, {segments} coded segments, "
        f"{len(data.codings)} codings ({len(data.codings) - reviewed} auto, {reviewed} reviewed)"
    )


def _refuse_same(source: Path, out: Path) -> None:
    from qualcode.errors import OutputError

    if out.exists() and source.exists() and out.resolve() == source.resolve():
        raise OutputError(f"{out}: output would overwrite this input; choose another --out")
