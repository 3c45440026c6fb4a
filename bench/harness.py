"""What the HTTP benchmarks share: the site plus a hello-world route for Daphne, the
environment they run in, a fresh database, manage.py, and wrk with the server's CPU."""

import os
import re
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


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


WRK_LINE = re.compile(r"Requests/sec:\s+([\d.]+)")
TOTAL = re.compile(r"(\d+) requests in")
ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)")
TIMEOUTS = re.compile(r"Socket errors:.*timeout (\d+)")


def _ms(text: str) -> float:
    """wrk's latency ("812.3us", "1.2s") in milliseconds."""
    number = re.match(r"[\d.]+", text).group(0)
    unit = text[len(number) :]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}.get(unit, 1.0)


def run_wrk(url: str, cookie: str, duration: int, connections: int, pid: int, script=None):
    """wrk against `url` after a 2 s warm-up: requests/s, p50 and p99 (ms), the server
    process's CPU ms per request, non-2xx answers and timeouts (errors -1: wrk failed)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", script]
    subprocess.run([*command[:3], "-d2s", *command[5:], url], capture_output=True)  # warm-up
    before = cpu_ticks(pid)
    run = subprocess.run([*command, url], capture_output=True, text=True)
    used = cpu_ticks(pid) - before
    output = run.stdout
    if run.returncode or not TOTAL.search(output):
        print(f"wrk failed on {url}: {run.stderr.strip() or output.strip()}", file=sys.stderr)
        return {"rps": 0.0, "p50": 0.0, "p99": 0.0, "cpu_ms": 0.0, "errors": -1, "timeouts": 0}
    total = int(TOTAL.search(output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    errors, timeouts = ERRORS.search(output), TIMEOUTS.search(output)
    return {
        "rps": float(WRK_LINE.search(output).group(1)),
        "p50": _ms(latency["50"]),
        "p99": _ms(latency["99"]),
        "cpu_ms": used / os.sysconf("SC_CLK_TCK") * 1000 / max(total, 1),
        "errors": int(errors.group(1)) if errors else 0,
        "timeouts": int(timeouts.group(1)) if timeouts else 0,
    }
