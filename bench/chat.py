"""Chat under load: N clients in one room, on one Daphne process, then on two sharing Redis,
beside a bare tutorial-style consumer on the same layer, in the same run.

For each N it prints delivered/expected (live, and after `sync` for our consumer), latency
p50/p95/p99 at each send rate, capacity (the highest rate with p50 under 250 ms and nothing
lost live), server CPU per delivered message (and, in brackets, the clients' own: they share
the machine) and memory per idle connection. Rates step up until one misses (p50 over 250 ms
or a frame lost), which ends that N: higher rates would only pile up behind it.

    python bench/chat.py                      # the issue's sizes: 50, 200, 500, 1000
    python bench/chat.py --sizes 50,200 --rates 10,50 --seconds 3   # a quicker look

CHAT_LIVE_PORTS="8650-8699,6395-6399" keeps its Daphne and Redis servers inside those port
ranges (web, then Redis) on a machine shared with other runs.

Clients and servers share this machine: the client side's own CPU use is part of what the
figures show, so compare the rows of one run rather than runs on different machines.
"""

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.chat.live import (  # noqa: E402
    Client,
    Daphne,
    Database,
    RedisServer,
    base_env,
    free_port,
)

LIMITS_OFF = {
    "CHAT_RATE_BURST": "1000000",
    "CHAT_FRAME_BURST": "1000000",
    "CHAT_FRAMES_PER_SECOND": "1000000",
    "CHAT_LARGE_ROOM": "100",
    "LOG_LEVEL": "ERROR",
    # Production timings, not the end-to-end tests' quick ones.
    "CHAT_PRESENCE_HEARTBEAT": "10",
    "CHAT_PRESENCE_TTL": "30",
    "CHAT_PRESENCE_DEBOUNCE": "1",
}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Listener:
    """A client that records when each benchmark message arrives."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.arrivals: dict[str, float] = {}
        self.ids: set[int] = set()
        self.task: asyncio.Task | None = None

    async def listen(self) -> None:
        async for raw in self.client.socket:
            now = time.time()
            frame = json.loads(raw)
            body = frame.get("body") if frame.get("type") == "message" else frame.get("message")
            if frame.get("type") == "history":
                for message in frame["messages"]:
                    self.ids.add(message["id"])
                continue
            if "k" in frame:  # the bare consumer echoes the payload itself
                payload = frame
            elif isinstance(body, str) and body.startswith("{"):
                payload = json.loads(body)
            else:
                continue
            self.arrivals.setdefault(payload["k"], now - payload["t"])
            if "id" in frame:
                self.ids.add(frame["id"])


async def connect_all(servers: list[Daphne], slug: str, cookies: list[str], bare: bool):
    clients = [Client(servers[n % len(servers)], slug, cookies[n]) for n in range(len(cookies))]

    async def open_one(client: Client) -> None:
        if bare:
            import websockets

            client.socket = await websockets.connect(
                client.server.ws_url(slug), origin=client.server.origin, open_timeout=120
            )
        else:
            await client.connect()

    started = time.monotonic()
    results = await asyncio.gather(*(open_one(c) for c in clients), return_exceptions=True)
    failures = sum(isinstance(r, Exception) for r in results)
    return clients, failures, time.monotonic() - started


def passed(step: dict) -> bool:
    return step["p50"] < 250 and step["delivered"] == step["expected"]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run_size(servers, slug, cookies, *, bare, rates, seconds, all_rates=False) -> dict:
    pids = [s.process.pid for s in servers]
    # A few clients come and go first: what a process loads and caches once (code, the
    # database connection, first queries) is not memory per connection.
    warm, _failures, _seconds = await connect_all(servers, slug, cookies[:5], bare)
    await asyncio.gather(*(c.socket.close() for c in warm if c.socket), return_exceptions=True)
    await asyncio.sleep(1)
    memory_before = sum(rss_kib(p) for p in pids)
    clients, failures, connect_time = await connect_all(servers, slug, cookies, bare)
    await asyncio.sleep(2)
    memory_after = sum(rss_kib(p) for p in pids)
    live = [c for c in clients if c.socket is not None]
    listeners = [Listener(c) for c in live]
    for listener in listeners:
        listener.task = asyncio.create_task(listener.listen())
    senders = live[: min(10, len(live))]
    steps = []
    sent_keys: list[str] = []
    for rate in rates if senders else []:  # nobody got in: the connect line says so
        for listener in listeners:
            listener.arrivals.clear()
        cpu_before = sum(cpu_seconds(p) for p in pids)
        client_before = time.process_time()
        keys = []
        interval = 1.0 / rate
        start = time.monotonic()
        for number in range(int(rate * seconds)):
            key = f"{rate}-{number}"
            body = json.dumps({"k": key, "t": time.time()})
            sender = senders[number % len(senders)]
            frame = (
                body if bare else json.dumps({"type": "message", "body": body, "client_id": key})
            )
            await sender.socket.send(frame)
            keys.append(key)
            delay = start + (number + 1) * interval - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        await asyncio.sleep(3)  # let the last frames arrive
        cpu = sum(cpu_seconds(p) for p in pids) - cpu_before
        client_cpu = time.process_time() - client_before
        latencies = [v for listener in listeners for v in listener.arrivals.values()]
        delivered = len(latencies)
        expected = len(keys) * len(listeners)
        steps.append(
            {
                "rate": rate,
                "delivered": delivered,
                "expected": expected,
                "p50": percentile(latencies, 0.50) * 1000,
                "p95": percentile(latencies, 0.95) * 1000,
                "p99": percentile(latencies, 0.99) * 1000,
                "cpu_us_per_delivery": cpu / max(delivered, 1) * 1e6,
                "client_us_per_delivery": client_cpu / max(delivered, 1) * 1e6,
            }
        )
        sent_keys += keys
        if not passed(steps[-1]) and not all_rates:
            break
    after_sync = None
    if not bare:  # our consumer: every client syncs what it missed from its hello's last id
        for listener in listeners:
            await listener.client.send({"type": "sync", "after": listener.client.hello["last_id"]})
        await asyncio.sleep(5)
        # sync pages hold 100 messages; clients ask again for more pages
        for _round in range(50):
            short = [
                listener
                for listener in listeners
                if len(listener.ids) < len(sent_keys) and listener.ids
            ]
            if not short:
                break
            for listener in short:
                await listener.client.send({"type": "sync", "after": max(listener.ids)})
            await asyncio.sleep(1)
        after_sync = (
            sum(len(listener.ids) for listener in listeners),
            len(sent_keys) * len(listeners),
        )
    for listener in listeners:
        listener.task.cancel()
    await asyncio.gather(*(c.socket.close() for c in live), return_exceptions=True)
    capacity = max((s["rate"] for s in steps if passed(s)), default=0)
    return {
        "connect_failures": failures,
        "connect_seconds": connect_time,
        "kib_per_idle_connection": (memory_after - memory_before) / max(len(live), 1),
        "steps": steps,
        "after_sync": after_sync,
        "capacity": capacity,
    }


def report(label: str, size: int, result: dict) -> None:
    print(f"\n{label}  N={size}")
    print(
        f"  connect: {size - result['connect_failures']}/{size} in "
        f"{result['connect_seconds']:.1f} s; memory per idle connection "
        f"{result['kib_per_idle_connection']:.1f} KiB"
    )
    print(
        "  rate/s  delivered/expected   p50 ms   p95 ms   p99 ms"
        "   CPU µs/delivery: server  (clients)"
    )
    for step in result["steps"]:
        print(
            f"  {step['rate']:>6}  {step['delivered']:>8}/{step['expected']:<9} "
            f"{step['p50']:>8.1f} {step['p95']:>8.1f} {step['p99']:>8.1f}  "
            f"{step['cpu_us_per_delivery']:>22.1f}  ({step['client_us_per_delivery']:.1f})"
        )
    if result["after_sync"]:
        got, expected = result["after_sync"]
        print(f"  after sync: {got}/{expected} delivered")
    print(f"  capacity: {result['capacity']} messages/s")


def start_servers(processes: int, env: dict[str, str], app: str) -> list[Daphne]:
    servers = []
    port = 8300
    for _ in range(processes):
        port = free_port(port, 8400)
        server = Daphne(port, env, app=app)
        server.start()
        servers.append(server)
        port += 1
    return servers


async def bench(args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    rates = [int(r) for r in args.rates.split(",")]
    database = Database(args.database_url)
    print(f"Preparing a database and {max(sizes)} members…", flush=True)
    database.migrate()
    setup = database.setup(max(sizes), rooms=len(sizes) * 4)
    redis_server = RedisServer(free_port(6391, 6400))
    redis_server.start()
    rooms = iter(setup["rooms"])
    try:
        for processes in [int(p) for p in args.processes.split(",")]:
            for bare in (False, True) if not args.no_bare else (False,):
                extra = dict(LIMITS_OFF, DATABASE_URL=database.url)
                if processes > 1:
                    extra.update(REDIS_URL=redis_server.url, CHANNEL_LAYER=args.layer)
                else:
                    extra["REDIS_URL"] = ""
                app = "tests.chat.bare_consumer:application" if bare else "network.asgi:application"
                layer = f"redis {args.layer}" if processes > 1 else "in-memory"
                kind = "bare tutorial consumer" if bare else "RoomConsumer (auth, storage, limits)"
                plural = "es" if processes > 1 else ""
                label = f"{kind} · {processes} process{plural} · {layer} layer"
                for size in sizes:
                    # Fresh processes for each N: one still working off an overloaded rate
                    # step, or a heap grown by the previous N, would skew the next figures.
                    servers = start_servers(processes, base_env(**extra), app)
                    try:
                        result = await run_size(
                            servers,
                            next(rooms),
                            setup["cookies"][:size],
                            bare=bare,
                            rates=rates,
                            seconds=args.seconds,
                            all_rates=args.all_rates,
                        )
                    finally:
                        for server in servers:
                            server.stop()
                    report(label, size, result)
    finally:
        redis_server.stop()
        database.drop()


def _postgres_env() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,200,500,1000", help="Clients per run (N).")
    parser.add_argument(
        "--rates", default="1,5,10,20,30,50,75,100,150", help="Messages per second, stepped."
    )
    parser.add_argument(
        "--all-rates", action="store_true", help="Go on stepping up after a rate misses."
    )
    parser.add_argument("--seconds", type=float, default=5, help="Seconds per rate step.")
    parser.add_argument("--processes", default="1,2", help="Daphne processes per run.")
    parser.add_argument("--layer", default="pubsub", choices=["pubsub", "core"])
    parser.add_argument("--no-bare", action="store_true", help="Skip the bare consumer.")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "") if _postgres_env() else "",
        help="A PostgreSQL URL to create the bench database beside (default: DATABASE_URL "
        "when it is one, else a SQLite file).",
    )
    args = parser.parse_args()
    if args.database_url and not args.database_url.startswith("postgres"):
        parser.error("--database-url must be a postgres:// URL")
    asyncio.run(bench(args))


if __name__ == "__main__":
    main()
