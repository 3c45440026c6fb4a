from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications import emails, selectors, services
from notifications.forms import EmailPreferencesForm, MarkAllReadForm
from notifications.models import Kind
from profiles.models import User
from profiles.permissions import member_required


def _key(value: str | None) -> int | None:
    """A page key from the query string; anything but a positive number means the first page."""
    return int(value) if value and value.isdigit() and int(value) > 0 else None


@member_required
def notification_list(request: HttpRequest) -> HttpResponse:
    before = _key(request.GET.get("before"))
    unread_only = request.GET.get("show") == "unread"
    page = selectors.list_notifications(viewer=request.user, before=before, unread_only=unread_only)
    newest = page.notifications[0].id if page.notifications and before is None else None
    context = {
        "page": page,
        "unread_only": unread_only,
        "before": before,
        "newest_id": newest,
        "kinds": Kind.choices,  # labels in the reader's language, for items added live
    }
    return render(request, "notifications/notification_list.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications:list")
    return redirect(target)


@require_POST
@member_required
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.mark_read(member=request.user, notification_id=pk)
    except ObjectDoesNotExist:
        raise Http404 from None  # another member's notification looks like none at all
    return _back(request)


@require_POST
@member_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    form = MarkAllReadForm(request.POST)
    up_to = form.cleaned_data["up_to"] if form.is_valid() else None
    count = services.mark_all_read(member=request.user, up_to=up_to)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return _back(request)


@require_http_methods(["GET", "POST"])
@member_required
def email_settings(request: HttpRequest) -> HttpResponse:
    current = selectors.get_email_preferences(member=request.user)
    form = EmailPreferencesForm(request.POST or None, initial_deliveries=current)
    if form.is_valid():
        services.set_email_preferences(member=request.user, deliveries=form.deliveries())
        messages.success(request, _("Your email settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/email_settings.html", {"form": form})


# No CSRF token: mail providers post the one-click unsubscribe (RFC 8058) without cookies or
# a form of ours. The signed token is the authority, and all it can do is stop emails.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = emails.read_unsubscribe_token(token)
    member = User.objects.filter(pk=found[0]).first() if found else None
    if member is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    scope = found[1]
    context = {
        "token": token,
        "is_digest": scope == emails.DIGEST_SCOPE,
        "kind_label": dict(Kind.choices).get(scope, ""),
        "done": False,
    }
    if request.method == "POST":
        services.unsubscribe(member=member, scope=scope)
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)
