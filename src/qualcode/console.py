"""Terminal output with rich: progress, the run summary, codebook listings."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from qualcode.analysis import code_frequencies

if TYPE_CHECKING:
    from qualcode.analysis.evaluation import Evaluation
    from qualcode.codebook import Codebook
    from qualcode.matching.expansion import ExpansionReport
    from qualcode.review.apply import ReviewOutcome
    from qualcode.runner import CodingResult, Progress

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


@contextlib.contextmanager
def progress_bar(*, enabled: bool = True) -> Iterator[Progress | None]:
    """A progress callback showing a bar on an interactive terminal (nothing otherwise)."""
    if not enabled or not err.is_terminal:
        yield None
        return
    from rich.progress import Progress as RichProgress

    with RichProgress(console=err, transient=True) as bar:
        task = bar.add_task("Coding", total=None)

        def update(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=f"Coding {name}")

        yield update


def print_run_summary(result: CodingResult, out_dir: Path) -> None:
    table = Table(title=f"Codes — {result.codebook.name}", title_justify="left")
    table.add_column("code")
    table.add_column("segments", justify="right")
    table.add_column("documents", justify="right")
    for row in code_frequencies(result.codebook, result.codings):
        label = "  " * row.depth + row.code
        table.add_row(
            label if row.is_leaf else f"[bold]{label}[/bold]", str(row.segments), str(row.documents)
        )
    out.print(table)
    informant = result.informant_segments
    share = f"{result.coded_segments / informant:.0%}" if informant else "-"
    out.print(
        f"{len(result.documents)} documents, {informant} informant segments, "
        f"{result.coded_segments} coded ({share}), {len(result.codings)} codings, "
        f"{len(result.hits)} hits"
    )
    for name, reason in result.skipped:
        err.print(f"[yellow]not coded:[/yellow] {name}: {reason}", highlight=False)
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}")
    if result.matched_codes is not None:
        codes = sum(1 for _ in result.codebook.walk())
        out.print(cache_line(result.matched_codes, codes), highlight=False, soft_wrap=True)
    out.print(f"Wrote {', '.join(p.name for p in result.outputs)} to {out_dir}/")


def cache_line(matched: Mapping[str, frozenset[str]], codes: int) -> str:
    """What the run took from the hit cache, in one line (``codes``: how many the codebook has)."""
    whole = sum(1 for found in matched.values() if len(found) == codes)
    if whole == len(matched):
        return "Cache: nothing reused (a first run, or every document changed)"
    reused = sum(1 for found in matched.values() if not found)
    parts = [f"{reused} of {len(matched)} documents reused whole"]
    if whole:
        parts.append(f"{whole} matched in full (new or changed)")
    again = sorted({code for found in matched.values() if len(found) < codes for code in found})
    if again:
        more = f" and {len(again) - 5} more" if len(again) > 5 else ""
        parts.append(f"matched again: {', '.join(again[:5])}{more}")
    return "Cache: " + "; ".join(parts)


def failure_line(name: str, message: str) -> str:
    """``name: message``, without naming the transcript twice when the message already does."""
    return message if message.startswith(f"{name}: ") else f"{name}: {message}"


def print_failures(failures: Sequence[tuple[str, str]]) -> None:
    err.print(f"[red]{len(failures)} transcript(s) could not be read:[/red]")
    for name, message in failures:
        err.print(f"  {failure_line(name, message)}", markup=False, soft_wrap=True)


def print_codebook(codebook: Codebook, report: ExpansionReport) -> None:
    out.print(
        f"[bold]{codebook.name}[/bold] "
        f"(version {codebook.version or '-'}, language {codebook.language})"
    )
    by_code: dict[str, list[str]] = {}
    for expansion in report.expansions:
        for words, key, note in expansion.spellings:
            label = f"{expansion.keyword}" if not note else f"  {note}: {words}"
            mode = "" if expansion.mode == "stem" else f" [{expansion.mode}]"
            by_code.setdefault(expansion.code, []).append(f"{label}{mode} -> {key}")
    parents = codebook.parent_ids()
    for code in codebook.walk():
        depth, parent = 0, parents[code.id]
        while parent is not None:
            depth, parent = depth + 1, parents[parent]
        indent = "  " * depth
        out.print(f"{indent}[bold]{code.id}[/bold]  {code.name}", markup=True)
        for line in by_code.get(code.id, []):
            out.print(f"{indent}    {line}", markup=False)
        for pattern in code.patterns:
            out.print(f"{indent}    pattern: {pattern.label()}", markup=False)
        for phrase in code.not_within:
            out.print(f"{indent}    not within: {phrase}", markup=False)
    for warning in report.warnings:
        err.print(f"warning: {warning}", markup=False)


def _fmt(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.2f}"


def print_evaluation(evaluation: Evaluation, title: str | None = None) -> None:
    table = Table(
        title=title or f"Against the gold sheet ({evaluation.units} segments)",
        title_justify="left",
    )
    for column in ("code", "TP", "FP", "FN", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "code" else "right")
    for score in (*evaluation.per_code, evaluation.micro, evaluation.macro):
        table.add_row(
            score.code,
            str(score.true_positives),
            str(score.false_positives),
            str(score.false_negatives),
            _fmt(score.precision),
            _fmt(score.recall),
            _fmt(score.f1),
        )
    out.print(table)


def print_review_outcome(outcome: ReviewOutcome, out_dir: Path, *, quiet: bool = False) -> None:
    """What the decisions did: reviewed vs unreviewed, re-anchored and orphaned decisions."""
    if not quiet:
        out.print(
            f"Review ({outcome.path}): {outcome.accepted} accepted, {outcome.rejected} rejected, "
            f"{outcome.added} added by hand, {outcome.unreviewed} codings unreviewed",
            markup=False,
            soft_wrap=True,
        )
        if outcome.absent:
            out.print(f"  {outcome.absent} decision(s) concern documents not in this run")
    for warning in outcome.warnings:
        err.print(f"warning: {warning}", markup=False)
    if outcome.reanchored:
        err.print(f"{len(outcome.reanchored)} decision(s) re-anchored (the text changed):")
        for placement in outcome.reanchored:
            err.print(
                f"  {placement.original.where()}: {placement.reason}", markup=False, soft_wrap=True
            )
    if outcome.orphans:
        err.print(
            f"[yellow]{len(outcome.orphans)} decision(s) orphaned[/yellow], not applied and kept "
            f"in the decisions file; listed in {escape(str(out_dir / 'orphaned_decisions.csv'))}:",
            soft_wrap=True,
        )
        for orphan in outcome.orphans:
            row = f" (row {orphan.decision.row})" if orphan.decision.row else ""
            err.print(
                f"  {orphan.decision.where()} [{orphan.decision.decision}]{row}: {orphan.reason}",
                markup=False,
                soft_wrap=True,
            )
