"""Sales page queries against an independent raw-SQL computation and hand-worked numbers.

The dataset and its worked numbers are in tests/test_sales_factory.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from data_access.aggregates import refresh_sales_daily
from data_access.db import get_engine
from data_access.models import OrderLine, Product, Retailer
from data_access.queries import sales as q
from data_access.rules import metrics
from data_access.rules.sales_measures import add_measures, breakdown_table, forecast_table, movers, plan_table
from data_access.rules.sales_periods import DateRange, last_year_range
from tests.test_sales_factory import DATA_END, make_sales_db, raw_breakdown

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 16))
RANGES = [
    NOV,
    (dt.date(2025, 1, 1), dt.date(2026, 11, 30)),  # whole months: monthly tables only
    (dt.date(2025, 1, 15), dt.date(2026, 2, 12)),  # edge days on both sides
    (dt.date(2026, 2, 7), dt.date(2026, 2, 16)),  # inside one month
]


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_sales_db(tmp_path_factory.mktemp("sales_queries"))


@pytest.fixture
def session(url: str) -> Iterator[Session]:
    with Session(get_engine(url)) as s:
        yield s


def _dept_id(session: Session, code: str) -> int:
    return int(session.execute(text("SELECT id FROM department WHERE code = :c"), {"c": code}).scalar())


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[["key", "cartons", "amount", "cost"]].copy()
    out["key"] = out["key"].astype(str).replace({"True": "1", "False": "0"})
    return out.sort_values("key", ignore_index=True)


@pytest.mark.parametrize("dimension", q.BREAKDOWNS)
@pytest.mark.parametrize("day_range", RANGES)
@pytest.mark.parametrize("scope", [(None, None), ("D1", "七匹狼"), ("D2", "双喜")])
def test_breakdown_equals_raw_sql(session: Session, url: str, dimension: str, day_range: tuple, scope: tuple) -> None:
    dept = _dept_id(session, scope[0]) if scope[0] else None
    got = q.breakdown(session=session, dimension=dimension, start=day_range[0], end=day_range[1],
                      department_id=dept, brand_family=scope[1])
    raw = raw_breakdown(get_engine(url), dimension, *day_range, department_id=dept, brand_family=scope[1])
    pd.testing.assert_frame_equal(_normalise(got), _normalise(raw), check_dtype=False)


@pytest.mark.parametrize("day_range", RANGES)
def test_totals_and_series_equal_raw_sql(session: Session, url: str, day_range: tuple) -> None:
    raw = raw_breakdown(get_engine(url), "market", *day_range)
    totals = q.range_totals(session=session, start=day_range[0], end=day_range[1])
    assert totals["cartons"] == raw["cartons"].sum()
    assert totals["amount"] == raw["amount"].sum()
    for grain in ("day", "week", "month", "year"):
        series = q.sales_series(session=session, start=day_range[0], end=day_range[1], grain=grain)
        assert series["cartons"].sum() == raw["cartons"].sum(), grain
        assert series["cost"].sum() == raw["cost"].sum(), grain


def test_monthly_series_buckets(session: Session) -> None:
    series = q.sales_series(session=session, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), grain="month")
    assert dict(zip(series["bucket"], series["cartons"], strict=True)) == {
        dt.date(2025, 1, 1): 400.0, dt.date(2025, 2, 1): 100.0, dt.date(2025, 11, 1): 300.0}
    weekly = q.sales_series(session=session, start=NOV[0], end=NOV[1], grain="week")
    # 2026-11-02 is a Monday: lines of the 2nd–5th fall in one week, the 16th in another.
    assert dict(zip(weekly["bucket"], weekly["cartons"], strict=True)) == {
        dt.date(2026, 11, 2): 850.0, dt.date(2026, 11, 16): 25.0}


def test_november_metrics_hand_worked(session: Session) -> None:
    totals = q.range_totals(session=session, start=NOV[0], end=NOV[1])
    assert totals == {"cartons": 875.0, "amount": 192_500.0, "cost": 150_000.0}
    row = add_measures(pd.DataFrame([totals])).iloc[0]
    assert row["cases"] == 3.5
    assert row["per_case_value"] == pytest.approx(55_000.0)
    assert row["average_carton_price"] == pytest.approx(220.0)
    assert row["gross_profit"] == 42_500.0
    assert row["gross_margin"] == pytest.approx(42_500 / 192_500)
    base = last_year_range(DateRange(*NOV), "calendar")
    last_year = q.range_totals(session=session, start=base.start, end=base.end)
    assert metrics.growth(totals["cartons"], last_year["cartons"]) == pytest.approx(875 / 300 - 1)


def test_breakdown_table_shares_and_yoy(session: Session) -> None:
    now = q.breakdown(session=session, dimension="department", start=NOV[0], end=NOV[1])
    then = q.breakdown(session=session, dimension="department", start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 16))
    table = breakdown_table(now, then).set_index("name")
    assert table.loc["城区服务部", "share"] == pytest.approx(525 / 875)
    assert table.loc["城区服务部", "volume_yoy"] == pytest.approx(525 / 50 - 1)  # D1 last year: R1 50 cartons
    assert table.loc["乡镇服务部", "volume_yoy"] == pytest.approx(350 / 250 - 1)
    assert table.loc["乡镇服务部", "per_case_value"] == pytest.approx((25_000 + 25_000 + 15_000) / 1.4)
    assert list(table.index) == ["城区服务部", "乡镇服务部"]  # ranked by volume


def test_structure_hand_worked(session: Session) -> None:
    got = q.structure_totals(session=session, start=NOV[0], end=NOV[1])
    assert got == {"cartons": 875.0, "class12_cartons": 225.0, "provincial_cartons": 475.0,
                   "key_brand_cartons": 425.0}
    mix = q.class_mix_by_month(session=session, start=NOV[0], end=NOV[1])
    assert dict(zip(mix["price_class"], mix["cartons"], strict=True)) == {1: 175.0, 2: 50.0, 3: 250.0, 4: 400.0}


def test_plan_completion_hand_worked(session: Session) -> None:
    month = dt.date(2026, 11, 1)
    progress = metrics.time_progress(month, dt.date(2026, 11, 30), DATA_END)
    assert progress == pytest.approx(11 / 21)
    plans = q.department_plan_progress(session=session, start=NOV[0], end=NOV[1], first_month=month, last_month=month)
    table = plan_table(plans, progress).set_index("code")
    assert table.loc["D1", "completion"] == pytest.approx(2.1 / 3.0)
    assert table.loc["D2", "completion"] == pytest.approx(1.4 / 2.0)
    assert table.loc["D1", "shortfall_cases"] == pytest.approx(0.9)
    assert table.loc["D2", "shortfall_cases"] == pytest.approx(0.6)
    assert not table["behind"].any()
    behind = plan_table(plans, 0.75).set_index("code")  # later in the month, same sales: behind
    assert behind["behind"].all()
    brands = q.brand_plan_progress(session=session, start=NOV[0], end=NOV[1], first_month=month, last_month=month)
    assert brands.to_dict("records") == [{"brand_family": "七匹狼", "planned_cases": 2.0, "cartons": 425.0}]
    d2 = q.brand_plan_progress(session=session, start=NOV[0], end=NOV[1], first_month=month, last_month=month,
                               department_id=_dept_id(session, "D2"))
    assert d2.to_dict("records") == [{"brand_family": "七匹狼", "planned_cases": 0.5, "cartons": 50.0}]


def test_movers(session: Session) -> None:
    base = (dt.date(2025, 11, 1), dt.date(2025, 11, 16))
    now = q.breakdown(session=session, dimension="brand", start=NOV[0], end=NOV[1])
    then = q.breakdown(session=session, dimension="brand", start=base[0], end=base[1])
    moves = movers(now, then).set_index("key")
    assert moves.loc["七匹狼", "change_cases"] == pytest.approx((425 - 50) / 250)
    assert moves.loc["双喜", "change_cases"] == pytest.approx((450 - 250) / 250)
    retailers = q.retailer_changes(session=session, start=NOV[0], end=NOV[1], base_start=base[0], base_end=base[1])
    changes = dict(zip(retailers["customer_code"], retailers["change"], strict=True))
    assert changes == {"R1": 200.0, "R2": 275.0, "R3": -200.0, "R4": 300.0}
    top = retailers.iloc[0]
    assert (top["customer_code"], top["manager"]) == ("R4", "李娜")


def test_forecast_accuracy_hand_worked(session: Session) -> None:
    frame = q.forecast_vs_actual(session=session, first_month=dt.date(2026, 10, 1), last_month=dt.date(2026, 11, 1),
                                 end=DATA_END)
    table = forecast_table(frame).set_index(["month", "brand_family"])["accuracy"]
    assert table[(dt.date(2026, 11, 1), "七匹狼")] == pytest.approx(1 - 0.3 / 1.7)
    assert table[(dt.date(2026, 11, 1), "双喜")] == pytest.approx(1 - 0.2 / 1.8)
    assert table[(dt.date(2026, 10, 1), "七匹狼")] == pytest.approx(0.8)


def test_spring_festival_alignment(session: Session) -> None:
    """2026's festival is 17 Feb, 2025's 29 Jan: the ten days before each are compared."""
    window = DateRange(dt.date(2026, 2, 7), dt.date(2026, 2, 16))
    festival = last_year_range(window, "festival")
    calendar = last_year_range(window, "calendar")
    assert (festival.start, festival.end) == (dt.date(2025, 1, 19), dt.date(2025, 1, 28))
    assert (calendar.start, calendar.end) == (dt.date(2025, 2, 7), dt.date(2025, 2, 16))
    now = q.range_totals(session=session, start=window.start, end=window.end)["cartons"]
    by_festival = q.range_totals(session=session, start=festival.start, end=festival.end)["cartons"]
    by_calendar = q.range_totals(session=session, start=calendar.start, end=calendar.end)["cartons"]
    assert metrics.growth(now, by_festival) == pytest.approx(0.25)
    assert metrics.growth(now, by_calendar) == pytest.approx(4.0)
    # The series shifted by the festival gap lands last year's pre-festival rush on this year's calendar.
    shifted = q.sales_series(session=session, start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 28), grain="day",
                             shift_days=(dt.date(2026, 2, 17) - dt.date(2025, 1, 29)).days)
    assert dict(zip(shifted["bucket"], shifted["cartons"], strict=True)) == {
        dt.date(2026, 2, 8): 400.0, dt.date(2026, 3, 1): 100.0}


AGGREGATE_CHECKS = {
    "sales_daily": ("sale_date", "cm.department_id, r.manager_id, ol.product_id",
                    "department_id, manager_id, product_id"),
    "sales_monthly": ("month", "cm.department_id, r.manager_id, ol.product_id", "department_id, manager_id, product_id"),
    "sales_segment_daily": ("sale_date", "cm.department_id, p.brand_family, r.business_format, r.market_type",
                            "department_id, brand_family, business_format, market_type"),
    "sales_segment_monthly": ("month", "cm.department_id, p.brand_family, r.business_format, r.market_type",
                              "department_id, brand_family, business_format, market_type"),
    "sales_retailer_daily": ("sale_date", "ol.retailer_id, cm.department_id", "retailer_id, department_id"),
    "sales_retailer_monthly": ("month", "ol.retailer_id, cm.department_id", "retailer_id, department_id"),
    "sales_brand_daily": ("sale_date", "cm.department_id, p.brand_family", "department_id, brand_family"),
}


def assert_aggregates_equal_raw(url: str) -> None:
    """Every sales aggregate equals the order lines grouped the same way (exact sums)."""
    engine = get_engine(url)
    for table, (date_column, raw_dims, dims) in AGGREGATE_CHECKS.items():
        period = "ol.order_date" if date_column == "sale_date" else "date(ol.order_date, 'start of month')"
        raw_sql = f"""SELECT {period} AS d, {raw_dims}, SUM(ol.cartons) AS cartons, SUM(ol.amount) AS amount,
                             SUM(ol.cost) AS cost
                      FROM order_line ol JOIN retailer r ON r.id = ol.retailer_id
                      JOIN customer_manager cm ON cm.id = r.manager_id JOIN product p ON p.id = ol.product_id
                      GROUP BY {period}, {raw_dims}"""
        agg_sql = f"SELECT {date_column} AS d, {dims}, cartons, amount, cost FROM {table}"
        with engine.connect() as conn:
            raw = pd.read_sql(text(raw_sql), conn)
            agg = pd.read_sql(text(agg_sql), conn)
        raw.columns = agg.columns
        keys = list(agg.columns[:-3])
        pd.testing.assert_frame_equal(
            agg.sort_values(keys, ignore_index=True), raw.sort_values(keys, ignore_index=True), check_dtype=False,
            obj=table,
        )
    # The terminal ranking's per-retailer sums split key-brand cartons out (models_terminals.py).
    raw_sql = """SELECT ol.order_date AS d, ol.retailer_id, SUM(ol.cartons) AS cartons,
                        SUM(CASE WHEN p.is_key_brand THEN ol.cartons ELSE 0 END) AS key_cartons,
                        SUM(ol.amount) AS amount
                 FROM order_line ol JOIN product p ON p.id = ol.product_id GROUP BY ol.order_date, ol.retailer_id"""
    agg_sql = "SELECT sale_date AS d, retailer_id, cartons, key_cartons, amount FROM terminal_sales_daily"
    with engine.connect() as conn:
        raw = pd.read_sql(text(raw_sql), conn)
        agg = pd.read_sql(text(agg_sql), conn)
    assert len(agg) > 0
    pd.testing.assert_frame_equal(
        agg.sort_values(["d", "retailer_id"], ignore_index=True), raw.sort_values(["d", "retailer_id"], ignore_index=True),
        check_dtype=False, obj="terminal_sales_daily",
    )


def test_aggregates_equal_raw_lines_after_build_and_partial_refresh(tmp_path) -> None:
    url = make_sales_db(tmp_path)
    assert_aggregates_equal_raw(url)
    engine = get_engine(url)
    with Session(engine) as session:
        r3 = session.exec(select(Retailer).where(Retailer.customer_code == "R3")).one()
        p2 = session.exec(select(Product).where(Product.code == "P2")).one()
        line = session.exec(select(OrderLine).where(OrderLine.order_date == dt.date(2026, 11, 2),
                                                    OrderLine.product_id == p2.id - 1)).one()  # R1's 100 of P1
        line.cartons, line.amount = 10.0, 1000.0  # a correction
        session.add(OrderLine(order_date=dt.date(2026, 11, 17), retailer_id=r3.id, product_id=p2.id,
                              cartons=30, amount=6000, cost=4800))  # a new day
        session.flush()
        refresh_sales_daily(session, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 17))
        session.commit()
    assert_aggregates_equal_raw(url)
    with Session(engine) as session:
        totals = q.range_totals(session=session, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    assert totals["cartons"] == 875 - 100 + 10 + 30


def test_split_range() -> None:
    months, edges = q.split_range(dt.date(2025, 1, 15), dt.date(2025, 4, 10))
    assert months == (dt.date(2025, 2, 1), dt.date(2025, 3, 1))
    assert edges == [(dt.date(2025, 1, 15), dt.date(2025, 1, 31)), (dt.date(2025, 4, 1), dt.date(2025, 4, 10))]
    assert q.split_range(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == ((dt.date(2025, 1, 1), dt.date(2025, 12, 1)), [])
    assert q.split_range(dt.date(2025, 1, 3), dt.date(2025, 1, 20)) == (None, [(dt.date(2025, 1, 3), dt.date(2025, 1, 20))])


def test_backfill_rebuilds_an_empty_aggregate(tmp_path) -> None:
    from data_access.aggregates import backfill_missing_aggregates

    url = make_sales_db(tmp_path)
    engine = get_engine(url)
    with engine.begin() as conn:
        assert backfill_missing_aggregates(conn) == []  # complete: nothing to do
        conn.execute(text("DELETE FROM sales_brand_daily"))  # as in a file made before the table existed
        conn.execute(text("DELETE FROM sales_monthly"))
        conn.execute(text("DELETE FROM terminal_sales_daily"))
        assert backfill_missing_aggregates(conn) == ["terminal_sales_daily", "sales_brand_daily", "sales_monthly"]
    assert_aggregates_equal_raw(url)
