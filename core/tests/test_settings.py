"""The environment decides the settings; a bad environment stops with a clear message."""

import os
import subprocess
import sys

from django.conf import settings

BASE = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**BASE, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_is_clean_with_production_defaults(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x7" * 30 + "-production-like-secret",
        ALLOWED_HOSTS="kurzewege.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_malformed_database_url_stops_with_a_clear_message():
    result = _manage("check", DEBUG="1", DATABASE_URL="mysql//kaputt")
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_secret_key_stops_production():
    result = _manage("check")
    assert result.returncode == 2
    assert "SECRET_KEY must be set" in result.stderr


def test_an_unreadable_boolean_is_refused():
    result = _manage("check", DEBUG="vielleicht")
    assert result.returncode == 2
    assert "DEBUG must be one of" in result.stderr
