"""Headless Chromium for the browser tests: where it is, how it starts on this network, where
screenshots go."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import skip_or_fail

CHROMIUM = "/usr/bin/chromium"
#: Headless, and none of Chromium's own connections (the machine's network is closed to them).
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Screenshots and printed pages for a person to look at (gitignored).
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def require_chromium() -> None:
    """Skip locally, fail in CI, when Chromium is not installed."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not installed at {CHROMIUM}")


def chromium() -> Iterator:
    """A launched browser for a module-scoped fixture (closed after the module)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    require_chromium()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
