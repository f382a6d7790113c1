"""SQLModel tables for the county company's market and team data (DOMAIN.md §1–§9).

Conventions:
- Surrogate integer ids for joins; natural keys (licence number, codes, dates) carry a
  unique constraint so imports can upsert by them.
- Months are stored as the DATE of their first day (``2026-11-01``), which compares and
  indexes identically on SQLite and PostgreSQL.
- Categorical attributes (business format, terminal level, ...) are stored as stable
  English codes; the UI translates them (components/i18n).
- Timestamps are naive local time (China Standard Time, UTC+8, no daylight saving):
  what the phone app and the provincial systems export.
- Volumes are stored in cartons (条), the unit orders are placed in; cases are derived.
"""

from __future__ import annotations

import datetime as dt

from pydantic import NaiveDatetime
from sqlalchemy import BigInteger, Column, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# --- categorical codes (DOMAIN.md §2) -------------------------------------------------
BUSINESS_FORMATS = ("grocery", "convenience", "supermarket", "tobacco_liquor", "entertainment", "other")
MARKET_TYPES = ("urban", "rural")
TERMINAL_LEVELS = ("ordinary", "image", "modern", "shop_in_shop")
MODERN_TERMINAL_LEVELS = ("modern", "shop_in_shop")  # ranked as modern retail terminals
RETAILER_STATUSES = ("active", "suspended", "closed", "new")
MANAGER_GRADES = ("junior", "intermediate", "senior")  # 营销师 初级/中级/高级
ORDER_STATUSES = ("ordered", "failed", "insufficient_balance")  # "not ordered" = no row
ORDER_CHANNELS = ("online", "phone")
PHOTO_KINDS = ("storefront", "counter", "display")
DEPARTMENT_SCORE_GROUPS = ("kpi", "campaign", "six_s", "inspection", "innovation")
MANUAL_SCORE_GROUPS = ("campaign", "six_s", "inspection", "innovation")

# BIGINT ids on PostgreSQL for the big tables; SQLite only auto-increments INTEGER keys.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def _big_id() -> Column:
    return Column(BigId, primary_key=True, autoincrement=True)


class Department(SQLModel, table=True):
    """Customer service department (客户服务部), owner of a territory."""

    __tablename__ = "department"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    name: str = Field(max_length=60)
    name_en: str = Field(default="", max_length=80)
    sort_order: int = 0


class CustomerManager(SQLModel, table=True):
    """Customer manager (客户经理) owning a fixed area of retailers."""

    __tablename__ = "customer_manager"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    name: str = Field(max_length=40)
    department_id: int = Field(foreign_key="department.id", index=True)
    grade: str = Field(default="junior", max_length=20)
    area_name: str = Field(default="", max_length=60)
    active: bool = True


class Retailer(SQLModel, table=True):
    """Licensed retailer (零售户); modern terminals are those with a modern terminal level."""

    __tablename__ = "retailer"
    __table_args__ = (
        Index("ix_retailer_manager_status", "manager_id", "status"),
        Index("ix_retailer_level_format", "terminal_level", "business_format"),
    )
    id: int | None = Field(default=None, primary_key=True)
    licence_no: str = Field(unique=True, max_length=20)
    customer_code: str = Field(unique=True, max_length=20)
    shop_name: str = Field(max_length=100)
    owner_name: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=200)
    town: str = Field(default="", max_length=40)
    longitude: float  # WGS-84
    latitude: float  # WGS-84
    business_format: str = Field(max_length=20)
    market_type: str = Field(max_length=10)
    tier: int = Field(ge=1, le=30)
    star_rating: int = Field(ge=1, le=5)
    terminal_level: str = Field(default="ordinary", max_length=20)
    online_ordering: bool = True
    has_pos: bool = False
    status: str = Field(default="active", max_length=20)
    manager_id: int = Field(foreign_key="customer_manager.id")
    visit_cycle_days: int = 14  # planned visit cycle: 7 for high tiers and modern terminals
    licensed_on: dt.date | None = None
    upgraded_on: dt.date | None = None  # date it reached its current terminal level


class Product(SQLModel, table=True):
    """A cigarette SKU (规格); prices are per carton (条)."""

    __tablename__ = "product"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    name: str = Field(max_length=60)
    brand_family: str = Field(index=True, max_length=40)
    price_class: int = Field(ge=1, le=5)
    wholesale_price: float  # yuan per carton
    cost_price: float  # purchase price from the manufacturer, yuan per carton
    retail_price: float  # suggested retail, yuan per carton
    barcode: str = Field(default="", max_length=20)
    is_provincial: bool = True
    is_key_brand: bool = False
    is_new: bool = False


class Order(SQLModel, table=True):
    """A retailer's weekly order header; its lines share (retailer_id, order_date)."""

    __tablename__ = "retail_order"
    __table_args__ = (
        UniqueConstraint("retailer_id", "order_date", name="uq_order_retailer_date"),
        Index("ix_order_date_status", "order_date", "status"),
    )
    id: int | None = Field(default=None, sa_column=_big_id())
    order_date: dt.date
    retailer_id: int = Field(foreign_key="retailer.id")
    channel: str = Field(default="online", max_length=10)
    status: str = Field(default="ordered", max_length=30)


class OrderLine(SQLModel, table=True):
    """One SKU on a retailer's order. Natural key: order date + retailer + SKU."""

    __tablename__ = "order_line"
    __table_args__ = (
        UniqueConstraint("order_date", "retailer_id", "product_id", name="uq_order_line"),
        Index("ix_order_line_retailer_date", "retailer_id", "order_date"),
    )
    id: int | None = Field(default=None, sa_column=_big_id())
    order_date: dt.date
    retailer_id: int = Field(foreign_key="retailer.id")
    product_id: int = Field(foreign_key="product.id")
    cartons: float
    amount: float  # yuan
    cost: float  # yuan, cartons x purchase price


class SalesDaily(SQLModel, table=True):
    """Pre-aggregated order lines per day, manager and product (about 1/9 of the lines).

    Derived from ``order_line`` by ``data_access.aggregates.refresh_sales_daily``; never
    written by hand. Tests assert it always equals the raw lines.
    """

    __tablename__ = "sales_daily"
    __table_args__ = (
        Index("ix_sales_daily_date_dept", "sale_date", "department_id"),
        Index("ix_sales_daily_dept_date", "department_id", "sale_date"),
        Index("ix_sales_daily_manager_date", "manager_id", "sale_date"),
        Index("ix_sales_daily_product_date", "product_id", "sale_date"),
    )
    id: int | None = Field(default=None, sa_column=_big_id())
    sale_date: dt.date
    department_id: int
    manager_id: int
    product_id: int
    cartons: float
    amount: float
    cost: float
    order_lines: int


class DepartmentPlan(SQLModel, table=True):
    """Monthly sales plan of a department, in cases (and amount)."""

    __tablename__ = "department_plan"
    __table_args__ = (UniqueConstraint("month", "department_id", name="uq_department_plan"),)
    id: int | None = Field(default=None, primary_key=True)
    month: dt.date
    department_id: int = Field(foreign_key="department.id")
    planned_cases: float
    planned_amount: float = 0.0


class BrandPlan(SQLModel, table=True):
    """Monthly plan of a department for one key brand family, in cases."""

    __tablename__ = "brand_plan"
    __table_args__ = (UniqueConstraint("month", "department_id", "brand_family", name="uq_brand_plan"),)
    id: int | None = Field(default=None, primary_key=True)
    month: dt.date
    department_id: int = Field(foreign_key="department.id")
    brand_family: str = Field(max_length=40)
    planned_cases: float


class ManagerPlan(SQLModel, table=True):
    """A department's monthly plan split to one customer manager (KPI task), in cases."""

    __tablename__ = "manager_plan"
    __table_args__ = (UniqueConstraint("month", "manager_id", name="uq_manager_plan"),)
    id: int | None = Field(default=None, primary_key=True)
    month: dt.date
    manager_id: int = Field(foreign_key="customer_manager.id")
    planned_cases: float
    planned_key_brand_cases: float = 0.0


class TerminalInspection(SQLModel, table=True):
    """Monthly display inspection of a modern terminal; part scores in InspectionScore."""

    __tablename__ = "terminal_inspection"
    __table_args__ = (
        UniqueConstraint("month", "retailer_id", name="uq_inspection_month_retailer"),
        Index("ix_inspection_retailer_month", "retailer_id", "month"),
    )
    id: int | None = Field(default=None, primary_key=True)
    month: dt.date
    retailer_id: int = Field(foreign_key="retailer.id")
    inspected_on: dt.date
    inspector_id: int | None = Field(default=None, foreign_key="customer_manager.id")
    remarks: str = Field(default="", max_length=200)


class InspectionScore(SQLModel, table=True):
    """Points for one rubric part (configuration key ``display_rubric``) of an inspection."""

    __tablename__ = "inspection_score"
    __table_args__ = (UniqueConstraint("inspection_id", "part_code", name="uq_inspection_part"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="terminal_inspection.id")
    part_code: str = Field(max_length=30)
    points: float


class TerminalPhoto(SQLModel, table=True):
    """Archive photo of a terminal (storefront, counter, display) at a point in time."""

    __tablename__ = "terminal_photo"
    __table_args__ = (Index("ix_photo_retailer_taken", "retailer_id", "taken_on"),)
    id: int | None = Field(default=None, primary_key=True)
    retailer_id: int = Field(foreign_key="retailer.id")
    taken_on: dt.date
    kind: str = Field(max_length=20)
    path: str = Field(max_length=300)  # relative to the photo root (sample_data/photos)
    caption: str = Field(default="", max_length=200)


class PosReconciliation(SQLModel, table=True):
    """Monthly purchase-sale-stock reconciliation (进销存) of a POS retailer, in cartons."""

    __tablename__ = "pos_reconciliation"
    __table_args__ = (
        UniqueConstraint("month", "retailer_id", name="uq_pos_month_retailer"),
        Index("ix_pos_retailer_month", "retailer_id", "month"),
    )
    id: int | None = Field(default=None, primary_key=True)
    month: dt.date
    retailer_id: int = Field(foreign_key="retailer.id")
    opening_stock: float
    delivered: float
    closing_stock: float
    scanned: float
    scanned_valid: float


class VisitPlan(SQLModel, table=True):
    """A planned visit (拜访计划) of a manager to a retailer on a day."""

    __tablename__ = "visit_plan"
    __table_args__ = (
        UniqueConstraint("plan_date", "manager_id", "retailer_id", name="uq_visit_plan"),
        Index("ix_visit_plan_manager_date", "manager_id", "plan_date"),
    )
    id: int | None = Field(default=None, sa_column=_big_id())
    plan_date: dt.date
    manager_id: int = Field(foreign_key="customer_manager.id")
    retailer_id: int = Field(foreign_key="retailer.id")


class Visit(SQLModel, table=True):
    """A shop visit: sign-in (签到) and sign-out (签退) with time and WGS-84 position."""

    __tablename__ = "visit"
    __table_args__ = (
        UniqueConstraint("manager_id", "sign_in_at", name="uq_visit_manager_signin"),
        Index("ix_visit_manager_date", "manager_id", "visit_date"),
        Index("ix_visit_retailer_date", "retailer_id", "visit_date"),
        Index("ix_visit_date", "visit_date"),
    )
    id: int | None = Field(default=None, sa_column=_big_id())
    manager_id: int = Field(foreign_key="customer_manager.id")
    retailer_id: int = Field(foreign_key="retailer.id")
    visit_date: dt.date
    planned: bool = True
    sign_in_at: NaiveDatetime
    sign_in_lon: float
    sign_in_lat: float
    sign_out_at: NaiveDatetime | None = None
    sign_out_lon: float | None = None
    sign_out_lat: float | None = None


class GpsPoint(SQLModel, table=True):
    """One phone GPS fix (轨迹点) in WGS-84; speed in km/h, accuracy in metres."""

    __tablename__ = "gps_point"
    __table_args__ = (Index("ix_gps_manager_time", "manager_id", "recorded_at"),)
    id: int | None = Field(default=None, sa_column=_big_id())
    manager_id: int = Field(foreign_key="customer_manager.id")
    recorded_at: NaiveDatetime
    longitude: float
    latitude: float
    speed_kmh: float = 0.0
    accuracy_m: float = 10.0


class DepartmentGroupScore(SQLModel, table=True):
    """Score (0–100) of a department in a manually scored group (2–5) for a month."""

    __tablename__ = "department_group_score"
    __table_args__ = (
        UniqueConstraint("month", "department_id", "group_code", name="uq_group_score"),
    )
    id: int | None = Field(default=None, primary_key=True)
    month: dt.date
    department_id: int = Field(foreign_key="department.id")
    group_code: str = Field(max_length=20)
    score: float = Field(ge=0, le=100)
    entered_by: str = Field(max_length=40)
    entered_at: NaiveDatetime


class DepartmentGroupScoreAudit(SQLModel, table=True):
    """Every entry or correction of a group score, kept for the audit history."""

    __tablename__ = "department_group_score_audit"
    __table_args__ = (Index("ix_group_score_audit_month", "month", "department_id"),)
    id: int | None = Field(default=None, primary_key=True)
    month: dt.date
    department_id: int = Field(foreign_key="department.id")
    group_code: str = Field(max_length=20)
    old_score: float | None = None
    new_score: float
    entered_by: str = Field(max_length=40)
    entered_at: NaiveDatetime
    reason: str = Field(default="", max_length=200)


class BrandForecast(SQLModel, table=True):
    """Brand manager's demand forecast (需求预测) for a brand family and month, in cases."""

    __tablename__ = "brand_forecast"
    __table_args__ = (UniqueConstraint("month", "brand_family", name="uq_brand_forecast"),)
    id: int | None = Field(default=None, primary_key=True)
    month: dt.date
    brand_family: str = Field(max_length=40)
    forecast_cases: float
    made_by: str = Field(default="", max_length=40)


class ConfigSetting(SQLModel, table=True):
    """County-specific configuration as JSON (rubric, weights, thresholds).

    Absent keys fall back to the defaults in ``data_access.config``.
    """

    __tablename__ = "config_setting"
    key: str = Field(primary_key=True, max_length=60)
    value_json: str = Field(sa_column=Column(Text, nullable=False))
    updated_by: str = Field(default="system", max_length=40)
    updated_at: NaiveDatetime | None = None


class DataVersion(SQLModel, table=True):
    """Change counter per data domain; caches key on it so writes show up at once."""

    __tablename__ = "data_version"
    domain: str = Field(primary_key=True, max_length=30)
    version: int = 0
    updated_at: NaiveDatetime | None = None


class ImportLog(SQLModel, table=True):
    """One file import: who, when, which file, and what it changed."""

    __tablename__ = "import_log"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    file_name: str = Field(max_length=200)
    file_sha256: str = Field(max_length=64)
    imported_by: str = Field(default="", max_length=40)
    imported_at: NaiveDatetime
    rows_added: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    dry_run: bool = False


class MeetingSnapshot(SQLModel, table=True):
    """KPIs and rankings saved at a meeting, for the next meeting's "since last" view."""

    __tablename__ = "meeting_snapshot"
    id: int | None = Field(default=None, primary_key=True)
    taken_at: NaiveDatetime
    taken_by: str = Field(default="", max_length=40)
    title: str = Field(default="", max_length=100)
    payload_json: str = Field(sa_column=Column(Text, nullable=False))
