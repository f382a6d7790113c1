"""Header mapping and vectorised validation of one chunk of an import file.

A chunk arrives as text columns named by the file's headers; it leaves as typed columns
named by the stored columns (references resolved to ids), plus the list of problems,
each naming the row, the file's column header and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from data_access.config import DEFAULTS
from data_access.loaders.dates import DateWindow, parse_dates
from data_access.loaders.numbers import NumberFormat, detect_number_format, parse_numbers
from data_access.loaders.reading import EXTRA_COLUMN, HEADER_SCAN, ROW_COLUMN, FileProblem, is_blank_header
from data_access.loaders.specs import FALSE_WORDS, TRUE_WORDS, ColumnSpec, KindSpec

_BOOL_MAP = {**{w.lower(): True for w in TRUE_WORDS}, **{w.lower(): False for w in FALSE_WORDS}}
_REF_PROBLEM = {
    "department": "unknown_department",
    "manager": "unknown_manager",
    "retailer": "unknown_retailer",
    "product": "unknown_product",
    "brand": "unknown_brand",
}


@dataclass(frozen=True)
class Issue:
    """One problem: spreadsheet row (None for the whole file), column header, code, parameters."""

    row: int | None
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    warning: bool = False  # reported, but the row is imported


def normalise_header(header: str) -> str:
    """Header comparison key: case, spaces, ``*`` marks and unit brackets do not matter."""
    text = re.sub(r"[（(【\[][^)）】\]]*[)）】\]]", "", str(header))
    return re.sub(r"[\s_*＊:：-]+", "", text).lower()


class SpecHeaders:
    """The header row of ``spec``: the first row naming every required column (reading.HeaderMatcher)."""

    def __init__(self, spec: KindSpec) -> None:
        self.spec = spec
        self.names = {c.field: {normalise_header(n) for n in (c.zh, c.en, c.field, *c.aliases)} for c in spec.columns}
        self.keys = set().union(*self.names.values())

    def known(self, cell: str) -> bool:
        return bool(cell) and normalise_header(cell) in self.keys

    def is_header(self, cells: list[str]) -> bool:
        keys = {normalise_header(c) for c in cells if c}
        return all(self.names[c.field] & keys for c in self.spec.columns if c.required)

    def problem(self, candidates: list[tuple[int, list[str]]]) -> FileProblem:
        """Why no row is the header: a row with some known headers lacks columns, or none is near."""
        row, cells = max(candidates, key=lambda item: sum(self.known(c) for c in item[1]))
        required = [c for c in self.spec.columns if c.required]
        if any(self.known(c) for c in cells):
            keys = {normalise_header(c) for c in cells if c}
            missing = [c for c in required if not self.names[c.field] & keys]
            return FileProblem("missing_columns_at", row=row,
                               columns="、".join(f"{c.zh} / {c.en}" for c in missing))
        return FileProblem("header_not_found", rows=HEADER_SCAN,
                           columns="、".join(f"{c.zh} / {c.en}" for c in required))


def map_headers(spec: KindSpec, headers: list[str]) -> dict[str, str]:
    """Stored field -> the file's header, by zh/en header, field name or alias.

    Raises FileProblem for repeated headers and for missing required columns.
    """
    seen: dict[str, str] = {}
    repeated = []
    for header in headers:
        key = "" if is_blank_header(header) else normalise_header(header)
        if key and key in seen:
            repeated.append(header)
        seen.setdefault(key, header)
    if repeated:
        raise FileProblem("duplicate_headers", headers="、".join(repeated))
    mapping: dict[str, str] = {}
    for column in spec.columns:
        for name in (column.zh, column.en, column.field, *column.aliases):
            header = seen.get(normalise_header(name))
            if header is not None and header not in mapping.values():
                mapping[column.field] = header
                break
    missing = [c for c in spec.columns if c.required and c.field not in mapping]
    if missing:
        raise FileProblem("missing_columns", columns="、".join(f"{c.zh} / {c.en}" for c in missing))
    return mapping


class ChunkChecker:
    """Validates chunks of one file against ``spec`` and the reference maps."""

    def __init__(self, spec: KindSpec, mapping: Mapping[str, str], refs: Mapping[str, Mapping[str, Any]],
                 *, user: str = "", now: dt.datetime | None = None, window: DateWindow | None = None,
                 delimiter: str | None = None, numbers: NumberFormat | None = None,
                 amount_tolerance: float = DEFAULTS["import_checks"]["amount_tolerance"]) -> None:
        self.spec = spec
        self.delimiter = delimiter
        self.numbers = numbers  # decided on the first chunk unless given
        self.amount_tolerance = amount_tolerance
        self.mapping = dict(mapping)
        self.refs = refs
        self.user = user
        self.now = (now or dt.datetime.now()).replace(microsecond=0)
        self.window = window or DateWindow.from_config(DEFAULTS["import_date_window"], self.now.date())

    @property
    def present_columns(self) -> list[str]:
        """Stored columns the file provides (an update only changes these)."""
        present = [self.spec.column_spec(f).column for f in self.mapping]
        stored = [c for c in present if c in self.spec.table.c or c in self.spec.header_columns]
        return stored + list(self.spec.derived)

    def check(self, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
        """Typed rows without problems, and the problems of the others."""
        rows = raw[ROW_COLUMN].to_numpy()
        issues: list[Issue] = []
        bad = np.zeros(len(raw), dtype=bool)
        out = pd.DataFrame({ROW_COLUMN: rows})
        if self.numbers is None:
            self.numbers = self._detect_numbers(raw)
        if EXTRA_COLUMN in raw:  # fields beyond the header: the row's columns are shifted
            extra = raw[EXTRA_COLUMN].to_numpy()
            bad |= extra > 0
            issues.extend(Issue(int(rows[i]), "", "too_many_fields", {"extra": int(extra[i])})
                          for i in np.flatnonzero(extra > 0))
        for column in self.spec.columns:
            header = self.mapping.get(column.field)
            if header is None:
                out[column.column] = _default_series(column, len(raw))
                continue
            text = raw[header].astype(str).reset_index(drop=True)
            values, problems = _parse_column(column, text, self.refs, self.window, self.numbers)
            for code, mask, params in problems:
                bad |= mask
                for i in np.flatnonzero(mask):
                    value = text.iat[i]
                    extra = params(value) if callable(params) else params
                    issues.append(Issue(int(rows[i]), header, code, {"value": value, **extra}))
            out[column.column] = values
        given_amount = out["amount"].notna() if self.spec.kind == "orders" else None
        self._derive(out, raw)
        for code, mask, header in self._row_checks(out):
            bad |= mask
            issues.extend(Issue(int(rows[i]), header, code, {}) for i in np.flatnonzero(mask))
        if given_amount is not None:
            issues.extend(self._amount_warnings(out, given_amount, bad))
        return out.loc[~bad].reset_index(drop=True), issues

    def _detect_numbers(self, raw: pd.DataFrame) -> NumberFormat:
        headers = [h for f, h in self.mapping.items() if self.spec.column_spec(f).type in ("int", "float")]
        sample = pd.concat([raw[h] for h in headers]) if headers else pd.Series([], dtype=str)
        return detect_number_format(sample[sample != ""].head(5_000), self.delimiter)

    def _amount_warnings(self, out: pd.DataFrame, given: pd.Series, bad: np.ndarray) -> list[Issue]:
        """Order lines whose amount is off cartons × wholesale price by more than the tolerance."""
        prices = self.refs.get("product_price", {})
        price = out["product_id"].astype(float).map({pid: float(p[0]) for pid, p in prices.items()}).astype(float)
        expected = out["cartons"] * price
        off = (out["amount"] - expected).abs() > self.amount_tolerance * expected
        flagged = (given & off & expected.notna()).to_numpy() & ~bad
        header = self.mapping.get("amount", "")
        return [Issue(int(out[ROW_COLUMN].iat[i]), header, "amount_mismatch",
                      {"value": _num(round(float(out["amount"].iat[i]), 2)),
                       "expected": _num(round(float(expected.iat[i]), 2)),
                       "tolerance": _num(round(self.amount_tolerance * 100, 1))}, warning=True)
                for i in np.flatnonzero(flagged)]

    def _derive(self, out: pd.DataFrame, raw: pd.DataFrame) -> None:
        kind = self.spec.kind
        if kind == "orders":
            prices = self.refs.get("product_price", {})
            product = out["product_id"].astype(float)
            wholesale = product.map({pid: float(p[0]) for pid, p in prices.items()}).astype(float)
            cost = product.map({pid: float(p[1]) for pid, p in prices.items()}).astype(float)
            out["amount"] = out["amount"].fillna(out["cartons"] * wholesale)
            out["cost"] = out["cost"].fillna(out["cartons"] * cost)
        elif kind == "visits":
            out["visit_date"] = pd.to_datetime(out["sign_in_at"]).dt.normalize()
        elif kind == "group_scores":
            # The history names the importing user, never a typed name (issue 12); a 录入人
            # column in the file is accepted for old templates but not trusted.
            out["entered_by"] = self.user
            out["entered_at"] = self.now

    def _row_checks(self, out: pd.DataFrame) -> list[tuple[str, np.ndarray, str]]:
        kind, checks = self.spec.kind, []
        if kind == "visits" and "sign_out_at" in self.mapping:
            mask = (out["sign_out_at"].notna() & (out["sign_out_at"] < out["sign_in_at"])).to_numpy()
            checks.append(("sign_out_before_sign_in", mask, self.mapping["sign_out_at"]))
        if kind == "pos":
            mask = (out["scanned_valid"] > out["scanned"]).to_numpy()
            checks.append(("valid_above_scanned", mask, self.mapping["scanned_valid"]))
        if kind == "inspections":
            inspected = pd.to_datetime(out["inspected_on"])
            month = pd.to_datetime(out["month"])
            mask = (inspected.notna() & month.notna() & (inspected.dt.to_period("M") != month.dt.to_period("M")))
            checks.append(("month_mismatch", mask.to_numpy(), self.mapping["inspected_on"]))
        return checks


def _default_series(column: ColumnSpec, length: int) -> pd.Series:
    if column.type in ("date", "month", "datetime"):
        return pd.Series([pd.NaT] * length, dtype="datetime64[us]")
    if column.type == "float":
        return pd.Series([column.default if column.default is not None else np.nan] * length, dtype=float)
    return pd.Series([column.default] * length, dtype=object)


def _parse_column(column: ColumnSpec, text: pd.Series, refs: Mapping[str, Mapping[str, Any]], window: DateWindow,
                  number_format: NumberFormat | None = None):
    """Typed values and a list of (problem code, row mask, params) for one column."""
    empty = (text == "").to_numpy()
    problems: list[tuple[str, np.ndarray, Any]] = []
    if column.required:
        problems.append(("required", empty, {}))
    kind = column.type
    if kind == "str":
        values = text.where(~empty, column.default if column.default is not None else None).astype(object)
        if column.max_len:
            problems.append(("too_long", (text.str.len() > column.max_len).to_numpy(), {"max_len": column.max_len}))
    elif kind in ("int", "float"):
        numbers = parse_numbers(text, number_format or NumberFormat())
        # a 400-digit "number" parses to infinity: no such quantity or amount exists
        invalid = ~empty & ~np.isfinite(numbers.to_numpy(dtype=float))
        if kind == "int":
            fractional = ~invalid & ~empty & (numbers.fillna(0) % 1 != 0).to_numpy()
            problems.append(("not_integer", invalid | fractional, {}))
            invalid = invalid | fractional
        else:
            problems.append(("not_number", invalid, {}))
        ok = ~empty & ~invalid
        if column.positive:
            problems.append(("not_positive", ok & (numbers <= 0).to_numpy(), {}))
        if column.min is not None:
            problems.append(("too_small", ok & (numbers < column.min).to_numpy(), {"min": _num(column.min)}))
        if column.max is not None:
            problems.append(("too_large", ok & (numbers > column.max).to_numpy(), {"max": _num(column.max)}))
        default = np.nan if column.default is None else column.default
        values = numbers.where(ok, default)
        if kind == "int":
            values = values.round().astype("Int64")
    elif kind in ("date", "month", "datetime"):
        parsed, date_problems = parse_dates(text, kind, window.bounds(column.window))
        problems.extend(date_problems)
        values = parsed.dt.normalize() if kind != "datetime" else parsed.dt.floor("s")
    elif kind == "bool":
        mapped = text.str.lower().map(_BOOL_MAP)
        problems.append(("bad_bool", ~empty & mapped.isna().to_numpy(), {}))
        values = mapped.where(mapped.notna(), column.default).astype(object)
    elif kind == "enum":
        choices = column.choices or {}
        mapped = text.str.lower().map(choices)
        allowed = "、".join(dict.fromkeys(k for k in choices if not k.isascii())) or "、".join(
            dict.fromkeys(str(v) for v in choices.values()))
        problems.append(("bad_choice", ~empty & mapped.isna().to_numpy(), {"allowed": allowed}))
        values = mapped.where(mapped.notna(), column.default).astype(object)
    else:  # pragma: no cover - specs only use the types above
        raise ValueError(f"unknown column type {kind}")
    if column.ref is not None:
        lookup = refs.get(column.ref, {})
        if column.ref == "brand":
            known = text.isin(list(lookup)) if lookup else pd.Series(False, index=text.index)
            values = text.where(~empty, None).astype(object)
        else:
            ids = text.map(lookup)
            known = ids.notna()
            values = ids.astype("Int64")
        problems.append((_REF_PROBLEM[column.ref], ~empty & ~known.to_numpy(), {}))
    return values, problems


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
