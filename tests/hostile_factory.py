"""A small county whose names are attacks: the hand-built route county (tests/test_routes_factory.py,
on the tiny county of tests/factories.py) with every name rewritten to markdown links and images,
raw HTML, ``javascript:`` URLs and Unicode controls, plus one inspected terminal, a POS
reconciliation and entered department scores, so every page has something to render.

Sales end on 2026-11-04; visits and GPS on 2026-11-18 (M1's day); R2 is the modern terminal,
inspected in November 2026.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data_access.aggregates import refresh_visit_aggregates
from data_access.db import bump_data_version
from data_access.models import (
    CustomerManager,
    Department,
    DepartmentGroupScore,
    DepartmentGroupScoreAudit,
    InspectionScore,
    PosReconciliation,
    Product,
    Retailer,
    TerminalInspection,
)
from tests.test_routes_factory import build_route_county

EVIL_HOST = "evil.example"
LINK = "[点我](javascript:alert(1))"
IMAGE = f"![x](http://{EVIL_HOST}/x.png)"
IMG_TAG = f"<img src=http://{EVIL_HOST}/i.png onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
RLO, ZWSP = "\u202e", "\u200b"

# Names beginning with = + - @ are formula injections once exported (see tests/test_export_injection.py).
DEPARTMENTS = {"D1": f"城区{LINK}{IMG_TAG}", "D2": f"+cmd|' /C calc'!A0乡镇{IMAGE}{RLO}部"}
MANAGERS = {"M1": f"{SCRIPT}张伟{ZWSP}", "M2": f"@SUM(1+9)*cmd|' /C calc'!A0李娜<a href=http://{EVIL_HOST}>x</a>"}
SHOPS = {"R1": f"东城{IMAGE}食杂店", "R2": f"[万家超市](http://{EVIL_HOST}/)", "R3": f"雁石{RLO}店{SCRIPT}",
         "R4": "北环:red[红] **粗** $x$ `c`", "R6": "<b onmouseover=alert(1)>R6</b>"}
BRANDS = {"P1": f"七匹狼{IMG_TAG}", "P2": f"=HYPERLINK(\"http://{EVIL_HOST}\",\"双喜\")"}
NOTE = f"{LINK} {IMG_TAG} {RLO}"
NOV = dt.date(2026, 11, 1)


def build_hostile_county(engine: Engine) -> None:
    build_route_county(engine)
    with Session(engine) as session:
        for department in session.exec(select(Department)).all():
            department.name = department.name_en = DEPARTMENTS[department.code]
        for manager in session.exec(select(CustomerManager)).all():
            manager.name = MANAGERS[manager.code]
        shops = {r.customer_code: r for r in session.exec(select(Retailer)).all()}
        for code, name in SHOPS.items():
            shops[code].shop_name = name
            shops[code].town = f"{IMAGE}镇"
        for product in session.exec(select(Product)).all():
            product.brand_family = BRANDS[product.code]
            product.name = BRANDS[product.code] + "(软)"
        r2 = shops["R2"]
        inspection = TerminalInspection(month=NOV, retailer_id=r2.id, inspected_on=dt.date(2026, 11, 10),
                                        inspector_id=r2.manager_id, remarks=NOTE)
        session.add(inspection)
        session.flush()
        for part in ("visibility", "tidiness", "richness", "conformity", "persistence"):
            session.add(InspectionScore(inspection_id=inspection.id, part_code=part, points=16))
        session.add(PosReconciliation(month=NOV, retailer_id=r2.id, opening_stock=50, delivered=250,
                                      closing_stock=50, scanned=240, scanned_valid=230))
        department = session.exec(select(Department).where(Department.code == "D1")).one()
        when = dt.datetime(2026, 11, 5, 10, 0)
        session.add(DepartmentGroupScore(month=NOV, department_id=department.id, group_code="campaign", score=90,
                                         entered_by=LINK, entered_at=when))
        session.add(DepartmentGroupScoreAudit(month=NOV, department_id=department.id, group_code="campaign",
                                              new_score=90, entered_by=LINK, entered_at=when, reason=NOTE))
        session.flush()
        refresh_visit_aggregates(session)
        bump_data_version(session, "sales", "plans", "master", "terminals", "visits", "scores")
        session.commit()
