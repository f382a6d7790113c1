"""The county's structure: departments, customer managers and retailers (DOMAIN.md §1–§2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sample_data import names
from sample_data.common import child_rng, day_index, to_lonlat, to_xy
from sample_data.geography import TOWNS, nearest_neighbour_tour, place_in_town, split_balanced
from sample_data.scales import Scale

FORMAT_PROBS = {  # business format mix (urban, rural)
    "grocery": (0.52, 0.72),
    "convenience": (0.17, 0.08),
    "supermarket": (0.08, 0.05),
    "tobacco_liquor": (0.12, 0.07),
    "entertainment": (0.06, 0.03),
    "other": (0.05, 0.05),
}
FORMAT_TIER_MEAN = {"grocery": 12, "convenience": 16, "supermarket": 21, "tobacco_liquor": 21, "entertainment": 11, "other": 9}
FORMAT_MODERN_BONUS = {"grocery": 0.0, "convenience": 1.3, "supermarket": 1.8, "tobacco_liquor": 1.1, "entertainment": -1.0, "other": -0.6}
FORMAT_VOLUME = {"grocery": 1.0, "convenience": 1.05, "supermarket": 1.15, "tobacco_liquor": 1.2, "entertainment": 0.75, "other": 0.8}
MODERN_SHARE = 0.125  # modern terminals incl. shop-in-shop (DOMAIN.md §2: 10–15 %)
IMAGE_SHARE = 0.15
STATUS_PROBS = {"active": 0.925, "closed": 0.03, "suspended": 0.02, "new": 0.025}
GRADES = ("junior", "intermediate", "senior")
CN_DIGITS = "一二三四五六七八九十"


@dataclass
class County:
    """Everything the table writers need, as arrays and small DataFrames."""

    scale: Scale
    seed: int
    start: dt.date
    end: dt.date
    departments: pd.DataFrame  # id, code, name, name_en, sort_order, office_x, office_y
    managers: pd.DataFrame  # id, code, name, department_id, grade, area_name, office_x, office_y, rural
    retailers: pd.DataFrame  # one row per retailer, id = index + 1 (see build_county)


def _town_counts(scale: Scale) -> list[tuple[int, str, int]]:
    """(department index, town, retailer count) with counts proportional to town weights."""
    towns = [(d_i, t) for d_i, d in enumerate(scale.departments) for t in d.towns]
    weights = np.array([TOWNS[t].weight for _, t in towns])
    raw = weights / weights.sum() * scale.retailers
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts))[: scale.retailers - counts.sum()]:
        counts[i] += 1
    return [(d_i, t, int(c)) for (d_i, t), c in zip(towns, counts, strict=True)]


def build_county(scale: Scale, seed: int, start: dt.date, end: dt.date) -> County:
    rng = child_rng(seed, "county")
    parts = []
    for d_i, town_name, count in _town_counts(scale):
        town = TOWNS[town_name]
        x, y = place_in_town(rng, town, count)
        parts.append(pd.DataFrame({"dept_index": d_i, "town": town_name, "rural": town.rural, "x": x, "y": y}))
    r = pd.concat(parts, ignore_index=True)
    n = len(r)
    rural = r["rural"].to_numpy()

    # --- departments and managers: compact areas by recursive bisection -------------------
    r["manager_index"] = -1
    dept_rows, mgr_rows = [], []
    mgr_rng = child_rng(seed, "managers")
    mgr_names = names.person_names(mgr_rng, scale.managers, unique=True)
    grades = mgr_rng.choice(GRADES, size=scale.managers, p=[0.3, 0.45, 0.25])
    m_i = 0
    for d_i, spec in enumerate(scale.departments):
        sel = np.flatnonzero(r["dept_index"].to_numpy() == d_i)
        xs, ys = r["x"].to_numpy()[sel], r["y"].to_numpy()[sel]
        dept_rows.append({
            "id": d_i + 1, "code": spec.code, "name": spec.name, "name_en": spec.name_en, "sort_order": d_i + 1,
            "office_x": float(np.median(xs)), "office_y": float(np.median(ys)),
        })
        groups = split_balanced(xs, ys, spec.managers)
        for g in range(spec.managers):
            members = sel[groups == g]
            r.loc[members, "manager_index"] = m_i
            towns = r.loc[members, "town"].value_counts()
            main = towns.index[0].removesuffix("街道").removesuffix("镇")
            mgr_rows.append({
                "id": m_i + 1, "code": f"CM{m_i + 1:02d}", "name": mgr_names[m_i], "department_id": d_i + 1,
                "grade": str(grades[m_i]), "area_name": main, "office_x": float(np.median(r.loc[members, "x"])),
                "office_y": float(np.median(r.loc[members, "y"])), "rural": bool(r.loc[members, "rural"].mean() > 0.5),
            })
            m_i += 1
    managers = pd.DataFrame(mgr_rows)
    counts = managers["area_name"].value_counts()
    seen: dict[str, int] = {}
    for i, area in enumerate(managers["area_name"]):
        if counts[area] > 1:
            seen[area] = seen.get(area, 0) + 1
            managers.loc[i, "area_name"] = f"{area}{CN_DIGITS[seen[area] - 1]}片区"
        else:
            managers.loc[i, "area_name"] = f"{area}片区"

    # --- retailer attributes ---------------------------------------------------------------
    fmt_codes = list(FORMAT_PROBS)
    p_urban = np.array([v[0] for v in FORMAT_PROBS.values()])
    p_rural = np.array([v[1] for v in FORMAT_PROBS.values()])
    fmt = np.where(rural, rng.choice(6, size=n, p=p_rural / p_rural.sum()), rng.choice(6, size=n, p=p_urban / p_urban.sum()))
    formats = np.array(fmt_codes)[fmt]
    tier_mean = np.array([FORMAT_TIER_MEAN[f] for f in formats]) + np.where(rural, -1.5, 1.5)
    tier = np.clip(np.round(tier_mean + rng.normal(0, 5, n)), 1, 30).astype(int)

    status = rng.choice(list(STATUS_PROBS), size=n, p=list(STATUS_PROBS.values()))
    tier = np.where(status == "new", np.clip(tier, 1, 8), tier)
    modern_score = -3 + 0.11 * tier + np.array([FORMAT_MODERN_BONUS[f] for f in formats]) + np.where(rural, -0.4, 0.4)
    modern_score = modern_score + rng.normal(0, 0.8, n) - 10 * (status == "new")
    rank = np.argsort(np.argsort(-modern_score))
    level = np.full(n, "ordinary", dtype=object)
    n_modern = round(MODERN_SHARE * n)
    level[rank < int(IMAGE_SHARE * n) + n_modern] = "image"
    level[rank < n_modern] = "modern"
    level[rank < round(n_modern * 0.22)] = "shop_in_shop"
    modern = np.isin(level, ("modern", "shop_in_shop"))

    star = np.clip(np.round(1 + 3.2 * (tier / 30) + 0.9 * modern + 0.4 * (level == "image") + rng.normal(0, 0.6, n)), 1, 5)
    online = rng.random(n) < np.where(modern, 0.99, np.where(rural, 0.86, 0.95))
    has_pos = rng.random(n) < np.where(modern, 0.9, np.where(level == "image", 0.35, np.where(tier > 15, 0.12, 0.04)))
    # Weekly visits for modern terminals and high tiers (a lower bar in the sparser rural market).
    cycle = np.where(modern | (tier >= np.where(rural, 14, 16)), 7, 14)

    # Dates, relative to end_date so a shorter window shows the same shops: most licensed
    # long ago, a few in the last two years, the "new" status within the last 6 months.
    end_i, start_i = day_index(end), day_index(start)
    lic = rng.integers(day_index(dt.date(1996, 1, 1)), end_i - 800, n)
    lic = np.where((status == "active") & (rng.random(n) < 0.05), end_i - rng.integers(200, 700, n), lic)
    lic = np.where(status == "new", end_i - rng.integers(7, 180, n), lic)
    upg_modern = end_i - np.where(rng.random(n) < 0.35, rng.integers(14, 420, n), rng.integers(420, 6 * 365, n))
    upgraded = np.full(n, -1)
    upgraded = np.where(modern, np.maximum(upg_modern, lic + 60), upgraded)
    upgraded = np.where(level == "image", np.maximum(end_i - rng.integers(30, 6 * 365, n), lic + 30), upgraded)
    # Activity window for orders and visits: closed and suspended shops stopped at some point.
    active_from = np.maximum(lic, start_i)
    stop = np.full(n, end_i + 10_000)
    stop = np.where(status == "closed", end_i - rng.integers(30, 400, n), stop)
    stop = np.where(status == "suspended", end_i - rng.integers(10, 120, n), stop)

    # Volume: larger tiers order more; a retailer's own level varies around its tier.
    volume = np.exp(0.075 * tier) * rng.lognormal(0, 0.28, n) * np.array([FORMAT_VOLUME[f] for f in formats])
    order_slot = rng.choice(5, size=n, p=[0.22, 0.21, 0.2, 0.19, 0.18])

    r = r.assign(
        business_format=formats, market_type=np.where(rural, "rural", "urban"), tier=tier, star_rating=star.astype(int),
        terminal_level=level, online_ordering=online, has_pos=has_pos, status=status, visit_cycle_days=cycle,
        licensed_day=lic, upgraded_day=upgraded, active_from=active_from, active_until=stop, volume=volume,
        order_slot=order_slot,
    )
    # Ids by manager, then by position, so a manager's shops sit together.
    r = r.sort_values(["manager_index", "y", "x"], kind="stable").reset_index(drop=True)
    r["id"] = np.arange(1, n + 1)
    r["manager_id"] = r["manager_index"] + 1
    _name_retailers(r, child_rng(seed, "retailer-names"))
    lon, lat = to_lonlat(r["x"].to_numpy(), r["y"].to_numpy())
    r["longitude"], r["latitude"] = np.round(lon, 6), np.round(lat, 6)
    r["x"], r["y"] = to_xy(r["longitude"].to_numpy(), r["latitude"].to_numpy())
    departments = pd.DataFrame(dept_rows)
    return County(scale=scale, seed=seed, start=start, end=end, departments=departments, managers=managers, retailers=r)


def _name_retailers(r: pd.DataFrame, rng: np.random.Generator) -> None:
    n = len(r)
    owners = names.person_names(rng, n)
    places, addresses = [], []
    for town, rural in zip(r["town"], r["rural"], strict=True):
        short = town.removesuffix("街道").removesuffix("镇")
        if rural and rng.random() < 0.5:
            village = names.village_name(rng)
            places.append(village.removesuffix("村"))
            addresses.append(f"新罗区{town}{village}{rng.integers(1, 12)}组{rng.integers(1, 90)}号")
        else:
            road = names.URBAN_ROADS[rng.integers(len(names.URBAN_ROADS))] if not rural else f"{short}街"
            places.append(road.removesuffix("路").removesuffix("街") if rng.random() < 0.5 else short)
            addresses.append(f"新罗区{town}{road}{rng.integers(1, 400)}号")
    r["owner_name"] = owners
    r["shop_name"] = names.shop_names(rng, r["business_format"].to_numpy(), owners, places)
    r["address"] = addresses
    serials = rng.permutation(1_000_000)[:n]
    r["licence_no"] = [f"350802{s:06d}" for s in serials]
    r["customer_code"] = [f"3508021{i:05d}" for i in range(1, n + 1)]


def route_slots(county: County) -> dict[int, list[np.ndarray]]:
    """Per manager, ten route slots (retailer row indexes in visiting order).

    A manager cycles through the slots one working day at a time: weekly shops (cycle 7)
    appear in two slots, fortnightly ones in one, so each day's route is a compact patch.
    """
    r = county.retailers
    result: dict[int, list[np.ndarray]] = {}
    for m in county.managers.itertuples():
        idx = np.flatnonzero(r["manager_id"].to_numpy() == m.id)
        x, y = r["x"].to_numpy()[idx], r["y"].to_numpy()[idx]
        weekly = r["visit_cycle_days"].to_numpy()[idx] == 7
        day_area = split_balanced(x, y, 5, np.where(weekly, 2.0, 1.0))
        slots: list[np.ndarray] = []
        halves = np.zeros(len(idx), dtype=int)
        for a in range(5):
            sel = np.flatnonzero((day_area == a) & ~weekly)
            if len(sel):
                halves[sel] = split_balanced(x[sel], y[sel], 2)
        for s in range(10):
            sel = np.flatnonzero((day_area == s % 5) & (weekly | (halves == s // 5)))
            order = nearest_neighbour_tour(x[sel], y[sel], (m.office_x, m.office_y))
            slots.append(idx[sel[order]])
        result[int(m.id)] = slots
    return result
