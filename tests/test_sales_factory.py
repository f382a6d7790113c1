"""Hand-built county for the sales page tests (numbers worked on paper), and raw-SQL oracles.

Two years with the Spring Festival in different months: 2025-01-29 and 2026-02-17
(19 days apart). Data ends 2026-11-16, so November 2026 is a partial month.

Departments: D1 城区 (manager M1: R1 grocery/urban, R2 supermarket/urban)
             D2 乡镇 (manager M2: R3 convenience/rural, R4 tobacco_liquor/rural)
SKUs: P1 七匹狼(软蓝) class 1, ¥500/carton, cost ¥400, provincial, key brand
      P2 七匹狼(红)   class 3, ¥200/carton, cost ¥160, provincial, key brand
      P3 双喜(硬)     class 4, ¥100/carton, cost  ¥70, out of province
      P4 双喜(软经典) class 2, ¥300/carton, cost ¥240, provincial

November 2026 (1–16): 875 cartons = 3.5 cases, amount 192,500, cost 150,000
  → per-case value 55,000, carton price 220, gross profit 42,500, margin 22.08%.
  D1: 525 cartons (2.1 cases) of a 3.0-case plan = 70%, shortfall 0.9 cases;
  D2: 350 (1.4) of 2.0 = 70%, shortfall 0.6. Time progress on 16 Nov: 11 of 21 working
  days = 52.4% → both ahead. Structure: class 1+2 225/875 = 25.71%, key brands (P1, P2)
  425/875 = 48.57%, provincial (P1, P2, P4) 475/875 = 54.29%.
November 2025 (1–16): 300 cartons, amount 50,000 → volume YoY +191.67%.
Festival window 2026-02-07..16 (10 days before the festival): 500 cartons;
  festival-aligned base 2025-01-19..28: 400 → +25%; calendar base 2025-02-07..16: 100 → +400%.
Forecast Nov 2026: 七匹狼 2.0 cases vs 1.7 sold → accuracy 82.35%; 双喜 2.0 vs 1.8 → 88.89%.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.aggregates import refresh_sales_daily
from data_access.db import bump_data_version, create_schema, get_engine
from data_access.models import (
    BrandForecast,
    BrandPlan,
    CustomerManager,
    Department,
    DepartmentPlan,
    Order,
    OrderLine,
    Product,
    Retailer,
)

DATA_END = dt.date(2026, 11, 16)
ORDER_LINES = [
    (dt.date(2024, 12, 2), "R1", "P3", 10),  # so the data starts before every comparison below
    (dt.date(2025, 1, 20), "R1", "P3", 400),
    (dt.date(2025, 2, 10), "R1", "P3", 100),
    (dt.date(2025, 11, 3), "R1", "P1", 50),
    (dt.date(2025, 11, 4), "R3", "P3", 250),
    (dt.date(2026, 2, 10), "R1", "P3", 500),
    (dt.date(2026, 10, 6), "R2", "P2", 125),
    (dt.date(2026, 11, 2), "R1", "P1", 100),
    (dt.date(2026, 11, 2), "R1", "P3", 150),
    (dt.date(2026, 11, 3), "R2", "P2", 250),
    (dt.date(2026, 11, 4), "R3", "P1", 50),
    (dt.date(2026, 11, 5), "R4", "P3", 250),
    (dt.date(2026, 11, 5), "R4", "P4", 50),
    (dt.date(2026, 11, 16), "R2", "P1", 25),
]


def build_sales_county(engine: Engine) -> None:
    create_schema(engine)
    with Session(engine) as session:
        d1 = Department(code="D1", name="城区服务部", name_en="City", sort_order=1)
        d2 = Department(code="D2", name="乡镇服务部", name_en="Towns", sort_order=2)
        session.add_all([d1, d2])
        session.flush()
        m1 = CustomerManager(code="M1", name="张伟", department_id=d1.id)
        m2 = CustomerManager(code="M2", name="李娜", department_id=d2.id)
        session.add_all([m1, m2])
        session.flush()
        shops = [("R1", "东城食杂店", "grocery", "urban", m1), ("R2", "万家超市", "supermarket", "urban", m1),
                 ("R3", "雁石便利店", "convenience", "rural", m2), ("R4", "龙门烟酒行", "tobacco_liquor", "rural", m2)]
        retailers = {
            code: Retailer(licence_no=f"35080210000{i}", customer_code=code, shop_name=name, longitude=117.0,
                           latitude=25.1, business_format=fmt, market_type=market, tier=10, star_rating=3,
                           manager_id=manager.id)
            for i, (code, name, fmt, market, manager) in enumerate(shops)
        }
        products = {
            "P1": Product(code="P1", name="七匹狼(软蓝)", brand_family="七匹狼", price_class=1, wholesale_price=500,
                          cost_price=400, retail_price=600, is_provincial=True, is_key_brand=True),
            "P2": Product(code="P2", name="七匹狼(红)", brand_family="七匹狼", price_class=3, wholesale_price=200,
                          cost_price=160, retail_price=240, is_provincial=True, is_key_brand=True),
            "P3": Product(code="P3", name="双喜(硬)", brand_family="双喜", price_class=4, wholesale_price=100,
                          cost_price=70, retail_price=120, is_provincial=False),
            "P4": Product(code="P4", name="双喜(软经典)", brand_family="双喜", price_class=2, wholesale_price=300,
                          cost_price=240, retail_price=360, is_provincial=True),
        }
        session.add_all([*retailers.values(), *products.values()])
        session.flush()
        seen: set[tuple[dt.date, str]] = set()
        for day, shop, sku, cartons in ORDER_LINES:
            product = products[sku]
            if (day, shop) not in seen:
                seen.add((day, shop))
                session.add(Order(order_date=day, retailer_id=retailers[shop].id))
            session.add(OrderLine(order_date=day, retailer_id=retailers[shop].id, product_id=product.id,
                                  cartons=cartons, amount=cartons * product.wholesale_price,
                                  cost=cartons * product.cost_price))
        november = dt.date(2026, 11, 1)
        session.add_all([
            DepartmentPlan(month=november, department_id=d1.id, planned_cases=3.0),
            DepartmentPlan(month=november, department_id=d2.id, planned_cases=2.0),
            BrandPlan(month=november, department_id=d1.id, brand_family="七匹狼", planned_cases=1.5),
            BrandPlan(month=november, department_id=d2.id, brand_family="七匹狼", planned_cases=0.5),
            BrandForecast(month=november, brand_family="七匹狼", forecast_cases=2.0),
            BrandForecast(month=november, brand_family="双喜", forecast_cases=2.0),
            BrandForecast(month=dt.date(2026, 10, 1), brand_family="七匹狼", forecast_cases=0.4),
        ])
        session.flush()
        refresh_sales_daily(session)
        bump_data_version(session, "sales", "plans", "master")
        session.commit()


def make_sales_db(directory) -> str:
    url = f"sqlite:///{directory / 'sales.sqlite'}"
    build_sales_county(get_engine(url))
    return url


# Raw-SQL oracle: straight from order_line, independent of every aggregate table.
RAW_DIMENSIONS = {
    "department": "cm.department_id",
    "manager": "r.manager_id",
    "brand": "p.brand_family",
    "sku": "p.code",
    "price_class": "p.price_class",
    "origin": "p.is_provincial",
    "format": "r.business_format",
    "market": "r.market_type",
}


def raw_breakdown(engine: Engine, dimension: str, start: dt.date, end: dt.date,
                  department_id: int | None = None, brand_family: str | None = None) -> pd.DataFrame:
    key = RAW_DIMENSIONS[dimension]
    sql = f"""
        SELECT {key} AS key, SUM(ol.cartons) AS cartons, SUM(ol.amount) AS amount, SUM(ol.cost) AS cost
        FROM order_line ol JOIN retailer r ON r.id = ol.retailer_id
        JOIN customer_manager cm ON cm.id = r.manager_id JOIN product p ON p.id = ol.product_id
        WHERE ol.order_date BETWEEN :start AND :end
          AND (:dept IS NULL OR cm.department_id = :dept) AND (:brand IS NULL OR p.brand_family = :brand)
        GROUP BY {key}"""
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn, params={"start": start, "end": end, "dept": department_id,
                                                   "brand": brand_family})
