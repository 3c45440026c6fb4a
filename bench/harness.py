"""What the HTTP benchmarks share: the site plus a hello-world route for Daphne, the
environment they run in, a fresh database, and manage.py."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

BASE_ENV = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_FROM_SOURCE": "1",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_LEVEL": "WARNING",
    # Under ASGI each request runs in a thread of its own, so a kept-open connection is never
    # reused: it only lingers, and a busy server runs PostgreSQL out of connections (every
    # page then fails). Requests share the process's pool instead, as in production (README).
    "CONN_MAX_AGE": "0",
    "DATABASE_POOL_SIZE": "8",
    "DJANGO_SETTINGS_MODULE": "network.settings",
}


def hello(request):
    from django.http import HttpResponse

    return HttpResponse("Hello, world", content_type="text/plain")


def site_attribute(name: str, module: str):
    """A bench module's `urlpatterns` (for Django) or `application` (for Daphne)."""
    if name == "urlpatterns":
        from django.urls import include, path

        return [path("bench/hello/", hello), path("", include("network.urls"))]
    if name == "application":
        import django
        from django.conf import settings

        django.setup()
        settings.ROOT_URLCONF = module  # the site plus /bench/hello/
        from network.asgi import application

        return application
    raise AttributeError(name)


def environment(defaults: dict, database_url: str) -> dict:
    env = dict(os.environ)
    for key, value in defaults.items():
        env.setdefault(key, value)
    env["DATABASE_URL"] = database_url
    env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}"
    return env


def fresh_database(database_url: str) -> None:
    """Drop and create the benchmark database: every run measures the same data."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)
