"""Visit plans, shop visits and GPS tracks of customer managers (DOMAIN.md §7).

A manager works through ten compact route slots, one per working day, so weekly shops
are planned twice and fortnightly shops once every ten working days. Each day he leaves
the department office, rides (urban, e-bike) or drives (rural) an L-shaped street path
from shop to shop, signs in and out, lunches at the office, and the phone logs a fix
every 30–60 s. Anomalies are seeded at the known rates of :data:`ANOMALY_RATES`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Seeded anomaly rates. Per visit unless noted; the app's detectors should find these.
ANOMALY_RATES: dict[str, float] = {
    "far_sign_in": 0.02,  # sign-in 250–900 m from the shop's registered position
    "short_visit": 0.03,  # signed out after less than 3 minutes
    "missing_sign_out": 0.015,  # signed in, never signed out
    "outside_hours": 0.01,  # sign-in before 08:30 or after 17:30
    "planned_not_visited": 0.03,  # per planned visit: the shop was skipped that day
    "gps_jump": 0.05,  # per manager-day with a track: one fix 3–8 km off (>120 km/h)
}
UNPLANNED_VISIT_RATE = 0.02  # extra visits to shops not on the day's plan (not an anomaly)
WORK_START, LUNCH_START, LUNCH_END, WORK_END = 8.5 * 3600, 12 * 3600, 14 * 3600, 17.5 * 3600
URBAN_SPEED_KMH, RURAL_SPEED_KMH, WALK_SPEED_KMH = 13.0, 30.0, 4.5


@dataclass
class DayResult:
    visits: dict[str, np.ndarray]  # per visit: retailer index, planned, sign-in/out seconds and km positions
    track: dict[str, np.ndarray] | None  # per fix: seconds, x, y (km), speed, accuracy


def _travel_minutes(rng: np.random.Generator, a: np.ndarray, b: np.ndarray, speed: float) -> np.ndarray:
    length = (np.abs(b[:, 0] - a[:, 0]) + np.abs(b[:, 1] - a[:, 1])) * 1.05
    kmh = np.where(length < 0.2, WALK_SPEED_KMH, speed * rng.uniform(0.85, 1.15, len(length)))
    return length / kmh * 60 + rng.uniform(0.5, 1.5, len(length))


def _schedule_block(
    rng: np.random.Generator, travel_in: np.ndarray, duration: np.ndarray, short: np.ndarray, start: float, end: float
) -> np.ndarray:
    """Sign-in times (s) of one half-day so every visit fits between ``start`` and ``end``."""
    m = len(duration)
    first = start + rng.uniform(0, 8) * 60
    avail = (end - first) / 60 - 3
    inner = travel_in[1:].copy()
    need = duration.sum() + inner.sum()
    if need > avail:  # a long day: shorten normal visits (never under 5 min), then ride faster
        normal = ~short
        spare = duration[normal].sum() - 5 * normal.sum()
        cut = min(need - avail, spare)
        if spare > 0:
            duration[normal] -= (duration[normal] - 5) * cut / spare
        need = duration.sum() + inner.sum()
        if need > avail and inner.sum() > 0:
            inner *= max(0.2, 1 - (need - avail) / inner.sum())
            travel_in[1:] = inner
    slack = max(0.0, avail - duration.sum() - inner.sum())
    gaps = rng.dirichlet(np.ones(m + 1)) * slack * rng.uniform(0.3, 0.9)
    step = np.concatenate([[0.0], duration[:-1] + gaps[1:m] + travel_in[1:]]) * 60
    sign_in = first + np.cumsum(step)
    return sign_in


def simulate_day(
    rng: np.random.Generator,
    *,
    office: tuple[float, float],
    rural: bool,
    shops: np.ndarray,
    planned: np.ndarray,
    rate_factor: float = 1.0,
    with_track: bool = True,
) -> DayResult:
    """One manager's working day through ``shops`` (km, in visiting order).

    Returns the visits (with seeded anomalies) and, if ``with_track``, the GPS fixes.
    Reusable for a live feed: pass the day's remaining route.
    """
    n = len(shops)
    speed = RURAL_SPEED_KMH if rural else URBAN_SPEED_KMH
    office_xy = np.array(office, dtype=float)
    rates = ANOMALY_RATES
    p_far, p_short, p_miss = (rates[k] * rate_factor for k in ("far_sign_in", "short_visit", "missing_sign_out"))
    kind = rng.choice(4, size=n, p=[1 - p_far - p_short - p_miss, p_far, p_short, p_miss])
    far, short, missing = kind == 1, kind == 2, kind == 3
    pos = shops + rng.normal(0, 0.006, (n, 2))
    angle = rng.uniform(0, 2 * np.pi, n)
    dist = rng.uniform(0.25, 0.9, n)
    pos[far] = shops[far] + np.column_stack([np.cos(angle), np.sin(angle)])[far] * dist[far, None]
    duration = np.where(short, rng.uniform(0.8, 2.8, n), np.clip(rng.lognormal(np.log(10.5), 0.35, n), 5, 20))

    # Split the route into a morning and an afternoon of about equal effort.
    prev = np.vstack([office_xy, pos[:-1]]) if n else np.empty((0, 2))
    rough = _travel_minutes(rng, prev, pos, speed) + duration if n else np.empty(0)
    k = int(np.searchsorted(np.cumsum(rough), rough.sum() / 2)) + 1 if n else 0
    k = min(k, n)
    sign_in = np.empty(n)
    travel_in = np.empty(n)
    for lo, hi, start, end in ((0, k, WORK_START, LUNCH_START), (k, n, LUNCH_END, WORK_END)):
        if hi <= lo:
            continue
        origin = np.vstack([office_xy, pos[lo : hi - 1]])
        travel_in[lo:hi] = _travel_minutes(rng, origin, pos[lo:hi], speed)
        sign_in[lo:hi] = _schedule_block(rng, travel_in[lo:hi], duration[lo:hi], short[lo:hi], start, end)
    # Outside working hours: the first visit early or the last one late.
    outside = min(2, int(rng.binomial(n, rates["outside_hours"] * rate_factor))) if n else 0
    if outside:
        ends = [0, n - 1] if outside == 2 and n > 1 else [int(rng.choice([0, n - 1]))]
        for i in ends:
            if i == 0 and i < k:
                sign_in[0] = WORK_START - rng.uniform(8, 40) * 60
            elif i == n - 1 and i >= k:
                sign_in[i] = WORK_END + rng.uniform(3, 50) * 60
    sign_in = np.round(sign_in)
    sign_out = np.round(sign_in + duration * 60)
    noise = rng.normal(0, 0.008, (n, 4))
    visits = {
        "sign_in_s": sign_in, "sign_out_s": sign_out, "missing_sign_out": missing, "planned": planned,
        "in_x": pos[:, 0] + noise[:, 0], "in_y": pos[:, 1] + noise[:, 1],
        "out_x": pos[:, 0] + noise[:, 2], "out_y": pos[:, 1] + noise[:, 3],
    }
    if not with_track:
        return DayResult(visits, None)
    return DayResult(visits, _track(rng, office_xy, pos, sign_in, sign_out, travel_in, k, rate_factor))


def _track(
    rng: np.random.Generator, office: np.ndarray, pos: np.ndarray, sign_in: np.ndarray, sign_out: np.ndarray,
    travel_in: np.ndarray, k: int, rate_factor: float,
) -> dict[str, np.ndarray]:
    """GPS fixes along the day's knots (stays and L-shaped moves), with noise and gaps."""
    n = len(pos)
    first_dep = (sign_in[0] - travel_in[0] * 60) if n else WORK_START
    t_knots = [min(WORK_START, first_dep) - rng.uniform(5, 20) * 60]
    xy_knots = [office]

    def move(t_dep: float, t_arr: float, a: np.ndarray, b: np.ndarray) -> None:
        t_dep = max(t_dep, t_knots[-1])
        t_arr = max(t_arr, t_dep + 1)
        dx, dy = abs(b[0] - a[0]), abs(b[1] - a[1])
        frac = dx / (dx + dy) if dx + dy > 0 else 0.5
        corner = np.array([b[0], a[1]]) if rng.random() < 0.5 else np.array([a[0], b[1]])
        if corner[0] != b[0]:
            frac = 1 - frac
        t_knots.extend([t_dep, t_dep + frac * (t_arr - t_dep), t_arr])
        xy_knots.extend([a, corner, b])

    here = office
    for i in range(n):
        if i == k:  # lunch at the office
            move(sign_out[i - 1] + rng.uniform(1, 5) * 60, sign_out[i - 1] + (rng.uniform(1, 5) + 10) * 60, here, office)
            here = office
        arrive = sign_in[i]
        move(arrive - travel_in[i] * 60, arrive, here, pos[i])
        t_knots.append(sign_out[i])
        xy_knots.append(pos[i])
        here = pos[i]
    leave = (sign_out[-1] if n else WORK_END) + rng.uniform(1, 5) * 60
    move(leave, leave + rng.uniform(8, 25) * 60, here, office)
    end = max(t_knots[-1], WORK_END) + rng.uniform(3, 15) * 60
    t_knots.append(end)
    xy_knots.append(office)
    kt = np.maximum.accumulate(np.array(t_knots))
    kxy = np.array(xy_knots)

    steps = rng.uniform(30, 60, int((end - kt[0]) / 30) + 2)
    t = kt[0] + np.concatenate([[0], np.cumsum(steps)])
    t = t[t <= end]
    for _ in range(int(rng.poisson(0.7))):  # signal lost for a few minutes
        g0 = rng.uniform(kt[0], end)
        t = t[(t < g0) | (t > g0 + rng.uniform(3, 12) * 60)]
    x, y = np.interp(t, kt, kxy[:, 0]), np.interp(t, kt, kxy[:, 1])
    step_km = np.hypot(np.diff(x, prepend=x[0]), np.diff(y, prepend=y[0]))
    dt_h = np.maximum(np.diff(t, prepend=t[0] - 45), 1) / 3600
    speed = np.clip(step_km / dt_h * rng.uniform(0.9, 1.1, len(t)) + np.abs(rng.normal(0, 0.4, len(t))), 0, None)
    accuracy = 5 + 25 * rng.beta(1.6, 3.0, len(t))
    x = x + rng.normal(0, 1, len(t)) * accuracy / 2000
    y = y + rng.normal(0, 1, len(t)) * accuracy / 2000
    if len(t) > 10 and rng.random() < ANOMALY_RATES["gps_jump"] * rate_factor:
        j = int(rng.integers(3, len(t) - 3))
        a = rng.uniform(0, 2 * np.pi)
        jump = rng.uniform(3, 8)
        x[j] += jump * np.cos(a)
        y[j] += jump * np.sin(a)
        # make sure the neighbours are close in time, so the implied speed is unmistakable
        t[j] = min(t[j], t[j - 1] + 60)
    return {"seconds": np.round(t), "x": x, "y": y, "speed": np.round(speed, 1), "accuracy": np.round(accuracy, 1)}
