"""Shared fixtures. Services (PostgreSQL, Chromium) are required, never skipped, when
EVALKIT_REQUIRE_SERVICES is set (as .ci/run does)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"


def services_required() -> bool:
    """True in CI: a missing service is then a failure, not a skip."""
    return bool(os.environ.get("EVALKIT_REQUIRE_SERVICES"))


def skip_or_fail(reason: str) -> None:
    """Skip locally with a clear reason; fail where services are required."""
    if services_required():
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def test_data() -> Path:
    return TEST_DATA
