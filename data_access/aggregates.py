"""Pre-aggregated tables, kept equal to the raw rows they summarise.

``sales_daily`` sums ``order_line`` per day, department, manager and product; the sales
page's tables (``data_access/models_sales.py``) add per-segment and per-retailer sums and
monthly roll-ups of all three. Whoever writes order lines (generator, importer) calls
:func:`refresh_sales_daily` for the dates it touched, inside the same transaction, so no
aggregate ever drifts from the lines.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, text
from sqlmodel import Session

from data_access.calendar import month_end, month_start

_DAILY_INSERTS = {
    "sales_daily": """
INSERT INTO sales_daily
    (sale_date, department_id, manager_id, product_id, cartons, amount, cost, order_lines)
SELECT ol.order_date, cm.department_id, r.manager_id, ol.product_id,
       SUM(ol.cartons), SUM(ol.amount), SUM(ol.cost), COUNT(*)
FROM order_line AS ol
JOIN retailer AS r ON r.id = ol.retailer_id
JOIN customer_manager AS cm ON cm.id = r.manager_id
{where}
GROUP BY ol.order_date, cm.department_id, r.manager_id, ol.product_id
""",
    "sales_segment_daily": """
INSERT INTO sales_segment_daily
    (sale_date, department_id, brand_family, business_format, market_type, cartons, amount, cost)
SELECT ol.order_date, cm.department_id, p.brand_family, r.business_format, r.market_type,
       SUM(ol.cartons), SUM(ol.amount), SUM(ol.cost)
FROM order_line AS ol
JOIN retailer AS r ON r.id = ol.retailer_id
JOIN customer_manager AS cm ON cm.id = r.manager_id
JOIN product AS p ON p.id = ol.product_id
{where}
GROUP BY ol.order_date, cm.department_id, p.brand_family, r.business_format, r.market_type
""",
    "sales_retailer_daily": """
INSERT INTO sales_retailer_daily (sale_date, retailer_id, department_id, cartons, amount, cost)
SELECT ol.order_date, ol.retailer_id, cm.department_id, SUM(ol.cartons), SUM(ol.amount), SUM(ol.cost)
FROM order_line AS ol
JOIN retailer AS r ON r.id = ol.retailer_id
JOIN customer_manager AS cm ON cm.id = r.manager_id
{where}
GROUP BY ol.order_date, ol.retailer_id, cm.department_id
""",
}

# Rolled up from a daily table above (so it runs after it): per day, department and brand.
_BRAND_DAILY_INSERT = """
INSERT INTO sales_brand_daily (sale_date, department_id, brand_family, cartons, amount, cost)
SELECT sale_date, department_id, brand_family, SUM(cartons), SUM(amount), SUM(cost)
FROM sales_segment_daily {where}
GROUP BY sale_date, department_id, brand_family
"""

# monthly table -> (daily table, dimension columns, measure columns)
_MONTHLY = {
    "sales_monthly": (
        "sales_daily", "department_id, manager_id, product_id", "cartons, amount, cost, order_lines"
    ),
    "sales_segment_monthly": (
        "sales_segment_daily", "department_id, brand_family, business_format, market_type", "cartons, amount, cost"
    ),
    "sales_retailer_monthly": ("sales_retailer_daily", "retailer_id, department_id", "cartons, amount, cost"),
}


def _month_of(column: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS DATE)"


def _monthly_insert(table: str, dialect: str, where: str) -> str:
    daily, dims, measures = _MONTHLY[table]
    sums = ", ".join(f"SUM({m})" for m in measures.split(", "))
    month = _month_of("sale_date", dialect)
    return (
        f"INSERT INTO {table} (month, {dims}, {measures}) "
        f"SELECT {month}, {dims}, {sums} FROM {daily} {where} GROUP BY {month}, {dims}"
    )


def refresh_sales_daily(
    conn: Session | Connection, *, start: dt.date | None = None, end: dt.date | None = None
) -> None:
    """Rebuild every sales aggregate for ``start``..``end`` (inclusive), or entirely when omitted.

    The daily tables are rebuilt for exactly those days; the monthly tables for every month
    the range touches (from the daily tables, which are complete for those months by then).
    Runs in the caller's transaction; the caller commits.
    """
    connection = conn if isinstance(conn, Connection) else conn.connection()
    execute = connection.execute
    dialect = connection.dialect.name
    if start is None or end is None:
        for table, insert in _DAILY_INSERTS.items():
            execute(text(f"DELETE FROM {table}"))
            execute(text(insert.format(where="")))
        execute(text("DELETE FROM sales_brand_daily"))
        execute(text(_BRAND_DAILY_INSERT.format(where="")))
        for table in _MONTHLY:
            execute(text(f"DELETE FROM {table}"))
            execute(text(_monthly_insert(table, dialect, "")))
        return
    days = {"start": start, "end": end}
    for table, insert in _DAILY_INSERTS.items():
        execute(text(f"DELETE FROM {table} WHERE sale_date BETWEEN :start AND :end"), days)
        execute(text(insert.format(where="WHERE ol.order_date BETWEEN :start AND :end")), days)
    execute(text("DELETE FROM sales_brand_daily WHERE sale_date BETWEEN :start AND :end"), days)
    execute(text(_BRAND_DAILY_INSERT.format(where="WHERE sale_date BETWEEN :start AND :end")), days)
    months = {"first": month_start(start), "last": month_start(end), "last_day": month_end(end)}
    for table in _MONTHLY:
        execute(text(f"DELETE FROM {table} WHERE month BETWEEN :first AND :last"), months)
        execute(text(_monthly_insert(table, dialect, "WHERE sale_date BETWEEN :first AND :last_day")), months)


def refresh_after_reassignment(conn: Session | Connection) -> None:
    """Retailers moved between managers: attribution changes everywhere, rebuild all."""
    refresh_sales_daily(conn)


def backfill_missing_aggregates(conn: Session | Connection) -> list[str]:
    """Fill each sales aggregate that is empty while order lines exist; the tables filled.

    For databases made before an aggregate table was introduced (``create_schema`` adds the
    table empty). Only the empty tables are built, in dependency order (daily tables from the
    lines, the brand table from the segment table, monthly tables from their daily table).
    Cheap when nothing is missing: one-row probes. The caller commits.
    """
    connection = conn if isinstance(conn, Connection) else conn.connection()
    execute = connection.execute
    if execute(text("SELECT 1 FROM order_line LIMIT 1")).first() is None:
        return []

    def empty(table: str) -> bool:
        return execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first() is None

    filled = []
    for table, insert in _DAILY_INSERTS.items():
        if empty(table):
            execute(text(insert.format(where="")))
            filled.append(table)
    if empty("sales_brand_daily"):
        execute(text(_BRAND_DAILY_INSERT.format(where="")))
        filled.append("sales_brand_daily")
    for table in _MONTHLY:
        if empty(table):
            execute(text(_monthly_insert(table, connection.dialect.name, "")))
            filled.append(table)
    return filled
