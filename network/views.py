from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from network import health
from profiles.permissions import is_member, moderator_required


def home(request: HttpRequest) -> HttpResponse:
    """Visitors see what the network is; members see their starting points."""
    if request.user.is_authenticated and not is_member(request.user):
        return redirect("membership-waiting")
    return render(request, "network/home.html", {})


@never_cache
def membership_waiting(request: HttpRequest) -> HttpResponse:
    """Where a signed-in account that is not (yet) an approved member lands."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    if is_member(request.user):
        return redirect("home")
    return render(request, "network/membership_waiting.html", {"account": request.user})


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """What was tested for accessibility, how, and what is known not to conform. Public:
    people decide whether to join partly on it."""
    return render(request, "network/accessibility.html", {})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    results = health.run_checks()
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(results, status=200 if healthy else 503)


@moderator_required
def moderation_index(request: HttpRequest) -> HttpResponse:
    """Where moderators start: each app's queue, one link each."""
    return render(request, "network/moderation_index.html", {})
