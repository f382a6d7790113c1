"""Meeting mode logic: slide list from the URL, rotation with an injected clock, snapshot diffs."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.rules.meeting_slides import (
    KPI_KEYS,
    SLIDES,
    Rotation,
    kpi_changes,
    parse_interval,
    parse_slides,
    rank_changes,
    refresh_seconds,
    snapshot_payload,
)


def test_slides_keep_the_url_order_and_drop_unknown_and_repeated_names() -> None:
    assert parse_slides("map, KPI,daily,map,nope,,x") == (["map", "kpi", "daily"], ["nope", "x"])
    assert parse_slides(None) == (list(SLIDES), [])
    assert parse_slides("") == (list(SLIDES), [])
    assert parse_slides("nope") == (list(SLIDES), ["nope"])  # nothing valid: show everything


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, (20, True)), ("30", (30, True)), ("7.6", (8, True)), ("1", (5, True)), ("9999", (600, True)),
     ("abc", (20, False)), ("nan", (20, False)), ("inf", (20, False)), ("1e999", (20, False)),
     ("-inf", (20, False)), ("²", (20, False)), ("9" * 400, (20, False))],
)
def test_interval_is_clamped_and_bad_values_fall_back(raw: str | None, expected: tuple[int, bool]) -> None:
    assert parse_interval(raw) == expected


def test_refresh_is_a_quarter_of_the_interval_within_2_to_10_seconds() -> None:
    assert refresh_seconds(20) == 5.0
    assert refresh_seconds(5) == 2.0
    assert refresh_seconds(120) == 10.0


def test_rotation_follows_the_clock() -> None:
    rotation = Rotation(count=3, interval=20, anchor_at=1000.0)
    # floor((now - start) / interval) % n
    assert [rotation.index(1000 + s) for s in (0, 19.9, 20, 39, 40, 60, 61, 125)] == [0, 0, 1, 1, 2, 0, 0, 0]
    assert rotation.seconds_left(1005) == 15
    assert rotation.index(990) == 0  # a clock before the anchor never goes negative


def test_pause_freezes_the_slide_and_resume_restarts_the_countdown() -> None:
    rotation = Rotation(count=4, interval=10, anchor_at=0.0)
    paused = rotation.pause(25)  # slide 2 is showing
    assert paused.paused and paused.index(25) == 2 and paused.index(500) == 2
    assert paused.seconds_left(500) is None
    resumed = paused.resume(500)
    assert resumed.index(500) == 2 and resumed.index(509) == 2 and resumed.index(510) == 3
    assert resumed.seconds_left(504) == 6
    assert rotation.toggle(25).paused and not rotation.toggle(25).toggle(30).paused


def test_next_and_previous_move_one_slide_and_wrap() -> None:
    rotation = Rotation(count=3, interval=20, anchor_at=0.0)
    after_next = rotation.step(45, +1)  # slide 2 was showing
    assert after_next.index(45) == 0 and after_next.index(64) == 0 and after_next.index(65) == 1
    before = rotation.step(5, -1)
    assert before.index(5) == 2
    paused_next = rotation.pause(5).step(6, +1)
    assert paused_next.paused and paused_next.index(1000) == 1
    assert rotation.go_to(3, 7).index(3) == 1


def test_rotation_rejects_an_empty_list() -> None:
    with pytest.raises(ValueError):
        Rotation(count=0, interval=20, anchor_at=0)


def _payload(volume: float, completion: float | None, ranks: dict[int, int]) -> dict:
    kpis = dict.fromkeys(KPI_KEYS, 1.0) | {"volume_cases": volume, "plan_completion": completion}
    return snapshot_payload(
        period="2026-11", data_end=dt.date(2026, 11, 5), kpis=kpis,
        departments=[{"department_id": d, "name": f"D{d}", "rank": r, "score": 90.0 - r} for d, r in ranks.items()],
    )


def test_kpi_changes_since_the_snapshot() -> None:
    then = _payload(volume=120.0, completion=0.20, ranks={})
    now = dict.fromkeys(KPI_KEYS, 1.0) | {"volume_cases": 450.5, "plan_completion": 0.65, "gross_margin": None}
    changes = kpi_changes(then, now)
    assert changes["volume_cases"] == pytest.approx(330.5)
    assert changes["plan_completion"] == pytest.approx(0.45)  # 45 percentage points
    assert changes["gross_margin"] is None  # undefined now: no change shown
    assert changes["amount"] == 0
    assert kpi_changes(None, now) == dict.fromkeys(KPI_KEYS)


def test_rank_changes_since_the_snapshot() -> None:
    then = _payload(volume=1, completion=None, ranks={1: 3, 2: 1, 3: 2})
    now = [{"department_id": 1, "rank": 1}, {"department_id": 2, "rank": 3}, {"department_id": 3, "rank": 2},
           {"department_id": 4, "rank": 4}]
    assert rank_changes(then, now) == {1: 2, 2: -2, 3: 0, 4: None}


def test_terminal_rank_changes_compare_within_the_same_format() -> None:
    then = {"terminals": [
        {"retailer_id": 1, "business_format": "supermarket", "rank": 3},
        {"retailer_id": 2, "business_format": "convenience", "rank": 1},  # since moved to supermarkets
        {"retailer_id": 3, "rank": 4},  # an older snapshot without formats: compared anyway
    ]}
    now = [{"retailer_id": 1, "business_format": "supermarket", "rank": 1},
           {"retailer_id": 2, "business_format": "supermarket", "rank": 2},
           {"retailer_id": 3, "business_format": "supermarket", "rank": 5},
           {"retailer_id": 4, "business_format": "supermarket", "rank": 4}]
    changes = rank_changes(then, now, section="terminals", key="retailer_id", same=("business_format",))
    assert changes == {1: 2, 2: None, 3: -1, 4: None}


def test_snapshot_payload_is_plain_json() -> None:
    import json

    payload = _payload(volume=float("nan"), completion=0.5, ranks={1: 1})
    assert payload["kpis"]["volume_cases"] is None  # NaN never reaches the JSON
    assert json.loads(json.dumps(payload)) == payload
    assert payload["departments"] == [{"department_id": 1, "name": "D1", "rank": 1, "score": 89.0}]


def test_wall_anomalies_leave_out_what_a_running_day_cannot_judge_yet() -> None:
    import pandas as pd

    from data_access.rules.meeting_slides import wall_anomalies

    found = pd.DataFrame({
        "rule": ["far_sign_in", "missing_sign_out", "missing_sign_out", "missed_plan", "coverage_gap", "short_visit"],
        "at": [dt.datetime(2026, 11, 20, 9, 0), dt.datetime(2026, 11, 20, 8, 40), dt.datetime(2026, 11, 20, 9, 30),
               pd.NaT, pd.NaT, dt.datetime(2026, 11, 20, 9, 45)],
        "shop_name": ["A", "B", "C", "D", "E", "F"],
    })
    live_until = dt.datetime(2026, 11, 20, 10, 0)
    # C signed in 30 min ago: still at the shop. D may still be visited today. E is a standing gap.
    assert wall_anomalies(found, live_until=live_until)["shop_name"].tolist() == ["F", "A", "B"]
    # A finished day: missed plans count, every missing sign-out counts, newest first.
    assert wall_anomalies(found, live_until=None)["shop_name"].tolist() == ["F", "C", "A", "B", "D"]
