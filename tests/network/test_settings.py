"""Start-up configuration: secure by default, clean `check --deploy` in production."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_start_up_without_a_secret_key_and_debug_off_fails_with_a_clear_message():
    result = run_manage("check", env={})

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_on_runs_without_a_secret_key():
    result = run_manage("check", env={"DEBUG": "1"})

    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_production_settings():
    production = {
        "SECRET_KEY": "p" + "roduction-secret-key-with-enough-entropy-9f8e7d6c5b4a3210zyxwv",
        "ALLOWED_HOSTS": "network.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://network.example.org",
        "SECURE_SSL_REDIRECT": "1",
    }

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production)

    assert result.returncode == 0, result.stdout + result.stderr
