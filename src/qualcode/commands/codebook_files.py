"""`qualcode codebook export` and `qualcode codebook convert`: a codebook in other forms."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.commands.common import reports_errors
from qualcode.errors import OutputError

_CONVERTIBLE = (".yaml", ".yml", ".csv", ".xlsx")


@click.command("export")
@click.argument("codebook", type=click.Path(path_type=Path))
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["md", "html", "xlsx"]), default="md",
    show_default=True, help="Markdown (for pandoc/Word), a web page, or a workbook.",
)  # fmt: skip
@click.option(
    "--out", "-o", type=click.Path(path_type=Path), default=None,
    help="File to write (default: the codebook's name with the format's suffix, here).",
)  # fmt: skip
@click.option(
    "--labels", type=click.Choice(["id", "en"]), default=None,
    help="Language of headings such as 'Definition' (default: the codebook's language).",
)  # fmt: skip
@reports_errors
def codebook_export(codebook: Path, fmt: str, out: Path | None, labels: str | None) -> None:
    """Write CODEBOOK as a document for a thesis appendix: definitions, criteria, examples,
    keywords. CODEBOOK may be YAML, CSV or XLSX."""
    from qualcode.codebook.tabular import load_any_codebook
    from qualcode.exports.codebook_doc import codebook_html, codebook_markdown, codebook_xlsx
    from qualcode.fileio import write_bytes_atomic, write_text_atomic

    book = load_any_codebook(codebook)
    target = out if out is not None else Path(f"{codebook.stem}.{fmt}")
    _refuse_same_file(codebook, target)
    if fmt == "md":
        write_text_atomic(target, codebook_markdown(book, language=labels))
    elif fmt == "html":
        write_text_atomic(target, codebook_html(book, language=labels))
    else:
        write_bytes_atomic(target, codebook_xlsx(book))
    click.echo(f"Wrote {target} ({len(list(book.walk()))} codes)")


@click.command("convert")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="Codebook name (for a CSV source; default: file name).")
@click.option(
    "--language", type=click.Choice(["id", "en"]), default=None,
    help="Codebook language (for a CSV source; default: id).",
)  # fmt: skip
@reports_errors
def codebook_convert(source: Path, target: Path, name: str | None, language: str | None) -> None:
    """Convert a codebook between YAML, CSV and XLSX (by the files' suffixes).

    A spreadsheet has one row per code with columns id, parent, name, description, include,
    exclude, examples, keywords (keywords ';'-separated; examples one per line or '|'-separated).
    The result is validated like any codebook; problems name their row and column.
    """
    from qualcode import store
    from qualcode.codebook.tabular import load_any_codebook
    from qualcode.codebook.writer import codebook_rows, codebook_yaml, lost_in_csv
    from qualcode.exports.codebook_doc import codebook_xlsx
    from qualcode.fileio import write_bytes_atomic, write_text_atomic

    for path in (source, target):
        if path.suffix.lower() not in _CONVERTIBLE:
            raise OutputError(
                f"{path}: unknown codebook format {path.suffix or '(no suffix)'!r}; "
                f"use {', '.join(_CONVERTIBLE)}"
            )
    _refuse_same_file(source, target)
    book = load_any_codebook(source, name=name, language=language)
    suffix = target.suffix.lower()
    if suffix in (".yaml", ".yml"):
        comment = f"Converted by `qualcode codebook convert` from {source.name}."
        write_text_atomic(target, codebook_yaml(book, comment=comment))
    elif suffix == ".xlsx":
        write_bytes_atomic(target, codebook_xlsx(book))
    else:
        import csv
        import io

        header, rows = codebook_rows(book)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[store.neutralise(cell) for cell in row] for row in rows])
        write_text_atomic(target, buffer.getvalue(), bom=True)
        lost = lost_in_csv(book)
        if book.name != target.stem:
            lost.insert(0, "name")
        if book.language != "id":
            lost.insert(1 if "name" in lost else 0, "language")
        if lost:
            click.echo(
                f"warning: a CSV holds codes only; not kept: {', '.join(lost)} "
                "(use .xlsx to keep them, or --name/--language when converting back)",
                err=True,
            )
    click.echo(f"Wrote {target} ({len(list(book.walk()))} codes)")


def _refuse_same_file(source: Path, target: Path) -> None:
    if source.resolve() == target.resolve():
        raise OutputError(f"{target}: would overwrite the codebook itself; choose another file")
