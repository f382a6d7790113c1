"""Pre-aggregated sales tables of the sales trends page (derived, never written by hand).

``sales_daily`` (data_access/models.py) sums order lines per day, manager and product. The
sales page also slices by retailer attributes (business format, market type) and ranks
retailers, and it reads multi-month ranges that would scan hundreds of thousands of daily
rows. These tables keep every page query small:

- ``sales_monthly``: ``sales_daily`` summed per month (same dimensions);
- ``sales_segment_daily`` / ``sales_segment_monthly``: per day (month), department, brand
  family, business format and market type;
- ``sales_retailer_daily`` / ``sales_retailer_monthly``: per day (month) and retailer;
- ``sales_brand_daily``: per day, department and brand family (day and week trends).

All are rebuilt by ``data_access.aggregates.refresh_sales_daily`` for the dates whose
order lines changed; tests assert they always equal the raw lines. ``month`` is the DATE of
the month's first day.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from data_access.models import _big_id


class SalesMonthly(SQLModel, table=True):
    """``sales_daily`` summed per month, department, manager and product."""

    __tablename__ = "sales_monthly"
    __table_args__ = (
        Index("ix_sales_monthly_month_dept", "month", "department_id"),
        Index("ix_sales_monthly_dept_month", "department_id", "month"),
    )
    id: int | None = Field(default=None, sa_column=_big_id())
    month: dt.date
    department_id: int
    manager_id: int
    product_id: int
    cartons: float
    amount: float
    cost: float
    order_lines: int


class SalesSegmentDaily(SQLModel, table=True):
    """Order lines per day, department, brand family, business format and market type."""

    __tablename__ = "sales_segment_daily"
    __table_args__ = (Index("ix_sales_segment_daily_date_dept", "sale_date", "department_id"),)
    id: int | None = Field(default=None, sa_column=_big_id())
    sale_date: dt.date
    department_id: int
    brand_family: str = Field(max_length=40)
    business_format: str = Field(max_length=20)
    market_type: str = Field(max_length=10)
    cartons: float
    amount: float
    cost: float


class SalesSegmentMonthly(SQLModel, table=True):
    """``sales_segment_daily`` summed per month."""

    __tablename__ = "sales_segment_monthly"
    __table_args__ = (Index("ix_sales_segment_monthly_month_dept", "month", "department_id"),)
    id: int | None = Field(default=None, sa_column=_big_id())
    month: dt.date
    department_id: int
    brand_family: str = Field(max_length=40)
    business_format: str = Field(max_length=20)
    market_type: str = Field(max_length=10)
    cartons: float
    amount: float
    cost: float


class SalesRetailerDaily(SQLModel, table=True):
    """Order lines per day and retailer (one weekly order: about one row per retailer-week)."""

    __tablename__ = "sales_retailer_daily"
    __table_args__ = (Index("ix_sales_retailer_daily_date_dept", "sale_date", "department_id"),)
    id: int | None = Field(default=None, sa_column=_big_id())
    sale_date: dt.date
    retailer_id: int
    department_id: int
    cartons: float
    amount: float
    cost: float


class SalesRetailerMonthly(SQLModel, table=True):
    """``sales_retailer_daily`` summed per month."""

    __tablename__ = "sales_retailer_monthly"
    __table_args__ = (Index("ix_sales_retailer_monthly_month_dept", "month", "department_id"),)
    id: int | None = Field(default=None, sa_column=_big_id())
    month: dt.date
    retailer_id: int
    department_id: int
    cartons: float
    amount: float
    cost: float


class SalesBrandDaily(SQLModel, table=True):
    """Order lines per day, department and brand family: the day and week trend lines.

    About 1/8 of ``sales_daily``; summed from ``sales_segment_daily``.
    """

    __tablename__ = "sales_brand_daily"
    __table_args__ = (Index("ix_sales_brand_daily_date_dept", "sale_date", "department_id"),)
    id: int | None = Field(default=None, sa_column=_big_id())
    sale_date: dt.date
    department_id: int
    brand_family: str = Field(max_length=40)
    cartons: float
    amount: float
    cost: float
