"""One parser per kind of URL parameter: date, date range, integer, float, enum, list, time.

URL parameters are typed by whoever writes the link, so each parser takes any string (or
``None``) and never raises: it returns a :class:`Parsed` holding either the value it read
or the caller's fallback, and whether the raw text was accepted. Every parser bounds what
it accepts:

- text longer than :data:`MAX_RAW_LENGTH` characters is refused before it is looked at;
- integers are ASCII digits only (``"²"`` and ``"٣"`` are digits to ``str.isdigit`` but not
  numbers to a user), within the caller's ``[low, high]``;
- floats are finite (no ``inf``, ``nan``, ``1e999``), within ``[low, high]``;
- dates are ISO ``YYYY-MM-DD`` in ASCII, within a window the caller passes (by default
  :data:`MIN_DATE` … :data:`MAX_DATE`, so year 1 and year 9999 never reach date arithmetic);
- lists are capped at ``max_items`` tokens.

An absent or empty parameter is not an error: it gives the fallback with ``ok=True``.
The pages show a short notice for ``ok=False`` (``components.filters``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_RAW_LENGTH = 200
# The window any date in a link must fall in before a page looks at it. Pages pass a tighter
# one (the data's years); these bounds keep year 1 and 9999 away from date arithmetic.
MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
# Database ids are 32-bit on PostgreSQL's INTEGER and 64-bit at most anywhere.
MAX_ID = 2**31 - 1

_ASCII_INT = re.compile(r"[+-]?[0-9]{1,18}")
_ASCII_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_HH_MM = re.compile(r"([0-9]{2}):([0-9]{2})")


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """A parameter's value and whether the link's text was accepted (``ok``).

    ``ok`` is ``False`` only when there was text and it was refused: ``value`` is then the
    fallback the caller gave. ``rejected`` lists refused tokens of a list parameter.
    """

    value: T
    ok: bool = True
    rejected: tuple[str, ...] = field(default=())


def _clean(raw: object) -> str | None:
    """The stripped text, ``None`` when absent or empty; over-long text is returned as is (refused later)."""
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None


def _too_long(text: str) -> bool:
    return len(text) > MAX_RAW_LENGTH


def parse_int(raw: object, *, default: T, low: int, high: int) -> Parsed[int | T]:
    """An integer in ``[low, high]`` written in ASCII digits (optional sign), else ``default``."""
    text = _clean(raw)
    if text is None:
        return Parsed(default)
    if _too_long(text) or not _ASCII_INT.fullmatch(text):
        return Parsed(default, ok=False)
    value = int(text)
    if not low <= value <= high:
        return Parsed(default, ok=False)
    return Parsed(value)


def parse_float(raw: object, *, default: T, low: float, high: float) -> Parsed[float | T]:
    """A finite decimal number in ``[low, high]`` (ASCII, optional exponent), else ``default``."""
    text = _clean(raw)
    if text is None:
        return Parsed(default)
    if _too_long(text) or not _ASCII_FLOAT.fullmatch(text):
        return Parsed(default, ok=False)
    value = float(text)
    if not math.isfinite(value) or not low <= value <= high:
        return Parsed(default, ok=False)
    return Parsed(value)


def parse_date(raw: object, *, default: T, low: dt.date = MIN_DATE, high: dt.date = MAX_DATE) -> Parsed[dt.date | T]:
    """An ISO date ``YYYY-MM-DD`` within ``[low, high]``, else ``default``."""
    text = _clean(raw)
    if text is None:
        return Parsed(default)
    match = None if _too_long(text) else _ISO_DATE.fullmatch(text)
    if match is None:
        return Parsed(default, ok=False)
    try:
        value = dt.date(*(int(part) for part in match.groups()))
    except ValueError:  # month 13, 30 February, year 0
        return Parsed(default, ok=False)
    if not low <= value <= high:
        return Parsed(default, ok=False)
    return Parsed(value)


def parse_date_range(
    raw_start: object, raw_end: object, *, default: tuple[dt.date, dt.date], low: dt.date = MIN_DATE,
    high: dt.date = MAX_DATE, max_days: int | None = None,
) -> Parsed[tuple[dt.date, dt.date]]:
    """A ``(start, end)`` pair of dates within ``[low, high]``, start ≤ end, at most ``max_days`` long.

    Either end missing takes the default's; anything refused gives the whole default.
    """
    start = parse_date(raw_start, default=None, low=low, high=high)
    end = parse_date(raw_end, default=None, low=low, high=high)
    if not (start.ok and end.ok):
        return Parsed(default, ok=False)
    first = default[0] if start.value is None else start.value
    last = default[1] if end.value is None else end.value
    if first > last or (max_days is not None and (last - first).days + 1 > max_days):
        return Parsed(default, ok=False)
    return Parsed((first, last))


def parse_enum(raw: object, choices: Collection[str], *, default: T) -> Parsed[str | T]:
    """One of ``choices`` (exact text), else ``default``."""
    text = _clean(raw)
    if text is None:
        return Parsed(default)
    if _too_long(text) or text not in choices:
        return Parsed(default, ok=False)
    return Parsed(text)


def parse_list(
    raw: object, choices: Sequence[str], *, default: Sequence[str], max_items: int = 20, separator: str = ","
) -> Parsed[list[str]]:
    """Tokens of a separated list that are in ``choices``, in order, each once.

    Unknown tokens are dropped and reported in ``rejected`` (``ok`` is then ``False``); so is
    everything after ``max_items`` tokens. No valid token at all gives ``default``.
    """
    text = _clean(raw)
    if text is None:
        return Parsed(list(default))
    tokens = [part.strip().lower() for part in text[: MAX_RAW_LENGTH * 5].split(separator)]
    tokens = [token for token in tokens if token]
    kept: list[str] = []
    rejected: list[str] = []
    for index, token in enumerate(tokens):
        if index >= max_items:
            rejected.append("…")
            break
        if token in choices:
            if token not in kept:
                kept.append(token)
        else:
            rejected.append(token)
    return Parsed(kept or list(default), ok=not rejected, rejected=tuple(rejected))


def parse_time(raw: object, *, default: T, low: dt.time = dt.time.min, high: dt.time = dt.time.max) -> Parsed[dt.time | T]:
    """A clock time ``HH:MM`` (ASCII) within ``[low, high]``, else ``default``."""
    text = _clean(raw)
    if text is None:
        return Parsed(default)
    match = None if _too_long(text) else _HH_MM.fullmatch(text)
    if match is None:
        return Parsed(default, ok=False)
    hour, minute = (int(part) for part in match.groups())
    if hour > 23 or minute > 59:
        return Parsed(default, ok=False)
    value = dt.time(hour, minute)
    if not low <= value <= high:
        return Parsed(default, ok=False)
    return Parsed(value)
