"""What retailers buy and when: seasonality, growth, ordering days and product mix.

Seasonality uses the real Spring Festival dates (DOMAIN.md §4): the weeks before the
festival sell 1.6–2× a normal week, the festival week and the next drop sharply;
Mid-Autumn and National Day give a smaller lift; summer is slightly soft.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
from lunardate import LunarDate

from data_access.rules.calendar import is_working_day, spring_festival
from sample_data.common import day_index, from_day_index
from sample_data.county import County
from sample_data.products import CLASS_SHARE_TARGET, CLASS_TREND, Catalogue

ANNUAL_GROWTH = 0.04  # volume trend per year
WEEKS_PER_YEAR = 365.25 / 7
SKIP_WEEK_RATE = 0.02  # an active retailer now and then skips a week
# Spring Festival profile: (first day offset, last day offset, factor) relative to 正月初一.
_FESTIVAL_PROFILE = (
    (-28, -22, 1.25), (-21, -15, 1.55), (-14, -8, 1.95), (-7, -1, 1.8),
    (0, 6, 0.3), (7, 13, 0.55), (14, 20, 0.8), (21, 27, 0.92),
)


def _raw_season(day: dt.date) -> float:
    factor = 1.0
    for year in (day.year, day.year + 1):
        offset = (day - spring_festival(year)).days
        for lo, hi, f in _FESTIVAL_PROFILE:
            if lo <= offset <= hi:
                return f
    mid_autumn = _mid_autumn(day.year)
    national = dt.date(day.year, 10, 1)
    for anchor in (mid_autumn, national):
        offset = (day - anchor).days
        if -7 <= offset <= -1:
            factor = max(factor, 1.25)
        elif -14 <= offset <= -8:
            factor = max(factor, 1.1)
    if 0 <= (day - national).days <= 6:
        factor = min(factor, 0.8)
    if day.month in (7, 8):
        factor *= 0.92
    elif day.month == 6:
        factor *= 0.97
    return factor


@lru_cache(maxsize=64)
def _mid_autumn(year: int) -> dt.date:
    return LunarDate(year, 8, 15).to_solar_date()


@lru_cache(maxsize=1)
def _season_norm() -> float:
    days = [dt.date(2014, 1, 1) + dt.timedelta(days=i) for i in range(365 * 12 + 3)]
    return float(np.mean([_raw_season(d) for d in days]))


@lru_cache(maxsize=64)
def _season_year(year: int) -> np.ndarray:
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    return np.array([_raw_season(start + dt.timedelta(days=i)) for i in range(days)]) / _season_norm()


def season_factor(day_indexes: np.ndarray) -> np.ndarray:
    """Seasonal volume factor per day (mean 1 over a year)."""
    days = np.asarray(day_indexes, dtype=np.int64)
    out = np.empty(len(days))
    years = days.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    for year in np.unique(years):
        sel = years == year
        out[sel] = _season_year(int(year))[days[sel] - day_index(dt.date(int(year), 1, 1))]
    return out


def growth_factor(day_indexes: np.ndarray, end: dt.date) -> np.ndarray:
    return np.exp(np.log1p(ANNUAL_GROWTH) * (np.asarray(day_indexes) - day_index(end)) / 365.25)


def order_days(start: dt.date, end: dt.date) -> np.ndarray:
    """Actual ordering day per week (rows, from the Monday on/before ``start``) and slot.

    Slot k is the retailer's fixed weekday (Mon–Fri). On a holiday the order moves to the
    next working day of the same week, else to the last working day before; a week with
    no working day has no orders (-1).
    """
    monday = start - dt.timedelta(days=start.weekday())
    weeks = (end - monday).days // 7 + 1
    result = np.full((weeks, 5), -1, dtype=np.int64)
    for w in range(weeks):
        week = [monday + dt.timedelta(days=7 * w + i) for i in range(7)]
        working = [is_working_day(d) for d in week]
        for slot in range(5):
            later = [i for i in range(slot, 7) if working[i]]
            earlier = [i for i in range(0, slot) if working[i]]
            if later:
                result[w, slot] = day_index(week[later[0]])
            elif earlier:
                result[w, slot] = day_index(week[earlier[-1]])
    return result


def weekly_cartons_scale(county: County) -> float:
    """Cartons per unit of retailer ``volume`` per week so the district sells its cases."""
    r = county.retailers
    open_now = r["active_until"] > day_index(county.end)
    weekly_target = county.scale.annual_cases * 250 / WEEKS_PER_YEAR / (1 - SKIP_WEEK_RATE)
    return weekly_target / float(r.loc[open_now, "volume"].sum())


def product_mix(
    county: County, catalogue: Catalogue, seed_rng: np.random.Generator, *, assortment: float = 1.0
) -> np.ndarray:
    """Each retailer's share of cartons by product (rows sum to 1), calibrated to DOMAIN §3.

    Retailers carry an assortment that grows with tier; higher tiers and urban shops lean
    to dearer classes, rural shops to cheap provincial brands. Column multipliers are then
    fitted so the district's volume mix hits the flagship, provincial and class targets.
    """
    r = county.retailers
    n, p = len(r), len(catalogue)
    rng = seed_rng
    tier = r["tier"].to_numpy()
    rural = r["rural"].to_numpy()
    fmt = r["business_format"].to_numpy()
    tilt = (tier - 14) / 8 + 0.5 * np.isin(fmt, ("tobacco_liquor", "supermarket")) + np.where(rural, -0.4, 0.3)
    cls = catalogue.price_class
    affinity = np.exp(np.outer(tilt, (3 - cls) * 0.35)) * rng.lognormal(0, 0.6, (n, p))
    affinity *= catalogue.popularity[None, :]
    affinity *= np.where(rural[:, None] & ~catalogue.provincial[None, :], 0.5, 1.0)
    size = 16 + 1.2 * tier + 8 * np.isin(fmt, ("tobacco_liquor", "supermarket")) + rng.normal(0, 4, n)
    size = np.clip(np.round(size * assortment), 8, 75)
    keys = np.log(affinity * catalogue.family_share[None, :] ** 0.5) + rng.gumbel(size=(n, p))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    base = np.where(rank < size[:, None], affinity, 0.0)

    volume = r["volume"].to_numpy()
    families = np.array(catalogue.family)
    fam_names = catalogue.families
    fam_index = np.array([fam_names.index(f) for f in families])
    fam_target = np.array([catalogue.family_share[fam_index == i][0] for i in range(len(fam_names))])
    fam_target = fam_target / fam_target.sum()
    column = np.ones(p)
    for _ in range(40):
        mix = base * column
        mix /= mix.sum(axis=1, keepdims=True)
        share = volume @ mix / volume.sum()
        fam_share = np.bincount(fam_index, share, minlength=len(fam_names))
        column *= (fam_target / np.maximum(fam_share, 1e-12))[fam_index]
        mix = base * column
        mix /= mix.sum(axis=1, keepdims=True)
        share = volume @ mix / volume.sum()
        cls_share = np.bincount(cls - 1, share, minlength=5)
        column *= (CLASS_SHARE_TARGET / np.maximum(cls_share, 1e-12))[cls - 1]
    mix = base * column
    return mix / mix.sum(axis=1, keepdims=True)


def month_multipliers(catalogue: Catalogue, mid_day: int, end: dt.date) -> np.ndarray:
    """Product multipliers for a month: new SKUs ramp up after launch, classes drift."""
    years = (mid_day - day_index(end)) / 365.25
    trend = np.exp(np.array([CLASS_TREND[c] for c in catalogue.price_class]) * years)
    launch = day_index(end) - catalogue.launched_days_ago
    ramp = np.clip((mid_day - launch) / 56, 0, 1)
    return trend * np.where(catalogue.launched_days_ago >= 0, ramp, 1.0)


def first_of_month(index: int) -> dt.date:
    return from_day_index(index).replace(day=1)
