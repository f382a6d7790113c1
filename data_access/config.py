"""County configuration: rubric, weights and thresholds, stored as JSON in ``config_setting``.

Counties define their own rubric and weights (DOMAIN.md §6, §8), so these are data, not
code. The defaults below apply until a county saves its own values.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

from sqlmodel import Session

from data_access.access import audit
from data_access.access.permissions import (
    DEFAULT_PERMISSIONS,
    Action,
    Actor,
    matrix_from_config,
    matrix_to_config,
    require,
)
from data_access.db import bump_data_version
from data_access.models import ConfigSetting

DEFAULTS: dict[str, Any] = {
    # DOMAIN.md §6: five parts, 20 points each. Names in both UI languages.
    "display_rubric": {
        "name": "五维陈列评分 / five-part display rubric",
        "parts": [
            {"code": "visibility", "name_zh": "显眼度", "name_en": "Visibility", "points": 20},
            {"code": "tidiness", "name_zh": "整洁度", "name_en": "Tidiness", "points": 20},
            {"code": "richness", "name_zh": "丰富度", "name_en": "Assortment", "points": 20},
            {"code": "conformity", "name_zh": "规范度", "name_en": "Conformity", "points": 20},
            {"code": "persistence", "name_zh": "持续度", "name_en": "Persistence", "points": 20},
        ],
    },
    # Composite terminal score = weighted sum of three 0–100 scores.
    "terminal_weights": {"display": 0.5, "pos_accuracy": 0.3, "brand_cultivation": 0.2},
    # Department competition group weights (DOMAIN.md §8, typical 60/10/10/10/10).
    "department_weights": {
        "kpi": 0.6,
        "campaign": 0.1,
        "six_s": 0.1,
        "inspection": 0.1,
        "innovation": 0.1,
    },
    # KPI group of the department competition (docs/department_scoring.md): sub-indicator
    # weights, how per-case value growth turns into points, and the personal score's parts.
    "department_kpi_rule": {
        "parts": {
            "plan_completion": 0.40,
            "per_case_growth": 0.20,
            "online_rate": 0.10,
            "visit_compliance": 0.15,
            "terminal_display": 0.15,
        },
        "growth_base_points": 80,
        "growth_points_per_pp": 2,
        "personal_parts": {"task_completion": 0.7, "visit_compliance": 0.3},
    },
    # Visit anomaly thresholds (DOMAIN.md §7).
    "visit_rules": {
        "far_sign_in_m": 200,
        "short_visit_min": 3,
        "max_speed_kmh": 120,
        "work_start": "08:30",
        "work_end": "17:30",
        "lunch_start": "12:00",
        "lunch_end": "14:00",
        "flag_lunch_sign_in": True,  # a sign-in in the lunch break counts as outside working hours
        "speed_ignore_accuracy_m": 200,  # GPS fixes worse than this are noise, not movement
    },
    # Imports (docs/hardening.md): every date in an imported file must lie between 1 January
    # of the company's first data year and today + future_days; plan and forecast months
    # may lie up to plan_future_days ahead.
    "import_date_window": {"first_year": 2010, "future_days": 7, "plan_future_days": 400},
    # An order line's amount more than this share off cartons × wholesale price is flagged.
    "import_checks": {"amount_tolerance": 0.05},
    # Default period (docs/time_conventions.md): until the running month holds this many working
    # days of sales, pages open on the last complete month, one click from the running month.
    "default_period": {"running_month_min_working_days": 3},
    # Alerts (DOMAIN.md §9).
    "alert_rules": {"volume_drop_share": 0.3, "recent_weeks": 8, "pos_accuracy_drop": 0.15},
    # Who may see and change what (issue 12, DOMAIN.md §12): role -> actions. The rule that
    # nobody scores their own department is code (access.permissions), not this table.
    "role_permissions": matrix_to_config(DEFAULT_PERMISSIONS),
}

# The permission each setting's change needs (tests/test_audited_writes.py checks every key
# of DEFAULTS has one: a new setting without an entry fails there, not silently here).
SETTING_ACTIONS: dict[str, Action] = {
    "display_rubric": Action.EDIT_RUBRIC,
    "terminal_weights": Action.EDIT_WEIGHTS,
    "department_weights": Action.EDIT_WEIGHTS,
    "department_kpi_rule": Action.EDIT_WEIGHTS,
    "visit_rules": Action.EDIT_VISIT_RULES,
    "alert_rules": Action.EDIT_VISIT_RULES,
    "role_permissions": Action.MANAGE_USERS,
    "import_date_window": Action.IMPORT_DATA,
    "import_checks": Action.IMPORT_DATA,
    "default_period": Action.EDIT_VISIT_RULES,  # a threshold, like the visit and alert rules
}


def default(key: str) -> Any:
    """A deep copy of the built-in default for ``key``."""
    return copy.deepcopy(DEFAULTS[key])


def get_setting(session: Session, key: str) -> Any:
    """The county's value for ``key``, or the default when none is saved."""
    if key not in DEFAULTS:
        raise KeyError(f"unknown configuration key: {key}")
    row = session.get(ConfigSetting, key)
    if row is None:
        return default(key)
    return json.loads(row.value_json)


def set_setting(session: Session, key: str, value: Any, *, actor: Actor | None,
                now: dt.datetime | None = None) -> None:
    """Save the county's value for ``key`` as ``actor``, with an audit row (caller commits).

    Raises ``PermissionDenied`` (nothing written) unless the actor holds the setting's
    permission; a department head is refused every setting that scores departments.
    """
    if key not in DEFAULTS:
        raise KeyError(f"unknown configuration key: {key}")
    require(actor, SETTING_ACTIONS[key], session=session)
    if key == "role_permissions":
        matrix_from_config(value)  # refuse a matrix naming unknown roles or actions
    before = get_setting(session, key)
    row = session.get(ConfigSetting, key) or ConfigSetting(key=key, value_json="{}")
    row.value_json = json.dumps(value, ensure_ascii=False)
    row.updated_by = actor.display_name[:40] if actor else ""
    row.updated_at = dt.datetime.now()
    session.add(row)
    audit.record(session, actor, f"config.{key}", key, before=before, after=value, at=now)
    bump_data_version(session, "config")
