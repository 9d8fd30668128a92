"""Settings for the test run: the one settings file, read with BOUNCEBACK_ENV=test (pytest loads settings
before any conftest, so the environment is set here)."""

from __future__ import annotations

import os

os.environ["BOUNCEBACK_ENV"] = "test"

from bounceback.settings import *  # noqa: F403
