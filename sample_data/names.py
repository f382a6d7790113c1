"""Chinese names for people, shops, roads and villages of the sample county."""

from __future__ import annotations

import numpy as np

# Common surnames of western Fujian (Hakka and Minnan), roughly by frequency.
SURNAMES = list("林陈张黄李王吴刘蔡杨郑邱赖罗钟曾谢游温翁卢傅江廖简范郭苏何饶")
_SURNAME_WEIGHTS = 1.0 / (np.arange(len(SURNAMES)) + 4.0)  # Zipf-like: 林 and 陈 most common
GIVEN_CHARS = list("志明伟强华建国文军平海林辉俊杰永福金春秀英丽芳玲娟燕霞红梅兰凤桂珍美淑慧敏静婷晓小宏荣德贵")

SHOP_WORDS = [
    "鑫源", "福来", "兴隆", "金福", "好运来", "万家", "顺发", "永盛", "惠民", "佳佳", "宏达", "聚福",
    "旺旺", "客家", "龙腾", "闽西", "红土", "富贵", "和顺", "家家乐", "满福", "鸿运", "隆昌", "天天",
    "利民", "源丰", "新世纪", "祥和", "同心", "百姓", "诚信", "乐购", "金山", "德兴", "华联", "广源",
]
FORMAT_SUFFIXES = {
    "grocery": ["食杂店", "商店", "小卖部", "杂货店", "副食店"],
    "convenience": ["便利店", "便利超市", "24小时便利"],
    "supermarket": ["超市", "购物中心", "生活超市"],
    "tobacco_liquor": ["烟酒商行", "名烟名酒", "烟酒店", "烟酒茶行"],
    "entertainment": ["KTV", "网咖", "棋牌室", "茶楼", "台球俱乐部"],
    "other": ["加油站便利店", "宾馆商品部", "茶叶店", "水果店"],
}
CHAINS = {
    "convenience": ["见福便利店", "美宜佳", "易捷便利店"],
    "supermarket": ["永辉超市", "新华都超市", "乐尔乐超市"],
}
URBAN_ROADS = [
    "九一路", "中山路", "龙岩大道", "登高路", "西安路", "北环路", "南环路", "龙腾路", "华莲路", "人民路",
    "曹溪路", "莲庄路", "双龙路", "西陂路", "龙川路", "溪南路", "江山路", "东肖路", "罗桥街", "青草盂路",
    "龙津路", "凤凰路", "和平路", "工业路", "南城路", "北城路", "东宝路", "红坊路",
]
VILLAGE_PARTS_1 = list("东西南北上下前后大小新旧")
VILLAGE_PARTS_2 = ["洋", "坑", "坪", "山", "田", "溪", "岭", "坊", "塘", "寨", "湖", "园"]
BACK_OFFICE = ["邱慧敏", "林晓燕", "陈丽芳", "赖志强", "黄婷"]
BRAND_MANAGER = "曾建华"


def person_names(rng: np.random.Generator, count: int, *, unique: bool = False) -> list[str]:
    """Two- or three-character Chinese names; ``unique`` avoids repeats."""
    probs = _SURNAME_WEIGHTS / _SURNAME_WEIGHTS.sum()
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        batch = 2 * (count - len(names)) + 8
        surnames = rng.choice(len(SURNAMES), size=batch, p=probs)
        first = rng.integers(len(GIVEN_CHARS), size=batch)
        second = rng.integers(len(GIVEN_CHARS), size=batch)
        single = rng.random(batch) < 0.3
        for s, a, b, one in zip(surnames, first, second, single, strict=True):
            name = SURNAMES[s] + GIVEN_CHARS[a] + ("" if one else GIVEN_CHARS[b])
            if unique and name in seen:
                continue
            seen.add(name)
            names.append(name)
            if len(names) == count:
                break
    return names


def shop_names(rng: np.random.Generator, formats: np.ndarray, owners: list[str], places: list[str]) -> list[str]:
    """Shop names in the style of the format: chain branches, owner-named or lucky-word names."""
    names = []
    for fmt, owner, place in zip(formats, owners, places, strict=True):
        fmt = str(fmt)
        roll = rng.random()
        suffix = FORMAT_SUFFIXES[fmt][rng.integers(len(FORMAT_SUFFIXES[fmt]))]
        if fmt in CHAINS and roll < 0.35:
            chain = CHAINS[fmt][rng.integers(len(CHAINS[fmt]))]
            names.append(f"{chain}({place}店)")
        elif roll < 0.6:
            names.append(SHOP_WORDS[rng.integers(len(SHOP_WORDS))] + suffix)
        elif roll < 0.8:
            names.append(f"{place}{suffix}")
        else:
            given = owner[1:] if len(owner) > 2 else owner
            names.append(f"{given}{suffix}")
    return names


def village_name(rng: np.random.Generator) -> str:
    return VILLAGE_PARTS_1[rng.integers(len(VILLAGE_PARTS_1))] + VILLAGE_PARTS_2[rng.integers(len(VILLAGE_PARTS_2))] + "村"
