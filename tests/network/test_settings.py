"""Start-up configuration: secure by default, clean `check --deploy` in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.postgres
def test_a_pooled_process_reuses_at_most_its_pool_size_of_postgresql_connections():
    # Eight request-like threads, each opening and closing "its" connection three times: with
    # a pool of two they share two PostgreSQL sessions instead of opening twenty-four.
    script = (
        "import threading\n"
        "from django.db import connection\n"
        "backends, lock = set(), threading.Lock()\n"
        "def request():\n"
        "    for _ in range(3):\n"
        "        with connection.cursor() as cursor:\n"
        "            cursor.execute('SELECT pg_backend_pid(), pg_sleep(0.02)')\n"
        "            with lock: backends.add(cursor.fetchone()[0])\n"
        "        connection.close()\n"
        "threads = [threading.Thread(target=request) for _ in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(len(backends))\n"
    )
    env = {"DEBUG": "1", "DATABASE_URL": os.environ["DATABASE_URL"], "DATABASE_POOL_SIZE": "2"}

    result = run_manage("shell", "-c", script, env=env)

    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip().splitlines()[-1]) <= 2


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("setting", "expected"),
    [(None, "1.1"), ("2", "2"), ("", "the server's")],
)
def test_postgresql_plans_for_cheap_random_reads_unless_the_deployment_says_otherwise(
    setting, expected
):
    import psycopg

    env = {"DEBUG": "1", "DATABASE_URL": os.environ["DATABASE_URL"]}
    if setting is not None:
        env["DATABASE_RANDOM_PAGE_COST"] = setting
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SHOW random_page_cost')\n"
        "    print(cursor.fetchone()[0])\n"
    )

    result = run_manage("shell", "-c", script, env=env)

    assert result.returncode == 0, result.stderr
    if expected == "the server's":
        with psycopg.connect(os.environ["DATABASE_URL"]) as plain:
            expected = plain.execute("SHOW random_page_cost").fetchone()[0]
    assert result.stdout.strip().splitlines()[-1] == expected


def test_a_random_page_cost_that_is_not_a_number_stops_start_up_with_a_clear_message():
    env = {
        "DEBUG": "1",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:5432/unused",
        "DATABASE_RANDOM_PAGE_COST": "cheap",
    }

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "DATABASE_RANDOM_PAGE_COST must be a number (or empty), not 'cheap'." in result.stderr
