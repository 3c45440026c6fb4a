"""Brute-force protection for sign-in.

Failures are counted per account (the email typed, whether or not it exists, so the answer
never tells an attacker which emails are members) and per client address. The account key
locks for a fixed period once it reaches its limit within the window, whatever address the
attempts come from; a sliding window alone would unlock a minute after the oldest failure.
Counts live in the cache: Redis in production, so every process sees the same counts.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOCKED_MESSAGE = _(
    "Too many failed sign-in attempts. For your safety, sign-in is paused for a while: "
    "try again later or reset your password."
)


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _keys(kind: str, value: str) -> tuple[str, str]:
    digest = _digest(value)
    return f"login-fail:{kind}:{digest}", f"login-lock:{kind}:{digest}"


def check_login_allowed(*, email: str, address: str) -> None:
    """Raise ValidationError while the account or the address is locked."""
    locks = [_keys("account", email)[1], _keys("address", address)[1]]
    # The lock's value is when it ends; the cache expiry only tidies up after it.
    now = time.time()
    if any(until > now for until in cache.get_many(locks).values()):
        raise ValidationError(LOCKED_MESSAGE, code="too_many_login_attempts")


def _record(kind: str, value: str, limit: int) -> None:
    failures_key, lock_key = _keys(kind, value)
    window = settings.LOGIN_FAILURE_WINDOW
    now = time.time()
    failures = [t for t in cache.get(failures_key, []) if t > now - window]
    failures.append(now)
    if len(failures) >= limit:
        cache.set(lock_key, now + settings.LOGIN_LOCK_PERIOD, timeout=settings.LOGIN_LOCK_PERIOD)
        failures = []
    cache.set(failures_key, failures, timeout=window)


def record_login_failure(*, email: str, address: str) -> None:
    _record("account", email, settings.LOGIN_FAILURES_PER_ACCOUNT)
    _record("address", address, settings.LOGIN_FAILURES_PER_ADDRESS)
