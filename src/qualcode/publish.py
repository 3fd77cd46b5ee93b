"""Render an output folder's report and workbook: ``report.html`` and ``codings.xlsx``.

Used by ``qualcode code`` right after coding and by ``qualcode report DIR`` to re-render a
folder without re-coding. Both files are rebuilt from the folder's CSV files, so they always
show what the folder holds, and are written atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qualcode.fileio import write_bytes_atomic, write_text_atomic

REPORT_FILES = ("report.html", "codings.xlsx")


def render_folder(
    out_dir: Path, *, lang: str | None = None, warn: Callable[[str], None] | None = None
) -> list[Path]:
    """Write ``report.html`` (labels in ``lang``, default the codebook's) and ``codings.xlsx``
    into ``out_dir``; return their paths. OutputFolderError if the folder is not readable.

    The report warns when the codebook or a transcript changed since the run, and lists codes
    the folder's codebook lacks; ``warn`` gets the same warnings as one line each.
    """
    from qualcode.exports.workbook import codings_workbook
    from qualcode.outputs import load_output_folder
    from qualcode.report import build_report, render_html
    from qualcode.report.checks import staleness, unknown_codes, warnings

    out_dir = Path(out_dir)
    folder = load_output_folder(out_dir)
    stale = staleness(folder.manifest)
    if warn is not None:
        for line in warnings(folder, stale, unknown_codes(folder)):
            warn(line)
    html = render_html(build_report(folder, lang=lang, stale=stale))
    workbook = codings_workbook(folder)
    report_path, workbook_path = (out_dir / name for name in REPORT_FILES)
    write_text_atomic(report_path, html)
    write_bytes_atomic(workbook_path, workbook)
    return [report_path, workbook_path]


def remove_reports(out_dir: Path) -> None:
    """Delete an earlier run's report and workbook, which would no longer match the CSVs."""
    for name in REPORT_FILES:
        (out_dir / name).unlink(missing_ok=True)
