"""Bounceback's own settings for the web benchmark: PostgreSQL, DEBUG off, plain http on 127.0.0.1.

Not production mode: ``BOUNCEBACK_ENV=production`` turns on the SSL redirect and secure-only cookies, which
a plain-http load generator on loopback cannot follow. Everything that costs time per request (middleware,
sessions in the database, CSRF, templates, the audit trail) is the same as in production.
"""

from __future__ import annotations

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_web")
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")

from bounceback.settings import *  # noqa: F403
from bounceback.settings import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
