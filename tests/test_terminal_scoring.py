"""Pure terminal scoring rules (DOMAIN.md §6) on hand-worked examples."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from data_access.rules import terminal_scoring as scoring

M = dt.date(2026, 10, 1)


def points(rows: list[tuple[int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame([(r, M, part, value) for r, part, value in rows],
                        columns=["retailer_id", "month", "part_code", "points"])


def test_rubric_totals_follow_the_configured_parts_and_points() -> None:
    rubric = scoring.rubric_from_config({"name": "三项", "parts": [
        {"code": "shelf", "name_zh": "货架", "name_en": "Shelf", "points": 30},
        {"code": "price", "points": 30},
        {"code": "clean", "points": 40},
    ]})
    assert rubric.max_points == 100
    frame = scoring.display_scores(points([
        (1, "shelf", 30), (1, "price", 15), (1, "clean", 40),  # 85
        (2, "shelf", 45), (2, "price", 30),                       # shelf capped at 30, clean missing → 60
        (3, "shelf", 10), (3, "old_part", 50),                    # old part ignored → 10
    ]), rubric).set_index("retailer_id")
    assert frame["display_points"].to_dict() == {1: 85, 2: 60, 3: 10}
    assert frame.loc[2, ["shelf", "price", "clean"]].tolist() == [30, 30, 0]


def test_display_score_is_scaled_to_100_when_the_rubric_is_not() -> None:
    rubric = scoring.rubric_from_config({"parts": [{"code": "a", "points": 10}, {"code": "b", "points": 15}]})
    frame = scoring.display_scores(points([(1, "a", 10), (1, "b", 5)]), rubric)
    assert frame.loc[0, "display_points"] == 15
    assert frame.loc[0, "display_score"] == pytest.approx(60.0)  # 15 of 25


@pytest.mark.parametrize("bad", [{"parts": []}, {"parts": [{"code": "a", "points": 0}]},
                                 {"parts": [{"code": "a", "points": 5}, {"code": "a", "points": 5}]}])
def test_invalid_rubric_is_refused_with_a_reason(bad: dict) -> None:
    with pytest.raises(ValueError):
        scoring.rubric_from_config(bad)


def test_pos_accuracy_from_reconciliation_numbers() -> None:
    keys = pd.DataFrame({"retailer_id": [1, 2, 3, 4, 5], "month": [M] * 5})
    reconciliation = pd.DataFrame([
        (1, M, 30, 120, 50, 85),    # sold 100, 85 valid → 85%
        (2, M, 0, 100, 20, 95),     # sold 80, 95 valid → 118.75% capped at 100%
        (3, M, 40, 0, 40, 0),       # nothing sold → 0, flagged
        (5, M, 10, 10, 30, 0),      # stock grew more than delivered (negative sales) → 0, flagged
    ], columns=["retailer_id", "month", "opening_stock", "delivered", "closing_stock", "scanned_valid"])
    frame = scoring.pos_scores(keys, reconciliation).set_index("retailer_id")
    assert frame["pos_accuracy"].to_dict() == pytest.approx({1: 0.85, 2: 1.0, 3: 0.0, 4: 0.0, 5: 0.0})
    assert frame["pos_score"].to_dict() == pytest.approx({1: 85.0, 2: 100.0, 3: 0.0, 4: 0.0, 5: 0.0})
    assert frame["pos_status"].to_dict() == {1: "ok", 2: "ok", 3: "no_sales", 4: "missing", 5: "no_sales"}
    assert frame.loc[2, "cartons_sold"] == 80


def test_brand_cultivation_combines_relative_share_and_growth() -> None:
    keys = pd.DataFrame({"retailer_id": [1, 2, 3, 4], "month": [M] * 4, "department_id": [9] * 4})
    sales = pd.DataFrame([(1, M, 100, 30), (2, M, 100, 60), (3, M, 200, 10), (4, M, 0, 0)],
                         columns=["retailer_id", "month", "cartons", "key_cartons"])
    department = pd.DataFrame([(9, M, 1000, 300)], columns=["department_id", "month", "cartons", "key_cartons"])
    last_year = pd.DataFrame([(1, M, 30), (2, M, 40), (3, M, 20)], columns=["retailer_id", "month", "key_cartons"])
    frame = scoring.brand_cultivation_scores(keys, sales, department, last_year).set_index("retailer_id")
    # 1: share 30% = department's 30% → 35; flat → 15; total 50
    # 2: share 60% = twice the department → 70; +50% → capped 30; total 100
    # 3: share 5% → relative 1/6 → 70/12 = 5.833; −50% → 0; total 5.833
    # 4: no sales now or last year → 0 + 15
    assert frame["share_points"].to_dict() == pytest.approx({1: 35, 2: 70, 3: 70 / 12, 4: 0})
    assert frame["growth_points"].to_dict() == pytest.approx({1: 15, 2: 30, 3: 0, 4: 15})
    assert frame["brand_cultivation"].to_dict() == pytest.approx({1: 50, 2: 100, 3: 70 / 12, 4: 15})


def test_growth_points_are_linear_between_minus_and_plus_25_percent() -> None:
    keys = pd.DataFrame({"retailer_id": [1, 2], "month": [M, M], "department_id": [9, 9]})
    sales = pd.DataFrame([(1, M, 100, 110), (2, M, 100, 50)], columns=["retailer_id", "month", "cartons", "key_cartons"])
    department = pd.DataFrame([(9, M, 200, 160)], columns=["department_id", "month", "cartons", "key_cartons"])
    last_year = pd.DataFrame([(1, M, 100)], columns=["retailer_id", "month", "key_cartons"])
    frame = scoring.brand_cultivation_scores(keys, sales, department, last_year).set_index("retailer_id")
    assert frame.loc[1, "growth_points"] == pytest.approx(21.0)  # +10% → 30 × (0.5 + 0.2)
    assert frame.loc[2, "growth_points"] == pytest.approx(30.0)  # new key-brand sales


def test_weights_are_normalised_and_checked() -> None:
    weights = scoring.Weights(5, 3, 2).normalised()
    assert (weights.display, weights.pos_accuracy, weights.brand_cultivation) == pytest.approx((0.5, 0.3, 0.2))
    with pytest.raises(ValueError):
        scoring.Weights(0, 0, 0).normalised()
    with pytest.raises(ValueError):
        scoring.Weights(-1, 1, 1).normalised()


def test_ties_on_composite_break_on_display_score() -> None:
    frame = pd.DataFrame({
        "business_format": ["grocery"] * 4 + ["supermarket"],
        "display_score": [60.0, 80.0, 80.0, 90.0, 10.0],
        "pos_score": [100.0, 60.0, 60.0, 0.0, 0.0],
        "brand_cultivation": [0.0] * 5,
    })
    frame["composite"] = scoring.composite_score(frame, scoring.Weights(0.5, 0.5, 0))
    # composites: 80, 70, 70, 45 — float noise (0.1 + 0.2 style) must not split the 70s
    frame.loc[1, "composite"] += 1e-12
    assert scoring.rank_within_format(frame).tolist() == [1, 2, 2, 4, 1]
    frame.loc[0, "composite"] = 70.0  # now three at 70: display 80 beats 60
    assert scoring.rank_within_format(frame).tolist() == [3, 1, 1, 4, 1]


def test_group_sizes() -> None:
    assert [scoring.group_size(n) for n in (1, 10, 11, 35, 250)] == [1, 1, 2, 4, 10]
    frame = pd.DataFrame({"business_format": ["a"] * 3 + ["b"], "rank": [1, 2, 3, 1]})
    assert scoring.mark_groups(frame).tolist() == ["top", "middle", "bottom", "top"]


def test_stock_indicators_and_warnings() -> None:
    opening, closing, sold = pd.Series([100.0, 300.0, 10.0]), pd.Series([50.0, 450.0, 5.0]), pd.Series([200.0, 200.0, 0.0])
    ratio = scoring.stock_to_sales_ratio(closing, sold)
    turnover = scoring.inventory_turnover(opening, closing, sold)
    assert ratio.tolist()[:2] == pytest.approx([0.25, 2.25])
    assert math.isnan(ratio.iloc[2])
    assert turnover.tolist()[:2] == pytest.approx([200 / 75, 200 / 375])
    cases = [(20, 100), (25, 100), (100, 100), (225, 100), (40, 0), (0, 0)]
    assert [scoring.stock_warning(c, s) for c, s in cases] == ["low", None, None, "high", "high", None]


def test_the_rubric_name_shows_in_one_language() -> None:
    # The default rubric's name was shown whole on the Chinese page: "五维陈列评分 / five-part display rubric".
    parts = [{"code": "shelf", "points": 20}]
    both = scoring.rubric_from_config({"name": "五维陈列评分 / five-part display rubric", "parts": parts})
    assert both.title("zh") == "五维陈列评分" and both.title("en") == "five-part display rubric"
    named = scoring.rubric_from_config({"name_zh": "三项", "name_en": "Three parts", "parts": parts})
    assert named.title("zh") == "三项" and named.title("en") == "Three parts"
    plain = scoring.rubric_from_config({"name": "陈列", "parts": parts})
    assert plain.title("zh") == plain.title("en") == "陈列"
