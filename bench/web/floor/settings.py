"""A minimal Django project: no apps, no middleware, one view, the same database and connection settings."""

from __future__ import annotations

import os

import dj_database_url

SECRET_KEY = "bench-floor-not-a-secret"  # noqa: S105  (a loopback benchmark, never deployed)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.web.floor.urls"
WSGI_APPLICATION = "bench.web.floor.wsgi.application"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True
DATABASES = {
    "default": dj_database_url.config(
        default="postgres://postgres@127.0.0.1:5432/bench_web",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
