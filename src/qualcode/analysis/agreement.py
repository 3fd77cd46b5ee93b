"""Agreement between two codings of the same segments, per code and overall.

The unit is *segment x code presence*: for every code, every segment gets a yes/no from each side.
Per code we report percent agreement, Cohen's kappa and Krippendorff's alpha (nominal, two coders,
no missing values, computed with the ``krippendorff`` package). "Overall" pools every
segment x code decision into one table; "mean" averages the per-code values that are defined.

A statistic that is mathematically undefined (0/0: no units, or no variation at all, e.g. a code
neither side ever used) is ``None``; callers print it as "undefined", never as NaN.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Unit = tuple[str, int]
#: The codes one side applied to each unit (a unit missing from the mapping has no codes).
Presence = Mapping[Unit, frozenset[str]]


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    """The 2x2 table of one code (or of all codes pooled) and its statistics."""

    code: str
    both: int
    only_a: int
    only_b: int
    neither: int
    percent: float | None  # observed agreement as a proportion, 0..1
    kappa: float | None
    alpha: float | None

    @property
    def units(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    @property
    def a_count(self) -> int:
        return self.both + self.only_a

    @property
    def b_count(self) -> int:
        return self.both + self.only_b


@dataclass(frozen=True, slots=True)
class MeanAgreement:
    """Per-code statistics averaged over the codes where each is defined."""

    percent: float | None
    kappa: float | None
    alpha: float | None
    codes_with_kappa: int
    codes_with_alpha: int


@dataclass(frozen=True, slots=True)
class Disagreement:
    document: str
    segment: int
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]


@dataclass(frozen=True)
class Agreement:
    per_code: tuple[CodeAgreement, ...]
    overall: CodeAgreement
    mean: MeanAgreement
    units: int
    disagreements: tuple[Disagreement, ...]


def percent_agreement(both: int, only_a: int, only_b: int, neither: int) -> float | None:
    n = both + only_a + only_b + neither
    return (both + neither) / n if n else None


def cohen_kappa(both: int, only_a: int, only_b: int, neither: int) -> float | None:
    """Cohen's (1960) kappa of a 2x2 table; None when chance agreement is 1 (no variation)."""
    n = both + only_a + only_b + neither
    # (p_o - p_e) / (1 - p_e), multiplied through by n^2 so the counts stay integers.
    a_yes, b_yes = both + only_a, both + only_b
    expected = a_yes * b_yes + (n - a_yes) * (n - b_yes)
    if expected == n * n:  # also n == 0
        return None
    return (n * (both + neither) - expected) / (n * n - expected)


def krippendorff_alpha(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Krippendorff's alpha (nominal) of two coders' 0/1 values; None without any variation."""
    if len(a) != len(b):
        raise ValueError("both coders must rate the same units")
    if not a or len(set(a) | set(b)) < 2:
        return None
    import krippendorff

    value = float(
        krippendorff.alpha(
            reliability_data=[list(a), list(b)],
            level_of_measurement="nominal",
            value_domain=[0, 1],
        )
    )
    return value


def _table(code: str, a: Sequence[int], b: Sequence[int]) -> CodeAgreement:
    both = sum(1 for x, y in zip(a, b, strict=True) if x and y)
    only_a = sum(1 for x, y in zip(a, b, strict=True) if x and not y)
    only_b = sum(1 for x, y in zip(a, b, strict=True) if y and not x)
    neither = len(a) - both - only_a - only_b
    return CodeAgreement(
        code,
        both,
        only_a,
        only_b,
        neither,
        percent_agreement(both, only_a, only_b, neither),
        cohen_kappa(both, only_a, only_b, neither),
        krippendorff_alpha(a, b),
    )


def _mean(values: Sequence[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def compare(a: Presence, b: Presence, units: Sequence[Unit], codes: Sequence[str]) -> Agreement:
    """Agreement of sides ``a`` and ``b`` over ``units`` for ``codes`` (other codes ignored)."""
    ordered_units = list(dict.fromkeys(units))
    empty: frozenset[str] = frozenset()
    per_code = []
    pooled_a: list[int] = []
    pooled_b: list[int] = []
    for code in dict.fromkeys(codes):
        col_a = [int(code in a.get(unit, empty)) for unit in ordered_units]
        col_b = [int(code in b.get(unit, empty)) for unit in ordered_units]
        per_code.append(_table(code, col_a, col_b))
        pooled_a.extend(col_a)
        pooled_b.extend(col_b)
    wanted = set(codes)
    disagreements = []
    for unit in ordered_units:
        codes_a = a.get(unit, empty) & wanted
        codes_b = b.get(unit, empty) & wanted
        if codes_a != codes_b:
            disagreements.append(
                Disagreement(
                    unit[0],
                    unit[1],
                    tuple(c for c in codes if c in codes_a - codes_b),
                    tuple(c for c in codes if c in codes_b - codes_a),
                )
            )
    mean = MeanAgreement(
        _mean([c.percent for c in per_code]),
        _mean([c.kappa for c in per_code]),
        _mean([c.alpha for c in per_code]),
        sum(1 for c in per_code if c.kappa is not None),
        sum(1 for c in per_code if c.alpha is not None),
    )
    return Agreement(
        tuple(per_code),
        _table("overall", pooled_a, pooled_b),
        mean,
        len(ordered_units),
        tuple(disagreements),
    )
