"""Per manager-day summary of the GPS track (derived, never written by hand).

The route page's monthly statistics need each manager's distance travelled and the pairs
of fixes that may break the impossible-speed rule (DOMAIN.md §7). At county scale a month
is a few hundred thousand fixes; pairing them in a window query on every cold page load
takes seconds. ``gps_day_summary`` holds, per manager and calendar day with a track:

- ``points``: GPS fixes; ``first_at`` / ``last_at``: the first and last fix;
- ``distance_m``: the track's length, consecutive fixes in time order, equirectangular
  metres at the pair's mean latitude on the haversine sphere (within 0.1 % of the
  great-circle length for steps of a few kilometres);
- ``max_step_kmh``: the fastest step between consecutive fixes with time between them
  (same distance), whatever the fixes' accuracy; NULL with fewer than two fixes.
  A day whose fastest step is slower than the configured speed limit cannot break the
  rule, so the rule only reads the raw fixes of the other days.

Rebuilt by ``data_access.gps_summary.refresh_gps_day_summary``, which every writer of GPS
points (generator, importer, live feed) calls for the manager-days it touched, inside its
own transaction. tests/test_routes_gps_summary.py asserts it equals the raw fixes.
"""

from __future__ import annotations

import datetime as dt

from pydantic import NaiveDatetime
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class GpsDaySummary(SQLModel, table=True):
    """A manager's GPS track of one day, summed (see the module docstring)."""

    __tablename__ = "gps_day_summary"
    __table_args__ = (UniqueConstraint("manager_id", "day", name="uq_gps_day_summary"),)
    id: int | None = Field(default=None, primary_key=True)
    manager_id: int = Field(foreign_key="customer_manager.id")
    day: dt.date
    points: int
    first_at: NaiveDatetime
    last_at: NaiveDatetime
    distance_m: float
    max_step_kmh: float | None = None
