"""Welch's interval and the t quantile, against values worked out another way: closed forms, a published table,
a numerical integration of the t density, and R's ``t.test`` on Student's sleep data. No database."""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bounceback.progress.stats import regularized_beta, t_cdf, t_quantile, welch_interval

PS = (0.6, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995, 0.9995, 0.025, 0.1)


def closed_form_df1(p: float) -> float:
    return math.tan(math.pi * (p - 0.5))  # Cauchy


def closed_form_df2(p: float) -> float:
    return (2 * p - 1) / math.sqrt(2 * p * (1 - p))


def closed_form_df4(p: float) -> float:
    a = 4 * p * (1 - p)
    q = math.cos(math.acos(math.sqrt(a)) / 3) / math.sqrt(a)
    return math.copysign(2 * math.sqrt(q - 1), p - 0.5)


@pytest.mark.parametrize("p", PS)
def test_the_t_quantile_matches_the_closed_forms_for_1_2_and_4_degrees_of_freedom(p: float) -> None:
    assert t_quantile(p, 1) == pytest.approx(closed_form_df1(p), rel=1e-10)
    assert t_quantile(p, 2) == pytest.approx(closed_form_df2(p), rel=1e-10)
    assert t_quantile(p, 4) == pytest.approx(closed_form_df4(p), rel=1e-10)


@pytest.mark.parametrize(
    ("df", "p", "table"),
    [
        # Student's t table, two-sided 95% (one-sided 0.975) and one-sided 0.95, to three decimals.
        (1, 0.975, 12.706),
        (5, 0.975, 2.571),
        (10, 0.975, 2.228),
        (20, 0.975, 2.086),
        (30, 0.975, 2.042),
        (60, 0.975, 2.000),
        (120, 0.975, 1.980),
        (10, 0.95, 1.812),
        (30, 0.95, 1.697),
    ],
)
def test_the_t_quantile_matches_the_published_table(df: int, p: float, table: float) -> None:
    assert round(t_quantile(p, df), 3) == table


def t_density(t: float, df: float) -> float:
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))


def integrated_cdf(t: float, df: float, steps: int = 20_000) -> float:
    """P(T ≤ t) by Simpson's rule over the density from 0 to t (the density is symmetric about 0)."""
    h = t / steps
    total = t_density(0, df) + t_density(t, df)
    total += sum((4 if k % 2 else 2) * t_density(k * h, df) for k in range(1, steps))
    return 0.5 + total * h / 3


@pytest.mark.parametrize("df", [1.5, 3.7, 9.9, 17.776473516, 27.1, 250.0])
def test_the_t_quantile_leaves_the_right_share_below_it_by_numerical_integration(df: float) -> None:
    for p in (0.9, 0.975, 0.995):
        q = t_quantile(p, df)
        assert integrated_cdf(q, df) == pytest.approx(p, abs=1e-9)
        assert t_cdf(q, df) == pytest.approx(p, abs=1e-12)


def test_the_t_quantile_tends_to_the_normal_one() -> None:
    normal = statistics.NormalDist().inv_cdf(0.975)
    assert t_quantile(0.975, 1e5) == pytest.approx(normal, abs=1e-4)
    assert t_quantile(0.975, 1e8) == pytest.approx(normal, abs=1e-12)
    assert t_quantile(0.5, 3) == 0.0


def test_the_incomplete_beta_matches_cases_with_a_closed_form() -> None:
    # I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b
    for x in (0.01, 0.3, 0.5, 0.77, 0.99):
        assert regularized_beta(2.5, 1, x) == pytest.approx(x**2.5, rel=1e-12)
        assert regularized_beta(1, 3.5, x) == pytest.approx(1 - (1 - x) ** 3.5, rel=1e-12)
    with pytest.raises(ValueError, match="0 <= x <= 1"):
        regularized_beta(1, 1, 1.5)


# Student (1908), the sleep data set in R: extra hours of sleep with two drugs.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_welchs_interval_reproduces_r_on_students_sleep_data() -> None:
    # R: t.test(extra ~ group, data = sleep) -> Welch Two Sample t-test: t = -1.8608, df = 17.776,
    # 95 percent confidence interval: -3.3654832 0.2054832; means 0.75 and 2.33.
    d = welch_interval(SLEEP_1, SLEEP_2)
    assert (d.n_first, d.n_second) == (10, 10)
    assert (d.mean_first, d.mean_second) == pytest.approx((0.75, 2.33))
    assert d.df == pytest.approx(17.776, abs=5e-4)
    assert d.difference / d.standard_error == pytest.approx(-1.8608, abs=5e-5)
    assert (d.low, d.high) == pytest.approx((-3.3654832, 0.2054832), abs=5e-8)
    assert not d.excludes_zero


def test_welchs_interval_by_a_second_method() -> None:
    # Standard error and degrees of freedom in exact fractions, and the interval's ends are where the two-sided
    # p-value (by numerical integration of the density) is exactly 5%.
    first = [Fraction(v) for v in (5, 7, 6, 8, 9, 7, 6, 8, 7, 9, 8, 6)]
    second = [Fraction(v) for v in (4, 6, 5, 5, 7, 4, 6, 5, 3, 6)]

    def variance(xs: list[Fraction]) -> Fraction:
        m = sum(xs, Fraction(0)) / len(xs)
        return sum(((x - m) * (x - m) for x in xs), Fraction(0)) / (len(xs) - 1)

    v1, v2 = variance(first) / len(first), variance(second) / len(second)
    df = (v1 + v2) ** 2 / (v1**2 / (len(first) - 1) + v2**2 / (len(second) - 1))
    d = welch_interval([float(x) for x in first], [float(x) for x in second])
    assert d.standard_error == pytest.approx(math.sqrt(v1 + v2), rel=1e-12)
    assert d.df == pytest.approx(float(df), rel=1e-12)
    assert d.difference == pytest.approx(float(sum(first) / len(first) - sum(second) / len(second)))
    for end in (d.low, d.high):
        t = abs(end - d.difference) / d.standard_error
        assert 2 * (1 - integrated_cdf(t, d.df)) == pytest.approx(0.05, abs=1e-9)
    assert d.excludes_zero and d.low > 0


def test_it_refuses_what_has_no_interval() -> None:
    with pytest.raises(ValueError, match="at least two"):
        welch_interval([5.0], [4.0, 6.0])
    with pytest.raises(ValueError, match="neither group varies"):
        welch_interval([5.0, 5.0, 5.0], [4.0, 4.0])


moods = st.lists(st.integers(0, 10).map(float), min_size=2, max_size=40)


@given(moods, moods)
def test_welchs_interval_is_symmetric_and_holds_its_difference(a: list[float], b: list[float]) -> None:
    if statistics.variance(a) + statistics.variance(b) == 0:
        return
    forward, backward = welch_interval(a, b), welch_interval(b, a)
    assert forward.low <= forward.difference <= forward.high
    assert forward.low == pytest.approx(-backward.high, abs=1e-9)
    assert forward.df == pytest.approx(backward.df)
    assert min(len(a), len(b)) - 1 - 1e-9 <= forward.df <= len(a) + len(b) - 2 + 1e-9  # Welch's bounds
