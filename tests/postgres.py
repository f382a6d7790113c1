"""The PostgreSQL server the tests run against, from ``TEST_DATABASE_URL`` (CI sets it)."""

from __future__ import annotations

import os

import pytest

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
NO_SERVER_REASON = "TEST_DATABASE_URL is not set (no PostgreSQL server to test against)"
# ``pytestmark = POSTGRES_ONLY`` for modules that test nothing but PostgreSQL parity.
POSTGRES_ONLY = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason=NO_SERVER_REASON)]
