"""Plans, brand forecasts and the manually scored department groups (DOMAIN.md §5, §8)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from data_access.models import MANUAL_SCORE_GROUPS
from data_access.rules.calendar import add_months, is_working_day
from sample_data import names
from sample_data.common import child_rng, day_index
from sample_data.county import County
from sample_data.orders import OrderBook
from sample_data.products import Catalogue

CASE = 250.0


def plan_months(county: County) -> list[dt.date]:
    """Months with plans: from the first data month to December of end_date's year."""
    months, m = [], county.start.replace(day=1)
    while m.year <= county.end.year:
        months.append(m)
        m = add_months(m, 1)
    return months


def plans(county: County, catalogue: Catalogue, book: OrderBook) -> dict[str, dict[str, list]]:
    """Department, brand and manager plans near the expected volume.

    Each department has a lasting tendency (some plan ambitiously, some cautiously) plus
    monthly noise; in the current month the spread is set so some departments run ahead
    of time progress and some behind.
    """
    rng = child_rng(county.seed, "plans")
    mgr = county.managers
    n_dept = len(county.departments)
    dept_of_mgr = mgr["department_id"].to_numpy() - 1
    tendency = rng.normal(0.01, 0.03, n_dept)
    current_month = county.end.replace(day=1)
    families = np.array(catalogue.family)
    key_families = catalogue.key_families
    dept_rows: dict[str, list] = {k: [] for k in ("id", "month", "department_id", "planned_cases", "planned_amount")}
    brand_rows: dict[str, list] = {k: [] for k in ("id", "month", "department_id", "brand_family", "planned_cases")}
    mgr_rows: dict[str, list] = {k: [] for k in ("id", "month", "manager_id", "planned_cases", "planned_key_brand_cases")}
    for month in plan_months(county):
        expected = book.expected(month)  # cartons [manager, product]
        mgr_cases = expected.sum(axis=1) / CASE
        mgr_key = expected[:, catalogue.key_brand].sum(axis=1) / CASE
        mgr_amount = expected @ catalogue.wholesale
        if month == current_month:
            bias = rng.permutation(np.linspace(-0.06, 0.08, n_dept))
        else:
            bias = tendency + rng.normal(0, 0.025, n_dept)
        for d in range(n_dept):
            members = np.flatnonzero(dept_of_mgr == d)
            exp_cases = mgr_cases[members].sum()
            planned = float(np.round(exp_cases * (1 + bias[d])))
            per_case = mgr_amount[members].sum() / max(exp_cases, 1e-9)
            dept_rows["id"].append(len(dept_rows["id"]) + 1)
            dept_rows["month"].append(day_index(month))
            dept_rows["department_id"].append(d + 1)
            dept_rows["planned_cases"].append(planned)
            dept_rows["planned_amount"].append(round(planned * per_case, -2))
            share = mgr_cases[members] * rng.lognormal(0, 0.03, len(members))
            split = planned * share / share.sum()
            for m_i, cases in zip(members, split, strict=True):
                mgr_rows["id"].append(len(mgr_rows["id"]) + 1)
                mgr_rows["month"].append(day_index(month))
                mgr_rows["manager_id"].append(m_i + 1)
                mgr_rows["planned_cases"].append(round(float(cases), 1))
                mgr_rows["planned_key_brand_cases"].append(round(float(mgr_key[m_i] * (1 + bias[d] + rng.normal(0.02, 0.03))), 1))
            for family in key_families:
                fam_cases = expected[np.ix_(members, families == family)].sum() / CASE
                brand_rows["id"].append(len(brand_rows["id"]) + 1)
                brand_rows["month"].append(day_index(month))
                brand_rows["department_id"].append(d + 1)
                brand_rows["brand_family"].append(family)
                brand_rows["planned_cases"].append(round(float(fam_cases * (1 + bias[d] + rng.normal(0.01, 0.04))), 1))
    return {"department_plan": dept_rows, "brand_plan": brand_rows, "manager_plan": mgr_rows}


def forecasts(county: County, catalogue: Catalogue, book: OrderBook) -> dict[str, list]:
    """The brand manager's monthly demand forecast per family, through next month.

    Error is mostly a few per cent (accuracy 85–97 %); small and new families are harder.
    """
    rng = child_rng(county.seed, "forecasts")
    families = np.array(catalogue.family)
    fam_names = catalogue.families
    totals = book.totals
    current = county.end.replace(day=1)
    months = [m for m in totals.months] + [add_months(current, 1)]
    sigma = {f: (0.05 if catalogue.family_share[families == f][0] >= 0.05 else 0.09) for f in fam_names}
    rows: dict[str, list] = {k: [] for k in ("id", "month", "brand_family", "forecast_cases", "made_by")}
    for month in months:
        if month < current:
            actual = totals.manager_product[totals.months.index(month)].sum(axis=0)
        else:
            actual = book.expected(month).sum(axis=0)
        for family in fam_names:
            cases = actual[families == family].sum() / CASE
            error = rng.normal(0, sigma[family])
            rows["id"].append(len(rows["id"]) + 1)
            rows["month"].append(day_index(month))
            rows["brand_family"].append(family)
            rows["forecast_cases"].append(round(float(max(cases * (1 + error), 0.1)), 1))
            rows["made_by"].append(names.BRAND_MANAGER)
    return rows


def group_scores(county: County) -> dict[str, dict[str, list]]:
    """Scores of groups 2–5 per department and month, each with its audit entry.

    Past months are complete, entered in the first working days of the next month; in the
    current month only some scores are in yet, so the app shows the month as provisional.
    A few scores are corrected later, leaving two audit rows.
    """
    rng = child_rng(county.seed, "group-scores")
    n_dept = len(county.departments)
    base = rng.uniform(78, 91, n_dept)
    group_offset = {g: rng.normal(0, 2, n_dept) for g in MANUAL_SCORE_GROUPS}
    scores: dict[str, list] = {k: [] for k in ("id", "month", "department_id", "group_code", "score", "entered_by", "entered_at")}
    audit: dict[str, list] = {k: [] for k in ("id", "month", "department_id", "group_code", "old_score", "new_score",
                                              "entered_by", "entered_at", "reason")}
    current = county.end.replace(day=1)
    end_dt = dt.datetime.combine(county.end, dt.time(8, 0))
    month = county.start.replace(day=1)
    while month <= current:
        next_month = add_months(month, 1)
        entry_days = [next_month + dt.timedelta(days=i) for i in range(10) if is_working_day(next_month + dt.timedelta(days=i))]
        for d in range(n_dept):
            for group in MANUAL_SCORE_GROUPS:
                if month == current:
                    if rng.random() < 0.55:
                        continue  # not scored yet this month
                    span = max(1, (county.end - month).days)
                    when = dt.datetime.combine(month + dt.timedelta(days=int(rng.integers(span))), dt.time(9)) + \
                        dt.timedelta(minutes=int(rng.integers(0, 480)))
                else:
                    when = dt.datetime.combine(entry_days[int(rng.integers(min(4, len(entry_days))))], dt.time(9)) + \
                        dt.timedelta(minutes=int(rng.integers(0, 480)))
                when = min(when, end_dt)
                score = float(np.clip(np.round((base[d] + group_offset[group][d] + rng.normal(0, 4)) * 2) / 2, 55, 100))
                who = names.BACK_OFFICE[int(rng.integers(len(names.BACK_OFFICE)))]
                _audit(audit, month, d + 1, group, None, score, who, when, "月度录入")
                if rng.random() < 0.04 and month < current:
                    corrected = float(np.clip(score + rng.choice([-3, -2, -1.5, 1.5, 2, 3]), 0, 100))
                    when = min(when + dt.timedelta(days=1, hours=2), end_dt)
                    who2 = names.BACK_OFFICE[int(rng.integers(len(names.BACK_OFFICE)))]
                    _audit(audit, month, d + 1, group, score, corrected, who2, when, "复核更正：评分依据补充材料")
                    score, who = corrected, who2
                scores["id"].append(len(scores["id"]) + 1)
                scores["month"].append(day_index(month))
                scores["department_id"].append(d + 1)
                scores["group_code"].append(group)
                scores["score"].append(score)
                scores["entered_by"].append(who)
                scores["entered_at"].append(when)
        month = next_month
    return {"department_group_score": scores, "department_group_score_audit": audit}


def _audit(audit: dict[str, list], month: dt.date, dept: int, group: str, old: float | None, new: float,
           who: str, when: dt.datetime, reason: str) -> None:
    audit["id"].append(len(audit["id"]) + 1)
    audit["month"].append(day_index(month))
    audit["department_id"].append(dept)
    audit["group_code"].append(group)
    audit["old_score"].append(old)
    audit["new_score"].append(new)
    audit["entered_by"].append(who)
    audit["entered_at"].append(when)
    audit["reason"].append(reason)
