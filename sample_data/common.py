"""Shared helpers of the sample generator: seeded random streams and local coordinates."""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np

# Xinluo district (Longyan, western Fujian): the local plane is centred here.
CENTRE_LAT = 25.08
CENTRE_LON = 117.02
KM_PER_DEG_LAT = 111.2
KM_PER_DEG_LON = 111.32 * float(np.cos(np.radians(CENTRE_LAT)))


def child_rng(seed: int, *keys: int | str) -> np.random.Generator:
    """An independent, reproducible random stream for one part of the county.

    Strings are turned into integers with CRC-32 (stable across runs, unlike ``hash``), so
    every component draws from its own stream and changing one part never shifts another.
    """
    entropy = [int(seed)]
    for key in keys:
        entropy.append(zlib.crc32(key.encode("utf-8")) if isinstance(key, str) else int(key))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))


def to_lonlat(x_km: np.ndarray, y_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Local plane (km east, km north of the centre) to WGS-84 longitude/latitude."""
    return CENTRE_LON + np.asarray(x_km) / KM_PER_DEG_LON, CENTRE_LAT + np.asarray(y_km) / KM_PER_DEG_LAT


def to_xy(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 longitude/latitude to the local plane in km."""
    return (np.asarray(lon) - CENTRE_LON) * KM_PER_DEG_LON, (np.asarray(lat) - CENTRE_LAT) * KM_PER_DEG_LAT


def day_index(day: dt.date) -> int:
    """Days since 1970-01-01 (numpy datetime64[D] integer)."""
    return (day - dt.date(1970, 1, 1)).days


def from_day_index(index: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(index))


def date_strings(day_indexes: np.ndarray) -> np.ndarray:
    """ISO date strings (``2026-11-23``), the form SQLAlchemy stores ``Date`` in on SQLite."""
    return np.asarray(day_indexes, dtype="int64").astype("datetime64[D]").astype(str)


_TIME_OF_DAY = None


def datetime_strings(day_indexes: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """``YYYY-MM-DD HH:MM:SS.000000`` strings, SQLAlchemy's SQLite ``DateTime`` format."""
    global _TIME_OF_DAY
    if _TIME_OF_DAY is None:
        _TIME_OF_DAY = np.array([f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(86400)])
    days = np.asarray(day_indexes, dtype="int64")
    secs = np.clip(np.asarray(seconds, dtype="int64"), 0, 86399)
    return np.strings.add(date_strings(days), _TIME_OF_DAY[secs])
