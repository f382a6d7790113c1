"""Earth constants shared by the visit rules (haversine) and the GPS summaries (SQL distances)."""

from __future__ import annotations

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), metres
