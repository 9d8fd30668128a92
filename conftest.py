"""Test set-up shared by the whole suite: test settings, and headless Chromium for the browser tests.

Browser tests drive Debian's chromium (never a downloaded browser). When it is missing they are skipped
locally with the command to install it, and fail in CI (CI=true), where they must always run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("BOUNCEBACK_ENV", "test")
# Playwright's sync API runs an event loop in the test thread; Django must allow its ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = [
        what
        for what, ok in (("chromium", Path(CHROMIUM).exists()), ("axe-core", AXE_PATH.exists()))
        if not ok
    ]
    if not missing:
        return
    message = (
        f"browser tests need {' and '.join(missing)}: apt-get install -y chromium fonts-liberation && npm ci"
    )
    e2e = [item for item in items if "e2e" in item.keywords]
    if e2e and IN_CI:
        raise pytest.UsageError(f"browser tests must run in CI, but {message}")
    for item in e2e:
        item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Our strict CSP would block the axe-core injection; bypass it in tests only.
    return {**browser_context_args, "bypass_csp": True}
