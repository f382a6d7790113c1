"""The house number style: one decimal for cases and percentages, pp differences, no "-0.0"."""

from __future__ import annotations

import math

import pytest

from components.formatting import fmt_cases, fmt_delta_pct, fmt_number, fmt_pct, fmt_pp, fmt_signed
from components.i18n import set_language


@pytest.fixture(autouse=True)
def _chinese() -> None:
    set_language("zh")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.034, "3.4%"), (-0.2564, "-25.6%"), (-0.0004, "0.0%"), (1.0, "100.0%"), (None, "—"), (math.nan, "—")],
)
def test_percentages_one_decimal_never_minus_zero(value: float | None, expected: str) -> None:
    assert fmt_pct(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.034, "+3.4%"), (-0.034, "-3.4%"), (-0.0004, "0.0%"), (0.0004, "0.0%"), (math.nan, None)],
)
def test_metric_deltas_are_signed_except_zero(value: float, expected: str | None) -> None:
    assert fmt_delta_pct(value) == expected


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (0.012, "+1.2 个百分点", "+1.2 pp"),
        (-0.009, "-0.9 个百分点", "-0.9 pp"),
        (-0.0003, "0.0 个百分点", "0.0 pp"),
        (None, "—", "—"),
    ],
)
def test_percentage_point_differences_in_both_languages(value: float | None, zh: str, en: str) -> None:
    assert fmt_pp(value) == zh
    set_language("en")
    assert fmt_pp(value) == en


def test_cases_one_decimal_with_thousands_separator() -> None:
    assert fmt_cases(6878.06) == "6,878.1 箱"
    assert fmt_cases(-0.01) == "0.0 箱"
    assert fmt_number(253595.93, 1) == "253,595.9"
    assert fmt_signed(-0.04) == "0.0"
    assert fmt_signed(2.26) == "+2.3"


def test_lists_are_joined_in_the_ui_language(monkeypatch) -> None:
    from components import formatting

    monkeypatch.setattr(formatting, "get_language", lambda: "zh")
    assert formatting.join_list(["显眼度", "整洁度"]) == "显眼度、整洁度"
    monkeypatch.setattr(formatting, "get_language", lambda: "en")
    assert formatting.join_list(["Visibility", "Tidiness"]) == "Visibility, Tidiness"
    assert formatting.join_list([]) == ""


def test_percent_values_for_grid_columns_have_one_decimal_and_no_negative_zero() -> None:
    import pandas as pd

    from components.formatting import percent_values

    # -0.0004 is -0.04 %: one decimal gives 0.0, without the sign that "%+.1f%%" would print.
    values = percent_values(pd.Series([0.2565, -0.0004, 0.034, float("nan")]))
    assert values.iloc[:3].tolist() == [25.6, 0.0, 3.4]  # 25.65 is 25.649999… in binary
    assert str(values.iloc[1]) == "0.0" and values.isna().iloc[3]
