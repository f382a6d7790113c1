"""Pre-aggregated KPI inputs of the department competition page (derived, never written by hand).

The KPI group's online ordering rate and visit compliance count distinct ordering retailers
and planned visits done, which at county scale means scanning a year of ``retail_order``
and joining ``visit_plan`` against ``visit`` on every cold page load. These tables hold
those counts per customer manager (the department is joined at read time, so moving a
manager to another department needs no rebuild), and the page's sales per day and manager:

- ``team_ordering_monthly``: per month and manager, the retailers that placed an order
  (status ``ordered``) and those that placed one online. A retailer belongs to exactly one
  manager, so summing managers gives the department's distinct count. Rebuilt by
  ``data_access.aggregates.refresh_sales_daily`` (every writer of orders calls it) for the
  months its dates touch.
- ``team_sales_daily``: ``sales_daily`` summed per day, department and manager (products
  summed away: a year is a few thousand rows instead of a few hundred thousand). Rebuilt
  by ``refresh_sales_daily`` right after ``sales_daily``, for the same days.
- ``team_visit_daily``: per day and manager, planned visits and those done (the manager
  signed in at that shop on the planned day). Rebuilt by
  ``data_access.aggregates.refresh_visit_aggregates``, which every writer of visits or
  visit plans (generator, importer, live feed) calls in its own transaction.

Tests (tests/test_team_aggregates.py) assert both always equal the raw rows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from data_access.models import _big_id


class TeamOrderingMonthly(SQLModel, table=True):
    """Retailers ordering (any channel, and online) per month and customer manager."""

    __tablename__ = "team_ordering_monthly"
    __table_args__ = (Index("ix_team_ordering_monthly_month", "month", "manager_id"),)
    id: int | None = Field(default=None, sa_column=_big_id())
    month: dt.date
    manager_id: int
    ordering_retailers: int
    online_retailers: int


class TeamSalesDaily(SQLModel, table=True):
    """Cartons and amount per day, department and customer manager (``sales_daily`` summed)."""

    __tablename__ = "team_sales_daily"
    __table_args__ = (Index("ix_team_sales_daily_date", "sale_date", "department_id"),)
    id: int | None = Field(default=None, sa_column=_big_id())
    sale_date: dt.date
    department_id: int
    manager_id: int
    cartons: float
    amount: float


class TeamVisitDaily(SQLModel, table=True):
    """Planned visits and planned visits done per plan day and customer manager."""

    __tablename__ = "team_visit_daily"
    __table_args__ = (Index("ix_team_visit_daily_date", "plan_date", "manager_id"),)
    id: int | None = Field(default=None, sa_column=_big_id())
    plan_date: dt.date
    manager_id: int
    planned_visits: int
    done_visits: int
