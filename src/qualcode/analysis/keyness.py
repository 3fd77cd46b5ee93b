"""Keyness: which terms are over-represented in a target text set against a reference set.

Two statistics, both signed (positive: more frequent in the target than in the reference):

* ``g2`` — Dunning's log-likelihood G² (Dunning 1993; Rayson & Garside 2000) with the sign of the
  difference of relative frequencies. |G²| > 3.84 is p < 0.05, > 6.63 is p < 0.01 for one term.
* ``logodds`` — the z-score of the log-odds ratio with an informative Dirichlet prior (Monroe,
  Colaresi & Quinn 2008, "Fightin' words"), the prior being the pooled counts of both sets; it
  shrinks rare terms towards zero instead of ranking them first.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

METHODS = ("g2", "logodds")


@dataclass(frozen=True, slots=True)
class Keyness:
    """One term: its count in the target and in the reference, and its signed score."""

    term: str
    target: int
    reference: int
    score: float


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Signed G² of a term seen ``a`` times in ``c`` target tokens and ``b`` in ``d`` reference."""
    total = c + d
    if total == 0 or a + b == 0:
        return 0.0
    e1 = c * (a + b) / total
    e2 = d * (a + b) / total
    g2 = 0.0
    if a:
        g2 += a * math.log(a / e1)
    if b:
        g2 += b * math.log(b / e2)
    g2 *= 2
    rate_target = a / c if c else 0.0
    rate_reference = b / d if d else 0.0
    return g2 if rate_target >= rate_reference else -g2


def log_odds_z(a: int, b: int, c: int, d: int, prior: float, prior_total: float) -> float:
    """z-score of the log-odds ratio (target vs reference) with a Dirichlet prior.

    ``prior`` is the term's prior count, ``prior_total`` the sum of all prior counts.
    """
    if prior <= 0 or prior_total <= 0:
        return 0.0
    rest_target = c + prior_total - a - prior
    rest_reference = d + prior_total - b - prior
    if rest_target <= 0 or rest_reference <= 0:
        return 0.0
    delta = math.log((a + prior) / rest_target) - math.log((b + prior) / rest_reference)
    variance = 1 / (a + prior) + 1 / (b + prior)
    return delta / math.sqrt(variance)


def keyness(
    target: Mapping[str, int],
    reference: Mapping[str, int],
    *,
    method: str = "g2",
    min_count: int = 1,
) -> list[Keyness]:
    """Every term seen at least ``min_count`` times in the target, highest score first.

    Totals are the sums of each mapping. Ties are broken by target count, then term.
    """
    if method not in METHODS:
        raise ValueError(f"unknown keyness method {method!r}; use one of {', '.join(METHODS)}")
    c = sum(target.values())
    d = sum(reference.values())
    pooled: Counter[str] = Counter(target)
    pooled.update(reference)
    rows = []
    for term, a in target.items():
        if a < min_count:
            continue
        b = reference.get(term, 0)
        if method == "g2":
            score = log_likelihood(a, b, c, d)
        else:
            score = log_odds_z(a, b, c, d, float(pooled[term]), float(c + d))
        rows.append(Keyness(term, a, b, score))
    rows.sort(key=lambda k: (-k.score, -k.target, k.term))
    return rows
