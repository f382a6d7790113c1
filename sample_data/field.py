"""Field work per month: visit plans, visits and GPS rows for every manager and working day."""

from __future__ import annotations

import datetime as dt

import numpy as np

from data_access.rules.calendar import is_working_day, month_end
from sample_data.common import child_rng, datetime_strings, day_index, to_lonlat
from sample_data.county import County
from sample_data.visits import ANOMALY_RATES, UNPLANNED_VISIT_RATE, simulate_day


class FieldWork:
    def __init__(self, county: County, slots: dict[int, list[np.ndarray]]) -> None:
        self.county = county
        self.slots = slots
        r = county.retailers
        self.x, self.y = r["x"].to_numpy(), r["y"].to_numpy()
        self.active_from = r["active_from"].to_numpy()
        self.active_until = r["active_until"].to_numpy()
        self.manager_rows = {int(m): np.flatnonzero(r["manager_id"].to_numpy() == m) for m in county.managers["id"]}
        end = county.end
        week_end = end + dt.timedelta(days=6 - end.weekday())
        self.plan_days = [d for d in _days(county.start, week_end) if is_working_day(d)]
        self.visit_until = day_index(end)  # visits up to the day before end_date (today is live)
        track_days = [d for d in self.plan_days if day_index(d) < self.visit_until]
        gps_n = county.scale.gps_working_days
        self.track_from = day_index(track_days[-gps_n]) if gps_n and len(track_days) >= gps_n else day_index(county.start)
        rng = child_rng(county.seed, "manager-habits")
        factor = rng.lognormal(0, 0.45, len(county.managers))
        self.rate_factor = dict(zip(county.managers["id"].astype(int), factor / factor.mean(), strict=True))
        self.slot_offset = {int(m): int(rng.integers(10)) for m in county.managers["id"]}
        self.next_visit_id = 1
        self.manager_list = list(county.managers[["id", "office_x", "office_y", "rural"]].itertuples(index=False))

    def month(self, month: dt.date) -> dict[str, dict[str, np.ndarray]]:
        """visit_plan, visit and gps_point rows of one month, as column arrays."""
        first, last = day_index(month), day_index(month_end(month))
        plans: dict[str, list] = {"plan_date": [], "manager_id": [], "retailer_id": []}
        visit_cols = ("manager_id", "retailer_id", "visit_date", "planned", "sign_in_s", "sign_out_s", "missing_sign_out",
                      "in_x", "in_y", "out_x", "out_y")
        visits: dict[str, list] = {c: [] for c in visit_cols}
        gps: dict[str, list] = {"manager_id": [], "day": [], "seconds": [], "x": [], "y": [], "speed": [], "accuracy": []}
        rngs = {int(m.id): child_rng(self.county.seed, "field", int(m.id), month.year, month.month) for m in self.manager_list}
        for w_index, day in enumerate(self.plan_days):
            d = day_index(day)
            if not first <= d <= last:
                continue
            for m in self.manager_list:
                mid = int(m.id)
                route = self.slots[mid][(w_index + self.slot_offset[mid]) % 10]
                route = route[(self.active_from[route] <= d) & (self.active_until[route] > d)]
                plans["plan_date"].append(np.full(len(route), d))
                plans["manager_id"].append(np.full(len(route), mid))
                plans["retailer_id"].append(route + 1)
                if d >= self.visit_until:
                    continue
                rng = rngs[mid]
                factor = self.rate_factor[mid]
                keep = rng.random(len(route)) >= ANOMALY_RATES["planned_not_visited"] * factor
                stops, planned = route[keep], np.ones(keep.sum(), dtype=bool)
                extra = int(rng.binomial(len(stops), UNPLANNED_VISIT_RATE))
                if extra:
                    pool = self.manager_rows[mid]
                    pool = pool[(self.active_from[pool] <= d) & (self.active_until[pool] > d) & ~np.isin(pool, route)]
                    for shop in rng.choice(pool, size=min(extra, len(pool)), replace=False):
                        near = int(np.argmin(np.abs(self.x[stops] - self.x[shop]) + np.abs(self.y[stops] - self.y[shop])))
                        stops = np.insert(stops, near + 1, shop)
                        planned = np.insert(planned, near + 1, False)
                result = simulate_day(
                    rng, office=(m.office_x, m.office_y), rural=bool(m.rural), shops=np.column_stack([self.x[stops], self.y[stops]]),
                    planned=planned, rate_factor=factor, with_track=d >= self.track_from,
                )
                v = result.visits
                visits["manager_id"].append(np.full(len(stops), mid))
                visits["retailer_id"].append(stops + 1)
                visits["visit_date"].append(np.full(len(stops), d))
                for c in visit_cols[3:]:
                    visits[c].append(v[c])
                if result.track is not None:
                    tr = result.track
                    gps["manager_id"].append(np.full(len(tr["seconds"]), mid))
                    gps["day"].append(np.full(len(tr["seconds"]), d))
                    for c in ("seconds", "x", "y", "speed", "accuracy"):
                        gps[c].append(tr[c])
        return {"visit_plan": self._plan_rows(plans), "visit": self._visit_rows(visits), "gps_point": self._gps_rows(gps)}

    def _plan_rows(self, plans: dict[str, list]) -> dict[str, np.ndarray]:
        return {k: np.concatenate(v) if v else np.empty(0, dtype=np.int64) for k, v in plans.items()}

    def _visit_rows(self, visits: dict[str, list]) -> dict[str, np.ndarray]:
        c = {k: np.concatenate(v) if v else np.empty(0) for k, v in visits.items()}
        n = len(c["manager_id"])
        ids = np.arange(self.next_visit_id, self.next_visit_id + n)
        self.next_visit_id += n
        days = c["visit_date"].astype(np.int64)
        in_lon, in_lat = to_lonlat(c["in_x"], c["in_y"])
        out_lon, out_lat = to_lonlat(c["out_x"], c["out_y"])
        missing = c["missing_sign_out"].astype(bool)
        out_at = datetime_strings(days, c["sign_out_s"]).astype(object)
        out_at[missing] = None
        out_lon = np.round(out_lon, 6).astype(object)
        out_lat = np.round(out_lat, 6).astype(object)
        out_lon[missing] = None
        out_lat[missing] = None
        return {
            "id": ids, "manager_id": c["manager_id"].astype(np.int64), "retailer_id": c["retailer_id"].astype(np.int64),
            "visit_date": days, "planned": c["planned"].astype(bool),
            "sign_in_at": datetime_strings(days, c["sign_in_s"]), "sign_in_lon": np.round(in_lon, 6),
            "sign_in_lat": np.round(in_lat, 6), "sign_out_at": out_at, "sign_out_lon": out_lon, "sign_out_lat": out_lat,
        }

    def _gps_rows(self, gps: dict[str, list]) -> dict[str, np.ndarray]:
        c = {k: np.concatenate(v) if v else np.empty(0) for k, v in gps.items()}
        lon, lat = to_lonlat(c["x"], c["y"])
        return {  # ids are left to the database
            "manager_id": c["manager_id"].astype(np.int64),
            "recorded_at": datetime_strings(c["day"].astype(np.int64), c["seconds"]),
            "longitude": np.round(lon, 6), "latitude": np.round(lat, 6), "speed_kmh": c["speed"], "accuracy_m": c["accuracy"],
        }


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
