"""Agreement statistics: published worked examples, the krippendorff package, edge cases."""

from __future__ import annotations

import math

import krippendorff
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.analysis.agreement import cohen_kappa, compare, krippendorff_alpha, percent_agreement


def _table(a: list[int], b: list[int]) -> tuple[int, int, int, int]:
    both = sum(1 for x, y in zip(a, b, strict=True) if x and y)
    only_a = sum(1 for x, y in zip(a, b, strict=True) if x and not y)
    only_b = sum(1 for x, y in zip(a, b, strict=True) if y and not x)
    return both, only_a, only_b, len(a) - both - only_a - only_b


@pytest.mark.parametrize(
    ("both", "only_a", "only_b", "neither", "kappa"),
    [
        # Wikipedia "Cohen's kappa", worked example: 50 grant proposals, two readers.
        (20, 5, 10, 15, 0.4),
        # Same article, "same percentage, different numbers": p_o = 0.60 in both tables.
        (45, 15, 25, 15, 0.1304),
        (25, 35, 5, 35, 0.2593),
    ],
)
def test_cohen_kappa_matches_published_examples(
    both: int, only_a: int, only_b: int, neither: int, kappa: float
) -> None:
    value = cohen_kappa(both, only_a, only_b, neither)
    assert value is not None and value == pytest.approx(kappa, abs=5e-5)


def test_krippendorff_alpha_matches_krippendorffs_binary_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A:
    # binary data, two observers, no missing data -> alpha = 0.095.
    observer_a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    observer_b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    value = krippendorff_alpha(observer_a, observer_b)
    assert value is not None and round(value, 3) == 0.095
    # The same by hand: 1 - (n - 1) * disagreeing units / (n0 * n1) = 1 - 19 * 4 / (14 * 6).
    assert value == pytest.approx(1 - 19 * 4 / (14 * 6))


def _alpha_by_hand(a: list[int], b: list[int]) -> float:
    """Nominal alpha for two coders, no missing values (Krippendorff 2011, eq. for binary data)."""
    n = 2 * len(a)
    ones = sum(a) + sum(b)
    disagreeing = sum(1 for x, y in zip(a, b, strict=True) if x != y)
    return 1 - (n - 1) * disagreeing / (ones * (n - ones))


binary = st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=60)


@given(binary)
def test_alpha_and_kappa_are_defined_exactly_when_there_is_variation(
    pairs: list[tuple[int, int]],
) -> None:
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    table = _table(a, b)
    alpha, kappa = krippendorff_alpha(a, b), cohen_kappa(*table)
    varied = len(set(a) | set(b)) > 1
    assert (alpha is not None) == varied
    if alpha is not None:
        assert not math.isnan(alpha)
        assert alpha == pytest.approx(_alpha_by_hand(a, b))
        reference = krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal")
        assert alpha == pytest.approx(float(reference))
    if kappa is not None:
        assert -1.0 <= kappa <= 1.0 + 1e-12
        assert cohen_kappa(table[0], table[2], table[1], table[3]) == pytest.approx(
            kappa
        )  # symmetric
    assert percent_agreement(*table) == pytest.approx((table[0] + table[3]) / len(a))


def test_edge_cases_give_defined_values_or_undefined_never_nan() -> None:
    units = [("d", 1), ("d", 2), ("d", 3)]
    a = {("d", 1): frozenset({"x"}), ("d", 2): frozenset()}
    b = {("d", 1): frozenset({"x"})}
    result = compare(a, b, units, ["x", "never"])
    x, never = result.per_code
    assert (x.percent, x.kappa, x.alpha) == (1.0, 1.0, 1.0)  # perfect agreement
    assert never.percent == 1.0 and never.kappa is None and never.alpha is None  # unused code
    assert result.overall.percent == 1.0 and result.overall.kappa == pytest.approx(1.0)
    assert result.mean.kappa == pytest.approx(1.0) and result.mean.codes_with_kappa == 1
    assert result.disagreements == ()

    # One side never uses the code, the other does: kappa 0 (chance level), alpha defined.
    one_sided = compare({}, {("d", 1): frozenset({"x"})}, units, ["x"]).per_code[0]
    assert one_sided.kappa == 0.0
    assert one_sided.alpha is not None and not math.isnan(one_sided.alpha)

    # No units at all.
    empty = compare({}, {}, [], ["x"])
    assert empty.per_code[0].percent is None and empty.per_code[0].kappa is None
    assert empty.overall.alpha is None and empty.units == 0
    # No codes at all.
    assert compare(a, b, units, []).overall.percent is None


def test_compare_lists_disagreements_in_unit_and_code_order() -> None:
    units = [("d", 1), ("d", 2), ("e", 1)]
    a = {("d", 1): frozenset({"x", "y"}), ("e", 1): frozenset({"y"})}
    b = {("d", 1): frozenset({"y"}), ("d", 2): frozenset({"x"}), ("e", 1): frozenset({"y"})}
    result = compare(a, b, units, ["x", "y"])
    assert [(d.document, d.segment, d.only_a, d.only_b) for d in result.disagreements] == [
        ("d", 1, ("x",), ()),
        ("d", 2, (), ("x",)),
    ]
    x = result.per_code[0]
    assert (x.both, x.only_a, x.only_b, x.neither) == (0, 1, 1, 1)
    assert result.overall.units == 6
