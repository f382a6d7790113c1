"""The cigarette catalogue: ~90 SKUs in 26 brand families (DOMAIN.md §3).

Prices are set from a suggested retail price per pack; the wholesale price per carton is
what the county company charges retailers and the cost is its purchase (allocation)
price from the manufacturer. Price classes follow the retail price bands.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Target shares of volume (DOMAIN.md §3): flagship 35–45 %, provincial ~85 %,
# classes 1–5 about 10 / 25 / 25 / 33 / 7 %.
CLASS_SHARE_TARGET = np.array([0.10, 0.25, 0.25, 0.33, 0.07])
FLAGSHIP_FAMILY = "七匹狼"
# Gross margin of the commercial company by price class (wholesale vs allocation price).
CLASS_MARGIN = {1: 0.31, 2: 0.29, 3: 0.27, 4: 0.25, 5: 0.23}
# Consumption upgrade: yearly drift of each class's share (per-case value grows ~2–3 %/yr).
CLASS_TREND = {1: 0.06, 2: 0.035, 3: 0.0, 4: -0.03, 5: -0.07}

# family: (provincial, share of volume, [(variant, retail ¥/pack, popularity, key brand, launched days ago)])
CATALOGUE: dict[str, tuple[bool, float, list[tuple[str, float, float, bool, int | None]]]] = {
    "七匹狼": (True, 0.40, [
        ("大通仙", 60, 0.5, False, None), ("豪情", 42, 0.8, False, None), ("通仙", 25, 3, True, None),
        ("纯雅", 20, 2.5, True, None), ("锋芒", 18, 2, True, None), ("白", 16, 3, False, None),
        ("细支", 19, 1.2, True, 210), ("灰", 13, 3, False, None), ("红", 12, 4, False, None),
        ("软蓝", 10, 2.5, False, None), ("蓝", 8, 2, False, None), ("小狼", 7, 3, False, None),
        ("硬", 6, 2.5, False, None),
    ]),
    "石狮": (True, 0.22, [
        ("金", 11, 2, True, None), ("新特醇", 7, 4, False, None), ("平安", 6, 3, False, None),
        ("灰", 6.5, 2, False, None), ("硬", 5, 2, False, None), ("红", 4, 2, False, None), ("软", 3.5, 1, False, None),
    ]),
    "古田": (True, 0.10, [
        ("1929", 25, 1, True, None), ("红旗", 19, 1.5, True, None), ("红", 10, 3, False, None),
        ("硬", 7, 3, False, None), ("软", 5.5, 2, False, None), ("细支", 16, 1, True, 120),
    ]),
    "乘风": (True, 0.07, [("金", 6, 2, False, None), ("硬", 5, 3, False, None), ("软", 4, 2, False, None), ("红", 3.5, 1, False, None)]),
    "金桥": (True, 0.06, [("金", 8.5, 1.5, False, None), ("蓝", 6, 2, False, None), ("硬", 4.5, 2, False, None), ("软", 3.8, 1.5, False, None)]),
    "中华": (False, 0.025, [("软", 65, 1, False, None), ("硬", 45, 2, False, None), ("双中支", 60, 1, False, None), ("金中支", 50, 0.8, False, None)]),
    "芙蓉王": (False, 0.015, [("硬", 25, 3, False, None), ("蓝", 30, 1, False, None), ("软蓝", 24, 1, False, None), ("细支", 28, 0.7, False, None)]),
    "利群": (False, 0.015, [("新版", 16, 3, False, None), ("软红长嘴", 18, 2, False, None), ("阳光", 23, 1, False, None), ("休闲", 30, 0.6, False, None)]),
    "云烟": (False, 0.012, [("紫", 11, 3, False, None), ("软珍品", 22, 1.5, False, None), ("印象", 50, 0.4, False, None), ("细支", 18, 1, False, None)]),
    "玉溪": (False, 0.012, [("软", 23, 2, False, None), ("硬", 20, 2, False, None), ("初心", 24, 1, True, None), ("创客", 16, 1, False, 60)]),
    "黄鹤楼": (False, 0.010, [("软蓝", 19, 2, False, None), ("硬金砂", 25, 1.5, True, None), ("天下名楼", 13, 1.5, False, None), ("1916", 100, 0.3, False, None)]),
    "南京": (False, 0.008, [("红", 12, 2, False, None), ("炫赫门", 18, 2, False, None), ("十二钗", 16, 1, False, None)]),
    "黄金叶": (False, 0.008, [("天香", 11, 2, False, None), ("乐途", 18, 1, False, None), ("金满堂", 7, 1.5, False, None)]),
    "白沙": (False, 0.007, [("精品", 10, 2, False, None), ("和天下", 100, 0.3, False, None), ("硬", 6, 1.5, False, None)]),
    "红塔山": (False, 0.008, [("硬经典", 8, 2, False, None), ("软经典", 7, 1.5, False, None), ("大经典", 15, 1, False, None)]),
    "双喜": (False, 0.006, [("硬经典", 8, 2, False, None), ("软经典", 12, 1.5, False, None), ("月宫", 30, 0.5, False, None)]),
    "娇子": (False, 0.004, [("宽窄", 15, 1, False, None), ("蓝", 12, 1, False, None)]),
    "钻石": (False, 0.003, [("荷花", 35, 1, False, None), ("硬", 8, 1, False, None)]),
    "真龙": (False, 0.004, [("起源", 12, 1, False, None), ("凌云", 28, 1, False, None)]),
    "贵烟": (False, 0.004, [("跨越", 20, 1, False, None), ("高登", 16, 1, False, None)]),
    "泰山": (False, 0.002, [("红将军", 15, 1, False, None), ("心悦", 18, 1, False, None)]),
    "苏烟": (False, 0.002, [("五星红杉树", 50, 1, False, None), ("软金砂", 22, 1, False, None)]),
    "红河": (False, 0.002, [("硬", 5, 1, False, None), ("软甲", 6, 1, False, None)]),
    "天子": (False, 0.001, [("千里江山", 30, 1, False, None), ("黄", 13, 1, False, None)]),
    "黄山": (False, 0.001, [("红方印", 12, 1, False, None), ("天都", 30, 1, False, None)]),
    "长白山": (False, 0.001, [("777", 12, 1, False, None), ("红", 7, 1, False, None)]),
}


def price_class(retail_per_pack: float) -> int:
    """Price class (价类) from the retail price band: class 1 is the most expensive."""
    if retail_per_pack >= 22:
        return 1
    if retail_per_pack >= 15:
        return 2
    if retail_per_pack >= 8:
        return 3
    if retail_per_pack >= 4.5:
        return 4
    return 5


def _ean13(first12: str) -> str:
    digits = [int(c) for c in first12]
    check = (10 - (sum(digits[0::2]) + 3 * sum(digits[1::2])) % 10) % 10
    return first12 + str(check)


@dataclass
class Catalogue:
    """Products as column arrays (index i is product id i + 1)."""

    code: list[str]
    name: list[str]
    family: list[str]
    price_class: np.ndarray
    wholesale: np.ndarray
    cost: np.ndarray
    retail: np.ndarray
    barcode: list[str]
    provincial: np.ndarray
    key_brand: np.ndarray
    launched_days_ago: np.ndarray  # -1: on sale throughout
    popularity: np.ndarray  # relative popularity inside its family
    family_share: np.ndarray  # target volume share of the product's family

    @property
    def is_new(self) -> np.ndarray:
        return self.launched_days_ago >= 0

    def __len__(self) -> int:
        return len(self.code)

    @property
    def families(self) -> list[str]:
        return list(dict.fromkeys(self.family))

    @property
    def key_families(self) -> list[str]:
        keyed = {fam for fam, key in zip(self.family, self.key_brand, strict=True) if key}
        return [f for f in self.families if f in keyed]


def build_catalogue(rng: np.random.Generator) -> Catalogue:
    cols: dict[str, list] = {k: [] for k in Catalogue.__dataclass_fields__}
    serials = rng.permutation(90_000)[:200] + 10_000
    i = 0
    for f_index, (family, (provincial, share, skus)) in enumerate(CATALOGUE.items()):
        for s_index, (variant, pack, popularity, key, launched) in enumerate(skus):
            cls = price_class(pack)
            wholesale = round(pack * 10 / 1.15)
            margin = CLASS_MARGIN[cls] + rng.uniform(-0.015, 0.015)
            cols["code"].append(f"{'35' if provincial else '36'}{f_index + 1:02d}{s_index + 1:02d}")
            cols["name"].append(f"{family}({variant})")
            cols["family"].append(family)
            cols["price_class"].append(cls)
            cols["wholesale"].append(float(wholesale))
            cols["cost"].append(round(wholesale * (1 - margin), 2))
            cols["retail"].append(float(pack * 10))
            cols["barcode"].append(_ean13(f"69{'01' if provincial else '02'}{f_index + 1:02d}{serials[i]:06d}"))
            cols["provincial"].append(provincial)
            cols["key_brand"].append(key)
            cols["launched_days_ago"].append(-1 if launched is None else launched)
            cols["popularity"].append(popularity)
            cols["family_share"].append(share)
            i += 1
    arrays = {k: (np.array(v) if k not in ("code", "name", "family", "barcode") else v) for k, v in cols.items()}
    return Catalogue(**arrays)
