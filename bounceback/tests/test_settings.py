"""Settings from the environment: safe local defaults, and a production mode that refuses unsafe values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAFE_KEY = "k3y-" + "x7Qp9vR2mZ4tL8wN1bC6dF0gH5jK3sA7eU2iO9yT4rE1qW6pL8zX"
ENCRYPTION_KEY = "dGVzdHMgb25seSwgbmV2ZXIgaW4gcHJvZHVjdGlvbiE="  # a Fernet key for these tests only


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "BOUNCEBACK_ENV",
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DJANGO_SETTINGS_MODULE",
            "BOUNCEBACK_ENCRYPTION_KEYS",
            "BOUNCEBACK_ENCRYPTION_KEYS_FILE",
        }
    }
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key() -> None:
    result = run_manage("check", BOUNCEBACK_ENV="production", ALLOWED_HOSTS="bounceback.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_in_production_without_allowed_hosts() -> None:
    result = run_manage("check", BOUNCEBACK_ENV="production", SECRET_KEY=SAFE_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_it_refuses_debug_in_production() -> None:
    result = run_manage(
        "check",
        BOUNCEBACK_ENV="production",
        SECRET_KEY=SAFE_KEY,
        ALLOWED_HOSTS="bounceback.example",
        DEBUG="true",
    )
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_it_passes_the_deployment_checks_in_production() -> None:
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        BOUNCEBACK_ENV="production", SECRET_KEY=SAFE_KEY, ALLOWED_HOSTS="bounceback.example",
        BOUNCEBACK_ENCRYPTION_KEYS=ENCRYPTION_KEY,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_names_a_bad_boolean() -> None:
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_it_runs_as_python_dash_m_bounceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bounceback", "help", "seed_demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "demo member" in result.stdout


def test_it_refuses_an_unknown_enabled_instrument() -> None:
    result = run_manage("check", BOUNCEBACK_ENABLED_INSTRUMENTS="who5,cdrisc")
    assert result.returncode != 0
    assert "unknown instruments: cdrisc" in result.stderr


def test_it_refuses_a_default_country_without_crisis_resources() -> None:
    result = run_manage("check", BOUNCEBACK_DEFAULT_COUNTRY="ZZ")
    assert result.returncode != 0
    assert "'ZZ' has no crisis resources" in result.stderr


def test_it_scores_with_the_console_command_without_starting_django(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,phq2_1,phq2_2\n1,2,1\n2,,3\n")
    outputs = {}
    for name, command in {
        "bounceback": [sys.executable, "-m", "bounceback", "score"],
        "manage.py": [sys.executable, "manage.py", "score"],
    }.items():
        out = tmp_path / f"{name}.csv"
        result = subprocess.run(  # noqa: S603
            [*command, str(source), "--instrument", "phq2", "--output", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        outputs[name] = out.read_text()
    assert outputs["bounceback"] == outputs["manage.py"]
    assert "1,2,1,3,positive,true," in outputs["bounceback"].replace("True", "true")
    help_text = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bounceback", "score", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert help_text.stdout.startswith("usage: bounceback score")
    assert "django" not in help_text.stderr


def production(**env: str) -> subprocess.CompletedProcess[str]:
    return run_manage(
        "check",
        **{
            "BOUNCEBACK_ENV": "production",
            "SECRET_KEY": SAFE_KEY,
            "ALLOWED_HOSTS": "bb.example",
            "BOUNCEBACK_ENCRYPTION_KEYS": ENCRYPTION_KEY,
            **env,
        },
    )


def test_it_refuses_a_low_entropy_secret_key_in_production() -> None:
    # 50 characters and 5 distinct ones pass Django's own check (W009); not ours.
    result = production(SECRET_KEY="abcde" * 10)
    assert result.returncode != 0
    assert "at least 20 different characters" in result.stderr


def test_it_refuses_switching_off_https_protections_in_production() -> None:
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"):
        result = production(**{name: "false"})
        assert result.returncode != 0, name
        assert f"{name} must be true" in result.stderr, result.stderr
    for seconds in ("0", "3600"):
        result = production(SECURE_HSTS_SECONDS=seconds)
        assert result.returncode != 0, seconds
        assert "SECURE_HSTS_SECONDS must be at least 31536000" in result.stderr
