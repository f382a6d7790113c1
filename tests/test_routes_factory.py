"""Hand-built visits, plans and GPS track on top of the tiny county (tests/factories.py).

Manager M1 (张伟, department D1) owns seven shops; on Wednesday 18 November 2026:

  stop  shop  sign-in  sign-out  sign-in offset        breaks
  1     R1    09:00    09:10     at the shop           —
  2     R2    09:30    09:31     at the shop           short visit (1 min < 3)
  3     R4    10:00    10:15     +0.003° lat = 333.6 m far sign-in (> 200 m)
  4     R6    18:05    —         at the shop           outside hours, missing sign-out
  planned that day: R1, R2, R4, R5 → R5 not visited (missed plan)
  earlier visits: R7 on 2 Nov, R5 on 4 Nov, R8 on 17 Nov (10 minutes each)

  GPS: a fix every 60 s from 08:50 to 18:10 along R1 → R2 → R4 → R6, plus one fix at
  11:00:30 that is 0.02° (2.2 km) north of the track: two impossible-speed jumps.

Coverage on 18 Nov (cycle: R2, R5 weekly; others 14 days):
  R1 0 d ✓, R2 0 d ✓, R4 0 d ✓, R5 14 d > 7 ✗, R6 0 d ✓, R7 16 d > 14 ✗, R8 1 d ✓ → 5/7.
Shop status on 18 Nov: visited R1 R2 R4 R6; missed plan R5; overdue R7; recent R8.
November for M1: 4 days in the field, 7 visits, average duration (10·3 + 10 + 1 + 15) / 6
= 9.33 min (the visit without sign-out has no duration).
Manager M2 (李娜, department D2): R3 09:00–09:20 on 18 Nov; GPS until 09:25 (so signed out).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data_access.db import bump_data_version
from data_access.gps_summary import refresh_gps_day_summary
from data_access.models import CustomerManager, GpsPoint, Retailer, Visit, VisitPlan
from tests.factories import build_tiny_county

DAY = dt.date(2026, 11, 18)
NEW_SHOPS = {  # code: (name, lon, lat, cycle, town)
    "R4": ("北环烟酒店", 117.04, 25.08, 14, "东城镇"),
    "R5": ("南街便利店", 117.05, 25.09, 7, "东城镇"),
    "R6": ("西门食杂店", 117.03, 25.07, 14, "西城镇"),
    "R7": ("新华超市", 117.06, 25.08, 14, "西城镇"),
    "R8": ("龙门商店", 117.02, 25.10, 14, "东城镇"),
}
M1_STOPS = [  # shop, sign-in, sign-out, latitude offset of the sign-in
    ("R1", "09:00", "09:10", 0.0), ("R2", "09:30", "09:31", 0.0),
    ("R4", "10:00", "10:15", 0.003), ("R6", "18:05", None, 0.0),
]
EARLIER = [("R7", dt.date(2026, 11, 2)), ("R5", dt.date(2026, 11, 4)), ("R8", dt.date(2026, 11, 17))]
PLANNED = ["R1", "R2", "R4", "R5"]
JUMP_AT = dt.datetime(2026, 11, 18, 11, 0, 30)


def _at(day: dt.date, clock: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(clock))


def m1_track(positions: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """M1's fixes on 18 Nov: every 60 s, moving between stops, parked at each shop."""
    waypoints = [(_at(DAY, "08:50"), *positions["R1"])]
    for shop, sign_in, sign_out, _ in M1_STOPS:
        waypoints.append((_at(DAY, sign_in) - dt.timedelta(minutes=5), *positions[shop]))
        waypoints.append((_at(DAY, sign_out or "18:10"), *positions[shop]))
    times = pd.date_range(_at(DAY, "08:50"), _at(DAY, "18:10"), freq="60s")
    seconds = [(w[0] - waypoints[0][0]).total_seconds() for w in waypoints]
    elapsed = (times - times[0]).total_seconds()
    track = pd.DataFrame({
        "recorded_at": times,
        "lon": np.interp(elapsed, seconds, [w[1] for w in waypoints]),
        "lat": np.interp(elapsed, seconds, [w[2] for w in waypoints]),
    })
    base = track[track["recorded_at"] == pd.Timestamp(JUMP_AT - dt.timedelta(seconds=30))].iloc[0]
    jump = pd.DataFrame({"recorded_at": [pd.Timestamp(JUMP_AT)], "lon": [base["lon"]], "lat": [base["lat"] + 0.02]})
    return pd.concat([track, jump]).sort_values("recorded_at").reset_index(drop=True)


def build_route_county(engine: Engine) -> None:
    build_tiny_county(engine)
    with Session(engine) as session:
        managers = {m.code: m for m in session.exec(select(CustomerManager)).all()}
        shops = {r.customer_code: r for r in session.exec(select(Retailer)).all()}
        for code, (name, lon, lat, cycle, town) in NEW_SHOPS.items():
            shops[code] = Retailer(
                licence_no=f"3508021000{code[1:]:>02}", customer_code=code, shop_name=name, longitude=lon,
                latitude=lat, business_format="grocery", market_type="urban", tier=8, star_rating=3,
                manager_id=managers["M1"].id, visit_cycle_days=cycle, town=town,
            )
            session.add(shops[code])
        shops["R1"].town = shops["R2"].town = "东城镇"
        shops["R3"].town = "雁石镇"
        session.flush()
        m1, m2 = managers["M1"].id, managers["M2"].id
        for shop, sign_in, sign_out, offset in M1_STOPS:
            r = shops[shop]
            session.add(Visit(
                manager_id=m1, retailer_id=r.id, visit_date=DAY, planned=shop in PLANNED,
                sign_in_at=_at(DAY, sign_in), sign_in_lon=r.longitude, sign_in_lat=r.latitude + offset,
                sign_out_at=_at(DAY, sign_out) if sign_out else None,
                sign_out_lon=r.longitude if sign_out else None, sign_out_lat=r.latitude if sign_out else None,
            ))
        for shop, day in EARLIER:
            r = shops[shop]
            session.add(Visit(
                manager_id=m1, retailer_id=r.id, visit_date=day, sign_in_at=_at(day, "10:00"),
                sign_in_lon=r.longitude, sign_in_lat=r.latitude, sign_out_at=_at(day, "10:10"),
                sign_out_lon=r.longitude, sign_out_lat=r.latitude,
            ))
        r3 = shops["R3"]
        session.add(Visit(
            manager_id=m2, retailer_id=r3.id, visit_date=DAY, sign_in_at=_at(DAY, "09:00"),
            sign_in_lon=r3.longitude, sign_in_lat=r3.latitude, sign_out_at=_at(DAY, "09:20"),
            sign_out_lon=r3.longitude, sign_out_lat=r3.latitude,
        ))
        for shop in PLANNED:
            session.add(VisitPlan(plan_date=DAY, manager_id=m1, retailer_id=shops[shop].id))
        positions = {code: (r.longitude, r.latitude) for code, r in shops.items()}
        for row in m1_track(positions).itertuples():
            session.add(GpsPoint(manager_id=m1, recorded_at=row.recorded_at.to_pydatetime(), longitude=row.lon,
                                 latitude=row.lat, speed_kmh=0.0, accuracy_m=10.0))
        for minute in range(0, 26, 5):
            session.add(GpsPoint(manager_id=m2, recorded_at=_at(DAY, "09:00") + dt.timedelta(minutes=minute),
                                 longitude=r3.longitude, latitude=r3.latitude))
        session.flush()
        refresh_gps_day_summary(session, start=DAY, end=DAY, manager_ids=[m1, m2])  # as every GPS writer does
        bump_data_version(session, "visits", "gps", "master")
        session.commit()
