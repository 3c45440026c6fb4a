"""The member directory under load, beside a hello-world view served by the same Daphne process.

    python bench/directory.py                          # the issue's size: 50,000 members
    python bench/directory.py --members 5000 --rounds 1         # a quicker look
    python bench/directory.py --skip-seed              # reuse the last run's database

Seeds PostgreSQL with `seed_demo` (DATABASE_URL, default the local `profiles` database, which
is dropped and made again; Redis db 1 for the cache), starts one real Daphne process on a
loopback port and drives it with `wrk` (apt-get install wrk) as the signed-in demo member.
For each page it prints requests/s, p50 and p99 latency, server CPU per request, the SQL
queries per page (counted in-process, for a first and a deep page), and the ratio to the
hello-world view, measured in rounds between hello-world runs (the machine's speed drifts).
Targets (issue): a constant number of queries per directory page (no N+1 as results grow) and
at least a quarter of the hello-world view's throughput.

When Daphne imports this module (`bench.directory:application`), it serves the site with one
extra route, /bench/hello/.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402

DEFAULTS = {
    **harness.BASE_ENV,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/profiles",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "SECRET_KEY": "bench-only-secret-key-" + "d" * 40,
    "ASGI_THREADS": "4",
}


def __getattr__(name: str):
    """`application` for Daphne and `urlpatterns` for Django, built on first use."""
    return harness.site_attribute(name, "bench.directory")


def environment(database_url: str) -> dict:
    return harness.environment(DEFAULTS, database_url)


fresh_database = harness.fresh_database
manage = harness.manage


SEARCH_WORDS = [
    "amina", "okafor", "carlos", "mendoza", "mei", "petrova", "kwame", "haddad", "lucía",
    "sharma", "coalition", "justice", "migrant", "institute", "trafficking", "shelters",
    "firearms", "asset", "witness", "journalists", "transparency", "victim", "cyber",
]  # fmt: skip


def give_viewer_a_network(member_username: str, connections: int = 40, blocks: int = 4) -> None:
    """Connections and blocks for the demo member, through the services, so the measured
    pages also run the viewer-specific part of the privacy rule (connections-only fields,
    blocks both ways). Half the connections share the member's country. Idempotent."""
    import django

    django.setup()
    from profiles import privacy, services
    from profiles.models import Block, Connection, Profile, User

    member = User.objects.select_related("profile").get(username=member_username)
    if Connection.objects.filter(from_user=member).exists():
        return
    listed = privacy.listed_profiles(member, Profile.objects.exclude(user=member)).order_by("pk")
    country = member.profile.country.code
    near = list(
        listed.filter(country=country).values_list("user_id", flat=True)[: connections // 2]
    )
    far = list(listed.exclude(country=country).values_list("user_id", flat=True)[:connections])
    others = User.objects.in_bulk([*near, *far[: connections - len(near)]])
    for other in others.values():
        request = services.request_connection(sender=member, recipient=other)
        services.accept_connection(member=other, connection=Connection.objects.get(pk=request.pk))
    strangers = listed.exclude(user_id__in=others).values_list("user_id", flat=True)
    for number, user_id in enumerate(strangers[1000 : 1000 + blocks]):
        other = User.objects.get(pk=user_id)
        if number % 2:
            services.block_member(blocker=other, blocked=member)
        else:
            services.block_member(blocker=member, blocked=other)
    made = Connection.objects.filter(from_user=member).count()
    print(f"The demo member has {made} connections and {Block.objects.count()} blocks.")


def pick_pages(member_username: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The pages to measure (one address each, for the SQL count), and for the pages that
    rotate, every address wrk picks from at random: no two requests in a row ask the same."""
    import django

    django.setup()
    from django.db.models import Count
    from taggit.models import Tag

    from profiles import privacy
    from profiles.models import Profile, User

    member = User.objects.select_related("profile").get(username=member_username)
    viewer = privacy.viewer_for(member)
    country = member.profile.country.code or "KE"
    tag = member.profile.expertise.slugs()[0] if member.profile.expertise.exists() else "corruption"
    listed = privacy.listed_profiles(viewer, Profile.objects.all())
    countries = list(
        listed.exclude(country="")
        .values_list("country", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n", "country")[:12]
    )
    tags = list(
        Tag.objects.annotate(n=Count("profiles_expertisetag_items"))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)[:6]
    )
    pairs = [(country, tag)] + [(c, t) for c in countries for t in tags if (c, t) != (country, tag)]
    usernames = list(
        listed.filter(country=country)
        .exclude(user=member)
        .order_by("pk")
        .values_list("user__username", flat=True)[:200]
    )
    pages = {
        "hello world": "/bench/hello/",
        "directory: country + expertise": f"/members/?country={country}&expertise={tag}",
        "directory: my country (default)": "/members/",
        "directory: everyone, page 40": "/members/?country=&sort=name&page=40",
        "text search": "/members/?q=okafor&country=",
        "profile page": f"/members/{usernames[0]}/",
    }
    rotating = {
        "directory: country + expertise": [
            f"/members/?country={c}&expertise={quote(t)}" for c, t in pairs
        ],
        "text search": [f"/members/?q={quote(word)}&country=" for word in SEARCH_WORDS],
        "profile page": [f"/members/{name}/" for name in usernames],
    }
    return pages, rotating


def measure_queries(pages: dict[str, str], member_username: str) -> dict:
    """SQL queries and HTML bytes per page (in-process, warm), plus the cookie for wrk."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from profiles.models import User

    setup_test_environment()
    settings.ROOT_URLCONF = "bench.directory"
    settings.DIRECTORY_CACHE_SECONDS = 0  # count the queries of the real work, not a cache hit
    member = User.objects.get(username=member_username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    figures = {}
    for name, url in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        figures[name] = {
            "status": response.status_code,
            "queries": len(context.captured_queries),
            "bytes": len(response.content),
        }
    cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())
    return {"figures": figures, "cookie": cookie}


def lua_random_path(paths: list[str]) -> str:
    """A wrk script requesting one of `paths` at random, so caches cannot flatter one page."""
    quoted = ", ".join(f'"{path}"' for path in paths)
    return (
        f"local paths = {{{quoted}}}\n"
        "math.randomseed(os.time())\n"
        "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
    )


def serve_and_measure(env: dict, mode: str, pages: dict, rotating: dict, measured, options):
    """Start one Daphne process with `env` and run wrk against every page."""
    base = f"http://127.0.0.1:{options.port}"
    # A file, not a pipe: a pipe nobody reads could fill up and stall the server.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed after the server stops
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(options.port),
            "bench.directory:application",
        ],  # fmt: skip
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    rows = []
    with tempfile.TemporaryDirectory() as scripts:
        scripts_for = {}
        for name, paths in rotating.items():
            script = Path(scripts) / f"{len(scripts_for)}.lua"
            script.write_text(lua_random_path(paths))
            scripts_for[name] = str(script)
        try:
            for _attempt in range(100):  # up to 20 s for Daphne to listen
                probe = subprocess.run(
                    ["curl", "-sf", "-o", "/dev/null", f"{base}/bench/hello/"], check=False
                )
                if probe.returncode == 0:
                    break
                time.sleep(0.2)
            else:
                log.seek(0)
                raise SystemExit("Daphne did not start: " + log.read().decode()[-2000:])
            # The machine's speed drifts (a shared VM: hello world alone varies by a third
            # from one minute to the next), so pages are measured in rounds, each round
            # between two hello-world runs, and a page's ratio in a round is to the mean of
            # those two. The figures printed are each page's median over the rounds.
            measured_pages = [
                (name, url)
                for name, url in pages.items()
                if name != "hello world" and not (mode == "uncached" and name == "profile page")
            ]  # the result cache is the directory's only: the profile page is measured once
            runs: dict[str, list[tuple[dict, float]]] = {name: [] for name, _u in pages.items()}

            def wrk(name: str, url: str) -> dict:
                return harness.run_wrk(
                    base + url,
                    measured["cookie"],
                    options.duration,
                    options.connections,
                    server.pid,
                    scripts_for.get(name),
                )

            hello_before = wrk("hello world", pages["hello world"])
            for _round in range(options.rounds):
                results = [(name, wrk(name, url)) for name, url in measured_pages]
                hello_after = wrk("hello world", pages["hello world"])
                hello_rps = (hello_before["rps"] + hello_after["rps"]) / 2
                runs["hello world"].append((hello_before, 1.0))
                for name, result in results:
                    runs[name].append((result, result["rps"] / hello_rps if hello_rps else 0.0))
                hello_before = hello_after
            runs["hello world"].append((hello_after, 1.0))
            for name, url in pages.items():
                if runs[name]:
                    rows.append((f"{name} [{mode}]", url, runs[name], measured["figures"][name]))
        finally:
            server.send_signal(15)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            if any(result["errors"] for _l, _u, runs_, _f in rows for result, _r in runs_):
                log.seek(0)
                print(f"Non-2xx answers [{mode}]; the server said:\n" + log.read().decode()[-3000:])
            log.close()

    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=50_000, help="Demo members to seed.")
    parser.add_argument("--duration", type=int, default=5, help="Seconds per measurement.")
    parser.add_argument(
        "--rounds", type=int, default=3, help="Rounds over every page, each between hello runs."
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk connections.")
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument(
        "--modes",
        default="cached,uncached",
        help="Directory result cache on, off, or both (comma-separated: cached,uncached).",
    )
    parser.add_argument(
        "--skip-seed", action="store_true", help="Reuse the database seeded by the last run."
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULTS["DATABASE_URL"])
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("This benchmark needs wrk: apt-get install wrk")
    if not options.database_url.startswith("postgres"):
        sys.exit("This benchmark measures PostgreSQL: give --database-url postgres://...")
    env = environment(options.database_url)
    os.environ.update({k: v for k, v in env.items() if k in DEFAULTS or k == "PYTHONPATH"})

    if not options.skip_seed:
        fresh_database(options.database_url)
        manage(env, "migrate", "--no-input", "-v0")
        started = time.monotonic()
        manage(env, "seed_demo", "--members", str(options.members), "--topics", "0",
               "--posts", "0", "--messages", "0", "--quiet-logins")  # fmt: skip
        print(f"Seeded {options.members} members in {time.monotonic() - started:.0f} s.")
        subprocess.run(
            ["psql", options.database_url, "-qc", "VACUUM ANALYZE"], check=False, env=env
        )

    import django

    django.setup()
    from profiles.demo import DEMO_MEMBER

    give_viewer_a_network(DEMO_MEMBER["username"])
    pages, rotating = pick_pages(DEMO_MEMBER["username"])
    first_page = {"directory: everyone, page 1": "/members/?country=&sort=name"}
    measured = measure_queries({**pages, **first_page}, DEMO_MEMBER["username"])
    bad = {name: f["status"] for name, f in measured["figures"].items() if f["status"] != 200}
    if bad:
        sys.exit(f"Pages did not answer 200 in-process: {bad}")

    rows = []
    modes = {"cached": {}, "uncached": {"DIRECTORY_CACHE_SECONDS": "0"}}
    for mode in options.modes.split(","):
        rows += serve_and_measure({**env, **modes[mode]}, mode, pages, rotating, measured, options)

    modes_run = options.modes.split(",")
    pairs, words = rotating["directory: country + expertise"], rotating["text search"]
    explained = {
        "uncached": "the directory's result cache is off (DIRECTORY_CACHE_SECONDS=0), so every "
        "directory request does the whole work",
        "cached": "the per-viewer result cache is on: after the first request for an address, "
        "its results come from the cache",
    }
    print(
        f"\n{options.members} members on PostgreSQL; 1 Daphne process, signed in as the demo "
        f"member (with connections and blocks); wrk -c{options.connections}, "
        f"{options.rounds} rounds of {options.duration} s per page, each round between two "
        "hello-world runs; figures are medians over the rounds. CPU ms: the server process's "
        "CPU time per request (PostgreSQL's own is not in it). vs hello: to the mean of the "
        "round's two hello-world runs; range: lowest and highest round. Country + expertise "
        "picks one of "
        f"{len(pairs)} country/tag pairs at random per request, text search one of "
        f"{len(words)} words."
    )
    for mode in modes_run:
        print(f"[{mode}]: {explained[mode]}.")
    print()
    header = f"{'page':<45}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms':>8}"
    print(header + f"{'SQL':>5}{'KB':>7}{'vs hello':>9}{'range':>11}{'non-2xx':>8}")
    worst_by_mode: dict[str, float] = {}
    for name, _url, page_runs, figures in rows:
        ratios = sorted(ratio for _result, ratio in page_runs)

        def median(key: str, page_runs=page_runs) -> float:
            return statistics.median(result[key] for result, _ratio in page_runs)

        ratio = statistics.median(ratios)
        errors = sum(result["errors"] for result, _ratio in page_runs)
        print(
            f"{name:<45}{median('rps'):>8.0f}{median('p50'):>9.1f}{median('p99'):>9.1f}"
            f"{median('cpu_ms'):>8.1f}{figures['queries']:>5}{figures['bytes'] / 1024:>7.1f}"
            f"{ratio:>9.2f}{f'{ratios[0]:.2f}-{ratios[-1]:.2f}':>11}{errors:>8}"
        )
        mode = name.rsplit("[", 1)[1].rstrip("]")
        # The text search is a directory page too (/members/?q=...).
        if name.startswith(("directory", "text search")):
            worst_by_mode[mode] = min(worst_by_mode.get(mode, ratio), ratio)
    first = measured["figures"]["directory: everyone, page 1"]["queries"]
    deep_page = measured["figures"]["directory: everyone, page 40"]["queries"]
    print(f"\nSQL queries, everyone sorted by name: page 1 {first}, page 40 {deep_page}.")
    for mode, worst in worst_by_mode.items():
        verdict = "met" if worst >= 0.25 else "NOT met"
        print(
            f"Slowest directory page, {mode}: {worst:.2f} of hello-world, median of "
            f"{options.rounds} rounds (target 0.25: {verdict})."
        )


if __name__ == "__main__":
    main()
