from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from network import health, languages
from profiles import services as profile_services
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


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's set_language (the cookie, and back to a safe `next`);
    a member's choice is also kept in their profile, for their emails and other browsers."""
    response = django_set_language(request)
    language = languages.supported(request.POST.get("language"))
    if language and is_member(request.user):
        profile_services.set_preferred_language(member=request.user, language=language)
    return response


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
