"""Modern terminal archive: monthly display inspections, photos and POS reconciliation (DOMAIN.md §6)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from data_access.config import DEFAULTS
from data_access.models import MODERN_TERMINAL_LEVELS
from data_access.rules.calendar import add_months, is_working_day, month_end
from sample_data.common import child_rng, day_index, from_day_index
from sample_data.county import County
from sample_data.orders import SalesTotals

PHOTO_DIR = Path(__file__).resolve().parent / "photos"
PHOTOS_PER_KIND = 8
INSPECTION_SKIP_RATE = 0.04  # a modern terminal now and then misses its monthly inspection
POS_MISSING_RATE = 0.03  # retailer-months without POS data (flagged by the app as 0 %)
POS_LATEST_MISSING_RATE = 0.02  # POS retailers whose latest month has not come in
REMARKS = ["价签不全", "陈列柜积灰", "新品未上柜", "主销规格缺货", "陈列整洁，保持", "灯箱不亮", "烟柜位置偏僻", "重点品牌陈列到位"]


def photo_file(kind: str, number: int) -> str:
    """Path of a shipped sample photo, relative to ``sample_data/photos``."""
    return f"{kind}_{number:02d}.jpg"


def _modern(county: County) -> np.ndarray:
    return np.flatnonzero(np.isin(county.retailers["terminal_level"].to_numpy(), MODERN_TERMINAL_LEVELS))


def inspections(county: County) -> dict[str, dict[str, list]]:
    """One inspection per modern terminal and month, a score per rubric part."""
    rng = child_rng(county.seed, "inspections")
    r = county.retailers
    idx = _modern(county)
    parts = DEFAULTS["display_rubric"]["parts"]
    quality = rng.beta(6, 2.2, len(idx))
    part_bias = rng.normal(0, 0.06, (len(idx), len(parts)))
    upgraded = r["upgraded_day"].to_numpy()[idx]
    until = r["active_until"].to_numpy()[idx]
    manager = r["manager_id"].to_numpy()[idx]
    end_i = day_index(county.end)
    head: dict[str, list] = {k: [] for k in ("id", "month", "retailer_id", "inspected_on", "inspector_id", "remarks")}
    score: dict[str, list] = {k: [] for k in ("id", "inspection_id", "part_code", "points")}
    month = county.start.replace(day=1)
    while month <= county.end:
        last = min(day_index(month_end(month)), end_i)
        days = [d for d in range(day_index(month), day_index(month_end(month)) + 1) if is_working_day(from_day_index(d))]
        for j, ri in enumerate(idx):
            if not days or upgraded[j] > last or until[j] <= day_index(month) or rng.random() < INSPECTION_SKIP_RATE:
                continue
            day = days[int(rng.integers(len(days)))]
            if day > last or day < upgraded[j]:
                continue  # not inspected yet this month
            months_since = (day - upgraded[j]) / 30.4
            level = quality[j] + 0.06 * min(1.0, months_since / 6) - 0.04 + rng.normal(0, 0.05)
            insp_id = len(head["id"]) + 1
            total = 0.0
            for p_i, part in enumerate(parts):
                frac = np.clip(level + part_bias[j, p_i] + rng.normal(0, 0.05), 0.2, 1.0)
                points = float(np.round(frac * part["points"] * 2) / 2)
                total += points
                score["id"].append(len(score["id"]) + 1)
                score["inspection_id"].append(insp_id)
                score["part_code"].append(part["code"])
                score["points"].append(points)
            head["id"].append(insp_id)
            head["month"].append(day_index(month))
            head["retailer_id"].append(int(ri) + 1)
            head["inspected_on"].append(day)
            head["inspector_id"].append(int(manager[j]))
            head["remarks"].append(REMARKS[int(rng.integers(len(REMARKS)))] if total < 75 or rng.random() < 0.15 else "")
        month = add_months(month, 1)
    return {"terminal_inspection": head, "inspection_score": score}


def photos(county: County) -> dict[str, list]:
    """Archive photos: storefront, counter and display at each upgrade, then re-shoots."""
    rng = child_rng(county.seed, "photos")
    r = county.retailers
    rows: dict[str, list] = {k: [] for k in ("id", "retailer_id", "taken_on", "kind", "path", "caption")}
    end_i = day_index(county.end)
    captions = {"storefront": "门头", "counter": "柜台", "display": "陈列"}
    for ri in _modern(county):
        upgraded = int(r["upgraded_day"].iat[ri])
        level = "店中店" if r["terminal_level"].iat[ri] == "shop_in_shop" else "现代终端"
        shoots = [(upgraded, ("storefront", "counter", "display"), f"{level}升级验收")]
        day = upgraded + int(rng.integers(90, 200))
        while day < end_i - 7:
            kinds = tuple(rng.choice(["storefront", "counter", "display"], size=int(rng.integers(1, 4)), replace=False))
            shoots.append((day, kinds, "复查"))
            day += int(rng.integers(120, 240))
        for taken, kinds, why in shoots:
            for kind in kinds:
                rows["id"].append(len(rows["id"]) + 1)
                rows["retailer_id"].append(int(ri) + 1)
                rows["taken_on"].append(taken)
                rows["kind"].append(kind)
                rows["path"].append(photo_file(kind, int(rng.integers(1, PHOTOS_PER_KIND + 1))))
                rows["caption"].append(f"{why} · {captions[kind]}")
    return rows


def pos_reconciliation(county: County, totals: SalesTotals) -> dict[str, list]:
    """Monthly purchase–sale–stock reconciliation of POS retailers, in cartons.

    ``delivered`` equals the retailer's order lines that month. Most scan 80–98 % of what
    they sell with a valid barcode; some are poor, a few over-scan (raw accuracy > 100 %,
    which consumers must cap), and some months are missing. The current month is
    reconciled to date.
    """
    rng = child_rng(county.seed, "pos")
    r = county.retailers
    idx = np.flatnonzero(r["has_pos"].to_numpy())
    kind = rng.choice(3, size=len(idx), p=[0.85, 0.12, 0.03])  # good, poor, over-scanning
    base = np.select([kind == 0, kind == 1], [rng.uniform(0.82, 0.97, len(idx)), rng.uniform(0.4, 0.75, len(idx))],
                     rng.uniform(1.02, 1.08, len(idx)))
    declining = rng.random(len(idx)) < 0.05  # accuracy falling over the last months (an alert)
    latest_missing = rng.random(len(idx)) < POS_LATEST_MISSING_RATE
    stock = np.zeros(len(idx))
    started = np.zeros(len(idx), dtype=bool)
    rows: dict[str, list] = {k: [] for k in ("id", "month", "retailer_id", "opening_stock", "delivered", "closing_stock",
                                             "scanned", "scanned_valid")}
    n_months = len(totals.months)
    for mi, month in enumerate(totals.months):
        delivered = totals.retailer[mi, idx]
        for j, ri in enumerate(idx):
            if delivered[j] <= 0:
                continue
            if not started[j]:
                stock[j] = np.round(delivered[j] * rng.uniform(0.25, 0.45))
                started[j] = True
            opening = stock[j]
            closing = float(np.round((opening + delivered[j]) * rng.uniform(0.15, 0.4)))
            sold = opening + delivered[j] - closing
            stock[j] = closing
            if rng.random() < POS_MISSING_RATE or (latest_missing[j] and mi == n_months - 1):
                continue
            acc = base[j] + rng.normal(0, 0.02)
            if declining[j]:
                acc -= 0.05 * max(0, mi - (n_months - 5))
            acc = max(0.05, acc)
            valid_share = 1.0 if kind[j] == 2 else rng.uniform(0.95, 1.0)
            scanned = float(np.round(sold * acc / valid_share))
            rows["id"].append(len(rows["id"]) + 1)
            rows["month"].append(day_index(month))
            rows["retailer_id"].append(int(ri) + 1)
            rows["opening_stock"].append(float(opening))
            rows["delivered"].append(float(delivered[j]))
            rows["closing_stock"].append(closing)
            rows["scanned"].append(scanned)
            rows["scanned_valid"].append(float(min(scanned, np.round(scanned * valid_share))))
    return rows
