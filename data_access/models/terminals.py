"""Pre-aggregated sales of the terminal rankings page (derived, never written by hand).

Brand cultivation (DOMAIN.md §6) needs each terminal's key-brand cartons per month, and
its year-on-year growth needs the same month a year earlier, cut at the same day when the
month is still running. Summing order lines for that costs a scan of four months of lines
on every page open; ``terminal_sales_daily`` holds the sums per day and retailer (about
one row per retailer-week), so a month of every terminal is a few thousand rows and a cut
month is the same query with another end date.

It covers every retailer, not only modern terminals, so a retailer reclassified as a
modern terminal needs no rebuild. ``data_access.aggregates.refresh_sales_daily`` rebuilds
it for the days whose order lines changed; a product import that changes a product's
key-brand flag rebuilds it entirely (``refresh_after_reassignment``). Tests assert it always
equals the raw lines.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from data_access.models import _big_id


class TerminalSalesDaily(SQLModel, table=True):
    """Order lines per day and retailer: cartons, of which key-brand (重点品牌) cartons, amount."""

    __tablename__ = "terminal_sales_daily"
    __table_args__ = (
        # Covering: a month of every terminal and one terminal's months read only the index.
        Index("ix_terminal_sales_daily_date_retailer", "sale_date", "retailer_id", "cartons", "key_cartons",
              "amount"),
        Index("ix_terminal_sales_daily_retailer_date", "retailer_id", "sale_date", "cartons", "key_cartons",
              "amount"),
    )
    id: int | None = Field(default=None, sa_column=_big_id())
    sale_date: dt.date
    retailer_id: int
    cartons: float
    key_cartons: float
    amount: float
