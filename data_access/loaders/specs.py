"""What each import kind looks like: its columns (zh and en headers), types and natural key.

One :class:`KindSpec` per kind drives everything else: header mapping, validation, the
staging table, the upsert, the template file and docs/import_formats.md. Categorical
values are accepted as the stored English code or as the Chinese/English label people
type in the provincial exports (``食杂店`` or ``grocery``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Table

from data_access import models
from data_access.config import DEFAULTS

# Column types understood by the parser (data_access.loaders.parsing).
TYPES = ("str", "int", "float", "date", "month", "datetime", "bool", "enum")

# References: file column holds a business key, the table stores the surrogate id.
REFS = ("department", "manager", "retailer", "product", "brand")

# China's extent, so swapped or zeroed coordinates are caught (WGS-84).
LON_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)

TRUE_WORDS = ("1", "true", "t", "yes", "y", "是", "有", "对", "√", "✓", "在岗", "网上", "省内")
FALSE_WORDS = ("0", "false", "f", "no", "n", "否", "无", "没有", "×", "离岗", "电话", "省外")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an import file.

    ``field`` is the stored column name, or for references the business key in the file
    (``licence_no``) with ``ref`` naming what it points to and ``target`` the id column.
    """

    field: str
    zh: str
    en: str
    type: str = "str"
    required: bool = True
    aliases: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    positive: bool = False  # strictly greater than zero
    max_len: int | None = None
    choices: Mapping[str, Any] | None = None  # accepted label (lower case) -> stored value
    ref: str | None = None
    target: str | None = None
    default: Any = None
    example: str = ""
    window: str = "fact"  # dates: which plausible window applies (data_access.loaders.dates)
    note_zh: str = ""
    note_en: str = ""

    @property
    def column(self) -> str:
        """Name of the column in the staging and target tables."""
        return self.target or self.field


@dataclass(frozen=True)
class KindSpec:
    """An import kind: the target table, its file columns and its natural key."""

    kind: str
    zh: str
    en: str
    table: Table
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]  # stored columns forming the natural key
    domains: tuple[str, ...]  # data domains whose caches an import invalidates
    unique_also: tuple[str, ...] = ()  # other unique stored columns (checked before writing)
    compare_exclude: tuple[str, ...] = ()  # stored columns that do not make a row "changed"
    reassign_columns: tuple[str, ...] = ()  # a change here moves sales to another owner or group
    derived: tuple[str, ...] = ()  # stored columns computed from others
    header_columns: tuple[str, ...] = ()  # stored on the order header (retail_order), not the line
    extra: dict[str, Any] = field(default_factory=dict)

    def column_spec(self, field_name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.field == field_name)


def _choices(pairs: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """code -> labels  =>  accepted lower-case label -> code (the code itself included)."""
    out: dict[str, str] = {}
    for code, labels in pairs.items():
        for label in (code, *labels):
            out[label.lower()] = code
    return out


FORMAT_CHOICES = _choices({
    "grocery": ("食杂店", "食杂", "Grocery"),
    "convenience": ("便利店", "便利", "Convenience store"),
    "supermarket": ("超市", "商场", "Supermarket"),
    "tobacco_liquor": ("烟酒商店", "烟酒店", "Tobacco & liquor"),
    "entertainment": ("娱乐服务类", "娱乐服务", "Entertainment"),
    "other": ("其他", "其它", "Other"),
})
MARKET_CHOICES = _choices({"urban": ("城镇", "城市", "城区"), "rural": ("乡村", "农村")})
LEVEL_CHOICES = _choices({
    "ordinary": ("普通", "普通终端"), "image": ("形象店", "Image store"),
    "modern": ("现代终端", "Modern terminal"), "shop_in_shop": ("店中店", "Shop-in-shop"),
})
STATUS_CHOICES = _choices({
    "active": ("正常", "营业"), "suspended": ("停业", "暂停营业"), "closed": ("歇业", "注销"),
    "new": ("新增", "新办", "New licence"),
})
GRADE_CHOICES = _choices({
    "junior": ("初级", "初级营销师"), "intermediate": ("中级", "中级营销师"), "senior": ("高级", "高级营销师"),
})
CHANNEL_CHOICES = _choices({"online": ("网上", "网上订货", "网络"), "phone": ("电话", "电话订货")})
GROUP_CHOICES = _choices({
    "campaign": ("建功立业活动", "建功立业", "Achievement campaign"),
    "six_s": ("6S现场管理", "6s", "6S", "6S on-site management"),
    "inspection": ("上级检查", "Inspections"),
    "innovation": ("服务部创新", "创新", "Innovation"),
})
PRICE_CLASS_CHOICES: dict[str, Any] = {}
for _n, _zh in enumerate(("一类", "二类", "三类", "四类", "五类"), start=1):
    PRICE_CLASS_CHOICES.update({str(_n): _n, f"{_n}.0": _n, _zh: _n, _zh[0]: _n, f"class {_n}": _n})

_DEPT = ColumnSpec("department_code", "服务部编码", "department code", ref="department", target="department_id",
                   aliases=("服务部代码", "部门编码"), example="D01")
_MANAGER = ColumnSpec("manager_code", "客户经理编码", "manager code", ref="manager", target="manager_id",
                      aliases=("客户经理代码", "经理编码", "客户经理工号"), example="M0101")
_RETAILER = ColumnSpec("licence_no", "许可证号", "licence number", ref="retailer", target="retailer_id",
                       aliases=("专卖许可证号", "许可证编号", "license no", "licence no"), example="350802100001")
_MONTH = ColumnSpec("month", "月份", "month", type="month", aliases=("统计月份", "年月"), example="2026-11",
                    note_zh="2026-11、202611 或 2026年11月", note_en="2026-11, 202611 or 2026年11月")
_PLAN_MONTH = replace(_MONTH, window="plan")  # plans and forecasts are made for months ahead


def _money(field_name: str, zh: str, en: str, *, required: bool = True, example: str = "") -> ColumnSpec:
    return ColumnSpec(field_name, zh, en, type="float", min=0, required=required, example=example)


def _lon(field_name: str, zh: str, en: str, *, required: bool = True) -> ColumnSpec:
    return ColumnSpec(field_name, zh, en, type="float", min=LON_RANGE[0], max=LON_RANGE[1], required=required,
                      example="117.0231", note_zh="WGS-84（手机原始坐标）", note_en="WGS-84 (raw phone coordinates)")


def _lat(field_name: str, zh: str, en: str, *, required: bool = True) -> ColumnSpec:
    return ColumnSpec(field_name, zh, en, type="float", min=LAT_RANGE[0], max=LAT_RANGE[1], required=required,
                      example="25.0812", note_zh="WGS-84", note_en="WGS-84")


def _rubric_columns(rubric: Mapping[str, Any]) -> tuple[ColumnSpec, ...]:
    return tuple(
        ColumnSpec(f"part_{part['code']}", part["name_zh"], part["name_en"], type="float", min=0,
                   max=float(part["points"]), aliases=(part["code"],), example=str(part["points"]))
        for part in rubric["parts"]
    )


def build_specs(rubric: Mapping[str, Any] | None = None) -> dict[str, KindSpec]:
    """All kinds; the inspection kind has one points column per part of ``rubric``."""
    rubric = rubric or DEFAULTS["display_rubric"]
    t = models
    specs = [
        KindSpec("departments", "服务部", "Departments", t.Department.__table__, (
            ColumnSpec("code", "服务部编码", "department code", max_len=20, aliases=("编码",), example="D01"),
            ColumnSpec("name", "服务部名称", "department name", max_len=60, aliases=("名称",), example="城区服务部"),
            ColumnSpec("name_en", "英文名称", "english name", required=False, max_len=80, default="", example="City"),
            ColumnSpec("sort_order", "排序", "sort order", type="int", required=False, default=0, example="1"),
        ), key=("code",), domains=("master",)),
        KindSpec("managers", "客户经理", "Customer managers", t.CustomerManager.__table__, (
            ColumnSpec("code", "客户经理编码", "manager code", max_len=20, aliases=("工号",), example="M0101"),
            ColumnSpec("name", "姓名", "name", max_len=40, aliases=("客户经理", "客户经理姓名"), example="张伟"),
            _DEPT,
            ColumnSpec("grade", "营销师等级", "grade", type="enum", required=False, choices=GRADE_CHOICES,
                       default="junior", example="中级"),
            ColumnSpec("area_name", "片区", "area", required=False, max_len=60, default="", example="东城片区"),
            ColumnSpec("active", "在岗", "active", type="bool", required=False, default=True, example="是"),
        ), key=("code",), domains=("master", "sales", "visits"), reassign_columns=("department_id",)),
        KindSpec("retailers", "零售户", "Retailers", t.Retailer.__table__, (
            ColumnSpec("licence_no", "许可证号", "licence number", max_len=20, aliases=_RETAILER.aliases,
                       example="350802100001"),
            ColumnSpec("customer_code", "客户编码", "customer code", max_len=20, aliases=("客户代码",),
                       example="C0001"),
            ColumnSpec("shop_name", "店名", "shop name", max_len=100, aliases=("客户名称", "零售户名称", "店铺名称"),
                       example="东城食杂店"),
            ColumnSpec("owner_name", "负责人", "owner", required=False, max_len=40, aliases=("经营者", "业主"),
                       default="", example="王芳"),
            ColumnSpec("address", "地址", "address", required=False, max_len=200, aliases=("经营地址",), default="",
                       example="新罗区东城路1号"),
            ColumnSpec("town", "乡镇街道", "town", required=False, max_len=40, aliases=("乡镇", "街道"), default=""),
            _lon("longitude", "经度", "longitude"),
            _lat("latitude", "纬度", "latitude"),
            ColumnSpec("business_format", "经营业态", "business format", type="enum", choices=FORMAT_CHOICES,
                       aliases=("业态",), example="食杂店"),
            ColumnSpec("market_type", "市场类型", "market type", type="enum", choices=MARKET_CHOICES,
                       aliases=("城乡",), example="城镇"),
            ColumnSpec("tier", "档位", "tier", type="int", min=1, max=30, aliases=("客户档位",), example="10"),
            ColumnSpec("star_rating", "星级", "star rating", type="int", min=1, max=5, aliases=("客户星级",),
                       example="3"),
            ColumnSpec("terminal_level", "终端类型", "terminal level", type="enum", required=False,
                       choices=LEVEL_CHOICES, default="ordinary", aliases=("终端等级",), example="现代终端"),
            ColumnSpec("online_ordering", "网上订货", "online ordering", type="bool", required=False, default=True,
                       example="是"),
            ColumnSpec("has_pos", "POS机", "has pos", type="bool", required=False, default=False,
                       aliases=("是否有POS", "pos"), example="否"),
            ColumnSpec("status", "状态", "status", type="enum", required=False, choices=STATUS_CHOICES,
                       default="active", aliases=("经营状态",), example="正常"),
            _MANAGER,
            ColumnSpec("visit_cycle_days", "拜访周期", "visit cycle days", type="int", required=False, min=1,
                       max=90, default=14, example="14", note_zh="天", note_en="days"),
            ColumnSpec("licensed_on", "发证日期", "licensed on", type="date", required=False, example="2018-03-01",
                       window="history"),
            ColumnSpec("upgraded_on", "升级日期", "upgraded on", type="date", required=False, example="",
                       window="history"),
        ), key=("licence_no",), domains=("master", "sales", "terminals", "visits"),
            unique_also=("customer_code",), reassign_columns=("manager_id",)),
        KindSpec("products", "卷烟规格", "Products", t.Product.__table__, (
            ColumnSpec("code", "卷烟编码", "product code", max_len=20, aliases=("商品编码", "规格编码", "sku"),
                       example="6901028001"),
            ColumnSpec("name", "卷烟名称", "product name", max_len=60, aliases=("规格名称", "商品名称", "规格"),
                       example="七匹狼(软蓝)"),
            ColumnSpec("brand_family", "品牌", "brand family", max_len=40, aliases=("品牌名称", "brand"),
                       example="七匹狼"),
            ColumnSpec("price_class", "价类", "price class", type="enum", choices=PRICE_CLASS_CHOICES,
                       aliases=("价位段", "类别"), example="一类"),
            _money("wholesale_price", "批发价", "wholesale price", example="500"),
            _money("cost_price", "成本价", "cost price", example="400"),
            _money("retail_price", "建议零售价", "retail price", example="600"),
            ColumnSpec("barcode", "条码", "barcode", required=False, max_len=20, default="", example=""),
            ColumnSpec("is_provincial", "省内外", "provincial", type="bool", required=False, default=True,
                       aliases=("是否省内", "省内烟"), example="省内"),
            ColumnSpec("is_key_brand", "重点品牌", "key brand", type="bool", required=False, default=False,
                       aliases=("重点培育品牌",), example="是"),
            ColumnSpec("is_new", "新品", "new product", type="bool", required=False, default=False, example="否"),
        ), key=("code",), domains=("master", "sales", "terminals"), reassign_columns=("is_key_brand",)),
        KindSpec("orders", "订单明细", "Order lines", t.OrderLine.__table__, (
            ColumnSpec("order_date", "订单日期", "order date", type="date", aliases=("订货日期", "日期"),
                       example="2026-11-02"),
            _RETAILER,
            ColumnSpec("product_code", "卷烟编码", "product code", ref="product", target="product_id",
                       aliases=("商品编码", "规格编码", "sku"), example="6901028001"),
            ColumnSpec("cartons", "数量", "cartons", type="float", positive=True, aliases=("订货量", "销量"),
                       example="10", note_zh="条", note_en="cartons"),
            ColumnSpec("amount", "金额", "amount", type="float", min=0, required=False, aliases=("销售额",),
                       example="5000", note_zh="元；缺省为 数量×批发价", note_en="yuan; default cartons × wholesale price"),
            ColumnSpec("cost", "成本", "cost", type="float", min=0, required=False, example="",
                       note_zh="元；缺省为 数量×成本价", note_en="yuan; default cartons × cost price"),
            ColumnSpec("channel", "订货方式", "channel", type="enum", required=False, choices=CHANNEL_CHOICES,
                       default="online", example="网上"),
        ), key=("order_date", "retailer_id", "product_id"), domains=("sales",), derived=("amount", "cost"),
           header_columns=("channel",)),
        KindSpec("plans", "服务部月度计划", "Department plans", t.DepartmentPlan.__table__, (
            _PLAN_MONTH, _DEPT,
            ColumnSpec("planned_cases", "计划销量", "planned cases", type="float", min=0, aliases=("计划",),
                       example="1200", note_zh="箱", note_en="cases"),
            ColumnSpec("planned_amount", "计划金额", "planned amount", type="float", min=0, required=False,
                       default=0.0, example="0", note_zh="元", note_en="yuan"),
        ), key=("month", "department_id"), domains=("plans",)),
        KindSpec("manager_plans", "客户经理月度任务", "Manager plans", t.ManagerPlan.__table__, (
            _PLAN_MONTH, _MANAGER,
            ColumnSpec("planned_cases", "计划销量", "planned cases", type="float", min=0, example="250",
                       note_zh="箱", note_en="cases"),
            ColumnSpec("planned_key_brand_cases", "重点品牌计划", "planned key brand cases", type="float", min=0,
                       required=False, default=0.0, example="60", note_zh="箱", note_en="cases"),
        ), key=("month", "manager_id"), domains=("plans",)),
        KindSpec("brand_plans", "品牌月度计划", "Brand plans", t.BrandPlan.__table__, (
            _PLAN_MONTH, _DEPT,
            ColumnSpec("brand_family", "品牌", "brand family", ref="brand", max_len=40, example="七匹狼"),
            ColumnSpec("planned_cases", "计划销量", "planned cases", type="float", min=0, example="300",
                       note_zh="箱", note_en="cases"),
        ), key=("month", "department_id", "brand_family"), domains=("plans",)),
        KindSpec("visits", "拜访签到", "Visits", t.Visit.__table__, (
            _MANAGER, _RETAILER,
            ColumnSpec("sign_in_at", "签到时间", "sign in at", type="datetime", example="2026-11-02 09:05:00"),
            _lon("sign_in_lon", "签到经度", "sign in longitude"),
            _lat("sign_in_lat", "签到纬度", "sign in latitude"),
            ColumnSpec("sign_out_at", "签退时间", "sign out at", type="datetime", required=False,
                       example="2026-11-02 09:17:00"),
            _lon("sign_out_lon", "签退经度", "sign out longitude", required=False),
            _lat("sign_out_lat", "签退纬度", "sign out latitude", required=False),
            ColumnSpec("planned", "计划内", "planned", type="bool", required=False, default=True, example="是"),
        ), key=("manager_id", "sign_in_at"), domains=("visits",), derived=("visit_date",)),
        KindSpec("gps", "GPS轨迹点", "GPS points", t.GpsPoint.__table__, (
            _MANAGER,
            ColumnSpec("recorded_at", "定位时间", "recorded at", type="datetime", aliases=("时间",),
                       example="2026-11-02 09:04:30"),
            _lon("longitude", "经度", "longitude"),
            _lat("latitude", "纬度", "latitude"),
            ColumnSpec("speed_kmh", "速度", "speed", type="float", min=0, max=1000, required=False, default=0.0,
                       example="12.5", note_zh="公里/小时", note_en="km/h"),
            ColumnSpec("accuracy_m", "精度", "accuracy", type="float", min=0, required=False, default=10.0,
                       example="8", note_zh="米", note_en="metres"),
        ), key=("manager_id", "recorded_at"), domains=("gps",)),
        KindSpec("inspections", "终端陈列检查", "Terminal inspections", t.TerminalInspection.__table__, (
            _MONTH, _RETAILER,
            ColumnSpec("inspected_on", "检查日期", "inspected on", type="date", example="2026-11-10"),
            ColumnSpec("inspector_code", "检查人编码", "inspector code", ref="manager", target="inspector_id",
                       required=False, example="M0101"),
            ColumnSpec("remarks", "备注", "remarks", required=False, max_len=200, default="", example=""),
            *_rubric_columns(rubric),
        ), key=("month", "retailer_id"), domains=("terminals",), extra={"rubric": rubric}),
        KindSpec("pos", "POS进销存", "POS reconciliation", t.PosReconciliation.__table__, (
            _MONTH, _RETAILER,
            _money("opening_stock", "期初库存", "opening stock", example="40"),
            _money("delivered", "进货量", "delivered", example="120"),
            _money("closing_stock", "期末库存", "closing stock", example="35"),
            _money("scanned", "扫码量", "scanned", example="118"),
            _money("scanned_valid", "有效扫码量", "valid scanned", example="110"),
        ), key=("month", "retailer_id"), domains=("terminals",)),
        KindSpec("group_scores", "服务部考评得分", "Department group scores", t.DepartmentGroupScore.__table__, (
            _MONTH, _DEPT,
            ColumnSpec("group_code", "指标组", "group", type="enum", choices=GROUP_CHOICES,
                       aliases=("考评项目", "指标"), example="6S现场管理"),
            ColumnSpec("score", "得分", "score", type="float", min=0, max=100, example="92"),
            ColumnSpec("entered_by", "录入人", "entered by", required=False, max_len=40, example="办公室"),
            ColumnSpec("reason", "说明", "reason", required=False, max_len=200, default="", example=""),
        ), key=("month", "department_id", "group_code"), domains=("scores",),
            compare_exclude=("entered_by", "entered_at")),
        KindSpec("forecasts", "品牌需求预测", "Brand forecasts", t.BrandForecast.__table__, (
            _PLAN_MONTH,
            ColumnSpec("brand_family", "品牌", "brand family", ref="brand", max_len=40, example="七匹狼"),
            ColumnSpec("forecast_cases", "预测销量", "forecast cases", type="float", min=0, example="420",
                       note_zh="箱", note_en="cases"),
            ColumnSpec("made_by", "预测人", "made by", required=False, max_len=40, default="", example="品牌经理"),
        ), key=("month", "brand_family"), domains=("plans", "sales")),
    ]
    return {spec.kind: spec for spec in specs}


SPECS: dict[str, KindSpec] = build_specs()
KINDS: tuple[str, ...] = tuple(SPECS)


def columns_in_table(spec: KindSpec) -> list[str]:
    """Stored columns the file feeds (refs resolved, derived included, extras left out)."""
    names = [c.column for c in spec.columns if c.column in spec.table.c]
    return names + [d for d in spec.derived if d not in names]
