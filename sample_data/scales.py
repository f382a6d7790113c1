"""Sizes of the sample county: ``test`` (fast, for the app's tests), ``demo``, ``county``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    name_en: str
    towns: tuple[str, ...]
    managers: int


@dataclass(frozen=True)
class Scale:
    name: str
    retailers: int
    departments: tuple[DepartmentSpec, ...]
    months: int | None  # calendar months up to end_date's month; None: from 1 January of last year
    gps_working_days: int | None  # GPS tracks for the last N working days; None: every day
    annual_cases: float  # the district's yearly volume at the end_date level
    assortment: float = 0.55  # breadth of retailers' assortments: 0.55 ≈ 13 lines an order, 1.15 ≈ 21

    @property
    def managers(self) -> int:
        return sum(d.managers for d in self.departments)


_FULL_DEPARTMENTS = (
    DepartmentSpec("D01", "东城服务部", "East City Service Dept.", ("东城街道", "曹溪街道", "东肖街道"), 3),
    DepartmentSpec("D02", "中城服务部", "Central City Service Dept.", ("中城街道", "南城街道", "北城街道"), 3),
    DepartmentSpec("D03", "西城服务部", "West City Service Dept.", ("西城街道", "西陂街道", "龙门街道"), 3),
    DepartmentSpec("D04", "雁石服务部", "Yanshi Service Dept.", ("雁石镇", "苏坂镇", "铁山镇", "小池镇", "大池镇"), 2),
    DepartmentSpec("D05", "适中服务部", "Shizhong Service Dept.", ("适中镇", "红坊镇", "万安镇", "江山镇"), 2),
)

SCALES: dict[str, Scale] = {
    "test": Scale(
        name="test",
        retailers=250,
        departments=(
            DepartmentSpec("D01", "东城服务部", "East City Service Dept.", ("东城街道", "中城街道"), 2),
            DepartmentSpec("D02", "西城服务部", "West City Service Dept.", ("西城街道", "西陂街道"), 2),
            DepartmentSpec("D03", "雁石服务部", "Yanshi Service Dept.", ("雁石镇", "苏坂镇"), 1),
        ),
        months=14,
        gps_working_days=20,
        annual_cases=30_000 * 250 / 2_800,
    ),
    "demo": Scale(
        name="demo",
        retailers=2_800,
        departments=_FULL_DEPARTMENTS,
        # From 1 January of last year: year-on-year for every month of this year (13 to 24
        # months of data). 23 months generate in about 40 s on the 2-core machine, 24 (the
        # December worst case) in about 44 s: under the 60 s first-start budget
        # (python -m benchmarks.bench_generate, docs/benchmarks.md).
        months=None,
        gps_working_days=30,
        annual_cases=30_000,
    ),
    "county": Scale(
        name="county",
        retailers=2_800,
        departments=_FULL_DEPARTMENTS,
        months=37,
        gps_working_days=None,
        annual_cases=30_000,
        assortment=1.15,
    ),
}
