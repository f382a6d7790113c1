"""Pre-aggregated tables, kept equal to the raw rows they summarise.

``sales_daily`` sums ``order_line`` per day, department, manager and product; the sales
page's tables (``data_access/models/sales.py``) add per-segment and per-retailer sums and
monthly roll-ups of all three. Whoever writes order lines (generator, importer) calls
:func:`refresh_sales_daily` for the dates it touched, inside the same transaction, so no
aggregate ever drifts from the lines.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, text
from sqlmodel import Session

from data_access.rules.calendar import month_end, month_start

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
    # data_access/models/terminals.py: the terminal ranking's key-brand cartons per retailer.
    "terminal_sales_daily": """
INSERT INTO terminal_sales_daily (sale_date, retailer_id, cartons, key_cartons, amount)
SELECT ol.order_date, ol.retailer_id, SUM(ol.cartons),
       SUM(CASE WHEN p.is_key_brand THEN ol.cartons ELSE 0 END), SUM(ol.amount)
FROM order_line AS ol
JOIN product AS p ON p.id = ol.product_id
{where}
GROUP BY ol.order_date, ol.retailer_id
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
    if start is None or end is None:
        for table, insert in _DAILY_INSERTS.items():
            execute(text(f"DELETE FROM {table}"))
            execute(text(insert.format(where="")))
    else:
        days = {"start": start, "end": end}
        for table, insert in _DAILY_INSERTS.items():
            execute(text(f"DELETE FROM {table} WHERE sale_date BETWEEN :start AND :end"), days)
            execute(text(insert.format(where="WHERE ol.order_date BETWEEN :start AND :end")), days)
    refresh_derived_sales(connection, start=start, end=end)


def refresh_derived_sales(
    conn: Session | Connection, *, start: dt.date | None = None, end: dt.date | None = None
) -> None:
    """Rebuild the aggregates derived from the daily tables (of ``_DAILY_INSERTS``) for the range.

    The brand daily table, the monthly roll-ups and the competition tables. Called by
    :func:`refresh_sales_daily`, and by the sample generator, which sums the daily tables
    from the lines it holds in memory. The caller commits.
    """
    connection = conn if isinstance(conn, Connection) else conn.connection()
    execute = connection.execute
    dialect = connection.dialect.name
    if start is None or end is None:
        execute(text("DELETE FROM sales_brand_daily"))
        execute(text(_BRAND_DAILY_INSERT.format(where="")))
        for table in _MONTHLY:
            execute(text(f"DELETE FROM {table}"))
            execute(text(_monthly_insert(table, dialect, "")))
        execute(text("DELETE FROM team_sales_daily"))
        execute(text(_TEAM_SALES_INSERT.format(where="")))
        refresh_order_aggregates(connection)
        return
    days = {"start": start, "end": end}
    execute(text("DELETE FROM sales_brand_daily WHERE sale_date BETWEEN :start AND :end"), days)
    execute(text(_BRAND_DAILY_INSERT.format(where="WHERE sale_date BETWEEN :start AND :end")), days)
    months = {"first": month_start(start), "last": month_start(end), "last_day": month_end(end)}
    for table in _MONTHLY:
        execute(text(f"DELETE FROM {table} WHERE month BETWEEN :first AND :last"), months)
        execute(text(_monthly_insert(table, dialect, "WHERE sale_date BETWEEN :first AND :last_day")), months)
    execute(text("DELETE FROM team_sales_daily WHERE sale_date BETWEEN :start AND :end"), days)
    execute(text(_TEAM_SALES_INSERT.format(where="WHERE sale_date BETWEEN :start AND :end")), days)
    refresh_order_aggregates(connection, start=start, end=end)


def refresh_after_reassignment(conn: Session | Connection, table: str) -> None:
    """Rows of master ``table`` changed a column their sales are grouped by; rebuild what moved.

    ``retailer`` / ``customer_manager`` (moved to another manager or department): attribution
    changes everywhere, so every aggregate is rebuilt. ``product`` (key-brand flag changed):
    ``sales_daily`` keeps products apart, so only ``terminal_sales_daily``, which sums the
    flag in, is rebuilt. The caller commits.
    """
    if table != "product":
        refresh_sales_daily(conn)
        return
    connection = conn if isinstance(conn, Connection) else conn.connection()
    connection.execute(text("DELETE FROM terminal_sales_daily"))
    connection.execute(text(_DAILY_INSERTS["terminal_sales_daily"].format(where="")))


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


# --- department competition (data_access/models/teams.py) -------------------------------
_TEAM_SALES_INSERT = """
INSERT INTO team_sales_daily (sale_date, department_id, manager_id, cartons, amount)
SELECT sale_date, department_id, manager_id, SUM(cartons), SUM(amount)
FROM sales_daily {where}
GROUP BY sale_date, department_id, manager_id
"""

_TEAM_ORDERING_INSERT = """
INSERT INTO team_ordering_monthly (month, manager_id, ordering_retailers, online_retailers)
SELECT {month}, r.manager_id, COUNT(DISTINCT o.retailer_id),
       COUNT(DISTINCT CASE WHEN o.channel = :online THEN o.retailer_id END)
FROM retail_order AS o
JOIN retailer AS r ON r.id = o.retailer_id
JOIN customer_manager AS cm ON cm.id = r.manager_id
WHERE o.status = :ordered {where}
GROUP BY {month}, r.manager_id
"""

# A planned visit is done when the manager signed in at that shop on the planned day.
_TEAM_VISIT_INSERT = """
INSERT INTO team_visit_daily (plan_date, manager_id, planned_visits, done_visits)
SELECT vp.plan_date, vp.manager_id, COUNT(*),
       SUM(CASE WHEN EXISTS (SELECT 1 FROM visit AS v WHERE v.manager_id = vp.manager_id
                             AND v.retailer_id = vp.retailer_id AND v.visit_date = vp.plan_date)
                THEN 1 ELSE 0 END)
FROM visit_plan AS vp
JOIN customer_manager AS cm ON cm.id = vp.manager_id
{where}
GROUP BY vp.plan_date, vp.manager_id
"""


def refresh_order_aggregates(
    conn: Session | Connection, *, start: dt.date | None = None, end: dt.date | None = None
) -> None:
    """Rebuild ``team_ordering_monthly`` for every month ``start``..``end`` touches, or entirely.

    Called by :func:`refresh_sales_daily` (every writer of orders calls it) and by
    :func:`backfill_team_aggregates`. The caller commits.
    """
    connection = conn if isinstance(conn, Connection) else conn.connection()
    month = _month_of("o.order_date", connection.dialect.name)
    params: dict[str, object] = {"online": "online", "ordered": "ordered"}
    if start is None or end is None:
        connection.execute(text("DELETE FROM team_ordering_monthly"))
        connection.execute(text(_TEAM_ORDERING_INSERT.format(month=month, where="")), params)
        return
    params |= {"first": month_start(start), "last": month_start(end), "last_day": month_end(end)}
    connection.execute(text("DELETE FROM team_ordering_monthly WHERE month BETWEEN :first AND :last"), params)
    connection.execute(text(_TEAM_ORDERING_INSERT.format(
        month=month, where="AND o.order_date BETWEEN :first AND :last_day")), params)


def refresh_visit_aggregates(
    conn: Session | Connection, *, start: dt.date | None = None, end: dt.date | None = None
) -> None:
    """Rebuild ``team_visit_daily`` for the plan days ``start``..``end`` (inclusive), or entirely.

    Every writer of visits or visit plans calls it for the days it touched, inside its own
    transaction (the caller commits).
    """
    connection = conn if isinstance(conn, Connection) else conn.connection()
    if start is None or end is None:
        connection.execute(text("DELETE FROM team_visit_daily"))
        connection.execute(text(_TEAM_VISIT_INSERT.format(where="")))
        return
    days = {"start": start, "end": end}
    connection.execute(text("DELETE FROM team_visit_daily WHERE plan_date BETWEEN :start AND :end"), days)
    connection.execute(text(_TEAM_VISIT_INSERT.format(where="WHERE vp.plan_date BETWEEN :start AND :end")), days)


def backfill_team_aggregates(conn: Session | Connection) -> list[str]:
    """Fill each competition aggregate that is empty while its raw rows exist; the tables filled.

    For databases made before ``data_access/models/teams.py`` (``create_schema`` adds the
    tables empty). Cheap when nothing is missing: one-row probes. The caller commits.
    """
    connection = conn if isinstance(conn, Connection) else conn.connection()

    def has_rows(table: str) -> bool:
        return connection.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None

    filled = []
    if has_rows("sales_daily") and not has_rows("team_sales_daily"):
        connection.execute(text(_TEAM_SALES_INSERT.format(where="")))
        filled.append("team_sales_daily")
    if has_rows("retail_order") and not has_rows("team_ordering_monthly"):
        refresh_order_aggregates(connection)
        filled.append("team_ordering_monthly")
    if has_rows("visit_plan") and not has_rows("team_visit_daily"):
        refresh_visit_aggregates(connection)
        filled.append("team_visit_daily")
    return filled
