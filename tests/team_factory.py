"""Hand-built competition county for the team tests; every number worked out on paper.

Products: P1 ¥100/carton, P2 ¥200/carton (1 case = 250 cartons: ¥25,000 or ¥50,000).
Data end: 2026-11-30, so November 2026 is complete (time progress 1).

November 2026 KPI (rule weights 40/20/10/15/15, growth 80 pts at 0 %, 2 pts per pp):
  A: RA1 250 P1 (online) + RA2 250 P2 (phone) = 2 cases, ¥75,000, pcv 37,500; plan 2.5 → 80 %
     → 80 pts. Last year: RA1 125 P1 + 125 P2 = 1 case ¥37,500 → growth 0 → 80 pts.
     Online 1 of 2 → 50 pts. Visits 3 of 4 planned done → 75 pts. Display: RA1 80,
     RA2 100 → average 90 of 100 → 90 pts.
     KPI = .4·80 + .2·80 + .1·50 + .15·75 + .15·90 = 77.75
  B: RB1 475 P1 + 25 P2 (online) = 2 cases ¥52,500, pcv 26,250; plan 2 → 100 pts.
     Last year RB1 250 P1 = pcv 25,000 → growth +5 % → 90 pts. Online 1/1 → 100.
     Visits 2/2 → 100. No inspection → weight spread: KPI = 83 / .85 = 97.647
  C: RC1 250 P1 (phone) = 1 case, plan 1 → 100 pts; no sales last year, no visit plan,
     no inspection; online 0/1 → 0 pts. KPI = (.4·100 + .1·0) / .5 = 80
Manual groups November (campaign, 6S, inspection, innovation):
  A 90 80 70 60 → total .6·77.75 + 30 = 76.65
  B 80 80 80 80 → total .6·97.647 + 32 = 90.588
  C 100 100 100 — (innovation missing: provisional) → (48 + 30) / .9 = 86.667
  Ranks: B 1, C 2 (gap 3.92), A 3 (gap 10.02).
October 2026: no sales, plans, visits or inspections (KPI missing); manual A 100s,
  B 50s, C 70s → ranks A 1, C 2, B 3. Rank change in November: B +2, C 0, A −2.
Managers of A in November: MA plan 2 cases, sold 2 → 100 pts, visits 3/4 → 75 pts →
  .7·100 + .3·75 = 92.5; MA2 plan 1 case, sold 0 → 0 pts, no visit plan → score 0.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.aggregates import refresh_sales_daily, refresh_visit_aggregates
from data_access.db import bump_data_version, create_schema, get_engine
from data_access.models import (
    CustomerManager,
    Department,
    DepartmentGroupScore,
    DepartmentPlan,
    InspectionScore,
    ManagerPlan,
    Order,
    OrderLine,
    Product,
    Retailer,
    TerminalInspection,
    Visit,
    VisitPlan,
)

NOV = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)
DATA_END = dt.date(2026, 11, 30)
RUBRIC = ("visibility", "tidiness", "richness", "conformity", "persistence")

# (date, retailer, sku, cartons, channel)
LINES = [
    (dt.date(2026, 11, 2), "RA1", "P1", 250, "online"),
    (dt.date(2026, 11, 2), "RA2", "P2", 250, "phone"),
    (dt.date(2026, 11, 3), "RB1", "P1", 475, "online"),
    (dt.date(2026, 11, 3), "RB1", "P2", 25, "online"),
    (dt.date(2026, 11, 4), "RC1", "P1", 250, "phone"),
    (dt.date(2026, 11, 30), "RC1", "P1", 0, "phone"),  # last day with data: November is complete
    (dt.date(2025, 11, 3), "RA1", "P1", 125, "online"),
    (dt.date(2025, 11, 3), "RA1", "P2", 125, "online"),
    (dt.date(2025, 11, 4), "RB1", "P1", 250, "online"),
]
# (plan date, manager, retailer, visited?)
VISIT_PLANS = [
    (dt.date(2026, 11, 2), "MA", "RA1", True),
    (dt.date(2026, 11, 2), "MA", "RA2", True),
    (dt.date(2026, 11, 9), "MA", "RA1", True),
    (dt.date(2026, 11, 9), "MA", "RA2", False),
    (dt.date(2026, 11, 3), "MB", "RB1", True),
    (dt.date(2026, 11, 10), "MB", "RB1", True),
]
MANUAL = {
    NOV: {"A": (90, 80, 70, 60), "B": (80, 80, 80, 80), "C": (100, 100, 100, None)},
    OCT: {"A": (100, 100, 100, 100), "B": (50, 50, 50, 50), "C": (70, 70, 70, 70)},
}


def build_competition_county(engine: Engine) -> None:
    create_schema(engine)
    with Session(engine) as session:
        depts = {code: Department(code=code, name=f"{code}服务部", name_en=f"Dept {code}", sort_order=i)
                 for i, code in enumerate(("A", "B", "C"))}
        session.add_all(depts.values())
        session.flush()
        managers = {
            "MA": CustomerManager(code="MA", name="王强", department_id=depts["A"].id),
            "MA2": CustomerManager(code="MA2", name="赵敏", department_id=depts["A"].id),
            "MB": CustomerManager(code="MB", name="刘洋", department_id=depts["B"].id),
            "MC": CustomerManager(code="MC", name="陈静", department_id=depts["C"].id),
        }
        session.add_all(managers.values())
        session.flush()
        owners = {"RA1": "MA", "RA2": "MA", "RB1": "MB", "RC1": "MC"}
        retailers = {
            code: Retailer(licence_no=f"35080210{i:04d}", customer_code=code, shop_name=f"{code}店",
                           longitude=117.0 + i / 100, latitude=25.0, business_format="grocery",
                           market_type="urban", tier=10, star_rating=3, manager_id=managers[owner].id,
                           terminal_level="modern" if code in ("RA1", "RA2") else "ordinary")
            for i, (code, owner) in enumerate(owners.items())
        }
        products = {
            "P1": Product(code="P1", name="品牌一", brand_family="一", price_class=3, wholesale_price=100,
                          cost_price=80, retail_price=120),
            "P2": Product(code="P2", name="品牌二", brand_family="二", price_class=2, wholesale_price=200,
                          cost_price=160, retail_price=240),
        }
        session.add_all([*retailers.values(), *products.values()])
        session.flush()
        seen: set[tuple[dt.date, str]] = set()
        for day, retailer, sku, cartons, channel in LINES:
            if (day, retailer) not in seen:
                seen.add((day, retailer))
                session.add(Order(order_date=day, retailer_id=retailers[retailer].id, channel=channel))
            product = products[sku]
            session.add(OrderLine(order_date=day, retailer_id=retailers[retailer].id, product_id=product.id,
                                  cartons=cartons, amount=cartons * product.wholesale_price,
                                  cost=cartons * product.cost_price))
        # A failed order is not "ordered": it must not count in the online ordering rate.
        session.add(Order(order_date=dt.date(2026, 11, 20), retailer_id=retailers["RC1"].id, channel="online",
                          status="failed"))
        for code, cases in (("A", 2.5), ("B", 2.0), ("C", 1.0)):
            session.add(DepartmentPlan(month=NOV, department_id=depts[code].id, planned_cases=cases))
        session.add(ManagerPlan(month=NOV, manager_id=managers["MA"].id, planned_cases=2.0))
        session.add(ManagerPlan(month=NOV, manager_id=managers["MA2"].id, planned_cases=1.0))
        for index, (day, manager, retailer, visited) in enumerate(VISIT_PLANS):
            signed_in = dt.datetime.combine(day, dt.time(9, 0)) + dt.timedelta(minutes=20 * index)
            session.add(VisitPlan(plan_date=day, manager_id=managers[manager].id, retailer_id=retailers[retailer].id))
            if visited:
                session.add(Visit(manager_id=managers[manager].id, retailer_id=retailers[retailer].id,
                                  visit_date=day, sign_in_at=signed_in, sign_in_lon=117.0, sign_in_lat=25.0,
                                  sign_out_at=signed_in + dt.timedelta(minutes=10)))
        # An unplanned visit does not make up for a missed planned one.
        session.add(Visit(manager_id=managers["MA"].id, retailer_id=retailers["RA2"].id,
                          visit_date=dt.date(2026, 11, 10), planned=False,
                          sign_in_at=dt.datetime(2026, 11, 10, 9, 0), sign_in_lon=117.0, sign_in_lat=25.0))
        for retailer, points in (("RA1", (20, 18, 16, 14, 12)), ("RA2", (20, 20, 20, 20, 20))):
            inspection = TerminalInspection(month=NOV, retailer_id=retailers[retailer].id,
                                            inspected_on=dt.date(2026, 11, 15))
            session.add(inspection)
            session.flush()
            for part, value in zip(RUBRIC, points, strict=True):
                session.add(InspectionScore(inspection_id=inspection.id, part_code=part, points=value))
        entered = dt.datetime(2026, 12, 1, 9, 0)
        for month, by_dept in MANUAL.items():
            for code, values in by_dept.items():
                for group, value in zip(("campaign", "six_s", "inspection", "innovation"), values, strict=True):
                    if value is not None:
                        session.add(DepartmentGroupScore(month=month, department_id=depts[code].id, group_code=group,
                                                         score=value, entered_by="办公室", entered_at=entered))
        session.flush()
        refresh_sales_daily(session)
        refresh_visit_aggregates(session)
        bump_data_version(session, "sales", "plans", "master", "scores", "visits", "terminals")
        session.commit()


def competition_database(directory: Path) -> str:
    """Build the competition county into ``directory``; returns its SQLite URL."""
    url = f"sqlite:///{directory / 'competition.sqlite'}"
    build_competition_county(get_engine(url))
    return url
