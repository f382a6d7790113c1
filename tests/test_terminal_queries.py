"""Terminal ranking queries and scores on a hand-built county, numbers worked on paper.

``build_terminal_county`` (also used by the page tests) holds six modern terminals:

Department D1 (manager M1 张伟): T1, T2, T3 supermarkets; O1 an ordinary grocery;
C1 a closed modern supermarket (must not be ranked).
Department D2 (manager M2 李娜): T4 supermarket (not inspected in October, last on
2026-08-15), T5 convenience, T6 convenience shop-in-shop.
SKUs: K1 key brand ¥200/carton, N1 ordinary ¥100/carton.

October 2026 (default rubric: five parts of 20 points; default weights 0.5/0.3/0.2):

  terminal  parts               display  POS (sold, valid)        key/all  LY key  brand    composite  rank
  T1        18 17 16 15 14 (+5   80      200, 180 → 90%           60/100   50      70+27=97   86.4     1
            on a retired part)
  T2        20 20 18 16 16       90      150, 165 → 100% capped   20/100   25      28+3=31    81.2     2
  T3        16 ×5                80      no row → 0%, missing     40/100   40      56+15=71   54.2     3
  T5        10 ×5                50      sold 0 → 0%, no_sales    30/100   30      52.5+15    38.5     2
  T6        20 20 20 20 25(cap)  100     80, 60 → 75%             10/100    0      17.5+30    82.0     1

Department key-brand shares: D1 200/800 = 25% (T1–T3 plus O1 80/500), D2 80/400 = 20%.
September 2026 (no sales: brand cultivation 0 + 15 = 15 for everyone): T1 100/100% → 83,
T3 80/80% → 67, T2 60/50% → 48; T5 and T6 both 75/100% → 70.5, tied on display too, so
both rank 1. Rank change in October: T1 0, T2 +1, T3 −1, T6 0, T5 −1.
Sales end on 2026-10-12 (so the app's default month is October 2026, still partial, and the
page compares it with 1–12 October 2025: T1's 30 cartons of 20 October 2025 drop out); T1
has two visits (2 and 9 October, 12 and 8 minutes) and two archive photo rows whose files
do not exist (the page names the missing file).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.access.permissions import EVERYTHING
from data_access.aggregates import refresh_sales_daily
from data_access.config import default
from data_access.db import bump_data_version, create_schema, get_engine
from data_access.models import (
    CustomerManager,
    Department,
    InspectionScore,
    Order,
    OrderLine,
    PosReconciliation,
    Product,
    Retailer,
    TerminalInspection,
    TerminalPhoto,
    Visit,
)
from data_access.queries import terminals as queries
from data_access.rules import terminal_scoring as scoring

OCT, SEP = dt.date(2026, 10, 1), dt.date(2026, 9, 1)
PARTS = ("visibility", "tidiness", "richness", "conformity", "persistence")

# code: (format, market, level, manager, status)
RETAILERS = {
    "T1": ("supermarket", "urban", "modern", "M1", "active"),
    "T2": ("supermarket", "urban", "modern", "M1", "active"),
    "T3": ("supermarket", "rural", "modern", "M1", "active"),
    "T4": ("supermarket", "urban", "modern", "M2", "active"),
    "T5": ("convenience", "rural", "modern", "M2", "active"),
    "T6": ("convenience", "urban", "shop_in_shop", "M2", "active"),
    "O1": ("grocery", "urban", "ordinary", "M1", "active"),
    "C1": ("supermarket", "urban", "modern", "M1", "closed"),
}
# (day, retailer, sku, cartons)
ORDER_LINES = [
    *((dt.date(2026, 10, 12), code, "K1", k) for code, k in
      (("T1", 60), ("T2", 20), ("T3", 40), ("O1", 80), ("T5", 30), ("T6", 10), ("T4", 40))),
    *((dt.date(2026, 10, 12), code, "N1", n) for code, n in
      (("T1", 40), ("T2", 80), ("T3", 60), ("O1", 420), ("T5", 70), ("T6", 90), ("T4", 160))),
    *((dt.date(2025, 10, 6), code, "K1", k) for code, k in (("T1", 50), ("T2", 25), ("T3", 40), ("T5", 30))),
    *((dt.date(2025, 10, 6), code, "N1", n) for code, n in
      (("T1", 50), ("T2", 100), ("T3", 40), ("T5", 50), ("T6", 100))),
    # After 12 October last year: outside the like-for-like window of the partial October 2026.
    (dt.date(2025, 10, 20), "T1", "N1", 30),
]
# (month, inspected_on, retailer, part points in rubric order, extra parts)
INSPECTIONS = [
    (OCT, dt.date(2026, 10, 15), "T1", (18, 17, 16, 15, 14), {"legacy_bonus": 5}),
    (OCT, dt.date(2026, 10, 15), "T2", (20, 20, 18, 16, 16), {}),
    (OCT, dt.date(2026, 10, 16), "T3", (16, 16, 16, 16, 16), {}),
    (OCT, dt.date(2026, 10, 16), "T5", (10, 10, 10, 10, 10), {}),
    (OCT, dt.date(2026, 10, 17), "T6", (20, 20, 20, 20, 25), {}),
    (OCT, dt.date(2026, 10, 17), "C1", (20, 20, 20, 20, 20), {}),
    (SEP, dt.date(2026, 9, 15), "T1", (20, 20, 20, 20, 20), {}),
    (SEP, dt.date(2026, 9, 15), "T2", (12, 12, 12, 12, 12), {}),
    (SEP, dt.date(2026, 9, 15), "T3", (16, 16, 16, 16, 16), {}),
    (SEP, dt.date(2026, 9, 16), "T5", (15, 15, 15, 15, 15), {}),
    (SEP, dt.date(2026, 9, 16), "T6", (15, 15, 15, 15, 15), {}),
    (dt.date(2026, 8, 1), dt.date(2026, 8, 15), "T4", (20, 20, 20, 20, 20), {}),
]
# (month, retailer, opening, delivered, closing, scanned, scanned_valid)
RECONCILIATIONS = [
    (OCT, "T1", 100, 200, 100, 185, 180),
    (OCT, "T2", 50, 150, 50, 170, 165),
    (OCT, "T5", 40, 0, 40, 0, 0),
    (OCT, "T6", 20, 80, 20, 62, 60),
    (SEP, "T1", 0, 100, 0, 100, 100),
    (SEP, "T2", 0, 100, 0, 55, 50),
    (SEP, "T3", 0, 100, 0, 80, 80),
    (SEP, "T5", 0, 100, 0, 100, 100),
    (SEP, "T6", 0, 100, 0, 100, 100),
]


def build_terminal_county(engine: Engine) -> None:
    """Write the county of the module docstring into an empty database."""
    create_schema(engine)
    with Session(engine) as session:
        d1 = Department(code="D1", name="城区服务部", name_en="City", sort_order=1)
        d2 = Department(code="D2", name="乡镇服务部", name_en="Towns", sort_order=2)
        session.add_all([d1, d2])
        session.flush()
        managers = {
            "M1": CustomerManager(code="M1", name="张伟", department_id=d1.id, grade="senior"),
            "M2": CustomerManager(code="M2", name="李娜", department_id=d2.id, grade="junior"),
        }
        session.add_all(managers.values())
        session.flush()
        retailers = {}
        for number, (code, (fmt, market, level, manager, status)) in enumerate(RETAILERS.items(), start=1):
            retailers[code] = Retailer(
                licence_no=f"35080210{number:04d}", customer_code=code, shop_name=f"{code}号店",
                owner_name=f"店主{code}", address=f"城区路{number}号", town="东城", longitude=117.0 + number / 100,
                latitude=25.0, business_format=fmt, market_type=market, tier=20, star_rating=4,
                terminal_level=level, has_pos=level != "ordinary", status=status,
                manager_id=managers[manager].id, visit_cycle_days=7, upgraded_on=dt.date(2024, 5, 1),
            )
        products = {
            "K1": Product(code="K1", name="七匹狼(软蓝)", brand_family="七匹狼", price_class=2, wholesale_price=200,
                          cost_price=160, retail_price=240, is_key_brand=True),
            "N1": Product(code="N1", name="双喜(硬)", brand_family="双喜", price_class=4, wholesale_price=100,
                          cost_price=80, retail_price=120),
        }
        session.add_all([*retailers.values(), *products.values()])
        session.flush()
        for day, code in sorted({(day, code) for day, code, _, _ in ORDER_LINES}):
            session.add(Order(order_date=day, retailer_id=retailers[code].id))
        for day, code, sku, cartons in ORDER_LINES:
            price = products[sku]
            session.add(OrderLine(order_date=day, retailer_id=retailers[code].id, product_id=price.id,
                                  cartons=cartons, amount=cartons * price.wholesale_price,
                                  cost=cartons * price.cost_price))
        for month, day, code, points, extra in INSPECTIONS:
            inspection = TerminalInspection(month=month, retailer_id=retailers[code].id, inspected_on=day,
                                            inspector_id=managers[RETAILERS[code][3]].id)
            session.add(inspection)
            session.flush()
            for part, value in [*zip(PARTS, points, strict=True), *extra.items()]:
                session.add(InspectionScore(inspection_id=inspection.id, part_code=part, points=value))
        for month, code, opening, delivered, closing, scanned, valid in RECONCILIATIONS:
            session.add(PosReconciliation(month=month, retailer_id=retailers[code].id, opening_stock=opening,
                                          delivered=delivered, closing_stock=closing, scanned=scanned,
                                          scanned_valid=valid))
        t1 = retailers["T1"].id
        session.add_all([
            TerminalPhoto(retailer_id=t1, taken_on=dt.date(2024, 5, 1), kind="storefront", path="t1/front.png"),
            TerminalPhoto(retailer_id=t1, taken_on=dt.date(2026, 10, 15), kind="display", path="t1/display.png"),
            Visit(manager_id=managers["M1"].id, retailer_id=t1, visit_date=dt.date(2026, 10, 2),
                  sign_in_at=dt.datetime(2026, 10, 2, 9, 0), sign_in_lon=117.01, sign_in_lat=25.0,
                  sign_out_at=dt.datetime(2026, 10, 2, 9, 12)),
            Visit(manager_id=managers["M1"].id, retailer_id=t1, visit_date=dt.date(2026, 10, 9),
                  sign_in_at=dt.datetime(2026, 10, 9, 14, 30), sign_in_lon=117.01, sign_in_lat=25.0,
                  sign_out_at=dt.datetime(2026, 10, 9, 14, 38)),
        ])
        session.flush()
        refresh_sales_daily(session)
        bump_data_version(session, "sales", "master", "terminals", "visits")
        session.commit()


@pytest.fixture(scope="module")
def terminal_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('terminals') / 'terminals.sqlite'}"
    build_terminal_county(get_engine(url))
    return url


def october_ranking(url: str, weights: scoring.Weights | None = None) -> pd.DataFrame:
    with Session(get_engine(url)) as session:
        inputs = queries.ranking_inputs(session=session, month=OCT)
    return scoring.terminal_ranking(
        inputs, month=OCT, previous_month=SEP, rubric=scoring.rubric_from_config(default("display_rubric")),
        weights=weights or scoring.Weights.from_config(default("terminal_weights")),
    ).set_index("customer_code")


def test_only_ranked_modern_terminals_are_listed(terminal_db_url: str) -> None:
    with Session(get_engine(terminal_db_url)) as session:
        frame = queries.modern_terminals(session=session)
    assert sorted(frame["customer_code"]) == ["T1", "T2", "T3", "T4", "T5", "T6"]  # no O1 (ordinary), no C1 (closed)
    assert frame.set_index("customer_code").loc["T5", "manager"] == "李娜"


def test_monthly_sums_per_terminal_and_department(terminal_db_url: str) -> None:
    with Session(get_engine(terminal_db_url)) as session:
        sales = queries.terminal_sales(session=session, months=(OCT, dt.date(2025, 10, 1)))
        departments = queries.department_sales(session=session, first_month=OCT, last_month=OCT)
        last = queries.last_inspections(session=session, last_month=OCT)
    t1 = sales[sales["retailer_id"] == 1].set_index("month")
    assert t1.loc[OCT, ["cartons", "key_cartons", "amount"]].tolist() == [100, 60, 60 * 200 + 40 * 100]
    assert t1.loc[dt.date(2025, 10, 1), ["cartons", "key_cartons"]].tolist() == [130, 50]
    assert departments.sort_values("department_id")[["cartons", "key_cartons"]].values.tolist() == [
        [800, 200], [400, 80]
    ]
    assert last.set_index("retailer_id").loc[4, "last_inspected_on"] == dt.date(2026, 8, 15)


def test_partial_month_compares_last_year_to_the_same_day(terminal_db_url: str) -> None:
    with Session(get_engine(terminal_db_url)) as session:
        sales = queries.terminal_sales(session=session, months=(OCT, dt.date(2025, 10, 1)),
                                       data_end=dt.date(2026, 10, 12))
        one = queries.terminal_sales(session=session, months=(OCT, dt.date(2025, 10, 1)), retailer_id=1,
                                     data_end=dt.date(2026, 10, 12))
        full = queries.terminal_sales(session=session, months=(OCT, dt.date(2025, 10, 1)),
                                      data_end=dt.date(2026, 10, 31))
    for frame, expected in ((sales, 100), (one, 100), (full, 130)):  # the 30 cartons of 20 Oct 2025
        t1 = frame[frame["retailer_id"] == 1].set_index("month")
        assert t1.loc[dt.date(2025, 10, 1), "cartons"] == expected


def test_october_ranking_matches_hand_worked_scores(terminal_db_url: str) -> None:
    ranking = october_ranking(terminal_db_url)
    assert sorted(ranking.index) == ["T1", "T2", "T3", "T5", "T6"]
    expected = {  # display, POS %, brand cultivation, composite, rank, status
        "T1": (80, 90, 97, 86.4, 1, "ok"),
        "T2": (90, 100, 31, 81.2, 2, "ok"),
        "T3": (80, 0, 71, 54.2, 3, "missing"),
        "T5": (50, 0, 67.5, 38.5, 2, "no_sales"),
        "T6": (100, 75, 47.5, 82.0, 1, "ok"),
    }
    for code, (display, pos, brand, composite, rank, status) in expected.items():
        row = ranking.loc[code]
        assert row["display_score"] == pytest.approx(display), code
        assert row["pos_score"] == pytest.approx(pos), code
        assert row["brand_cultivation"] == pytest.approx(brand), code
        assert row["composite"] == pytest.approx(composite), code
        assert row["rank"] == rank, code
        assert row["pos_status"] == status, code
    assert "legacy_bonus" not in ranking.columns  # a part no longer in the rubric does not count
    assert ranking.loc["T1", ["visibility", "persistence"]].tolist() == [18, 14]
    assert ranking.loc["T3", "sales_growth"] == pytest.approx(0.25)  # 100 cartons against 80
    assert ranking.loc["T1", "sales_growth"] == pytest.approx(100 / 130 - 1)  # whole October last year


def test_rank_change_since_previous_month(terminal_db_url: str) -> None:
    ranking = october_ranking(terminal_db_url)
    assert ranking["previous_rank"].to_dict() == {"T1": 1, "T2": 3, "T3": 2, "T5": 1, "T6": 1}
    assert ranking["rank_change"].to_dict() == {"T1": 0, "T2": 1, "T3": -1, "T5": -1, "T6": 0}


def test_top_and_bottom_groups_per_format(terminal_db_url: str) -> None:
    ranking = october_ranking(terminal_db_url)
    assert ranking["group"].to_dict() == {"T1": "top", "T2": "middle", "T3": "bottom", "T6": "top", "T5": "bottom"}


def test_weight_changes_reorder_the_ranking(terminal_db_url: str) -> None:
    pos_only = october_ranking(terminal_db_url, scoring.Weights(0, 1, 0))
    assert pos_only.loc[["T2", "T1", "T3"], "rank"].tolist() == [1, 2, 3]
    display_and_brand = october_ranking(terminal_db_url, scoring.Weights(50, 0, 50))  # normalised to 0.5/0.5
    assert display_and_brand.loc[["T1", "T3", "T2"], "composite"].tolist() == pytest.approx([88.5, 75.5, 60.5])
    assert display_and_brand.loc[["T1", "T3", "T2"], "rank"].tolist() == [1, 2, 3]


def test_terminals_not_inspected_are_listed_with_days_since_last_check(terminal_db_url: str) -> None:
    with Session(get_engine(terminal_db_url)) as session:
        inputs = queries.ranking_inputs(session=session, month=OCT)
    missing = scoring.uninspected(inputs, month=OCT, month_end=dt.date(2026, 10, 31))
    assert missing["customer_code"].tolist() == ["T4"]
    assert missing["days_since_inspection"].tolist() == [77]  # 15 August to 31 October


def test_detail_queries_of_one_terminal(terminal_db_url: str) -> None:
    with Session(get_engine(terminal_db_url)) as session:
        archive = queries.terminal_archive(session=session, scope=EVERYTHING, retailer_id=1)
        photos = queries.terminal_photos(session=session, scope=EVERYTHING, retailer_id=1)
        visits = queries.recent_visits(session=session, scope=EVERYTHING, retailer_id=1, until=dt.date(2026, 10, 31))
        history = queries.terminal_history(session=session, retailer_id=1, department_id=1, last_month=OCT)
        assert queries.terminal_archive(session=session, scope=EVERYTHING, retailer_id=999) is None
    assert (archive["licence_no"], archive["manager"], archive["department"]) == ("350802100001", "张伟", "城区服务部")
    assert photos["kind"].tolist() == ["storefront", "display"]
    assert visits["visit_date"].tolist() == [dt.date(2026, 10, 9), dt.date(2026, 10, 2)]
    months = [dt.date(2025, 11, 1), *(dt.date(2026, m, 1) for m in range(1, 11))]
    trend = scoring.monthly_trend(
        history, retailer_id=1, department_id=1, months=months,
        rubric=scoring.rubric_from_config(default("display_rubric")),
        weights=scoring.Weights.from_config(default("terminal_weights")),
    ).set_index("month")
    assert trend.loc[OCT, "composite"] == pytest.approx(86.4)
    assert trend.loc[SEP, "composite"] == pytest.approx(83.0)
    assert trend.loc[dt.date(2026, 8, 1), "display_score"] != trend.loc[dt.date(2026, 8, 1), "display_score"]  # NaN
    assert trend.loc[OCT, "cartons"] == 100
