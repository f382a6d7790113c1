"""Each DOMAIN.md §7 anomaly rule fires on a hand-built case that breaks it and stays quiet otherwise."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access.config import default
from data_access.rules.visit_rules import (
    VisitRules,
    anomaly_rows,
    coverage_share,
    coverage_status,
    enrich_visits,
    missed_plans,
    shop_status,
    speed_jumps,
    track_distance_m,
    track_pairs,
    visit_anomaly_codes,
)

RULES = VisitRules.from_setting(default("visit_rules"))
DAY = dt.date(2026, 11, 18)
SHOP_LON, SHOP_LAT = 117.0, 25.0
# 0.001° of latitude = 111.2 m; 0.002° = 222.4 m.


def _visit(sign_in: str, sign_out: str | None, d_lat: float = 0.0, retailer_id: int = 1) -> dict:
    return {
        "visit_id": retailer_id, "manager_id": 7, "retailer_id": retailer_id, "shop_name": f"店{retailer_id}",
        "visit_date": DAY, "sign_in_at": pd.Timestamp(f"2026-11-18 {sign_in}"),
        "sign_out_at": pd.Timestamp(f"2026-11-18 {sign_out}") if sign_out else pd.NaT,
        "sign_in_lon": SHOP_LON, "sign_in_lat": SHOP_LAT + d_lat, "shop_lon": SHOP_LON, "shop_lat": SHOP_LAT,
    }


def _codes(*visits: dict, rules: VisitRules = RULES) -> list[list[str]]:
    enriched = enrich_visits(pd.DataFrame(list(visits)), rules)
    return visit_anomaly_codes(enriched).tolist()


def test_clean_visit_breaks_no_rule() -> None:
    assert _codes(_visit("09:00", "09:10", d_lat=0.001)) == [[]]  # 111 m away, 10 minutes


def test_far_sign_in_fires_beyond_200_m_only() -> None:
    assert _codes(_visit("09:00", "09:10", d_lat=0.002)) == [["far_sign_in"]]  # 222 m
    loose = VisitRules.from_setting({"far_sign_in_m": 250})
    assert _codes(_visit("09:00", "09:10", d_lat=0.002), rules=loose) == [[]]


def test_short_visit_fires_under_3_minutes() -> None:
    assert _codes(_visit("09:00", "09:02:59")) == [["short_visit"]]
    assert _codes(_visit("09:00", "09:03")) == [[]]


def test_missing_sign_out() -> None:
    assert _codes(_visit("09:00", None)) == [["missing_sign_out"]]


@pytest.mark.parametrize(("sign_in", "fires"), [
    ("08:29", True), ("08:30", False), ("11:59", False), ("12:30", True), ("14:00", False),
    ("17:29", False), ("17:30", True), ("19:00", True),
])
def test_outside_working_hours(sign_in: str, fires: bool) -> None:
    sign_out = (pd.Timestamp(f"2026-11-18 {sign_in}") + pd.Timedelta(minutes=10)).strftime("%H:%M")
    assert _codes(_visit(sign_in, sign_out)) == [["outside_hours"] if fires else []]


def test_lunch_sign_in_can_be_allowed_by_configuration() -> None:
    assert _codes(_visit("12:30", "12:40"), rules=VisitRules.from_setting({"flag_lunch_sign_in": False})) == [[]]


def test_stops_numbered_in_sign_in_order_with_duration_and_distance() -> None:
    enriched = enrich_visits(pd.DataFrame([
        _visit("10:00", "10:12", retailer_id=2), _visit("09:00", "09:05", d_lat=0.001, retailer_id=1),
    ]), RULES)
    assert enriched["retailer_id"].tolist() == [1, 2]
    assert enriched["stop_no"].tolist() == [1, 2]
    assert enriched["duration_min"].tolist() == [5.0, 12.0]
    assert enriched.loc[0, "sign_in_distance_m"] == pytest.approx(111.19, abs=0.05)


def _track(points: list[tuple[str, float, float]], accuracy: float = 10.0) -> pd.DataFrame:
    return pd.DataFrame({
        "manager_id": 7, "recorded_at": [pd.Timestamp(f"2026-11-18 {t}") for t, _, _ in points],
        "lon": [p[1] for p in points], "lat": [p[2] for p in points], "accuracy_m": accuracy,
    })


def test_impossible_speed_fires_on_a_jump_and_not_on_driving() -> None:
    # 0.01° latitude = 1,111.95 m. In 30 s that is 133.4 km/h; in 60 s 66.7 km/h.
    jump = _track([("09:00:00", 117.0, 25.0), ("09:00:30", 117.0, 25.01), ("09:01:30", 117.0, 25.02)])
    hits = speed_jumps(track_pairs(jump), RULES)
    assert len(hits) == 1
    assert hits.loc[0, "speed_kmh"] == pytest.approx(133.43, abs=0.01)
    assert hits.loc[0, "recorded_at"] == pd.Timestamp("2026-11-18 09:00:30")
    driving = _track([("09:00:00", 117.0, 25.0), ("09:01:00", 117.0, 25.01)])
    assert speed_jumps(track_pairs(driving), RULES).empty
    # A fix with a 500 m accuracy circle is noise, not a jump.
    assert speed_jumps(track_pairs(_track([("09:00:00", 117.0, 25.0), ("09:00:30", 117.0, 25.01)], 500)), RULES).empty


def test_track_pairs_do_not_join_two_days() -> None:
    track = pd.concat([
        _track([("17:00:00", 117.0, 25.0)]),
        _track([("17:00:00", 117.5, 25.5)]).assign(recorded_at=pd.Timestamp("2026-11-19 08:30")),
    ])
    assert track_pairs(track).empty
    assert track_distance_m(_track([("09:00", 117.0, 25.0), ("09:01", 117.0, 25.01), ("09:02", 117.0, 25.0)])) == \
        pytest.approx(2 * 1111.95, abs=0.1)


def test_missed_plan_fires_only_for_unvisited_planned_shop() -> None:
    plans = pd.DataFrame({"manager_id": 7, "retailer_id": [1, 2, 3], "plan_date": DAY, "shop_name": ["a", "b", "c"]})
    visits = pd.DataFrame({"manager_id": 7, "retailer_id": [1, 3, 4], "visit_date": [DAY, DAY - dt.timedelta(1), DAY]})
    missed = missed_plans(plans, visits)
    assert missed["retailer_id"].tolist() == [2, 3]  # shop 3 was visited, but the day before


# Coverage on a hand-built schedule, judged on 18 November 2026:
#   shop 1 weekly  (7),  last visit 11 Nov → 7 days  → covered (exactly one cycle)
#   shop 2 weekly  (7),  last visit 10 Nov → 8 days  → gap
#   shop 3 biweekly(14), last visit  5 Nov → 13 days → covered
#   shop 4 biweekly(14), never visited            → gap
# coverage = 2 / 4 = 50 %.
SCHEDULE = pd.DataFrame({
    "retailer_id": [1, 2, 3, 4], "manager_id": 7, "shop_name": ["a", "b", "c", "d"],
    "visit_cycle_days": [7, 7, 14, 14],
    "last_visit": [dt.date(2026, 11, 11), dt.date(2026, 11, 10), dt.date(2026, 11, 5), None],
})


def test_coverage_on_hand_built_schedule() -> None:
    status = coverage_status(SCHEDULE, DAY)
    assert status["days_since_visit"].tolist()[:3] == [7, 8, 13]
    assert status["covered"].tolist() == [True, False, True, False]
    assert coverage_share(SCHEDULE, DAY) == 0.5
    assert coverage_share(SCHEDULE, dt.date(2026, 11, 12)) == 0.75  # shop 3 and shop 2 still in cycle
    assert coverage_share(SCHEDULE.iloc[0:0], DAY) is None


def test_shop_status_priority() -> None:
    status = shop_status(SCHEDULE, day=DAY, visited_ids={2}, planned_ids={2, 4})
    assert status.tolist() == ["recent", "visited", "recent", "missed_plan"]
    assert shop_status(SCHEDULE, day=DAY, visited_ids=set(), planned_ids=set()).tolist() == [
        "recent", "overdue", "recent", "overdue"]


def test_anomaly_rows_lists_every_rule_with_threshold() -> None:
    visits = enrich_visits(pd.DataFrame([
        _visit("09:00", "09:01", d_lat=0.002, retailer_id=1), _visit("18:00", None, retailer_id=2),
    ]), RULES)
    jumps = speed_jumps(track_pairs(_track([("09:00:00", 117.0, 25.0), ("09:00:30", 117.0, 25.01)])), RULES)
    plans = pd.DataFrame({"manager_id": 7, "retailer_id": [9], "plan_date": DAY, "shop_name": ["z"]})
    gaps = coverage_status(SCHEDULE, DAY).query("coverage_gap").assign(day=DAY)
    rows = anomaly_rows(visits=visits, jumps=jumps, missed=missed_plans(plans, visits), gaps=gaps, rules=RULES)
    assert sorted(rows["rule"].tolist()) == sorted([
        "far_sign_in", "short_visit", "missing_sign_out", "outside_hours", "impossible_speed", "missed_plan",
        "coverage_gap", "coverage_gap",
    ])
    far = rows[rows["rule"] == "far_sign_in"].iloc[0]
    assert far["threshold"] == "200 m" and far["value"] == pytest.approx(222.39, abs=0.05)
