"""How often a member may post: a burst, then a sustained rate, shared by all their sockets;
and how many frames of any kind one socket may send (FrameAllowance).

GCRA (a token bucket kept as one timestamp): with Redis the check-and-update is one Lua
script, so every process and socket of a member draws on the same allowance; without Redis
(one process) the local-memory cache under a lock does the same.
"""

import logging
import threading
import time

import redis
from django.conf import settings
from django.core.cache import cache

_GCRA = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if tat - now > tolerance then return 0 end
local keep = math.ceil((tat + interval - now) * 1000) + 1000
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', keep)
return 1
"""

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_fallback: dict[str, float] = {}
_redis: dict[str, tuple[redis.Redis, object]] = {}


def _settings() -> tuple[float, float]:
    burst = max(1, int(getattr(settings, "CHAT_RATE_BURST", 20)))
    rate = float(getattr(settings, "CHAT_RATE_PER_SECOND", 1.0))
    interval = 1.0 / rate
    return interval, interval * (burst - 1)


def _script() -> tuple[redis.Redis, object]:
    url = settings.REDIS_URL
    if url not in _redis:
        client = redis.Redis.from_url(url, socket_timeout=2)
        _redis[url] = (client, client.register_script(_GCRA))
    return _redis[url]


def allow_message(*, user_id: int) -> bool:
    """Spend one message of this member's allowance; False when it is used up."""
    interval, tolerance = _settings()
    key = f"se4u:chat:rate:{user_id}"
    now = time.time()
    if settings.REDIS_URL:
        _client, script = _script()
        for attempt in range(2):  # a pooled connection Redis dropped fails once, then works
            try:
                return bool(script(keys=[key], args=[now, interval, tolerance]))
            except redis.RedisError as error:
                if attempt:
                    # Redis is restarting: this process limits on its own until it is back.
                    logger.warning("chat rate limit falls back to this process: %s", error)
    return _allow_locally(key, now, interval, tolerance)


def _allow_locally(key: str, now: float, interval: float, tolerance: float) -> bool:
    with _lock:
        try:
            stored = cache.get(key, 0.0)
        except Exception:  # the shared cache is down too: fall back to this process
            stored = _fallback.get(key, 0.0)
        tat = max(stored, now)
        if tat - now > tolerance:
            return False
        try:
            cache.set(key, tat + interval, timeout=int(tat + interval - now) + 2)
        except Exception:
            _fallback[key] = tat + interval
        return True


class FrameAllowance:
    """Frames of any kind one socket may send: a burst, then a steady rate."""

    def __init__(self) -> None:
        self.burst = float(getattr(settings, "CHAT_FRAME_BURST", 30))
        self.rate = float(getattr(settings, "CHAT_FRAMES_PER_SECOND", 10))
        self.tokens = self.burst
        self.at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
