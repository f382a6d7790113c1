"""The page runs bench_pages times, shared with page_report (which prints them)."""

from __future__ import annotations

TODAY = "2026-11-20"  # the county's last day (benchmarks/common.py COUNTY_END_DATE)

# name: (page file, URL parameters, what the row shows)
CASES: dict[str, tuple[str, dict[str, str], str]] = {
    "overview": ("pages/overview.py", {"period": "2026-11"}, "month"),
    "overview-year": ("pages/overview.py", {"period": "2026"}, "year to date (department table over 11 months)"),
    "sales": ("pages/sales.py", {"period": "2026-11"}, "month, breakdown"),
    "sales-3y-week-movers": ("pages/sales.py", {"period": "2026", "s_from": "2024-01-01", "s_to": TODAY,
                                                "s_grain": "week", "s_view": "movers"},
                             "2024-01-01..2026-11-20 at week grain, movers"),
    "terminals": ("pages/terminals.py", {"period": "2026-11"}, "month ranking"),
    "terminals-row": ("pages/terminals.py", {"period": "2026-11"}, "then a row clicked (detail; the timed run)"),
    "routes": ("pages/routes.py", {"period": "2026-11"}, "a manager's day"),
    "routes-month": ("pages/routes.py", {"period": "2026-11", "rt_view": "month"}, "month view"),
    "teams": ("pages/teams.py", {"period": "2026-11"}, "month ranking"),
    "meeting": ("pages/meeting.py", {}, "wall slides"),
}
