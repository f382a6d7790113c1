"""Hand-built field day for the live feed and meeting tests: the tiny county plus M1's Thursday.

M1 (张伟) on Thursday 19 Nov 2026, planned R1 and R2 (planned again for Friday 20 Nov):
  09:00 signs in at R1 (东城食杂店), 09:12 signs out;
  10:30 signs in at R2 (万家超市), never signs out;
  GPS fixes at 08:50, 09:05, 09:20, 10:25, 10:40.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlmodel import Session

from data_access.db import get_engine
from data_access.models import CustomerManager, GpsPoint, Retailer, Visit, VisitPlan
from tests.factories import build_tiny_county

SOURCE = dt.date(2026, 11, 19)
TODAY = dt.date(2026, 11, 20)
FIX_TIMES = ("08:50", "09:05", "09:20", "10:25", "10:40")


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))


def build_field_day(url: str) -> None:
    engine = get_engine(url)
    build_tiny_county(engine)
    with Session(engine) as session:
        m1 = session.execute(select(CustomerManager).where(CustomerManager.code == "M1")).scalar_one()
        shops = {r.customer_code: r for r in session.execute(select(Retailer)).scalars()}
        r1, r2 = shops["R1"], shops["R2"]
        for day in (SOURCE, TODAY):
            session.add_all([VisitPlan(plan_date=day, manager_id=m1.id, retailer_id=r.id) for r in (r1, r2)])
        session.add(Visit(manager_id=m1.id, retailer_id=r1.id, visit_date=SOURCE, sign_in_at=at(SOURCE, "09:00"),
                          sign_in_lon=r1.longitude, sign_in_lat=r1.latitude, sign_out_at=at(SOURCE, "09:12"),
                          sign_out_lon=r1.longitude, sign_out_lat=r1.latitude))
        session.add(Visit(manager_id=m1.id, retailer_id=r2.id, visit_date=SOURCE, sign_in_at=at(SOURCE, "10:30"),
                          sign_in_lon=r2.longitude, sign_in_lat=r2.latitude))
        for hhmm in FIX_TIMES:
            session.add(GpsPoint(manager_id=m1.id, recorded_at=at(SOURCE, hhmm), longitude=117.02, latitude=25.08))
        session.commit()
