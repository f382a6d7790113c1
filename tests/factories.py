"""Hand-built datasets small enough to work out on paper.

``build_tiny_county`` is the worked example of the formula tests: two departments, three
retailers, two SKUs and a plan. Every number below is chosen so results are exact.

Department D1 (plan November 2026: 2.0 cases; November 2025: no plan)
  manager M1 → retailers R1 (grocery, urban), R2 (supermarket, urban)
Department D2 (plan November 2026: 1.0 case)
  manager M2 → retailer R3 (convenience, rural)
SKUs: P1 class 1, wholesale ¥500/carton, cost ¥400 (key brand, provincial)
      P2 class 4, wholesale ¥100/carton, cost ¥70 (out of province)

Order lines (date, retailer, SKU, cartons):
  2026-11-02 R1 P1 100   → amount 50,000  cost 40,000
  2026-11-02 R1 P2 150   → amount 15,000  cost 10,500
  2026-11-03 R2 P2 250   → amount 25,000  cost 17,500
  2026-11-04 R3 P1  50   → amount 25,000  cost 20,000
  2025-11-03 R1 P2 250   → amount 25,000  cost 17,500   (last year)
  2026-10-05 R1 P2 125   → amount 12,500  cost  8,750   (previous month)

November 2026 totals, whole district: 550 cartons = 2.2 cases, amount 115,000,
cost 88,000 → per-case value 52,272.73, margin 23.478%, average carton price 209.09.
D1 only: 500 cartons = 2.0 cases, amount 90,000 → per-case value 45,000; plan 2.0 → 100%.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.aggregates import refresh_sales_daily
from data_access.db import bump_data_version, create_schema
from data_access.models import (
    CustomerManager,
    Department,
    DepartmentPlan,
    Order,
    OrderLine,
    Product,
    Retailer,
)

ORDER_LINES = [
    (dt.date(2026, 11, 2), "R1", "P1", 100),
    (dt.date(2026, 11, 2), "R1", "P2", 150),
    (dt.date(2026, 11, 3), "R2", "P2", 250),
    (dt.date(2026, 11, 4), "R3", "P1", 50),
    (dt.date(2025, 11, 3), "R1", "P2", 250),
    (dt.date(2026, 10, 5), "R1", "P2", 125),
]


def build_tiny_county(engine: Engine) -> None:
    create_schema(engine)
    with Session(engine) as session:
        d1 = Department(code="D1", name="城区服务部", name_en="City", sort_order=1)
        d2 = Department(code="D2", name="乡镇服务部", name_en="Towns", sort_order=2)
        session.add_all([d1, d2])
        session.flush()
        m1 = CustomerManager(code="M1", name="张伟", department_id=d1.id, grade="senior")
        m2 = CustomerManager(code="M2", name="李娜", department_id=d2.id, grade="junior")
        session.add_all([m1, m2])
        session.flush()
        retailers = {
            "R1": Retailer(licence_no="350802100001", customer_code="R1", shop_name="东城食杂店",
                           longitude=117.02, latitude=25.08, business_format="grocery", market_type="urban",
                           tier=10, star_rating=3, manager_id=m1.id),
            "R2": Retailer(licence_no="350802100002", customer_code="R2", shop_name="万家超市",
                           longitude=117.03, latitude=25.09, business_format="supermarket", market_type="urban",
                           tier=25, star_rating=5, terminal_level="modern", has_pos=True, manager_id=m1.id,
                           visit_cycle_days=7),
            "R3": Retailer(licence_no="350802100003", customer_code="R3", shop_name="雁石便利店",
                           longitude=117.15, latitude=25.20, business_format="convenience", market_type="rural",
                           tier=5, star_rating=2, manager_id=m2.id),
        }
        products = {
            "P1": Product(code="P1", name="七匹狼(软蓝)", brand_family="七匹狼", price_class=1, wholesale_price=500,
                          cost_price=400, retail_price=600, is_provincial=True, is_key_brand=True),
            "P2": Product(code="P2", name="双喜(硬)", brand_family="双喜", price_class=4, wholesale_price=100,
                          cost_price=70, retail_price=120, is_provincial=False),
        }
        session.add_all([*retailers.values(), *products.values()])
        session.flush()
        seen_orders: set[tuple[dt.date, str]] = set()
        for day, retailer, sku, cartons in ORDER_LINES:
            product = products[sku]
            if (day, retailer) not in seen_orders:
                seen_orders.add((day, retailer))
                session.add(Order(order_date=day, retailer_id=retailers[retailer].id))
            session.add(OrderLine(
                order_date=day, retailer_id=retailers[retailer].id, product_id=product.id, cartons=cartons,
                amount=cartons * product.wholesale_price, cost=cartons * product.cost_price,
            ))
        session.add(DepartmentPlan(month=dt.date(2026, 11, 1), department_id=d1.id, planned_cases=2.0))
        session.add(DepartmentPlan(month=dt.date(2026, 11, 1), department_id=d2.id, planned_cases=1.0))
        session.flush()
        refresh_sales_daily(session)
        bump_data_version(session, "sales", "plans", "master")
        session.commit()
