"""Forum pages under load, beside a hello-world view served by the same Daphne process.

    python bench/forums.py                      # the full size: 1,000 members, 2,000 topics,
                                                # 100,000 posts, one topic of 5,000 posts
    python bench/forums.py --posts 20000 --topics 400 --big-topic 1000 --duration 5

Seeds PostgreSQL with `seed_demo` (DATABASE_URL, default the local `forums` database; Redis
db 2 for the cache), starts one real Daphne process on a loopback port, and drives it with
`wrk` (apt-get install wrk). For each page, anonymous and signed in, it prints requests/s,
p50 and p99 latency, server CPU per request, SQL queries and HTML bytes per page, and the
ratio to the hello-world view. Targets (issue): the big topic's last page within 10% of its
first; constant queries; topic page >= 1/3 of hello-world anonymous, >= 1/5 signed in;
search >= 1/10; a 20-post page under 60 KB; CSS + JS under 30 KB compressed.

When Daphne imports this module (`bench.forums:application`), it serves the site with one
extra route, /bench/hello/.
"""

import argparse
import gzip
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
if str(ROOT) not in sys.path:  # run as a script: bench/ is a package of the project root
    sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402

DEFAULTS = {
    **harness.BASE_ENV,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/forums",
    "REDIS_URL": "redis://127.0.0.1:6379/2",
    "SECRET_KEY": "bench-only-secret-key-" + "b" * 40,
}


def __getattr__(name: str):
    """`application` for Daphne and `urlpatterns` for Django, built on first use."""
    return harness.site_attribute(name, "bench.forums")


def environment(database_url: str) -> dict:
    return harness.environment(DEFAULTS, database_url)


fresh_database = harness.fresh_database
manage = harness.manage


def measure_pages(pages: dict[str, str], member_username: str) -> dict:
    """SQL queries and HTML bytes per page (in-process, warm cache), plus cookies for wrk."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from profiles.models import User

    setup_test_environment()
    settings.ROOT_URLCONF = "bench.forums"
    member = User.objects.get(username=member_username)
    figures, cookies = {}, {}
    for who in ("anonymous", "member"):
        client = Client(HTTP_HOST="127.0.0.1")
        if who == "member":
            client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
        for name, url in pages.items():
            client.get(url)
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            figures[(name, who)] = {
                "status": response.status_code,
                "queries": len(context.captured_queries),
                "bytes": len(response.content),
            }
        jar = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())
        cookies[who] = jar
    return {"figures": figures, "cookies": cookies}


def pick_pages() -> tuple[dict[str, str], str]:
    import django

    django.setup()
    from forums.models import Access, Topic
    from profiles.demo import DEMO_MEMBER

    big = Topic.objects.filter(category__access=Access.PUBLIC).order_by("-last_number").first()
    if big is None:
        sys.exit("No topic in a public category: seed with --big-topic.")
    pages = {
        "hello world": "/bench/hello/",
        "forum index": "/forums/",
        "topic list": big.category.get_absolute_url(),
        "big topic, first page": big.get_absolute_url(),
        "big topic, last page": big.page_url(big.page_count),
        "search": "/forums/search/?q=questionnaire",
    }
    return pages, DEMO_MEMBER["username"]


SEARCH_LUA = """
local words = {"questionnaire", "country visit", "victim", "smuggling", "firearms",
  "focal point", "coalition", "evidence", "timeline", "report", "court", "partners",
  "translation", "reviewers", "university", "briefing", "template", "ministry"}
math.randomseed(os.time())
request = function()
  local a = words[math.random(#words)]
  local b = words[math.random(#words)]
  local q = (a .. " " .. b):gsub(" ", "+")
  return wrk.format("GET", "/forums/search/?q=" .. q .. "&page=" .. math.random(3))
end
"""


def static_weight() -> int:
    total = 0
    for path in ["static/css/site.css", "static/forums/forums.css", "static/forums/forums.js"]:
        total += len(gzip.compress((ROOT / path).read_bytes(), 9))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--topics", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--big-topic", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=10, help="Seconds per measurement.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument(
        "--skip-seed", action="store_true", help="Reuse the database seeded by the last run."
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULTS["DATABASE_URL"])
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("This benchmark needs wrk: apt-get install wrk")
    env = environment(options.database_url)
    os.environ.update({k: v for k, v in env.items() if k in DEFAULTS or k == "PYTHONPATH"})
    sys.path.insert(0, str(ROOT))

    if not options.skip_seed:
        fresh_database(options.database_url)
        manage(env, "migrate", "--no-input", "-v0")
        started = time.perf_counter()
        manage(
            env, "seed_demo", "--quiet-logins",
            "--members", str(options.members), "--topics", str(options.topics),
            "--posts", str(options.posts), "--big-topic", str(options.big_topic),
        )  # fmt: skip
        print(f"seeded in {time.perf_counter() - started:.1f} s")
        manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
    pages, member = pick_pages()
    measured = measure_pages(pages, member)

    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "daphne"), "-b", "127.0.0.1", "-p", str(options.port),
         "bench.forums:application"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{options.port}"
    try:
        for _ in range(100):
            try:
                subprocess.run(
                    ["curl", "-sf", "-o", "/dev/null", f"{base}/bench/hello/"], check=True
                )
                break
            except subprocess.CalledProcessError:
                time.sleep(0.2)
        else:
            raise SystemExit("Daphne did not start: " + server.stderr.read().decode()[-2000:])
        script = ROOT / "bench" / ".search.lua"
        script.write_text(SEARCH_LUA)
        rows = []
        for who in ("anonymous", "member"):
            hello_rps = None
            for name, url in [*pages.items(), ("search, varied words", None)]:
                cookie = measured["cookies"][who]
                if url is None:
                    result = harness.run_wrk(
                        base, cookie, options.duration, options.connections, server.pid,
                        script=str(script),
                    )  # fmt: skip
                    figures = measured["figures"][("search", who)]
                else:
                    result = harness.run_wrk(
                        base + url, cookie, options.duration, options.connections, server.pid
                    )
                    figures = measured["figures"][(name, who)]
                hello_rps = hello_rps or result["rps"]
                rows.append((who, name, result, figures, result["rps"] / (hello_rps or 1)))
                print(f"measured: {who}, {name}: {result}", flush=True)
        script.unlink(missing_ok=True)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    print(
        f"\n{options.members} members, {options.topics} topics, {options.posts} posts, "
        f"big topic {options.big_topic} posts; 1 Daphne process, wrk -c{options.connections}, "
        f"{options.duration} s each\n"
    )
    header = (
        f"{'viewer':<10}{'page':<24}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'CPU ms':>8}"
        f"{'SQL':>5}{'KB':>7}{'vs hello':>9}{'non-2xx':>8}{'timeout':>8}"
    )
    print(header)
    print("-" * len(header))
    for who, name, result, figures, ratio in rows:
        print(
            f"{who:<10}{name:<24}{result['rps']:>8.0f}{result['p50']:>8.1f}{result['p99']:>8.1f}"
            f"{result['cpu_ms']:>8.2f}{figures['queries']:>5}{figures['bytes'] / 1024:>7.1f}"
            f"{ratio:>9.2f}{result['errors']:>8}{result['timeouts']:>8}"
        )
    print(f"\nCSS + JS, gzip -9: {static_weight() / 1024:.1f} KB")


if __name__ == "__main__":
    main()
