"""Options and reading shared by the commands that read transcripts (code, check, kwic)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from qualcode.models import Document

F = TypeVar("F", bound=Callable[..., Any])


def _known_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse an unknown ``--encoding`` once, as a usage error, rather than once per transcript."""
    from qualcode.errors import IngestError
    from qualcode.ingest.decoding import text_encoding

    if value is None:
        return None
    try:
        text_encoding(value)
    except IngestError as error:
        raise click.BadParameter(f"{error.message} (for example utf-8, cp1252, latin-1)") from None
    return value


def transcript_options(func: F) -> F:
    """``--unit``, ``--interviewer`` and ``--encoding``: the options of each command reading
    transcripts."""
    func = click.option(
        "--encoding", default=None, callback=_known_encoding,
        help="Force the encoding of text transcripts.",
    )(func)  # fmt: skip
    func = click.option(
        "--interviewer", "interviewers", multiple=True, metavar="LABEL",
        help="Speaker label of the interviewer (repeatable); front matter wins.",
    )(func)  # fmt: skip
    func = click.option(
        "--unit", type=click.Choice(["turn", "paragraph", "sentence"]), default="turn",
        show_default=True, help="What one segment is.",
    )(func)  # fmt: skip
    return func


def read_transcripts(
    paths: Sequence[Path],
    *,
    unit: str = "turn",
    interviewers: Sequence[str] = (),
    encoding: str | None = None,
    language: str | None = None,
) -> tuple[list[Document], list[tuple[str, str]]]:
    """Every transcript under ``paths`` read, and ``(name, message)`` for each that failed.

    Like `qualcode code`, a transcript whose front matter names another ``language`` than the
    one given is left out (with a note on stderr).
    """
    from qualcode.errors import IngestError
    from qualcode.ingest import find_transcripts, read_document

    sources = find_transcripts(list(paths))
    if not sources:
        raise IngestError(
            f"no transcripts found in {', '.join(str(p) for p in paths)} (.txt, .md, .docx)"
        )
    documents, failures = [], []
    for path, name in sources:
        try:
            document = read_document(
                path, name=name, unit=unit, interviewers=interviewers, encoding=encoding
            )
        except IngestError as exc:
            failures.append((name, exc.message))
            continue
        written = document.attributes.get("language", "").strip().lower()
        if language and written and written.split("-")[0] != language:
            click.echo(f"note: {name} skipped: written in '{written}', not '{language}'", err=True)
            continue
        documents.append(document)
    return documents, failures


def print_failures(failures: Sequence[tuple[str, str]]) -> None:
    from qualcode.console import failure_line

    for name, message in failures:
        click.echo(f"warning: {failure_line(name, message)}", err=True)


def print_wide(renderable: Any) -> None:
    """Print a table at the terminal's width, or unwrapped when stdout is a file or pipe."""
    from rich.console import Console

    from qualcode import console

    if console.out.is_terminal:
        console.out.print(renderable)
        return
    wide = Console(highlight=False, width=400)
    measured = wide.measure(renderable).maximum
    Console(highlight=False, width=max(40, measured)).print(renderable)
