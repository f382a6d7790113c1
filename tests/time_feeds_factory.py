"""The competition county of tests/team_factory.py with feeds that end on different days.

Added to it (issue 13, finding 2): sales to 1 December 2026 (RC1 250 cartons of P1), a
December plan for A; visits to 30 November (MB visits RB1 as planned on the 30th); MA's
visit plans for 1 December (RA1, RA2) that no visit can have met yet, because the visits
feed ends on 30 November.

So with today = 1 December: the sales feed ends on 1 Dec, the visits feed on 30 Nov, and
December holds no visit plan up to the visits feed's last day: A's December visit compliance
is "no data" (weight spread), never "0 of 2 done → 0 points". November keeps every plan
(all are on or before 30 Nov): B 3 of 3 planned visits done.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlmodel import Session, select

from data_access.aggregates import refresh_sales_daily, refresh_visit_aggregates
from data_access.db import bump_data_version, get_engine
from data_access.models import (
    CustomerManager,
    Department,
    DepartmentPlan,
    Order,
    OrderLine,
    Product,
    Retailer,
    Visit,
    VisitPlan,
)
from tests.team_factory import build_competition_county

DEC = dt.date(2026, 12, 1)
SALES_END = dt.date(2026, 12, 1)
VISITS_END = dt.date(2026, 11, 30)


def build_feeds_county(url: str) -> None:
    engine = get_engine(url)
    build_competition_county(engine)
    with Session(engine) as session:
        retailer = {r.customer_code: r for r in session.exec(select(Retailer))}
        manager = {m.code: m for m in session.exec(select(CustomerManager))}
        dept = {d.code: d for d in session.exec(select(Department))}
        p1 = session.exec(select(Product).where(Product.code == "P1")).one()
        session.add(Order(order_date=SALES_END, retailer_id=retailer["RC1"].id, channel="phone"))
        session.add(OrderLine(order_date=SALES_END, retailer_id=retailer["RC1"].id, product_id=p1.id, cartons=250,
                              amount=250 * p1.wholesale_price, cost=250 * p1.cost_price))
        session.add(DepartmentPlan(month=DEC, department_id=dept["A"].id, planned_cases=2.0))
        session.add(VisitPlan(plan_date=VISITS_END, manager_id=manager["MB"].id, retailer_id=retailer["RB1"].id))
        signed_in = dt.datetime(2026, 11, 30, 10, 0)
        session.add(Visit(manager_id=manager["MB"].id, retailer_id=retailer["RB1"].id, visit_date=VISITS_END,
                          sign_in_at=signed_in, sign_in_lon=117.0, sign_in_lat=25.0,
                          sign_out_at=signed_in + dt.timedelta(minutes=10)))
        for code in ("RA1", "RA2"):
            session.add(VisitPlan(plan_date=DEC, manager_id=manager["MA"].id, retailer_id=retailer[code].id))
        session.flush()
        refresh_sales_daily(session)
        refresh_visit_aggregates(session)
        bump_data_version(session, "sales", "plans", "visits")
        session.commit()


def feeds_database(directory: Path) -> str:
    url = f"sqlite:///{directory / 'feeds.sqlite'}"
    build_feeds_county(url)
    return url
