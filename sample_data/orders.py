"""Weekly orders and their lines (DOMAIN.md §4), one calendar month at a time.

Each retailer orders once a week on its fixed weekday. Its cartons follow its tier,
the season and a small trend; they spread over its assortment by a multinomial draw,
so every line is a whole number of cartons and lines are unique per SKU.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from data_access.rules.calendar import add_months, month_end
from sample_data.common import child_rng, day_index
from sample_data.county import County
from sample_data.demand import (
    SKIP_WEEK_RATE,
    growth_factor,
    month_multipliers,
    order_days,
    season_factor,
    weekly_cartons_scale,
)
from sample_data.products import Catalogue

# Latest ordering cycle (the week of end_date): outcomes of the orders placed so far.
CURRENT_CYCLE_STATUS = {"ordered": 0.955, "failed": 0.015, "insufficient_balance": 0.03}
CURRENT_CYCLE_SKIP_RATE = 0.04  # retailers whose day has passed but who have not ordered
PHONE_FALLBACK_RATE = 0.03  # online retailers who still phone an order in now and then
WEEKLY_NOISE = 0.2  # log-normal sigma of a retailer's week-to-week volume


@dataclass
class SalesTotals:
    """Running sums by month, kept while lines are written (for plans, POS, forecasts)."""

    months: list[dt.date]
    manager_product: np.ndarray  # cartons [month, manager, product]
    retailer: np.ndarray  # cartons [month, retailer]
    retailer_key: np.ndarray  # key-brand cartons [month, retailer]
    line_count: int = 0
    order_count: int = 0


class OrderBook:
    def __init__(self, county: County, catalogue: Catalogue, mix: np.ndarray, *, plan_until: dt.date) -> None:
        self.county = county
        self.catalogue = catalogue
        self.mix = mix
        self.scale = weekly_cartons_scale(county)
        self.calendar = order_days(county.start, month_end(plan_until))
        self.first_monday = day_index(county.start) - county.start.weekday()
        r = county.retailers
        self.slot = r["order_slot"].to_numpy()
        self.active_from = r["active_from"].to_numpy()
        self.active_until = r["active_until"].to_numpy()
        self.volume = r["volume"].to_numpy() * self.scale
        self.manager = r["manager_id"].to_numpy() - 1
        self.online = r["online_ordering"].to_numpy()
        self.n_managers = len(county.managers)
        months = []
        m = county.start.replace(day=1)
        while m <= county.end:
            months.append(m)
            m = add_months(m, 1)
        n_p = len(catalogue)
        self.totals = SalesTotals(
            months=months,
            manager_product=np.zeros((len(months), self.n_managers, n_p)),
            retailer=np.zeros((len(months), len(r))),
            retailer_key=np.zeros((len(months), len(r))),
        )
        self.next_order_id = 1
        end_i = day_index(county.end)
        self.cycle_start = end_i - county.end.weekday()

    def _month_mix(self, first: int, last: int) -> np.ndarray:
        mult = month_multipliers(self.catalogue, (first + last) // 2, self.county.end)
        mix = self.mix * mult[None, :]
        return mix / mix.sum(axis=1, keepdims=True)

    def _candidates(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """(order day, retailer index) of every weekly order falling in ``first..last``."""
        w0 = max(0, (first - self.first_monday) // 7)
        w1 = min(len(self.calendar) - 1, (last - self.first_monday) // 7)
        days = self.calendar[w0 : w1 + 1][:, self.slot]  # [week, retailer]
        ok = (days >= first) & (days <= last) & (days >= self.active_from) & (days < self.active_until)
        w, r = np.nonzero(ok)
        d = days[w, r]
        order = np.lexsort((r, d))
        return d[order], r[order]

    def month(self, month: dt.date) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Order headers and lines of one month (up to end_date), sorted by date, retailer, product."""
        county, cat = self.county, self.catalogue
        rng = child_rng(county.seed, "orders", month.year, month.month)
        first = max(day_index(month), day_index(county.start))
        last = min(day_index(month_end(month)), day_index(county.end))
        d, r = self._candidates(first, last)
        current = d >= self.cycle_start
        skip = rng.random(len(d)) < np.where(current, CURRENT_CYCLE_SKIP_RATE, SKIP_WEEK_RATE)
        d, r, current = d[~skip], r[~skip], current[~skip]
        status = np.full(len(d), "ordered", dtype=object)
        statuses = list(CURRENT_CYCLE_STATUS)
        draw = rng.choice(len(statuses), size=len(d), p=list(CURRENT_CYCLE_STATUS.values()))
        status[current] = np.array(statuses, dtype=object)[draw[current]]
        channel = np.where(self.online[r] & (rng.random(len(d)) >= PHONE_FALLBACK_RATE), "online", "phone")
        order_ids = np.arange(self.next_order_id, self.next_order_id + len(d))
        self.next_order_id += len(d)
        orders = {"id": order_ids, "order_date": d, "retailer_id": r + 1, "channel": channel, "status": status}

        placed = status == "ordered"
        d, r = d[placed], r[placed]
        mean = self.volume[r] * season_factor(d) * growth_factor(d, county.end)
        cartons_total = np.maximum(1, np.round(mean * rng.lognormal(-WEEKLY_NOISE**2 / 2, WEEKLY_NOISE, len(d))))
        mix = self._month_mix(first, last)
        counts = rng.multinomial(cartons_total.astype(np.int64), mix[r])
        rows, product = np.nonzero(counts)
        cartons = counts[rows, product].astype(float)
        amount = np.round(cartons * cat.wholesale[product], 2)
        cost = np.round(cartons * cat.cost[product], 2)
        lines = {  # ids are left to the database: nothing refers to a line
            "order_date": d[rows], "retailer_id": r[rows] + 1, "product_id": product + 1,
            "cartons": cartons, "amount": amount, "cost": cost,
        }
        t = self.totals
        mi = t.months.index(month)
        n_p = len(cat)
        flat = self.manager[r[rows]] * n_p + product
        t.manager_product[mi] += np.bincount(flat, cartons, minlength=self.n_managers * n_p).reshape(self.n_managers, n_p)
        t.retailer[mi] += np.bincount(r[rows], cartons, minlength=len(self.volume))
        key = cat.key_brand[product]
        t.retailer_key[mi] += np.bincount(r[rows][key], cartons[key], minlength=len(self.volume))
        t.line_count += len(rows)
        t.order_count += len(order_ids)
        return orders, lines

    def expected(self, month: dt.date) -> np.ndarray:
        """Expected cartons of a whole month by [manager, product], without noise (for plans)."""
        first, last = day_index(month), day_index(month_end(month))
        d, r = self._candidates(first, last)
        mean = self.volume[r] * season_factor(d) * growth_factor(d, self.county.end) * (1 - SKIP_WEEK_RATE)
        per_retailer = np.bincount(r, mean, minlength=len(self.volume))
        weighted = self._month_mix(first, last) * per_retailer[:, None]
        out = np.zeros((self.n_managers, len(self.catalogue)))
        np.add.at(out, self.manager, weighted)
        return out
