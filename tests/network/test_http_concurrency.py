"""The site's HTTP handler: at most HTTP_CONCURRENCY requests through Django at once per
process, the others waiting their turn instead of being refused; pages through Django's
synchronous middleware chain in one trip to a thread, async views and static files too."""

import asyncio
import threading
import time

import pytest
from asgiref.testing import ApplicationCommunicator
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpResponse
from django.urls import path

from network.handlers import BoundedASGIHandler


class Gauge:
    """How many views run at this moment, and the most seen at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0

    def view(self, request):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.1)  # long enough for every request to have arrived meanwhile
        with self.lock:
            self.now -= 1
        return HttpResponse("done")


async def async_view(request):
    await asyncio.sleep(0)
    return HttpResponse("async done")


gauge = Gauge()
urlpatterns = [path("slow/", lambda request: gauge.view(request)), path("async/", async_view)]


async def fetch(application, address: str = "/slow/") -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": address,
        "raw_path": address.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(timeout=10)
    body = b""
    more = True
    while more:
        part = await communicator.receive_output(timeout=10)
        body += part.get("body", b"")
        more = part.get("more_body", False)
    await communicator.wait(timeout=10)
    return start["status"], body


async def most_at_once(application, requests: int) -> list[tuple[int, bytes]]:
    gauge.most = 0
    return await asyncio.gather(*(fetch(application) for _ in range(requests)))


@pytest.fixture
def slow_site(settings):
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.mark.asyncio
async def test_requests_beyond_the_bound_wait_their_turn_and_are_all_answered(slow_site):
    answers = await most_at_once(BoundedASGIHandler(2), requests=6)

    assert answers == [(200, b"done")] * 6
    assert gauge.most == 2


@pytest.mark.asyncio
async def test_without_the_bound_django_runs_every_request_at_once(slow_site):
    # What the bound changes: the same six requests through Django's own handler overlap.
    answers = await most_at_once(ASGIHandler(), requests=6)

    assert answers == [(200, b"done")] * 6
    assert gauge.most == 6


def test_a_bound_below_one_is_refused_at_start_up():
    with pytest.raises(ValueError, match="HTTP_CONCURRENCY"):
        BoundedASGIHandler(0)


def test_the_site_serves_http_through_the_bounded_handler(settings):
    from network.asgi import application

    http = application.application_mapping["http"]
    assert isinstance(http, BoundedASGIHandler)
    assert http.concurrency == settings.HTTP_CONCURRENCY


@pytest.mark.asyncio
async def test_an_async_view_answers_through_the_synchronous_chain(slow_site):
    assert await fetch(BoundedASGIHandler(2), "/async/") == (200, b"async done")


@pytest.mark.asyncio
async def test_static_files_are_still_served(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    from network.asgi import application

    status, body = await fetch(application.application_mapping["http"], "/static/css/site.css")

    assert status == 200
    assert b"margin-inline-start" in body
