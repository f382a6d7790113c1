"""The dashboard's clock: what "today" and "now" are.

Time is a parameter. By default "today" is the machine's date and "now" its local time.
``DASHBOARD_TODAY`` pins both for tests, demos and the every-day sweep:

- ``DASHBOARD_TODAY=2026-12-01``: today is 1 December 2026; "now" is the end of that day
  (23:59:59), so every fix of the pinned day counts as already recorded;
- ``DASHBOARD_TODAY=2026-12-01T02:30``: today is 1 December 2026 and now is 02:30 (the
  night-time views of finding 9 of issue 13).

Every function also takes an explicit override, which wins over the environment. Feeds are
cut at "now" (``data_access.queries.feeds``): nothing dated after today is ever counted.
"""

from __future__ import annotations

import datetime as dt
import os

TODAY_ENV = "DASHBOARD_TODAY"


def _pinned() -> dt.datetime | None:
    """The pinned moment from ``DASHBOARD_TODAY``, or None (a bad value is ignored with the real clock)."""
    raw = os.environ.get(TODAY_ENV, "").strip()
    if not raw:
        return None
    try:
        if len(raw) <= 10:
            return dt.datetime.combine(dt.date.fromisoformat(raw), dt.time(23, 59, 59))
        return dt.datetime.fromisoformat(raw).replace(tzinfo=None, microsecond=0)
    except ValueError:
        return None


def now(override: dt.datetime | None = None) -> dt.datetime:
    """The current moment (naive local time, like the data's timestamps)."""
    if override is not None:
        return override
    return _pinned() or dt.datetime.now().replace(microsecond=0)


def today(override: dt.date | None = None) -> dt.date:
    """Today's date: ``override``, else ``DASHBOARD_TODAY``, else the machine's date."""
    if override is not None:
        return override
    return now().date()


def is_pinned() -> bool:
    """Whether ``DASHBOARD_TODAY`` pins the clock (the page then says so)."""
    return _pinned() is not None
