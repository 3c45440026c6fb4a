"""Django's ASGI handler with a bound on how many requests run Django's code at once.

Daphne hands every request to Django at once, and Django runs each one's middleware and
view in a thread of its own, so sixteen requests in flight are sixteen threads taking turns
at one interpreter lock: each page then costs more CPU (switches, lock hand-overs) and all
of them finish late. Past a few at a time, more threads add no throughput on this work,
which waits on the interpreter more than on PostgreSQL. The rest of a request (reading its
body, sending its response) stays unbounded, so a slow client holds no place.

Measured with bench/directory.py (50,000 members, wrk -c16, 2 vCPUs, two runs each): the
country + expertise page went from 41-48 to 33-38 ms of server CPU per request, 20-23 to
24-28 requests/s, and p99 from 1.2 s to 0.75-0.83 s; the hello-world view stayed within its
run-to-run noise (109-134 requests/s either way).
"""

import asyncio
import weakref

from django.core.handlers.asgi import ASGIHandler


class BoundedASGIHandler(ASGIHandler):
    """At most `concurrency` requests inside Django's middleware and views per process;
    the others wait their turn in arrival order (asyncio's semaphore is fair)."""

    def __init__(self, concurrency: int):
        if concurrency < 1:
            raise ValueError("HTTP_CONCURRENCY must be at least 1")
        super().__init__()
        self.concurrency = concurrency
        # One semaphore per event loop: a semaphore belongs to the loop it first waited on,
        # and a test suite runs the same application on many loops.
        self._turns: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    async def get_response_async(self, request):
        loop = asyncio.get_running_loop()
        turns = self._turns.get(loop)
        if turns is None:
            turns = self._turns[loop] = asyncio.Semaphore(self.concurrency)
        async with turns:
            return await super().get_response_async(request)
