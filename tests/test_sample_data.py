"""The sample county looks like a real county: magnitudes, mix, calendar, anomalies, files.

Most checks read the session's ``test``-scale county (``sample_db_url`` in conftest);
determinism runs the generator on two-month slices, which take about a second each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, text

from data_access.config import DEFAULTS
from data_access.rules.calendar import is_working_day, spring_festival, working_days
from data_access.rules.metrics import time_progress
from sample_data.generate import generate_into_file
from sample_data.products import CLASS_SHARE_TARGET
from sample_data.terminals import PHOTO_DIR
from sample_data.visits import ANOMALY_RATES
from tests.conftest import SAMPLE_END_DATE

SLICE_END = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def db(sample_db_url: str) -> Iterator[Engine]:
    engine = create_engine(sample_db_url)
    yield engine
    engine.dispose()


def q(engine: Engine, sql: str, **params: object) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn, params=params)


def scalar(engine: Engine, sql: str, **params: object) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _slice(tmp_path: Path, name: str, seed: int) -> Engine:
    path = tmp_path / f"{name}.sqlite"
    generate_into_file(path, scale="test", seed=seed, end_date=SLICE_END, months=2)
    return create_engine(f"sqlite:///{path}")


def _fingerprint(engine: Engine) -> tuple:
    lines = q(engine, "SELECT COUNT(*) n, SUM(cartons) c, SUM(amount) a, SUM(cost) k FROM order_line").iloc[0].tolist()
    retailers = q(engine, "SELECT * FROM retailer ORDER BY id")
    visits = q(engine, "SELECT COUNT(*) n, MIN(sign_in_at) f, MAX(sign_in_at) l, SUM(sign_in_lat) s FROM visit")
    gps = scalar(engine, "SELECT SUM(longitude) FROM gps_point")
    return tuple(lines), retailers, tuple(visits.iloc[0]), gps


def test_same_seed_gives_the_same_county_and_another_seed_differs(tmp_path: Path) -> None:
    first, again, other = _slice(tmp_path, "a", 7), _slice(tmp_path, "b", 7), _slice(tmp_path, "c", 8)
    fa, fb, fc = _fingerprint(first), _fingerprint(again), _fingerprint(other)
    assert fa[0] == fb[0] and fa[2] == fb[2] and fa[3] == fb[3]
    pd.testing.assert_frame_equal(fa[1], fb[1])
    assert fa[0] != fc[0]
    assert not fa[1]["shop_name"].equals(fc[1]["shop_name"])


def test_generate_into_file_replaces_a_stale_database(tmp_path: Path) -> None:
    path = tmp_path / "county.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").write_bytes(b"stale")
    generate_into_file(path, scale="test", end_date=SLICE_END, months=1)
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    assert scalar(create_engine(f"sqlite:///{path}"), "SELECT COUNT(*) FROM retailer") > 200
    assert list(tmp_path.iterdir()) == [path]


def test_every_table_is_filled(db: Engine) -> None:
    for table in ("department", "customer_manager", "retailer", "product", "retail_order", "order_line", "sales_daily",
                  "department_plan", "brand_plan", "manager_plan", "terminal_inspection", "inspection_score",
                  "terminal_photo", "pos_reconciliation", "visit_plan", "visit", "gps_point", "department_group_score",
                  "department_group_score_audit", "brand_forecast"):
        assert scalar(db, f"SELECT COUNT(*) FROM {table}") > 0, table
    assert scalar(db, "SELECT MIN(version) FROM data_version") >= 1


def test_county_structure_is_realistic(db: Engine) -> None:
    r = q(db, "SELECT * FROM retailer")
    assert 230 <= len(r) <= 270
    assert scalar(db, "SELECT COUNT(*) FROM department") == 3
    assert 4 <= scalar(db, "SELECT COUNT(*) FROM customer_manager") <= 6
    assert r["licence_no"].str.fullmatch(r"\d{12}").all() and r["licence_no"].is_unique
    assert r["customer_code"].is_unique
    modern = r["terminal_level"].isin(["modern", "shop_in_shop"]).mean()
    assert 0.10 <= modern <= 0.15
    assert r["business_format"].value_counts().index[0] == "grocery"
    assert (r["status"] == "active").mean() > 0.85
    assert r["tier"].between(1, 30).all() and r["star_rating"].between(1, 5).all()
    # within 35 km of the district centre
    assert r["latitude"].between(24.8, 25.4).all() and r["longitude"].between(116.7, 117.3).all()
    p = q(db, "SELECT * FROM product")
    assert 80 <= len(p) <= 120 and 20 <= p["brand_family"].nunique() <= 30
    assert p["barcode"].str.fullmatch(r"69\d{11}").all() and p["barcode"].is_unique
    assert (p["cost_price"] < p["wholesale_price"]).all() and (p["wholesale_price"] < p["retail_price"]).all()


def test_volumes_scale_with_retailers_and_weeks(db: Engine) -> None:
    per_order = q(db, "SELECT order_date, retailer_id, SUM(cartons) cartons, COUNT(*) lines FROM order_line "
                      "GROUP BY order_date, retailer_id")
    assert 35 <= per_order["cartons"].mean() <= 70  # ~30,000 cases a year / 2,800 retailers / 52 weeks
    assert 10 <= per_order["lines"].mean() <= 30  # DOMAIN: about 10–30 lines an order
    assert (q(db, "SELECT cartons FROM order_line")["cartons"] % 1 == 0).all()
    year = q(db, "SELECT SUM(cartons) c FROM order_line WHERE order_date BETWEEN '2025-11-01' AND '2026-10-31'")
    n = scalar(db, "SELECT COUNT(*) FROM retailer")
    cases_per_retailer = year["c"].iloc[0] / 250 / n
    assert 9 <= cases_per_retailer <= 12.5
    # larger tiers order more
    tier = q(db, "SELECT r.tier, SUM(ol.cartons) c FROM order_line ol JOIN retailer r ON r.id = ol.retailer_id "
                 "WHERE r.status = 'active' GROUP BY r.id")
    assert tier["tier"].corr(tier["c"]) > 0.4
    one_per_week = q(db, "SELECT retailer_id, strftime('%Y-%W', order_date) wk, COUNT(*) n FROM retail_order "
                         "GROUP BY retailer_id, wk")
    assert one_per_week["n"].max() == 1


def test_product_mix_matches_the_domain_brief(db: Engine) -> None:
    mix = q(db, "SELECT p.price_class, p.brand_family, p.is_provincial, SUM(ol.cartons) c, SUM(ol.amount) a, "
                "SUM(ol.cost) k FROM order_line ol JOIN product p ON p.id = ol.product_id "
                "GROUP BY p.price_class, p.brand_family, p.is_provincial")
    total = mix["c"].sum()
    by_class = mix.groupby("price_class")["c"].sum() / total
    assert np.allclose(by_class.to_numpy(), CLASS_SHARE_TARGET, atol=0.04)
    assert 0.35 <= mix.loc[mix["brand_family"] == "七匹狼", "c"].sum() / total <= 0.45
    assert 0.80 <= mix.loc[mix["is_provincial"] == 1, "c"].sum() / total <= 0.90
    assert 100 <= mix["a"].sum() / total <= 160
    assert 0.22 <= 1 - mix["k"].sum() / mix["a"].sum() <= 0.35


def test_sales_daily_equals_the_order_lines(db: Engine) -> None:
    raw = q(db, "SELECT order_date d, SUM(cartons) c, SUM(amount) a, SUM(cost) k, COUNT(*) n FROM order_line GROUP BY d")
    agg = q(db, "SELECT sale_date d, SUM(cartons) c, SUM(amount) a, SUM(cost) k, SUM(order_lines) n FROM sales_daily "
                "GROUP BY d")
    merged = raw.merge(agg, on="d", how="outer", suffixes=("_raw", "_agg"))
    assert merged.notna().all().all()
    for col in "cakn":
        assert np.allclose(merged[f"{col}_raw"], merged[f"{col}_agg"])


def test_every_sales_aggregate_equals_its_sql_definition(sample_db_url: str) -> None:
    # The generator sums the daily tables from its in-memory lines (sample_data/sales_sums.py);
    # they must be what data_access.aggregates' SQL makes of the lines, like every writer's.
    from tests.test_sales_queries import assert_aggregates_equal_raw

    assert_aggregates_equal_raw(sample_db_url)


def test_spring_festival_weeks_sell_well_above_a_normal_week(db: Engine) -> None:
    daily = q(db, "SELECT order_date d, SUM(cartons) c FROM order_line GROUP BY d")
    daily["d"] = pd.to_datetime(daily["d"])
    weekly = daily.set_index("d")["c"].resample("W-SUN").sum()
    festival = pd.Timestamp(spring_festival(2026))
    before = weekly[(weekly.index >= festival - pd.Timedelta(days=14)) & (weekly.index < festival)]
    normal = weekly[(weekly.index >= "2026-04-01") & (weekly.index < "2026-06-01")].median()
    assert len(before) == 2 and (before >= 1.5 * normal).all()
    after = weekly[(weekly.index > festival) & (weekly.index <= festival + pd.Timedelta(days=7))]
    assert (after < 0.7 * normal).all()


def test_visits_happen_on_chinese_working_days_only(db: Engine) -> None:
    days = pd.to_datetime(q(db, "SELECT DISTINCT visit_date d FROM visit")["d"]).dt.date
    assert all(is_working_day(d) for d in days)
    holiday = scalar(db, "SELECT COUNT(*) FROM visit WHERE visit_date BETWEEN '2026-10-01' AND '2026-10-07'")
    assert holiday == 0
    for make_up in ("2026-09-20", "2026-10-10"):  # a Sunday and a Saturday worked in exchange
        assert scalar(db, "SELECT COUNT(*) FROM visit WHERE visit_date = :d", d=make_up) > 0
    assert scalar(db, "SELECT MAX(visit_date) FROM visit") < SAMPLE_END_DATE.isoformat()  # today is left to the live feed


def test_visit_times_and_durations_look_like_field_work(db: Engine) -> None:
    v = q(db, "SELECT sign_in_at, sign_out_at FROM visit WHERE sign_out_at IS NOT NULL")
    minutes = (pd.to_datetime(v["sign_out_at"]) - pd.to_datetime(v["sign_in_at"])).dt.total_seconds() / 60
    assert ((minutes >= 5) & (minutes <= 20)).mean() >= 0.8
    per_day = q(db, "SELECT manager_id, visit_date, COUNT(*) n FROM visit GROUP BY manager_id, visit_date")
    assert per_day["n"].median() >= 5  # the test scale has ~50 shops per manager; demo has 25–35 a day


def _haversine_m(lon1: pd.Series, lat1: pd.Series, lon2: pd.Series, lat2: pd.Series) -> pd.Series:
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * np.arcsin(np.sqrt(a))


def test_seeded_anomaly_rates_are_as_configured(db: Engine) -> None:
    v = q(db, "SELECT v.*, r.longitude, r.latitude FROM visit v JOIN retailer r ON r.id = v.retailer_id")
    far = _haversine_m(v["sign_in_lon"], v["sign_in_lat"], v["longitude"], v["latitude"]) > 200
    missing = v["sign_out_at"].isna()
    signed_out = v[~missing]
    minutes = (pd.to_datetime(signed_out["sign_out_at"]) - pd.to_datetime(signed_out["sign_in_at"])).dt.total_seconds() / 60
    t = pd.to_datetime(v["sign_in_at"])
    clock = t.dt.hour * 60 + t.dt.minute + t.dt.second / 60
    outside = (clock < 8.5 * 60) | (clock > 17.5 * 60) | ((clock >= 12 * 60) & (clock < 14 * 60))
    observed = {"far_sign_in": far.mean(), "missing_sign_out": missing.mean(), "short_visit": (minutes < 3).mean(),
                "outside_hours": outside.mean()}
    for name, rate in observed.items():
        assert 0.5 * ANOMALY_RATES[name] <= rate <= 1.6 * ANOMALY_RATES[name], (name, rate)
    plans = q(db, "SELECT p.plan_date, p.manager_id, p.retailer_id, v.id AS visit_id FROM visit_plan p "
                  "LEFT JOIN visit v ON v.manager_id = p.manager_id AND v.retailer_id = p.retailer_id "
                  "AND v.visit_date = p.plan_date WHERE p.plan_date < :end", end=SAMPLE_END_DATE.isoformat())
    skipped = plans["visit_id"].isna().mean()
    assert 0.5 * ANOMALY_RATES["planned_not_visited"] <= skipped <= 1.6 * ANOMALY_RATES["planned_not_visited"]


def test_gps_tracks_have_600_to_900_fixes_per_manager_day(db: Engine) -> None:
    g = q(db, "SELECT manager_id, recorded_at, longitude, latitude, accuracy_m FROM gps_point "
              "ORDER BY manager_id, recorded_at")
    g["day"] = g["recorded_at"].str[:10]
    per_day = g.groupby(["manager_id", "day"]).size()
    assert per_day.between(600, 900).all()
    assert g["day"].nunique() == 20  # the last ~20 working days only on the test scale
    assert g["accuracy_m"].between(5, 30).all()
    t = pd.to_datetime(g["recorded_at"])
    same = (g["manager_id"] == g["manager_id"].shift()) & (g["day"] == g["day"].shift())
    seconds = (t - t.shift()).dt.total_seconds()
    metres = _haversine_m(g["longitude"].shift(), g["latitude"].shift(), g["longitude"], g["latitude"])
    speed = (metres / seconds * 3.6)[same]
    jumps = g.loc[speed[speed > 120].index].groupby(["manager_id", "day"]).size()
    assert 1 <= len(jumps) <= max(3, 4 * ANOMALY_RATES["gps_jump"] * len(per_day))
    assert (speed <= 120).mean() > 0.995


def test_gps_track_follows_the_visits(db: Engine) -> None:
    v = q(db, "SELECT manager_id, sign_in_at, sign_in_lon, sign_in_lat FROM visit WHERE visit_date = "
              "(SELECT MAX(visit_date) FROM visit) ORDER BY manager_id, sign_in_at")
    g = q(db, "SELECT manager_id, recorded_at, longitude, latitude FROM gps_point WHERE recorded_at >= :d "
              "ORDER BY recorded_at", d=v["sign_in_at"].min()[:10])
    v["t"], g["t"] = pd.to_datetime(v["sign_in_at"]), pd.to_datetime(g["recorded_at"])
    near = pd.merge_asof(v.sort_values("t"), g.sort_values("t"), on="t", by="manager_id", direction="nearest",
                         tolerance=pd.Timedelta(minutes=2)).dropna()
    distance = _haversine_m(near["sign_in_lon"], near["sign_in_lat"], near["longitude"], near["latitude"])
    assert len(near) > 0.8 * len(v) and np.median(distance) < 60


def test_every_modern_terminal_has_photos_on_disk(db: Engine) -> None:
    modern = q(db, "SELECT id, upgraded_on FROM retailer WHERE terminal_level IN ('modern', 'shop_in_shop')")
    photos = q(db, "SELECT retailer_id, taken_on, kind, path FROM terminal_photo")
    assert set(modern["id"]) == set(photos["retailer_id"])
    at_upgrade = photos.merge(modern, left_on=["retailer_id", "taken_on"], right_on=["id", "upgraded_on"])
    assert (at_upgrade.groupby("retailer_id")["kind"].nunique() == 3).all()
    assert len(at_upgrade["retailer_id"].unique()) == len(modern)
    for path in photos["path"].unique():
        file = PHOTO_DIR / path
        assert file.exists() and file.stat().st_size <= 15_000


def test_inspections_score_each_rubric_part_within_its_points(db: Engine) -> None:
    parts = {p["code"]: p["points"] for p in DEFAULTS["display_rubric"]["parts"]}
    s = q(db, "SELECT i.id, i.month, s.part_code, s.points FROM terminal_inspection i "
              "JOIN inspection_score s ON s.inspection_id = i.id")
    assert set(s["part_code"]) == set(parts)
    assert (s.groupby("id").size() == len(parts)).all()
    assert (s["points"] >= 0).all() and (s["points"] <= s["part_code"].map(parts)).all()
    modern = scalar(db, "SELECT COUNT(*) FROM retailer WHERE terminal_level IN ('modern', 'shop_in_shop') "
                        "AND upgraded_on < '2025-12-01' AND status IN ('active', 'new')")
    inspected = q(db, "SELECT month, COUNT(*) n FROM terminal_inspection i JOIN retailer r ON r.id = i.retailer_id "
                      "WHERE r.upgraded_on < '2025-12-01' AND r.status IN ('active', 'new') "
                      "AND month BETWEEN '2025-12-01' AND '2026-10-01' GROUP BY month")
    assert len(inspected) == 11
    assert 0.9 * modern <= inspected["n"].mean() < modern  # a few terminals are missed in a month


def test_pos_reconciliation_is_consistent_with_deliveries(db: Engine) -> None:
    pos = q(db, "SELECT * FROM pos_reconciliation")
    lines = q(db, "SELECT retailer_id, strftime('%Y-%m-01', order_date) month, SUM(cartons) c FROM order_line "
                  "GROUP BY retailer_id, month")
    merged = pos.merge(lines, on=["retailer_id", "month"], how="left")
    assert np.allclose(merged["delivered"], merged["c"])
    sold = pos["opening_stock"] + pos["delivered"] - pos["closing_stock"]
    accuracy = pos["scanned_valid"] / sold
    assert 0.8 <= accuracy.median() <= 0.98
    assert (accuracy > 1).any() and (accuracy < 0.75).any()
    months = pos.groupby("retailer_id")["month"].nunique()
    assert months.min() < months.max()  # some retailers miss months
    has_pos = scalar(db, "SELECT COUNT(*) FROM retailer WHERE has_pos = 1")
    modern_pos = scalar(db, "SELECT AVG(has_pos) FROM retailer WHERE terminal_level IN ('modern', 'shop_in_shop')")
    assert has_pos > 0 and modern_pos > 0.7


def test_the_current_order_cycle_has_failures_and_retailers_not_ordered(db: Engine) -> None:
    monday = SAMPLE_END_DATE - dt.timedelta(days=SAMPLE_END_DATE.weekday())
    cycle = q(db, "SELECT status, channel FROM retail_order WHERE order_date >= :m", m=monday.isoformat())
    assert {"ordered", "failed", "insufficient_balance"} <= set(cycle["status"])
    assert (cycle["status"] == "ordered").mean() > 0.9
    active = scalar(db, "SELECT COUNT(*) FROM retailer WHERE status IN ('active', 'new')")
    assert len(cycle) < active
    assert scalar(db, "SELECT COUNT(*) FROM retail_order WHERE order_date < :m AND status <> 'ordered'",
                  m=monday.isoformat()) == 0
    assert (q(db, "SELECT channel FROM retail_order")["channel"] == "online").mean() > 0.8


def test_plans_put_some_departments_ahead_and_some_behind(db: Engine) -> None:
    month = SAMPLE_END_DATE.replace(day=1)
    actual = q(db, "SELECT department_id, SUM(cartons) / 250.0 cases FROM sales_daily WHERE sale_date >= :m "
                   "GROUP BY department_id", m=month.isoformat())
    plan = q(db, "SELECT department_id, planned_cases FROM department_plan WHERE month = :m", m=month.isoformat())
    merged = actual.merge(plan, on="department_id")
    progress = time_progress(month, dt.date(2026, 11, 30), SAMPLE_END_DATE)
    ratio = merged["cases"] / merged["planned_cases"] / progress
    assert (ratio > 1).any() and (ratio < 1).any() and ratio.between(0.8, 1.2).all()
    managers = q(db, "SELECT cm.department_id, SUM(mp.planned_cases) p FROM manager_plan mp JOIN customer_manager cm "
                     "ON cm.id = mp.manager_id WHERE mp.month = :m GROUP BY cm.department_id", m=month.isoformat())
    assert np.allclose(managers.sort_values("department_id")["p"], plan.sort_values("department_id")["planned_cases"],
                       atol=0.5)
    assert scalar(db, "SELECT MIN(planned_key_brand_cases) FROM manager_plan") > 0
    assert scalar(db, "SELECT COUNT(DISTINCT brand_family) FROM brand_plan") >= 3


def test_forecast_accuracy_is_mostly_85_to_97_percent(db: Engine) -> None:
    f = q(db, "SELECT f.month, f.brand_family, f.forecast_cases, SUM(ol.cartons) / 250.0 actual FROM brand_forecast f "
              "JOIN product p ON p.brand_family = f.brand_family JOIN order_line ol ON ol.product_id = p.id "
              "AND strftime('%Y-%m-01', ol.order_date) = f.month WHERE f.month < '2026-11-01' "
              "GROUP BY f.month, f.brand_family")
    big = f[f["actual"] > 20]
    accuracy = 1 - (big["forecast_cases"] - big["actual"]).abs() / big["actual"]
    assert 0.85 <= accuracy.median() <= 0.98
    assert scalar(db, "SELECT MAX(month) FROM brand_forecast") == "2026-12-01"  # next month is forecast too


def test_current_month_group_scores_are_incomplete_and_audited(db: Engine) -> None:
    s = q(db, "SELECT month, COUNT(*) n FROM department_group_score GROUP BY month ORDER BY month")
    full = 3 * 4
    assert (s["n"].iloc[:-1] == full).all() and 0 < s["n"].iloc[-1] < full
    assert scalar(db, "SELECT MIN(score) FROM department_group_score") >= 0
    assert scalar(db, "SELECT MAX(score) FROM department_group_score") <= 100
    audit = scalar(db, "SELECT COUNT(*) FROM department_group_score_audit")
    assert audit >= scalar(db, "SELECT COUNT(*) FROM department_group_score")
    latest = q(db, "SELECT s.score, a.new_score FROM department_group_score s JOIN department_group_score_audit a "
                   "ON a.month = s.month AND a.department_id = s.department_id AND a.group_code = s.group_code "
                   "AND a.entered_at = s.entered_at")
    assert (latest["score"] == latest["new_score"]).all()


def test_working_day_helpers_agree_with_the_generated_visit_plans(db: Engine) -> None:
    days = working_days(dt.date(2026, 9, 1), dt.date(2026, 10, 31))
    planned = set(pd.to_datetime(q(db, "SELECT DISTINCT plan_date d FROM visit_plan WHERE plan_date BETWEEN "
                                       "'2026-09-01' AND '2026-10-31'")["d"]).dt.date)
    assert planned == set(days)
