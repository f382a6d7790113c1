"""The sample county's daily sales aggregates, summed from the order lines the generator holds.

``data_access.aggregates`` defines every sales aggregate in SQL; importers use it, and so
would the generator, but summing 3.5 million lines again in SQLite was over 40% of the
demo's first start (~25 s of ~60 s). The generator already holds each month's lines as
arrays, so it sums the four daily tables of ``aggregates._DAILY_INSERTS`` here, month by
month, and lets ``aggregates.refresh_derived_sales`` build the rest from them in SQL.
``tests/test_sample_data.py`` asserts every aggregate of a generated county equals its
SQL definition over the lines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.county import County
from sample_data.products import Catalogue

_MEASURES = {"cartons": ("cartons", "sum"), "amount": ("amount", "sum"), "cost": ("cost", "sum")}

# table -> (group keys, measures); the same groupings as the SQL of aggregates._DAILY_INSERTS
TABLES: dict[str, tuple[list[str], dict[str, tuple[str, str]]]] = {
    "sales_daily": (["sale_date", "department_id", "manager_id", "product_id"],
                    {**_MEASURES, "order_lines": ("cartons", "size")}),
    "sales_segment_daily": (["sale_date", "department_id", "brand_family", "business_format", "market_type"],
                            _MEASURES),
    "sales_retailer_daily": (["sale_date", "retailer_id", "department_id"], _MEASURES),
    "terminal_sales_daily": (["sale_date", "retailer_id"], {"cartons": ("cartons", "sum"),
                                                            "key_cartons": ("key_cartons", "sum"),
                                                            "amount": ("amount", "sum")}),
}


class DailySales:
    """Collects the daily aggregates of every month's lines; :meth:`columns` gives them for insertion."""

    def __init__(self, county: County, catalogue: Catalogue) -> None:
        retailers = county.retailers.sort_values("id")
        self.manager = retailers["manager_id"].to_numpy()  # by retailer id - 1
        department_of = county.managers.set_index("id")["department_id"]
        self.department = department_of.reindex(self.manager).to_numpy()
        self.format = retailers["business_format"].to_numpy(dtype=object)
        self.market = retailers["market_type"].to_numpy(dtype=object)
        self.family = np.asarray(catalogue.family, dtype=object)  # by product id - 1
        self.key = np.asarray(catalogue.key_brand, dtype=bool)
        self.parts: dict[str, list[pd.DataFrame]] = {table: [] for table in TABLES}

    def add(self, lines: dict[str, np.ndarray]) -> None:
        """Sum one month's order lines (``OrderBook.month`` output) into every daily table."""
        retailer = np.asarray(lines["retailer_id"]) - 1
        product = np.asarray(lines["product_id"]) - 1
        cartons = np.asarray(lines["cartons"], dtype=float)
        frame = pd.DataFrame({
            "sale_date": lines["order_date"], "retailer_id": lines["retailer_id"], "product_id": lines["product_id"],
            "department_id": self.department[retailer], "manager_id": self.manager[retailer],
            "brand_family": self.family[product], "business_format": self.format[retailer],
            "market_type": self.market[retailer], "cartons": cartons, "key_cartons": np.where(self.key[product], cartons, 0.0),
            "amount": lines["amount"], "cost": lines["cost"],
        })
        for table, (keys, measures) in TABLES.items():
            self.parts[table].append(frame.groupby(keys, sort=False).agg(**measures).reset_index())

    def columns(self, table: str) -> dict[str, np.ndarray]:
        """All months of ``table`` as column arrays (months never share a day: no second sum)."""
        parts = self.parts[table]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=TABLES[table][0])
        return {name: frame[name].to_numpy() for name in frame.columns}
