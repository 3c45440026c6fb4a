"""Django's ASGI handler, run the way a page is: one trip to a thread per request, and a bound
on how many requests run Django's code at once.

One trip: under Django's own ASGI handler our middleware (all synchronous) runs in the
request's thread, then Django returns to the event loop to resolve the URL, goes back to the
thread for the view, and crosses twice more on the way out: three round trips between loop
and thread per page. Here the middleware chain and the view run in one call in that thread
(Django's synchronous handler, as under WSGI; an async view, or `async_to_sync` inside a
view, still reaches the server's loop).

A bound: Daphne hands every request to Django at once, so sixteen requests in flight are
sixteen threads taking turns at one interpreter lock: each page then costs more CPU
(switches, lock hand-overs) and all of them finish late. Past a few at a time more threads
add no throughput, since this work waits on the interpreter more than on PostgreSQL. Reading
a request's body and sending its response stay outside the bound, so a slow client holds no
place.

Measured with bench/directory.py (50,000 members, wrk -c16, 2 vCPUs, local PostgreSQL), server
CPU per request and requests/s, two runs each:
- no bound -> a bound of 4: the country + expertise page 41-48 -> 33-38 ms, 20-23 -> 24-28
  requests/s, p99 1.2 s -> 0.8 s;
- one trip instead of three: the hello-world view 7.6-9.0 -> 7.3-8.1 ms;
- a bound of 4 -> 2 or 3: hello world 112-137 -> 154-207 requests/s, the directory pages
  27-30 -> 30-36. The default is 3: two already overlap one request's wait on PostgreSQL
  with another's Python, and the third covers a database further away. Raise it where the
  database answers slowly, not for more CPU.
"""

import asyncio
import weakref

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class BoundedASGIHandler(ASGIHandler):
    """At most `concurrency` requests inside Django's middleware and views per process;
    the others wait their turn in arrival order (asyncio's semaphore is fair)."""

    def __init__(self, concurrency: int):
        if concurrency < 1:
            raise ValueError("HTTP_CONCURRENCY must be at least 1")
        # Not ASGIHandler's constructor: it would build the asynchronous middleware chain,
        # which this handler never calls. The synchronous one serves BaseHandler.get_response.
        self.load_middleware(is_async=False)
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
            # In the request's own thread (ThreadSensitiveContext, opened by __call__).
            return await sync_to_async(self.get_response, thread_sensitive=True)(request)
