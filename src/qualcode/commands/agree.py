"""`qualcode agree A B`: agreement between two codings of the same documents."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from qualcode.commands.common import reports_errors

if TYPE_CHECKING:
    from qualcode.analysis.agreement import Agreement, CodeAgreement
    from qualcode.analysis.evaluation import Evaluation, Score
    from qualcode.review.sides import Comparison, Side


@click.command("agree")
@click.argument("side_a", metavar="A", type=click.Path(path_type=Path))
@click.argument("side_b", metavar="B", type=click.Path(path_type=Path))
@click.option(
    "--gold", type=click.Choice(["A", "B"], case_sensitive=False), default=None,
    help="Treat this side as the reference: also print precision, recall and F1 of the other.",
)  # fmt: skip
@click.option(
    "--apply-to", type=click.Path(path_type=Path), default=None, metavar="DIR",
    help="Output folder a decisions file (reviews.csv) is applied to.",
)  # fmt: skip
@click.option(
    "--code", "codes", multiple=True, metavar="CODE",
    help="Compare only these codes (repeatable; default: every code either side uses).",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
    show_default=True, help="table for reading, csv (one row per code) or json (everything).",
)  # fmt: skip
@click.option(
    "--disagreements", "disagreements_path", type=click.Path(path_type=Path), default=None,
    metavar="FILE", help="Also write the segments where A and B differ to this CSV file.",
)  # fmt: skip
@reports_errors
def agree_command(
    side_a: Path,
    side_b: Path,
    gold: str | None,
    apply_to: Path | None,
    codes: tuple[str, ...],
    fmt: str,
    disagreements_path: Path | None,
) -> None:
    """Compare two codings A and B of the same documents, per code and overall.

    A and B may each be a codings.csv (or its output folder), a hand-coded sheet with columns
    document, segment, codes (codes joined with ';'), or a decisions file (reviews.csv) applied
    to an output folder. The unit is segment x code presence. Prints percent agreement, Cohen's
    kappa and Krippendorff's alpha (nominal); "undefined" where a value is 0/0.
    """
    from qualcode.analysis.agreement import compare
    from qualcode.review.sides import comparison, load_side

    a = load_side(side_a, apply_to=apply_to, other=side_b)
    b = load_side(side_b, apply_to=apply_to, other=side_a)
    plan = comparison(a, b, codes)
    agreement = compare(a.presence, b.presence, plan.units, plan.codes)
    evaluation = _evaluation(a, b, plan, gold.upper()) if gold else None
    if disagreements_path is not None:
        from qualcode.fileio import write_text_atomic

        write_text_atomic(disagreements_path, _disagreements_csv(agreement), bom=True)
    if fmt == "json":
        import json

        data = _json(a, b, plan, agreement, evaluation, gold.upper() if gold else None)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        _print_notes(a, b, plan)
    elif fmt == "csv":
        sys.stdout.write(_csv(agreement, evaluation))
        _print_notes(a, b, plan)
    else:
        _print_tables(a, b, plan, agreement, evaluation, gold.upper() if gold else None)


def _evaluation(a: Side, b: Side, plan: Comparison, gold: str) -> Evaluation:
    from qualcode.analysis.evaluation import evaluate

    reference, other = (a, b) if gold == "A" else (b, a)
    truth = {u: reference.presence.get(u, frozenset()) for u in plan.units}
    predicted = [(u[0], u[1], c) for u in plan.units for c in other.presence.get(u, ())]
    return evaluate(predicted, truth, plan.codes)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 4)


def _stats(row: CodeAgreement) -> dict[str, Any]:
    return {
        "code": row.code,
        "units": row.units,
        "a": row.a_count,
        "b": row.b_count,
        "both": row.both,
        "only_a": row.only_a,
        "only_b": row.only_b,
        "neither": row.neither,
        "percent_agreement": _percent(row.percent),
        "kappa": _round(row.kappa),
        "alpha": _round(row.alpha),
    }


def _score(score: Score) -> dict[str, Any]:
    return {
        "tp": score.true_positives,
        "fp": score.false_positives,
        "fn": score.false_negatives,
        "precision": _round(score.precision),
        "recall": _round(score.recall),
        "f1": _round(score.f1),
    }


def _json(
    a: Side,
    b: Side,
    plan: Comparison,
    agreement: Agreement,
    evaluation: Evaluation | None,
    gold: str | None,
) -> dict[str, Any]:
    mean = agreement.mean
    return {
        "a": {"path": str(a.path), "kind": a.kind},
        "b": {"path": str(b.path), "kind": b.kind},
        "unit": "segment x code",
        "units": agreement.units,
        "documents": list(plan.documents),
        "left_out_documents": {"a": list(plan.only_in_a), "b": list(plan.only_in_b)},
        "codes": list(plan.codes),
        "per_code": [_stats(row) for row in agreement.per_code],
        "overall": _stats(agreement.overall),
        "mean": {
            "percent_agreement": _percent(mean.percent),
            "kappa": _round(mean.kappa),
            "alpha": _round(mean.alpha),
            "codes_with_kappa": mean.codes_with_kappa,
            "codes_with_alpha": mean.codes_with_alpha,
        },
        "gold": gold,
        "evaluation": None
        if evaluation is None
        else {
            "per_code": [{"code": s.code, **_score(s)} for s in evaluation.per_code],
            "micro": _score(evaluation.micro),
            "macro": _score(evaluation.macro),
        },
        "disagreements": [
            {
                "document": d.document,
                "segment": d.segment,
                "only_a": list(d.only_a),
                "only_b": list(d.only_b),
            }
            for d in agreement.disagreements
        ],
        "notes": [*a.notes, *b.notes],
    }


def _cell(value: object) -> object:
    return "undefined" if value is None else value


def _csv(agreement: Agreement, evaluation: Evaluation | None) -> str:
    import csv
    import io

    scores = {}
    if evaluation is not None:
        scores = {s.code: _score(s) for s in evaluation.per_code}
        scores["overall"] = _score(evaluation.micro)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = list(_stats(agreement.overall))
    extra = ["tp", "fp", "fn", "precision", "recall", "f1"] if evaluation is not None else []
    writer.writerow(header + extra)
    for row in (*agreement.per_code, agreement.overall):
        stats = _stats(row)
        values = [_cell(stats[h]) for h in header]
        values += [_cell(scores.get(row.code, {}).get(h)) for h in extra]
        writer.writerow(values)
    mean = agreement.mean
    means = {
        "code": "mean",
        "percent_agreement": _cell(_percent(mean.percent)),
        "kappa": _cell(_round(mean.kappa)),
        "alpha": _cell(_round(mean.alpha)),
    }
    writer.writerow([means.get(h, "") for h in header] + [""] * len(extra))
    return buffer.getvalue()


def _disagreements_csv(agreement: Agreement) -> str:
    import pandas as pd

    from qualcode.store import csv_text

    rows = [
        (d.document, d.segment, "; ".join(d.only_a), "; ".join(d.only_b))
        for d in agreement.disagreements
    ]
    return csv_text(pd.DataFrame(rows, columns=["document", "segment", "only_a", "only_b"]))


def _fmt(value: float | None, *, percent: bool = False) -> str:
    if value is None:
        return "undefined"
    return f"{100 * value:.1f}%" if percent else f"{value:.3f}"


def _print_tables(
    a: Side,
    b: Side,
    plan: Comparison,
    agreement: Agreement,
    evaluation: Evaluation | None,
    gold: str | None,
) -> None:
    from rich.markup import escape
    from rich.table import Table

    from qualcode.console import out, print_evaluation

    out.print(f"A: {escape(a.label)}\nB: {escape(b.label)}")
    out.print(
        f"{agreement.units} segments in {len(plan.documents)} document(s), "
        f"{len(plan.codes)} code(s); unit: segment x code"
    )
    table = Table(title="Agreement", title_justify="left")
    for column in ("code", "A", "B", "both", "% agreement", "kappa", "alpha"):
        table.add_column(column, justify="left" if column == "code" else "right")
    for row in (*agreement.per_code, agreement.overall):
        table.add_row(
            "[bold]overall[/bold]" if row is agreement.overall else escape(row.code),
            str(row.a_count),
            str(row.b_count),
            str(row.both),
            _fmt(row.percent, percent=True),
            _fmt(row.kappa),
            _fmt(row.alpha),
        )  # fmt: skip
    mean = agreement.mean
    table.add_row(
        "mean of codes", "", "", "", _fmt(mean.percent, percent=True), _fmt(mean.kappa),
        _fmt(mean.alpha),
    )  # fmt: skip
    out.print(table)
    if evaluation is not None:
        other = "B" if gold == "A" else "A"
        print_evaluation(
            evaluation, f"{other} against {gold} as the reference ({evaluation.units} segments)"
        )
    if agreement.disagreements:
        listing = Table(
            title=f"Segments where A and B differ ({len(agreement.disagreements)})",
            title_justify="left",
        )
        for column in ("document", "segment", "only in A", "only in B"):
            listing.add_column(column, overflow="fold")
        for d in agreement.disagreements:
            listing.add_row(
                escape(d.document), str(d.segment), escape(", ".join(d.only_a)),
                escape(", ".join(d.only_b)),
            )  # fmt: skip
        out.print(listing)
    else:
        out.print("A and B agree on every segment.")
    _print_notes(a, b, plan)


def _print_notes(a: Side, b: Side, plan: Comparison) -> None:
    """Left-out documents and notes about the sides, on stderr (stdout stays machine-readable)."""
    for side, documents in (("A", plan.only_in_a), ("B", plan.only_in_b)):
        if documents:
            names = ", ".join(documents)
            click.echo(f"left out: document(s) only {side} covers: {names}", err=True)
    for note in (*a.notes, *b.notes):
        click.echo(f"note: {note}", err=True)
