"""Visit anomaly rules and coverage (DOMAIN.md §7), pure functions on DataFrames.

Each rule lives in exactly one function here; queries fetch the rows, pages show the result.
Thresholds come from configuration (``config.get_setting(session, "visit_rules")``) merged
over :data:`RULE_DEFAULTS`, so a county can change them without a code change.

Rules (codes in :data:`ANOMALY_RULES`):
- ``far_sign_in``: sign-in position farther than ``far_sign_in_m`` from the shop's registered one;
- ``short_visit``: sign-out − sign-in shorter than ``short_visit_min`` minutes;
- ``missing_sign_out``: a sign-in without a sign-out;
- ``impossible_speed``: two consecutive GPS fixes implying more than ``max_speed_kmh``;
- ``outside_hours``: sign-in before ``work_start``, at/after ``work_end``, or (when
  ``flag_lunch_sign_in``) inside the lunch break ``lunch_start``..``lunch_end``;
- ``missed_plan``: a planned shop with no visit on the planned day;
- ``coverage_gap``: an assigned shop whose last visit is more than its ``visit_cycle_days``
  before the day looked at (or never visited).

Coverage = share of assigned shops whose last visit up to the as-of day is at most their
cycle before it (``days_since_visit <= visit_cycle_days``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data_access.config import default
from data_access.rules.geodesy import EARTH_RADIUS_M

ANOMALY_RULES = (
    "far_sign_in", "short_visit", "missing_sign_out", "impossible_speed", "outside_hours", "missed_plan", "coverage_gap",
)
# The built-in thresholds (data_access.config); a county's saved value wins key by key, so
# a saved setting from before a key existed still gets that key's default.
RULE_DEFAULTS: dict[str, Any] = default("visit_rules")
SHOP_STATUSES = ("visited", "missed_plan", "overdue", "recent")


def haversine_m(lon1, lat1, lon2, lat2):
    """Great-circle distance in metres (scalars or arrays)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype="float64")) for v in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    distance = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(distance) if np.ndim(distance) == 0 else distance


def _time(text: str) -> dt.time:
    hours, minutes = str(text).split(":")[:2]
    return dt.time(int(hours), int(minutes))


@dataclass(frozen=True)
class VisitRules:
    """The thresholds of the anomaly rules, as configured."""

    far_sign_in_m: float
    short_visit_min: float
    max_speed_kmh: float
    work_start: dt.time
    work_end: dt.time
    lunch_start: dt.time
    lunch_end: dt.time
    flag_lunch_sign_in: bool
    speed_ignore_accuracy_m: float

    @classmethod
    def from_setting(cls, setting: dict[str, Any] | None = None) -> VisitRules:
        merged = {**RULE_DEFAULTS, **(setting or {})}
        return cls(
            far_sign_in_m=float(merged["far_sign_in_m"]),
            short_visit_min=float(merged["short_visit_min"]),
            max_speed_kmh=float(merged["max_speed_kmh"]),
            work_start=_time(merged["work_start"]),
            work_end=_time(merged["work_end"]),
            lunch_start=_time(merged["lunch_start"]),
            lunch_end=_time(merged["lunch_end"]),
            flag_lunch_sign_in=bool(merged["flag_lunch_sign_in"]),
            speed_ignore_accuracy_m=float(merged["speed_ignore_accuracy_m"]),
        )

    def threshold(self, rule: str) -> str:
        """The threshold of ``rule`` as a short text (shown beside each anomaly)."""
        return {
            "far_sign_in": f"{self.far_sign_in_m:g} m",
            "short_visit": f"{self.short_visit_min:g} min",
            "impossible_speed": f"{self.max_speed_kmh:g} km/h",
            "outside_hours": f"{self.work_start:%H:%M}–{self.work_end:%H:%M}",
        }.get(rule, "")


def _outside_hours(times: pd.Series, rules: VisitRules) -> pd.Series:
    clock = times.dt.hour * 60 + times.dt.minute + times.dt.second / 60

    def minutes(value: dt.time) -> float:
        return value.hour * 60 + value.minute

    outside = (clock < minutes(rules.work_start)) | (clock >= minutes(rules.work_end))
    if rules.flag_lunch_sign_in:
        outside |= (clock >= minutes(rules.lunch_start)) & (clock < minutes(rules.lunch_end))
    return outside


def enrich_visits(visits: pd.DataFrame, rules: VisitRules) -> pd.DataFrame:
    """Add stop order, duration, sign-in distance and one boolean column per visit rule.

    ``visits`` needs manager_id, visit_date, sign_in_at, sign_out_at (NaT when missing),
    sign_in_lon/lat and shop_lon/lat. Stops are numbered 1.. in sign-in order per manager-day.
    """
    out = visits.sort_values(["manager_id", "sign_in_at"]).reset_index(drop=True)
    out["sign_in_at"] = pd.to_datetime(out["sign_in_at"])
    out["sign_out_at"] = pd.to_datetime(out["sign_out_at"])
    out["stop_no"] = out.groupby(["manager_id", "visit_date"]).cumcount() + 1
    out["duration_min"] = (out["sign_out_at"] - out["sign_in_at"]).dt.total_seconds() / 60
    out["sign_in_distance_m"] = haversine_m(out["sign_in_lon"], out["sign_in_lat"], out["shop_lon"], out["shop_lat"])
    out["far_sign_in"] = out["sign_in_distance_m"] > rules.far_sign_in_m
    out["missing_sign_out"] = out["sign_out_at"].isna()
    out["short_visit"] = out["duration_min"].notna() & (out["duration_min"] < rules.short_visit_min)
    out["outside_hours"] = _outside_hours(out["sign_in_at"], rules)
    return out


VISIT_RULES = ("far_sign_in", "short_visit", "missing_sign_out", "outside_hours")


def visit_anomaly_codes(enriched: pd.DataFrame) -> pd.Series:
    """Per visit, the list of rules it breaks (empty list when none)."""
    flags = enriched[list(VISIT_RULES)].to_numpy(dtype=bool)
    return pd.Series([[r for r, f in zip(VISIT_RULES, row, strict=True) if f] for row in flags], index=enriched.index)


def track_pairs(track: pd.DataFrame) -> pd.DataFrame:
    """Consecutive fixes of a track (per manager and day) as from/to pairs."""
    ordered = track.sort_values(["manager_id", "recorded_at"]).reset_index(drop=True)
    ordered["recorded_at"] = pd.to_datetime(ordered["recorded_at"])
    day = ordered["recorded_at"].dt.date
    group = ordered.groupby([ordered["manager_id"], day])
    pairs = pd.DataFrame({
        "manager_id": ordered["manager_id"],
        "prev_at": group["recorded_at"].shift(),
        "prev_lon": group["lon"].shift(),
        "prev_lat": group["lat"].shift(),
        "prev_accuracy_m": group["accuracy_m"].shift(),
        "recorded_at": ordered["recorded_at"],
        "lon": ordered["lon"],
        "lat": ordered["lat"],
        "accuracy_m": ordered["accuracy_m"],
    })
    return pairs.dropna(subset=["prev_at"]).reset_index(drop=True)


def speed_jumps(pairs: pd.DataFrame, rules: VisitRules) -> pd.DataFrame:
    """Pairs of fixes whose implied speed exceeds ``max_speed_kmh`` (rule ``impossible_speed``).

    Fixes with an accuracy worse than ``speed_ignore_accuracy_m`` are ignored; pairs with no
    time between them are skipped (duplicate fixes).
    """
    if pairs.empty:
        return pairs.assign(distance_m=[], seconds=[], speed_kmh=[])
    seconds = (pd.to_datetime(pairs["recorded_at"]) - pd.to_datetime(pairs["prev_at"])).dt.total_seconds()
    distance = haversine_m(pairs["prev_lon"], pairs["prev_lat"], pairs["lon"], pairs["lat"])
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.where(seconds > 0, distance / seconds * 3.6, np.nan)
    out = pairs.assign(distance_m=distance, seconds=seconds, speed_kmh=speed)
    precise = (out["accuracy_m"] <= rules.speed_ignore_accuracy_m) & (
        out["prev_accuracy_m"] <= rules.speed_ignore_accuracy_m
    )
    return out[precise & (out["speed_kmh"] > rules.max_speed_kmh)].reset_index(drop=True)


def track_distance_m(track: pd.DataFrame) -> float:
    """Length of a track in metres (sum of great-circle segments in time order)."""
    if len(track) < 2:
        return 0.0
    ordered = track.sort_values("recorded_at")
    lon, lat = ordered["lon"].to_numpy(), ordered["lat"].to_numpy()
    return float(np.sum(haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:])))


def missed_plans(plans: pd.DataFrame, visits: pd.DataFrame) -> pd.DataFrame:
    """Planned (manager, retailer, day) with no visit of that manager to that retailer that day."""
    keys = ["manager_id", "retailer_id", "visit_date"]
    planned = plans.rename(columns={"plan_date": "visit_date"})
    done = visits[keys].drop_duplicates().assign(_visited=True)
    merged = planned.merge(done, on=keys, how="left")
    return merged[merged["_visited"].isna()].drop(columns="_visited").reset_index(drop=True)


def coverage_status(shops: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Add days_since_visit and ``covered`` (visited within its cycle) to assigned shops.

    ``shops`` needs visit_cycle_days and last_visit (latest visit day up to ``as_of``, or
    missing). A shop never visited is not covered.
    """
    out = shops.copy()
    last = pd.to_datetime(out["last_visit"])
    out["days_since_visit"] = (pd.Timestamp(as_of) - last).dt.days
    out["covered"] = out["days_since_visit"].notna() & (out["days_since_visit"] <= out["visit_cycle_days"])
    out["coverage_gap"] = ~out["covered"]
    return out


def coverage_share(shops: pd.DataFrame, as_of: dt.date) -> float | None:
    """Coverage: share of assigned shops visited within their cycle as of ``as_of`` (None if no shops)."""
    if shops.empty:
        return None
    return float(coverage_status(shops, as_of)["covered"].mean())


def shop_status(shops: pd.DataFrame, *, day: dt.date, visited_ids: set[int], planned_ids: set[int]) -> pd.Series:
    """Map colour class per assigned shop on ``day``: visited, missed_plan, overdue or recent."""
    status = coverage_status(shops, day)
    result = np.where(status["covered"], "recent", "overdue").astype(object)
    ids = status["retailer_id"].to_numpy()
    result[np.isin(ids, list(planned_ids))] = "missed_plan"
    result[np.isin(ids, list(visited_ids))] = "visited"
    return pd.Series(result, index=shops.index, name="status")


def anomaly_rows(
    *, visits: pd.DataFrame, jumps: pd.DataFrame, missed: pd.DataFrame, gaps: pd.DataFrame, rules: VisitRules
) -> pd.DataFrame:
    """One row per anomaly: manager_id, day, rule, retailer_id, shop_name, at, value, threshold.

    ``visits`` is :func:`enrich_visits` output; ``jumps`` from :func:`speed_jumps`; ``missed``
    from :func:`missed_plans` (with shop_name); ``gaps`` are coverage_status rows with
    ``coverage_gap`` true, plus manager_id and the day they were judged on (``day``).
    """
    frames = []
    for rule, value in (
        ("far_sign_in", "sign_in_distance_m"), ("short_visit", "duration_min"),
        ("missing_sign_out", None), ("outside_hours", None),
    ):
        hits = visits[visits[rule]]
        frames.append(pd.DataFrame({
            "manager_id": hits["manager_id"], "day": hits["visit_date"], "rule": rule,
            "retailer_id": hits["retailer_id"], "shop_name": hits["shop_name"], "at": hits["sign_in_at"],
            "value": hits[value] if value else np.nan,
        }))
    if not jumps.empty:
        frames.append(pd.DataFrame({
            "manager_id": jumps["manager_id"], "day": pd.to_datetime(jumps["recorded_at"]).dt.date,
            "rule": "impossible_speed", "retailer_id": pd.NA, "shop_name": "", "at": jumps["recorded_at"],
            "value": jumps["speed_kmh"],
        }))
    if not missed.empty:
        frames.append(pd.DataFrame({
            "manager_id": missed["manager_id"], "day": missed["visit_date"], "rule": "missed_plan",
            "retailer_id": missed["retailer_id"], "shop_name": missed["shop_name"], "at": pd.NaT, "value": np.nan,
        }))
    if not gaps.empty:
        frames.append(pd.DataFrame({
            "manager_id": gaps["manager_id"], "day": gaps["day"], "rule": "coverage_gap",
            "retailer_id": gaps["retailer_id"], "shop_name": gaps["shop_name"], "at": pd.NaT,
            "value": gaps["days_since_visit"],
        }))
    frames = [f for f in frames if not f.empty]
    columns = ["manager_id", "day", "rule", "retailer_id", "shop_name", "at", "value", "threshold"]
    if not frames:
        return pd.DataFrame(columns=columns)
    rows = pd.concat(frames, ignore_index=True)
    rows["threshold"] = rows["rule"].map(rules.threshold)
    return rows.sort_values(["manager_id", "day", "at"], na_position="last").reset_index(drop=True)[columns]


def period_anomalies(data: dict[str, Any], as_of: dt.date) -> pd.DataFrame:
    """All anomalies of a period (``queries.routes.period_routes`` output), judged as of ``as_of``."""
    rules = VisitRules.from_setting(data["rules"])
    visits = enrich_visits(data["visits"], rules)
    jumps = speed_jumps(data["jumps"], rules)
    gaps = coverage_status(data["shops"], as_of).query("coverage_gap").assign(day=as_of)
    return anomaly_rows(visits=visits, jumps=jumps, missed=data["missed"], gaps=gaps, rules=rules)


def manager_period_stats(data: dict[str, Any], as_of: dt.date) -> pd.DataFrame:
    """Per manager: days in the field, visits, visits per day, average duration, planned visits,
    coverage as of ``as_of``, distance travelled (km) and anomaly count.
    """
    rules = VisitRules.from_setting(data["rules"])
    visits = enrich_visits(data["visits"], rules)
    per_visit = visits.groupby("manager_id").agg(
        days_in_field=("visit_date", "nunique"), visits=("visit_id", "count"),
        avg_duration_min=("duration_min", "mean"),
    )
    shops = coverage_status(data["shops"], as_of)
    coverage = shops.groupby("manager_id")["covered"].mean().rename("coverage")
    anomalies = period_anomalies(data, as_of).groupby("manager_id").size().rename("anomalies")
    gps = data["gps"].set_index("manager_id")
    stats = (
        data["managers"].rename(columns={"id": "manager_id"}).set_index("manager_id")
        .join(per_visit).join(data["plans"].set_index("manager_id")).join(coverage)
        .join(gps[["distance_m"]]).join(anomalies)
    )
    for column in ("days_in_field", "visits", "planned_visits", "anomalies"):
        stats[column] = stats[column].fillna(0).astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        stats["visits_per_day"] = np.where(stats["days_in_field"] > 0, stats["visits"] / stats["days_in_field"], np.nan)
    stats["distance_km"] = stats["distance_m"].fillna(0.0) / 1000
    return stats.drop(columns="distance_m").reset_index()
