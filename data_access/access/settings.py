"""Sign-in settings from the environment (deployment configuration, not county data).

| variable | default | meaning |
|---|---|---|
| ``AUTH_MAX_FAILED_ATTEMPTS`` | 5 | wrong passwords in a row that lock an account |
| ``AUTH_LOCKOUT_MINUTES`` | 15 | how long a locked account stays locked |
| ``AUTH_IDLE_HOURS`` | 8 | a session unused this long is signed out |
| ``AUTH_COOKIE_SECURE`` | false | send the session cookie over HTTPS only (set true behind TLS) |
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class AuthSettings:
    max_failed_attempts: int = 5
    lockout: dt.timedelta = dt.timedelta(minutes=15)
    idle_timeout: dt.timedelta = dt.timedelta(hours=8)
    cookie_secure: bool = False


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


def auth_settings() -> AuthSettings:
    """The settings in force (read on each call: cheap, and tests can set the environment)."""
    return AuthSettings(
        max_failed_attempts=int(_number("AUTH_MAX_FAILED_ATTEMPTS", 5)),
        lockout=dt.timedelta(minutes=_number("AUTH_LOCKOUT_MINUTES", 15)),
        idle_timeout=dt.timedelta(hours=_number("AUTH_IDLE_HOURS", 8)),
        cookie_secure=os.environ.get("AUTH_COOKIE_SECURE", "").strip().lower() in {"1", "true", "yes"},
    )
