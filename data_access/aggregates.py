"""Pre-aggregated tables, kept equal to the raw rows they summarise.

``sales_daily`` sums ``order_line`` per day, department, manager and product. Whoever
writes order lines (generator, importer) calls :func:`refresh_sales_daily` for the dates
it touched, inside the same transaction, so the aggregate never drifts from the lines.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, text
from sqlmodel import Session

_DELETE_RANGE = text("DELETE FROM sales_daily WHERE sale_date BETWEEN :start AND :end")
_DELETE_ALL = text("DELETE FROM sales_daily")

_INSERT_SELECT = """
INSERT INTO sales_daily
    (sale_date, department_id, manager_id, product_id, cartons, amount, cost, order_lines)
SELECT ol.order_date, cm.department_id, r.manager_id, ol.product_id,
       SUM(ol.cartons), SUM(ol.amount), SUM(ol.cost), COUNT(*)
FROM order_line AS ol
JOIN retailer AS r ON r.id = ol.retailer_id
JOIN customer_manager AS cm ON cm.id = r.manager_id
{where}
GROUP BY ol.order_date, cm.department_id, r.manager_id, ol.product_id
"""


def refresh_sales_daily(
    conn: Session | Connection, *, start: dt.date | None = None, end: dt.date | None = None
) -> None:
    """Rebuild ``sales_daily`` for ``start``..``end`` (inclusive), or entirely when omitted.

    Runs in the caller's transaction; the caller commits.
    """
    execute = conn.execute if isinstance(conn, Connection) else conn.connection().execute
    if start is None or end is None:
        execute(_DELETE_ALL)
        execute(text(_INSERT_SELECT.format(where="")))
        return
    params = {"start": start, "end": end}
    execute(_DELETE_RANGE, params)
    execute(text(_INSERT_SELECT.format(where="WHERE ol.order_date BETWEEN :start AND :end")), params)


def refresh_after_reassignment(conn: Session | Connection) -> None:
    """Retailers moved between managers: attribution changes everywhere, rebuild all."""
    refresh_sales_daily(conn)
