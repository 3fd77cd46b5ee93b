"""`qualcode import qdc|qdpx`: codebooks and coded projects from NVivo, ATLAS.ti, MAXQDA, ...."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.commands.common import reports_errors

_LANGUAGE = click.option(
    "--language", type=click.Choice(["id", "en"]), default=None,
    help="Language of the codebook [default: as a qualcode export names it, else id].",
)  # fmt: skip


@click.group("import")
def import_group() -> None:
    """Import REFI-QDA files (.qdc codebooks, .qdpx projects) from other QDA tools."""


@import_group.command("qdc")
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "--out", "-o", "out", required=True, type=click.Path(path_type=Path),
    help="The codebook YAML to write.",
)  # fmt: skip
@click.option("--name", default="", help="Codebook name (default: the file name).")
@_LANGUAGE
@reports_errors
def import_qdc(source: Path, out: Path, name: str, language: str | None) -> None:
    """Turn a REFI-QDA codebook (.qdc) from any tool into a codebook YAML to start from."""
    from qualcode.refi.codebook_build import build_codebook, write_codebook
    from qualcode.refi.qdc_read import read_qdc

    _refuse_same(source, out)
    book = read_qdc(source)
    built = build_codebook(book, name=name or source.stem, language=language or "id")
    origin = f" ({book.origin})" if book.origin else ""
    codebook = write_codebook(built, out, header=f"Imported by qualcode from {source.name}{origin}")
    for warning in [*book.warnings, *built.warnings]:
        click.echo(f"warning: {warning}", err=True)
    codes = list(codebook.walk())
    with_rules = sum(1 for c in codes if c.has_rules)
    click.echo(f"Wrote {out}: {len(codes)} codes, {with_rules} with keywords or patterns")
    if with_rules < sum(1 for c in codes if not c.children):
        click.echo("Add keywords to the codes without them before coding with this codebook.")


@import_group.command("qdpx")
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "--out", "-o", "out", required=True, type=click.Path(path_type=Path),
    help="Folder to write transcripts/, codebook.yaml, codings.csv and gold.csv to.",
)  # fmt: skip
@_LANGUAGE
@click.option(
    "--unit", type=click.Choice(["turn", "paragraph", "sentence"]), default="turn",
    show_default=True, help="Segment unit of gold.csv (use the same with `qualcode code`).",
)  # fmt: skip
@click.option(
    "--interviewer", "interviewers", multiple=True, metavar="LABEL",
    help="Speaker label of the interviewer (repeatable), as for `qualcode code`.",
)  # fmt: skip
@reports_errors
def import_qdpx(
    source: Path, out: Path, language: str | None, unit: str, interviewers: tuple[str, ...]
) -> None:
    """Turn a REFI-QDA project (.qdpx) into transcripts, a codebook and a hand-coded sheet."""
    from qualcode.refi.qdpx_import import import_project
    from qualcode.refi.qdpx_read import read_qdpx

    project = read_qdpx(source)
    if out.resolve() == source.resolve() or source.resolve().is_relative_to(out.resolve()):
        from qualcode.errors import OutputError

        raise OutputError(f"{out}: the input {source} is inside it; choose another --out")
    result = import_project(
        project, out, source=source, language=language, unit=unit, interviewers=interviewers
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    coders = sorted({row.coder for row in result.codings if row.coder})
    click.echo(
        f"Imported {len(result.documents)} transcripts and {len(result.codings)} codings"
        f"{' by ' + ', '.join(coders) if coders else ''}; {result.gold_segments} segments in "
        f"gold.csv"
    )
    click.echo(f"Wrote {', '.join(p.name for p in result.outputs)} to {out}/")
    if (out / "codebook.yaml").exists():
        click.echo(
            f"Next: qualcode code {out / 'transcripts'} -c {out / 'codebook.yaml'} "
            f"-o {out / 'coded'} --unit {unit} --gold {out / 'gold.csv'}"
        )


def _refuse_same(source: Path, out: Path) -> None:
    from qualcode.errors import OutputError

    if out.exists() and source.exists() and out.resolve() == source.resolve():
        raise OutputError(f"{out}: output would overwrite this input; choose another --out")
