"""URL parameter parsers (data_access.rules.params): hand-picked hostile values and Hypothesis.

Every parser takes any text and either returns a value within its bounds or the fallback
with ``ok=False``; it never raises. The cases seen crashing pages (issue 16) are listed.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data_access.rules import params

TEXT = st.one_of(st.none(), st.text(max_size=300), st.from_regex(r"[+-]?[0-9.eE]{1,30}", fullmatch=True),
                 st.sampled_from(["²", "٣", "１２", "inf", "-inf", "nan", "1e999", "9" * 400, "0001-01-01",
                                  "9999-12-31", "2026-02-30", " 7 ", "<b>1</b>", "[x](javascript:1)"]))
FAST = settings(max_examples=300, deadline=None)
LOW, HIGH = dt.date(2024, 1, 1), dt.date(2027, 12, 31)


@pytest.mark.parametrize(("raw", "expected"), [
    (None, (None, True)), ("", (None, True)), ("  ", (None, True)),
    ("7", (7, True)), (" 7 ", (7, True)), ("+7", (7, True)), ("-1", (None, False)),
    ("²", (None, False)), ("٣", (None, False)), ("１２", (None, False)), ("7.0", (None, False)),
    ("1e3", (None, False)), ("9" * 30, (None, False)), ("9" * 5000, (None, False)), ("100", (100, True)),
    ("101", (None, False)),
])
def test_integers_are_ascii_digits_within_bounds(raw, expected) -> None:
    parsed = params.parse_int(raw, default=None, low=0, high=100)
    assert (parsed.value, parsed.ok) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("20", (20.0, True)), ("2.5e1", (25.0, True)), ("inf", (20.0, False)), ("-inf", (20.0, False)),
    ("nan", (20.0, False)), ("1e999", (20.0, False)), ("1e308", (20.0, False)), ("-5", (20.0, False)),
    ("²", (20.0, False)), ("0x10", (20.0, False)), ("1_000", (20.0, False)), ("", (20.0, True)),
])
def test_floats_are_finite_within_bounds(raw, expected) -> None:
    parsed = params.parse_float(raw, default=20.0, low=0, high=600)
    assert (parsed.value, parsed.ok) == expected


@pytest.mark.parametrize(("raw", "ok"), [
    ("2026-11-03", True), ("0001-01-01", False), ("9999-12-31", False), ("2026-02-30", False),
    ("2026-13-01", False), ("２０２６-11-03", False), ("26-11-03", False), ("2026-11-3", False),
    ("2023-12-31", False), ("2028-01-01", False),
])
def test_dates_are_iso_within_the_window(raw, ok) -> None:
    parsed = params.parse_date(raw, default=None, low=LOW, high=HIGH)
    assert parsed.ok is ok
    assert (parsed.value == dt.date.fromisoformat(raw)) if ok else parsed.value is None


def test_date_range_from_year_1_to_9999_falls_back_whole() -> None:
    default = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert params.parse_date_range("0001-01-01", "9999-12-31", default=default, low=LOW, high=HIGH) == \
        params.Parsed(default, ok=False)
    assert params.parse_date_range("2026-11-05", "9999-12-31", default=default, low=LOW, high=HIGH).value == default
    assert params.parse_date_range("2026-11-20", "2026-11-05", default=default, low=LOW, high=HIGH).ok is False
    assert params.parse_date_range("2026-10-01", None, default=default, low=LOW, high=HIGH).value == \
        (dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    assert params.parse_date_range("2024-01-01", "2027-12-31", default=default, low=LOW, high=HIGH,
                                   max_days=366).ok is False


def test_lists_keep_known_tokens_in_order_and_cap_their_length() -> None:
    parsed = params.parse_list("kpi,bogus,KPI,map", ["kpi", "map", "daily"], default=["daily"])
    assert parsed.value == ["kpi", "map"] and parsed.rejected == ("bogus",) and not parsed.ok
    long = params.parse_list(",".join(["kpi"] * 1000), ["kpi"], default=["daily"], max_items=20)
    assert long.value == ["kpi"] and not long.ok
    assert params.parse_list("", ["kpi"], default=["daily"]).value == ["daily"]


def test_time_and_enum() -> None:
    assert params.parse_time("09:05", default=None).value == dt.time(9, 5)
    assert not params.parse_time("24:00", default=None).ok
    assert not params.parse_time("０９:05", default=None).ok
    assert params.parse_enum("day", ("day", "week"), default="week").value == "day"
    assert params.parse_enum("Day", ("day", "week"), default="week") == params.Parsed("week", ok=False)


@FAST
@given(TEXT)
def test_parse_int_never_raises_and_stays_in_bounds(raw) -> None:
    parsed = params.parse_int(raw, default=-1, low=1, high=params.MAX_ID)
    assert parsed.value == -1 or (isinstance(parsed.value, int) and 1 <= parsed.value <= params.MAX_ID)
    if parsed.value != -1:
        assert str(raw).strip().lstrip("+").isascii()


@FAST
@given(TEXT)
def test_parse_float_never_raises_and_is_finite(raw) -> None:
    parsed = params.parse_float(raw, default=20.0, low=5, high=600)
    assert (math.isfinite(parsed.value) and 5 <= parsed.value <= 600) or parsed.value == 20.0


@FAST
@given(TEXT, TEXT)
def test_parse_dates_never_raise_and_stay_in_the_window(raw_start, raw_end) -> None:
    assert params.parse_date(raw_start, default=None, low=LOW, high=HIGH).value in (None,) or \
        LOW <= params.parse_date(raw_start, default=None, low=LOW, high=HIGH).value <= HIGH
    default = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    start, end = params.parse_date_range(raw_start, raw_end, default=default, low=LOW, high=HIGH).value
    assert LOW <= start <= end <= HIGH


@FAST
@given(TEXT)
def test_parse_enum_list_and_time_never_raise(raw) -> None:
    assert params.parse_enum(raw, ("a", "b"), default="a").value in ("a", "b")
    parsed = params.parse_list(raw, ("kpi", "map"), default=("kpi",), max_items=5)
    assert parsed.value and set(parsed.value) <= {"kpi", "map"} and len(parsed.rejected) <= 6
    value = params.parse_time(raw, default=None).value
    assert value is None or isinstance(value, dt.time)


@FAST
@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_parse_int_reads_every_ascii_integer_in_bounds(number) -> None:
    parsed = params.parse_int(str(number), default=None, low=0, high=10**6)
    assert parsed.value == (number if 0 <= number <= 10**6 else None)
