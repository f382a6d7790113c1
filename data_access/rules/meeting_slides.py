"""Meeting mode (会议大屏) logic without Streamlit: slide list, rotation, snapshot diffing.

Pure functions and small value objects, so rotation and "since last meeting" can be
tested with an injected clock and hand-made numbers:

- The URL names the slides and their order (``slides=kpi,daily,map``) and the rotation
  interval in seconds (``interval=20``); :func:`parse_slides` and :func:`parse_interval`
  keep what is valid and report the rest.
- Rotation is driven by time: the shown slide is
  ``(anchor_index + floor((now - anchor_at) / interval)) % n``. Pause freezes the index;
  next/previous move it and restart the countdown (:class:`Rotation`).
- A snapshot is a JSON-able dict of the headline KPIs and the rankings
  (:func:`snapshot_payload`); :func:`kpi_changes` and :func:`rank_changes` say what moved
  since then.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from data_access.rules import params

SLIDES: tuple[str, ...] = ("kpi", "daily", "leaderboard", "terminals", "map", "anomalies")
DEFAULT_INTERVAL_S = 20
MIN_INTERVAL_S = 5
MAX_INTERVAL_S = 600
SNAPSHOT_VERSION = 1
# The headline figures kept in a snapshot, in display order.
KPI_KEYS: tuple[str, ...] = ("volume_cases", "amount", "per_case_value", "plan_completion", "time_progress", "gross_margin")


def wall_clock() -> float:
    """Seconds since the epoch; the page reads time only through this (tests replace it).

    A clock pinned by ``DASHBOARD_TODAY`` (``data_access.clock``) pins the wall too.
    """
    from data_access import clock

    return clock.now().timestamp() if clock.is_pinned() else time.time()


def parse_slides(raw: str | None) -> tuple[list[str], list[str]]:
    """Slides named in a comma-separated URL value, in order, and the tokens that are not slides.

    Unknown names and repeats are dropped (and returned so the page can say so). An empty
    or absent value, or one with no valid slide at all, gives every slide in default order.
    Read by :func:`data_access.rules.params.parse_list` (at most 20 tokens).
    """
    parsed = params.parse_list(raw, SLIDES, default=SLIDES, max_items=20)
    return parsed.value, list(parsed.rejected)


def parse_interval(raw: str | None) -> tuple[int, bool]:
    """Rotation interval in whole seconds from the URL, clamped to 5..600; (value, was_valid).

    A value that is not a finite number (``abc``, ``nan``, ``inf``, ``1e999``, ``²``) or is
    negative gives the default and ``False`` (:func:`data_access.rules.params.parse_float`).
    """
    parsed = params.parse_float(raw, default=None, low=0, high=1e9)
    if parsed.value is None:
        return DEFAULT_INTERVAL_S, parsed.ok
    return int(min(MAX_INTERVAL_S, max(MIN_INTERVAL_S, round(parsed.value)))), True


def refresh_seconds(interval: int) -> float:
    """How often the slide area reruns: a quarter of the interval, between 2 and 10 s.

    Shorter than the interval so a slide changes at most a few seconds after its time
    and live slides pick up new rows; the index itself comes from the clock.
    """
    return float(min(10.0, max(2.0, interval / 4)))


@dataclass(frozen=True)
class Rotation:
    """Which slide shows when: an anchor (time and index) plus a pause flag.

    ``anchor_at`` is in the clock's seconds; the index advances every ``interval`` seconds
    after it. All methods return a new value (the page keeps one in session_state).
    """

    count: int
    interval: float
    anchor_at: float
    anchor_index: int = 0
    paused: bool = False

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("a rotation needs at least one slide")
        if self.interval <= 0:
            raise ValueError("the interval must be positive")

    def index(self, now: float) -> int:
        """The slide shown at ``now`` (0-based)."""
        if self.paused:
            return self.anchor_index % self.count
        steps = math.floor(max(0.0, now - self.anchor_at) / self.interval)
        return (self.anchor_index + steps) % self.count

    def seconds_left(self, now: float) -> float | None:
        """Seconds until the next slide; None while paused."""
        if self.paused:
            return None
        elapsed = max(0.0, now - self.anchor_at)
        return self.interval - elapsed % self.interval

    def step(self, now: float, by: int) -> Rotation:
        """Move ``by`` slides (next = +1, previous = −1) and restart the countdown at ``now``."""
        return replace(self, anchor_at=now, anchor_index=(self.index(now) + by) % self.count)

    def go_to(self, now: float, index: int) -> Rotation:
        return replace(self, anchor_at=now, anchor_index=index % self.count)

    def pause(self, now: float) -> Rotation:
        return self if self.paused else replace(self, anchor_at=now, anchor_index=self.index(now), paused=True)

    def resume(self, now: float) -> Rotation:
        return replace(self, anchor_at=now, paused=False) if self.paused else self

    def toggle(self, now: float) -> Rotation:
        return self.resume(now) if self.paused else self.pause(now)


# --- snapshots -------------------------------------------------------------------------------
def snapshot_payload(
    *, period: str, data_end: dt.date, kpis: Mapping[str, float | None],
    departments: Iterable[Mapping[str, Any]] = (), terminals: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The JSON-able content of a meeting snapshot.

    ``kpis`` maps :data:`KPI_KEYS` to numbers (None when undefined); ``departments`` holds
    ``{"department_id", "name", "rank", "score"}`` rows; ``terminals`` ``{"retailer_id",
    "shop_name", "business_format", "rank", "score"}`` rows (rank within its format).
    """
    def _number(value: Any) -> float | None:
        if value is None:
            return None
        value = float(value)
        return None if math.isnan(value) else value

    return {
        "version": SNAPSHOT_VERSION,
        "period": period,
        "data_end": data_end.isoformat(),
        "kpis": {key: _number(kpis.get(key)) for key in KPI_KEYS},
        "departments": [
            {"department_id": int(row["department_id"]), "name": str(row.get("name", "")),
             "rank": None if row.get("rank") is None else int(row["rank"]), "score": _number(row.get("score"))}
            for row in departments
        ],
        "terminals": [
            {"retailer_id": int(row["retailer_id"]), "shop_name": str(row.get("shop_name", "")),
             "business_format": str(row.get("business_format", "")),
             "rank": None if row.get("rank") is None else int(row["rank"]), "score": _number(row.get("score"))}
            for row in terminals
        ],
    }


def kpi_changes(previous: Mapping[str, Any] | None, current: Mapping[str, float | None]) -> dict[str, float | None]:
    """Per KPI: current − value in the snapshot (None when either side is missing).

    Ratios (completion, progress, margin) change in fractions: 0.05 = 5 percentage points.
    """
    before = (previous or {}).get("kpis", {})
    changes: dict[str, float | None] = {}
    for key in KPI_KEYS:
        now_value, then_value = current.get(key), before.get(key)
        changes[key] = None if now_value is None or then_value is None else float(now_value) - float(then_value)
    return changes


def rank_changes(previous: Mapping[str, Any] | None, current: Sequence[Mapping[str, Any]], *,
                 section: str = "departments", key: str = "department_id",
                 same: tuple[str, ...] = ()) -> dict[int, int | None]:
    """Per ``key`` (a department id by default): places moved since the snapshot.

    +2 = two places up; None = not ranked then. ``section`` is the snapshot's list to read
    (``terminals`` with ``key="retailer_id"``); a row whose ``same`` fields differ from the
    snapshot's (a terminal moved to another business format, ranked in another list) has
    no comparable rank either. Snapshots that lack a ``same`` field are compared anyway.
    """
    then = {int(row[key]): row for row in (previous or {}).get(section, [])}
    changes: dict[int, int | None] = {}
    for row in current:
        ident = int(row[key])
        old_row, new = then.get(ident), row.get("rank")
        old = None if old_row is None else old_row.get("rank")
        moved = old_row is not None and any(
            field in old_row and str(old_row[field]) != str(row.get(field)) for field in same
        )
        changes[ident] = None if old is None or new is None or moved else int(old) - int(new)
    return changes


def snapshot_period_note(previous: Mapping[str, Any] | None, period: str) -> bool:
    """True when the snapshot was taken for another period than the one shown (say so on screen)."""
    return previous is not None and previous.get("period") != period


# --- today's anomalies on the wall -------------------------------------------------------------
LIVE_RULES: tuple[str, ...] = ("far_sign_in", "short_visit", "missing_sign_out", "outside_hours", "impossible_speed")
IN_PROGRESS_MINUTES = 60


def wall_anomalies(anomalies: Any, *, live_until: dt.datetime | None, in_progress_minutes: int = IN_PROGRESS_MINUTES) -> Any:
    """The anomalies to project for one day, newest first.

    ``anomalies`` is ``visit_rules`` output (rule, at, ...). While the day is still running
    (``live_until`` = time of the latest fix) a planned shop is not "missed" yet and a
    sign-in of the last ``in_progress_minutes`` without sign-out is a visit in progress, so
    those are left out; coverage gaps are standing conditions, shown on the route page.
    For a finished day (``live_until`` None) missed plans are included.
    """
    import pandas as pd

    rules = LIVE_RULES if live_until is not None else (*LIVE_RULES, "missed_plan")
    frame = anomalies[anomalies["rule"].isin(rules)].copy()
    if live_until is not None and not frame.empty:
        at = pd.to_datetime(frame["at"])
        in_progress = (frame["rule"] == "missing_sign_out") & (at > live_until - dt.timedelta(minutes=in_progress_minutes))
        frame = frame[~in_progress]
    frame["_at"] = pd.to_datetime(frame["at"])
    return frame.sort_values("_at", ascending=False, na_position="last").drop(columns="_at").reset_index(drop=True)
