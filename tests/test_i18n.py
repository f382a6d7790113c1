"""The translation catalogue: every key in both languages, every key used in code defined."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components.i18n import CATALOGUE, LANGUAGES, label, t
from data_access.models import BUSINESS_FORMATS, MANAGER_GRADES, MARKET_TYPES, RETAILER_STATUSES, TERMINAL_LEVELS

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("pages", "components", "data_access")
T_CALL = re.compile(r"""\btm?\(\s*["']([A-Za-z][A-Za-z0-9_.]*)["']""")
PLACEHOLDER = re.compile(r"\{(\w+)")


def _source_files() -> list[Path]:
    files = [REPO_ROOT / "dashboard.py"]
    for folder in SOURCE_DIRS:
        files.extend((REPO_ROOT / folder).rglob("*.py"))
    return files


# Placeholders that legitimately differ between the languages: key -> (zh set, en set).
LANGUAGE_SPECIFIC_PLACEHOLDERS = {"period.month": ({"year", "month"}, {"year", "month_name"})}


def catalogue_problems(catalogue: dict[str, tuple[str, str]]) -> list[str]:
    """Every key with a missing translation or placeholders that differ between languages."""
    problems = []
    for key, (zh, en) in sorted(catalogue.items()):
        if not zh.strip() or not en.strip():
            problems.append(f"{key}: {'Chinese' if not zh.strip() else 'English'} text missing")
            continue
        found = (set(PLACEHOLDER.findall(zh)), set(PLACEHOLDER.findall(en)))
        expected = LANGUAGE_SPECIFIC_PLACEHOLDERS.get(key, (found[0], found[0]))
        if found != expected:
            problems.append(f"{key}: placeholders zh {sorted(found[0])} en {sorted(found[1])}")
    return problems


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    # One test for the whole catalogue (not one per key), so the suite's count is behaviour.
    problems = catalogue_problems(CATALOGUE)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("已导入 {rows} 行，耗时 {seconds} 秒", "Imported {rows} rows"),  # English dropped {seconds}
        ("已导入 {rows} 行", "Imported {rows} rows in {seconds} s"),  # Chinese dropped {seconds}
        ("{value}", "{values}"),  # misspelt
        ("", "Imported"),
        ("已导入", " "),
    ],
)
def test_the_catalogue_check_catches_a_dropped_or_misspelt_placeholder(zh: str, en: str) -> None:
    assert catalogue_problems({"import.done": (zh, en)})


def test_every_key_used_in_code_is_defined() -> None:
    missing = {}
    for path in _source_files():
        for key in T_CALL.findall(path.read_text(encoding="utf-8")):
            if key not in CATALOGUE:
                missing.setdefault(key, str(path.relative_to(REPO_ROOT)))
    assert not missing, f"keys used but not in the catalogue: {missing}"


@pytest.mark.parametrize(
    ("prefix", "codes"),
    [
        ("format", BUSINESS_FORMATS),
        ("market", MARKET_TYPES),
        ("level", TERMINAL_LEVELS),
        ("status", RETAILER_STATUSES),
        ("grade", MANAGER_GRADES),
        ("price_class", (1, 2, 3, 4, 5)),
    ],
)
def test_every_stored_code_has_a_label(prefix: str, codes: tuple) -> None:
    for code in codes:
        for lang in LANGUAGES:
            assert label(prefix, code, lang) != str(code), f"{prefix}.{code} has no {lang} label"


def test_default_language_is_chinese_and_english_selectable() -> None:
    assert t("app.title") == "精益营销看板"
    assert t("app.title", "en") == "Lean Marketing Dashboard"
    assert t("app.data_up_to", "en", date="2026-11-20") == "Data up to 2026-11-20"


def test_unknown_key_fails_loudly() -> None:
    with pytest.raises(KeyError):
        t("no.such.key")
