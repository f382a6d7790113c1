"""Modern-terminal scores and ranking (DOMAIN.md §6). Pure: frames in, frames out.

The queries in ``data_access.queries.terminals`` return sums per (terminal, month); this
module turns them into the three 0–100 scores, the composite, the rank within a business
format and the operating indicators. Nothing here reads the database.

Scores, all 0–100:

- **Display score** (陈列水平) = points of the inspection on the county's rubric / the
  rubric's maximum points × 100. Each part counts up to its configured points; parts not
  in the rubric are ignored, a rubric part missing from the inspection counts 0.
- **POS scan accuracy** (POS扫码准确率) = ``metrics.pos_scan_accuracy`` × 100 (capped at
  100%). A month without a reconciliation row counts as 0 and is flagged ``missing``; a
  reconciliation showing no cartons sold (opening + delivered − closing ≤ 0) gives nothing
  to measure and also counts as 0, flagged ``no_sales``.
- **Brand cultivation** (品牌培育能力) = share points (0–70) + growth points (0–30):

  * share points = 70 × min(relative key-brand share / 2, 1), where relative key-brand
    share = (the terminal's key-brand cartons / all its cartons in the month) / (the same
    share over every retailer of its department). A terminal at the department average
    gets 35, twice the average or more gets 70. No sales in the month gives 0.
  * growth points = 30 × clamp(0.5 + 2 × g, 0, 1), where g is the year-on-year growth of
    the terminal's key-brand cartons (this month / same month last year − 1): flat gives
    15, +25% or more gives 30, −25% or worse gives 0. Key-brand sales with none a year
    earlier count as full growth (30); none in either year as flat (15).

  So a terminal selling key brands at its department's rate, flat on last year, scores 50.

The composite is the weighted sum of the three scores with the weights normalised to sum
to 1. Terminals are ranked within their business format by composite (rounded to 4
decimals, so float noise never splits a tie), ties broken by display score; a tie on both
shares the rank.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data_access.rules import metrics

SHARE_POINTS = 70.0
GROWTH_POINTS = 30.0
FULL_RELATIVE_SHARE = 2.0  # relative key-brand share earning all share points
FULL_GROWTH = 0.25  # year-on-year key-brand growth earning all (and, negated, no) growth points

POS_OK, POS_MISSING, POS_NO_SALES, POS_PENDING = "ok", "missing", "no_sales", "pending"
# Rank change is shown only when the terminals ranked in both months make up at least this
# share of each month's ranked terminals of the format (issue 13, finding 10).
RANK_COMPARABLE_SHARE = 0.8
SCORE_COLUMNS = ("display_score", "pos_score", "brand_cultivation")

# Stock-to-sales ratio outside this band triggers a warning (months of sales held in stock).
LOW_STOCK_RATIO = 0.25  # about a week of sales: risk of running out
HIGH_STOCK_RATIO = 1.5  # six weeks of sales or more: capital tied up, ageing stock


# --- row matching --------------------------------------------------------------------------
# The frames here are small (hundreds of rows) but pass through many joins; ``merge`` on a
# (retailer_id, month-as-date-object) key costs milliseconds each time. Scoring matches
# rows by integer codes instead and keeps every result aligned with its keys' rows.


def _key_codes(frames: list[pd.DataFrame], on: list[str]) -> list[np.ndarray]:
    """One int64 code per row of each frame, equal across frames exactly when ``on`` is equal."""
    sizes = [len(frame) for frame in frames]
    combined = np.zeros(sum(sizes), dtype="int64")
    for column in on:
        values = np.concatenate([np.asarray(frame[column].to_numpy(), dtype=object) for frame in frames])
        codes, uniques = pd.factorize(values)
        combined = combined * (len(uniques) + 1) + codes
    return np.split(combined, np.cumsum(sizes)[:-1])


def _positions(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> np.ndarray:
    """Row position in ``right`` of each ``left`` row matched on ``on``, -1 where none.

    ``right`` holds at most one row per key (sums per terminal and month).
    """
    if right.empty:
        return np.full(len(left), -1, dtype="int64")
    left_codes, right_codes = _key_codes([left, right], on)
    return pd.Index(right_codes).get_indexer(left_codes)


def _take(right: pd.DataFrame, column: str, positions: np.ndarray) -> np.ndarray:
    """``right[column]`` at ``positions`` as floats, NaN where the position is -1."""
    if right.empty:
        return np.full(len(positions), np.nan)
    values = right[column].to_numpy(dtype="float64", na_value=np.nan)
    return np.where(positions >= 0, values[np.maximum(positions, 0)], np.nan)


@dataclass(frozen=True)
class RubricPart:
    code: str
    name_zh: str
    name_en: str
    points: float

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class Rubric:
    """The display rubric of configuration key ``display_rubric``."""

    name: str
    parts: tuple[RubricPart, ...]

    def title(self, lang: str) -> str:
        """The rubric's name in one language: "name_zh"/"name_en", or a "中文 / English" name split."""
        zh, _, en = self.name.partition(" / ")
        return (en or zh) if lang == "en" else zh

    @property
    def max_points(self) -> float:
        return float(sum(part.points for part in self.parts))

    @property
    def codes(self) -> list[str]:
        return [part.code for part in self.parts]


def rubric_from_config(value: dict[str, Any]) -> Rubric:
    """Parse and check the configured rubric; ``ValueError`` says what is wrong."""
    parts = []
    for raw in value.get("parts", []):
        points = float(raw.get("points", 0))
        if not raw.get("code") or points <= 0:
            raise ValueError(f"rubric part needs a code and positive points: {raw!r}")
        code = str(raw["code"])
        parts.append(RubricPart(code, str(raw.get("name_zh", code)), str(raw.get("name_en", code)), points))
    if not parts:
        raise ValueError("the display rubric has no parts")
    if len({part.code for part in parts}) != len(parts):
        raise ValueError("the display rubric repeats a part code")
    name = str(value.get("name", ""))
    if value.get("name_zh") or value.get("name_en"):
        name = f"{value.get('name_zh') or value.get('name_en')} / {value.get('name_en') or value.get('name_zh')}"
    return Rubric(name=name, parts=tuple(parts))


@dataclass(frozen=True)
class Weights:
    """Composite weights of the three scores (configuration key ``terminal_weights``)."""

    display: float
    pos_accuracy: float
    brand_cultivation: float

    @classmethod
    def from_config(cls, value: dict[str, Any]) -> Weights:
        return cls(float(value["display"]), float(value["pos_accuracy"]), float(value["brand_cultivation"]))

    def as_config(self) -> dict[str, float]:
        return {"display": self.display, "pos_accuracy": self.pos_accuracy, "brand_cultivation": self.brand_cultivation}

    def normalised(self) -> Weights:
        """Weights scaled to sum to 1; ``ValueError`` when negative or all zero."""
        values = (self.display, self.pos_accuracy, self.brand_cultivation)
        if any(v < 0 or math.isnan(v) for v in values):
            raise ValueError("weights must not be negative")
        total = sum(values)
        if total <= 0:
            raise ValueError("at least one weight must be above zero")
        return Weights(*(v / total for v in values))


def display_scores(points: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Per (retailer_id, month): points per rubric part, ``display_points`` and ``display_score``.

    ``points`` holds retailer_id, month, part_code, points (one row per inspected part).
    One row per inspected (retailer_id, month), in the order they first appear.
    """
    keys = ["retailer_id", "month"]
    columns = [*keys, *rubric.codes, "display_points", "display_score"]
    if points.empty:
        return pd.DataFrame(columns=columns)
    row, first = pd.factorize(_key_codes([points], keys)[0])
    first_row = np.unique(row, return_index=True)[1]  # codes are in order of first appearance
    part = pd.Index(rubric.codes).get_indexer(points["part_code"].to_numpy(dtype=object))
    caps = np.array([p.points for p in rubric.parts], dtype="float64")
    known = part >= 0  # parts not in the rubric are ignored
    given = np.nan_to_num(points["points"].to_numpy(dtype="float64", na_value=np.nan), nan=0.0).clip(min=0)
    matrix = np.zeros((len(first), len(caps)))
    np.add.at(matrix, (row[known], part[known]), np.minimum(given[known], caps[part[known]]))
    frame = points.iloc[first_row][keys].reset_index(drop=True)
    for index, code in enumerate(rubric.codes):
        frame[code] = matrix[:, index]
    frame["display_points"] = matrix.sum(axis=1)
    frame["display_score"] = frame["display_points"] / rubric.max_points * 100
    return frame[columns]


def pos_scores(keys: pd.DataFrame, reconciliation: pd.DataFrame) -> pd.DataFrame:
    """POS accuracy of each (retailer_id, month) in ``keys``: accuracy 0–1, score 0–100, status.

    ``reconciliation`` holds retailer_id, month, opening_stock, delivered, closing_stock,
    scanned_valid. Missing months and months without sales count as 0 and are flagged.
    One row per row of ``keys``, in its order.
    """
    at = _positions(keys, reconciliation, ["retailer_id", "month"])
    opening, delivered, closing, scanned_valid = (
        pd.Series(_take(reconciliation, column, at))
        for column in ("opening_stock", "delivered", "closing_stock", "scanned_valid")
    )
    sold = opening + delivered - closing
    accuracy = metrics.pos_scan_accuracy(opening, delivered, closing, scanned_valid)
    status = np.where(at < 0, POS_MISSING, np.where(accuracy.isna(), POS_NO_SALES, POS_OK))
    return pd.DataFrame({
        "retailer_id": keys["retailer_id"].to_numpy(),
        "month": keys["month"].to_numpy(),
        "cartons_sold": sold.to_numpy(),
        "pos_accuracy": accuracy.fillna(0.0).to_numpy(),
        "pos_score": accuracy.fillna(0.0).to_numpy() * 100,
        "pos_status": status,
    })


def _growth_points(current: pd.Series, base: pd.Series) -> pd.Series:
    growth = metrics.growth(current, base)
    points = (GROWTH_POINTS * (0.5 + growth * (0.5 / FULL_GROWTH))).clip(0, GROWTH_POINTS)
    new_sales = (base.fillna(0) <= 0) & (current.fillna(0) > 0)
    points = points.mask(new_sales, GROWTH_POINTS)
    return points.fillna(GROWTH_POINTS / 2)  # nothing in either year: flat


def brand_cultivation_scores(
    keys: pd.DataFrame, sales: pd.DataFrame, department_sales: pd.DataFrame, last_year: pd.DataFrame
) -> pd.DataFrame:
    """Brand cultivation (0–100) of each (retailer_id, month, department_id) in ``keys``.

    ``sales``: retailer_id, month, cartons, key_cartons of the scored months;
    ``department_sales``: department_id, month, cartons, key_cartons (all its retailers);
    ``last_year``: retailer_id, month (the scored month, i.e. shifted one year on),
    key_cartons of a year earlier. One row per row of ``keys``, in its order.
    """
    terminal = ["retailer_id", "month"]
    at_sales = _positions(keys, sales, terminal)
    at_department = _positions(keys, department_sales, ["department_id", "month"])
    at_last_year = _positions(keys, last_year, terminal)
    frame = pd.DataFrame({"retailer_id": keys["retailer_id"].to_numpy(), "month": keys["month"].to_numpy()})
    frame["cartons"] = np.nan_to_num(_take(sales, "cartons", at_sales))
    frame["key_cartons"] = np.nan_to_num(_take(sales, "key_cartons", at_sales))
    frame["department_cartons"] = _take(department_sales, "cartons", at_department)
    frame["department_key_cartons"] = _take(department_sales, "key_cartons", at_department)
    frame["key_cartons_last_year"] = np.nan_to_num(_take(last_year, "key_cartons", at_last_year))
    frame["key_share"] = metrics.share(frame["key_cartons"], frame["cartons"])
    frame["department_key_share"] = metrics.share(frame["department_key_cartons"], frame["department_cartons"])
    frame["relative_key_share"] = metrics.share(frame["key_share"], frame["department_key_share"])
    frame["share_points"] = (
        SHARE_POINTS * (frame["relative_key_share"] / FULL_RELATIVE_SHARE).clip(upper=1.0)
    ).fillna(0.0)
    frame["key_growth"] = metrics.growth(frame["key_cartons"], frame["key_cartons_last_year"])
    frame["growth_points"] = _growth_points(frame["key_cartons"], frame["key_cartons_last_year"])
    frame["brand_cultivation"] = frame["share_points"] + frame["growth_points"]
    return frame


def pos_pending(month: Any, *, today: Any, last_reconciled: Any | None) -> bool:
    """Whether ``month``'s POS reconciliation is not due yet (docs/time_conventions.md).

    POS reconciliation (进销存) is monthly and arrives after the month ends: the running month
    is always pending, and so is the month just ended until its first reconciliation arrives
    (``last_reconciled``: the POS feed's last month). Older months without a row are missing.
    """
    current = today.replace(day=1)
    if month >= current:
        return True
    just_ended = current.replace(year=current.year - 1, month=12) if current.month == 1 else current.replace(
        month=current.month - 1)
    return month == just_ended and (last_reconciled is None or last_reconciled < month)


def composite_weights(weights: Weights, *, pos_pending: bool = False) -> Weights:
    """Normalised weights; with POS pending its weight is spread over display and brand cultivation."""
    if not pos_pending:
        return weights.normalised()
    try:
        return Weights(weights.display, 0.0, weights.brand_cultivation).normalised()
    except ValueError:  # every weight on POS: rank on display alone while it is pending
        return Weights(1.0, 0.0, 0.0)


def composite_score(frame: pd.DataFrame, weights: Weights, *, pos_pending: bool = False) -> pd.Series:
    """Weighted sum of the three 0–100 scores with normalised weights (POS left out when pending)."""
    w = composite_weights(weights, pos_pending=pos_pending)
    pos = frame["pos_score"].fillna(0.0) if pos_pending else frame["pos_score"]
    return (
        frame["display_score"] * w.display
        + pos * w.pos_accuracy
        + frame["brand_cultivation"] * w.brand_cultivation
    )


def rank_within_format(frame: pd.DataFrame) -> pd.Series:
    """Rank (1 = best) by composite within ``business_format``; ties break on display score."""
    if frame.empty:
        return pd.Series(dtype="int64", index=frame.index)
    ordered = pd.DataFrame({
        "business_format": frame["business_format"],
        "composite": frame["composite"].round(4),
        "display": frame["display_score"].round(4),
    }).sort_values(["business_format", "composite", "display"], ascending=[True, False, False])
    same_format = ordered["business_format"].eq(ordered["business_format"].shift())
    position = pd.Series(np.ones(len(ordered), dtype="int64"), index=ordered.index)
    position = position.groupby(ordered["business_format"]).cumsum()
    # Tied rows are adjacent after sorting: they take the position of the first of them.
    tied = same_format & ordered["composite"].eq(ordered["composite"].shift()) & ordered["display"].eq(
        ordered["display"].shift()
    )
    return position.mask(tied).ffill().reindex(frame.index).astype("int64")


def group_size(count: int) -> int:
    """Size of the top and of the bottom group: 10% of the format, at least 1, at most 10."""
    return min(10, max(1, math.ceil(count / 10)))


def mark_groups(frame: pd.DataFrame) -> pd.Series:
    """``top`` / ``bottom`` / ``middle`` per row from ``rank`` and the format's size."""
    size = frame.groupby("business_format")["rank"].transform("size")
    k = size.map(group_size)
    group = np.where(frame["rank"] <= k, "top", np.where(frame["rank"] > size - k, "bottom", "middle"))
    return pd.Series(group, index=frame.index)


def score_month(inputs: dict[str, pd.DataFrame], *, month: Any, rubric: Rubric, weights: Weights,
                pos_pending: bool = False) -> pd.DataFrame:
    """Scores, composite and rank of the terminals inspected in ``month`` (one row each).

    ``inputs`` is what ``queries.terminals.ranking_inputs`` returns. Terminals without an
    inspection that month are not ranked (see :func:`uninspected`). With ``pos_pending`` the
    month's reconciliation is not due yet: POS is "pending" (no score, never 0 %) and its
    weight is spread over the other two scores.
    """
    def this_month(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["month"] == month]  # small frames make every lookup below cheap

    # Score on a narrow frame: the text columns (names, pyarrow strings) are slow to carry
    # along and are joined once by the caller.
    terminals = inputs["terminals"][["id", "business_format", "department_id"]]
    display = display_scores(this_month(inputs["inspection_points"]), rubric)
    frame = terminals.merge(display, left_on="id", right_on="retailer_id", how="inner")
    if frame.empty:
        return frame.assign(composite=[], rank=[], group=[])
    pos = pos_scores(frame, this_month(inputs["reconciliation"]))
    if pos_pending:
        pos = pos.assign(pos_accuracy=np.nan, pos_score=np.nan, pos_status=POS_PENDING)
    sales = inputs["sales"]
    last_year = sales[sales["month"] == month.replace(year=month.year - 1)].assign(month=month)
    brand = brand_cultivation_scores(frame, this_month(sales), this_month(inputs["department_sales"]), last_year)
    keys = ["retailer_id", "month"]
    frame = pd.concat([frame, pos.drop(columns=keys), brand.drop(columns=keys)], axis=1)  # aligned row for row
    frame["cartons_last_year"] = _take(last_year, "cartons", _positions(frame, last_year, keys))
    frame["sales_growth"] = metrics.growth(frame["cartons"], frame["cartons_last_year"])
    frame["composite"] = composite_score(frame, weights, pos_pending=pos_pending)
    frame["rank"] = rank_within_format(frame)
    frame["group"] = mark_groups(frame)
    return frame


def comparable_rank_change(current: pd.DataFrame, previous: pd.DataFrame) -> pd.Series:
    """Rank change (positive = moved up) within the same population, NaN ("—") where none.

    Ranks are compared only among the terminals of a format ranked in both months, re-ranked
    within that common set by :func:`rank_within_format` (the one tie rule), and only when the
    common set is at least ``RANK_COMPARABLE_SHARE`` of each month's ranked terminals of the
    format: "↑108" against a running month that ranks 6 terminals is no comparison.
    """
    change = pd.Series(np.nan, index=current.index, dtype="float64")
    if current.empty or previous.empty:
        return change
    on = ["retailer_id", "business_format"]
    at = _positions(current, previous, on)
    both = at >= 0
    if not both.any():
        return change
    now = current[both][["business_format", "composite", "display_score"]]
    before = previous.iloc[at[both]][["business_format", "composite", "display_score"]].set_axis(now.index)
    sizes_now = current.groupby("business_format").size()
    sizes_before = previous.groupby("business_format").size()
    common = now.groupby("business_format").size()
    comparable = {
        fmt for fmt, n in common.items()
        if n >= RANK_COMPARABLE_SHARE * sizes_now.get(fmt, 0) and n >= RANK_COMPARABLE_SHARE * sizes_before.get(fmt, 0)
    }
    delta = rank_within_format(before) - rank_within_format(now)
    keep = now["business_format"].isin(comparable)
    change.loc[delta.index[keep.to_numpy()]] = delta[keep].astype("float64")
    return change


def terminal_ranking(
    inputs: dict[str, pd.DataFrame], *, month: Any, previous_month: Any, rubric: Rubric, weights: Weights,
    pos_pending: bool = False,
) -> pd.DataFrame:
    """This month's ranking with ``previous_rank`` and ``rank_change`` (positive = moved up).

    The previous month is scored with the same rubric, weights and POS rule (left out when
    this month's is pending), so the change reflects the terminals, not a change of rule.
    ``rank_change`` compares like with like (:func:`comparable_rank_change`); a terminal not
    ranked last month has no change.
    """
    current = score_month(inputs, month=month, rubric=rubric, weights=weights, pos_pending=pos_pending)
    previous = score_month(inputs, month=previous_month, rubric=rubric, weights=weights, pos_pending=pos_pending)
    on = ["retailer_id", "business_format"]
    current["previous_rank"] = _take(previous, "rank", _positions(current, previous, on))
    current["rank_change"] = comparable_rank_change(current, previous)
    details = inputs["terminals"].drop(columns=["business_format", "department_id"])
    at = pd.Index(details["id"]).get_indexer(current["id"])
    current = pd.concat([details.iloc[at].reset_index(drop=True), current.drop(columns="id")], axis=1)
    order = np.lexsort((
        current["shop_name"].to_numpy(dtype=object), current["rank"].to_numpy(),
        current["business_format"].to_numpy(dtype=object),
    ))
    return current.iloc[order].reset_index(drop=True)


def uninspected(inputs: dict[str, pd.DataFrame], *, month: Any, month_end: Any) -> pd.DataFrame:
    """Modern terminals without an inspection in ``month``, with days since their last one."""
    terminals = inputs["terminals"]
    inspected = set(inputs["inspection_points"].loc[inputs["inspection_points"]["month"] == month, "retailer_id"])
    frame = terminals[~terminals["id"].isin(inspected)].merge(
        inputs["last_inspection"], left_on="id", right_on="retailer_id", how="left"
    )
    last = pd.to_datetime(frame["last_inspected_on"])
    frame["days_since_inspection"] = (pd.Timestamp(month_end) - last).dt.days
    return frame.sort_values("days_since_inspection", ascending=False, na_position="first").reset_index(drop=True)


def stock_to_sales_ratio(closing_stock: pd.Series, cartons_sold: pd.Series) -> pd.Series:
    """Stock-to-sales ratio (存销比) = closing stock / cartons sold in the month."""
    return metrics.share(closing_stock, cartons_sold.where(cartons_sold > 0))


def inventory_turnover(opening_stock: pd.Series, closing_stock: pd.Series, cartons_sold: pd.Series) -> pd.Series:
    """Inventory turnover (库存周转率, times a month) = cartons sold / average stock."""
    average_stock = (opening_stock + closing_stock) / 2
    return metrics.share(cartons_sold.where(cartons_sold > 0), average_stock.where(average_stock > 0))


def stock_warning(closing_stock: float, cartons_sold: float) -> str | None:
    """``high`` when stock is far above what sales need, ``low`` when far below, else None.

    Stock on the shelf with nothing sold is the extreme of "far above".
    """
    if cartons_sold <= 0:
        return "high" if closing_stock > 0 else None
    ratio = closing_stock / cartons_sold
    if ratio > HIGH_STOCK_RATIO:
        return "high"
    if ratio < LOW_STOCK_RATIO:
        return "low"
    return None


def monthly_trend(
    history: dict[str, pd.DataFrame], *, retailer_id: int, department_id: int, months: list[Any],
    rubric: Rubric, weights: Weights, pending_months: frozenset | set | tuple = (),
) -> pd.DataFrame:
    """One terminal's three scores, composite and cartons for each of ``months``.

    Months without an inspection have no display score and no composite (a gap in the
    trend, not a zero); POS and brand cultivation follow the same rules as the ranking, and
    a month in ``pending_months`` (reconciliation not due yet) has POS "pending", no POS score,
    and a composite with the POS weight spread.
    """
    on = ["retailer_id", "month"]
    keys = pd.DataFrame({"retailer_id": retailer_id, "month": months, "department_id": department_id})
    display = display_scores(history["inspection_points"], rubric)
    sales = history["sales"]
    last_year = sales.assign(month=[m.replace(year=m.year + 1) for m in sales["month"]])
    brand = brand_cultivation_scores(keys, sales, history["department_sales"], last_year)
    frame = pd.concat([  # every part is aligned with ``keys`` row for row
        keys[on],
        pd.DataFrame({"display_score": _take(display, "display_score", _positions(keys, display, on))}),
        pos_scores(keys, history["reconciliation"]).drop(columns=on),
        brand[["cartons", "brand_cultivation"]],
    ], axis=1)
    pending = frame["month"].isin(list(pending_months)).to_numpy()
    if pending.any():
        frame.loc[pending, ["pos_accuracy", "pos_score"]] = np.nan
        frame.loc[pending, "pos_status"] = POS_PENDING
    frame["composite"] = composite_score(frame, weights)
    if pending.any():
        frame.loc[pending, "composite"] = composite_score(frame[pending], weights, pos_pending=True)
    return frame
