"""Precision, recall and F1 of auto-codes against a hand-coded (gold) sheet.

The unit is segment x code presence. Only segments that the gold sheet lists are scored (a gold
sheet lists every informant turn, with an empty ``codes`` cell where no code applies).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import QualcodeError

Unit = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Score:
    """Counts and scores for one code (or the micro/macro totals). None means undefined."""

    code: str
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class Evaluation:
    per_code: tuple[Score, ...]
    micro: Score
    macro: Score
    units: int


def read_gold(path: Path) -> dict[Unit, frozenset[str]]:
    """A hand-coded sheet (CSV with ``document, segment, codes``; codes ``;``-joined).

    A segment listed on several rows (e.g. one row per code) gets the codes of all its rows.
    """
    from qualcode.store import read_csv

    try:
        frame = read_csv(path)
    except FileNotFoundError:
        raise QualcodeError(f"{path}: hand-coded sheet not found") from None
    missing = {"document", "segment", "codes"} - set(frame.columns)
    if missing:
        raise QualcodeError(
            f"{path}: hand-coded sheet lacks column(s) {', '.join(sorted(missing))}"
        )
    gold: dict[Unit, frozenset[str]] = {}
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        segment = row.segment
        if segment is None or str(segment) in ("", "<NA>"):
            raise QualcodeError(f"{path}:{row_number}: segment is not a number")
        document = str(row.document).strip()
        if not document:
            raise QualcodeError(f"{path}:{row_number}: document is empty")
        codes = frozenset(c.strip() for c in str(row.codes).split(";") if c.strip())
        unit = (document, int(str(segment)))
        gold[unit] = gold.get(unit, frozenset()) | codes
    return gold


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _score(code: str, tp: int, fp: int, fn: int) -> Score:
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn)
    return Score(code, tp, fp, fn, precision, recall, f1)


def evaluate(
    predicted: Iterable[tuple[str, int, str]],
    gold: dict[Unit, frozenset[str]],
    codes: Sequence[str],
) -> Evaluation:
    """Score predicted (document, segment, code) triples against ``gold`` for ``codes``."""
    wanted = set(codes)
    pred: dict[Unit, set[str]] = {}
    for document, segment, code in predicted:
        if (document, segment) in gold and code in wanted:
            pred.setdefault((document, segment), set()).add(code)
    per_code = []
    for code in codes:
        tp = fp = fn = 0
        for unit, gold_codes in gold.items():
            p, g = code in pred.get(unit, set()), code in gold_codes
            tp += p and g
            fp += p and not g
            fn += g and not p
        per_code.append(_score(code, tp, fp, fn))
    micro = _score(
        "micro",
        sum(s.true_positives for s in per_code),
        sum(s.false_positives for s in per_code),
        sum(s.false_negatives for s in per_code),
    )
    defined = [s for s in per_code if s.f1 is not None]
    macro_f1 = sum(s.f1 for s in defined if s.f1 is not None) / len(defined) if defined else None
    precisions = [s.precision for s in per_code if s.precision is not None]
    recalls = [s.recall for s in per_code if s.recall is not None]
    macro = Score(
        "macro",
        micro.true_positives,
        micro.false_positives,
        micro.false_negatives,
        sum(precisions) / len(precisions) if precisions else None,
        sum(recalls) / len(recalls) if recalls else None,
        macro_f1,
    )
    return Evaluation(tuple(per_code), micro, macro, len(gold))
