"""A member's page, one's own profile and account (edit, export, delete), the members map."""

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from network import languages as site_languages
from network.markdown import render_markdown
from profiles import fragments, privacy, selectors, services
from profiles.charts import map_chart
from profiles.forms import (
    ConnectForm,
    DeleteAccountForm,
    ProfileForm,
)
from profiles.models import Visibility
from profiles.permissions import member_required


def _direct_message_url() -> str:
    """The chat's direct-message route, once that app provides it."""
    try:
        return reverse("chat:direct-open")
    except NoReverseMatch:
        return ""


def _view_as(request: HttpRequest, view: privacy.MemberView) -> tuple[privacy.MemberView, str]:
    """On their own page a member may preview it as a visitor, a member or a connection."""
    wanted = request.GET.get("as", "")
    if not view.is_self or wanted not in VIEW_AS:
        return view, ""
    level = VIEW_AS[wanted]
    stand_in = privacy.Viewer(
        user=None,
        id=None,
        is_member=level >= Visibility.MEMBERS,
        is_moderator=False,
        connected_ids=frozenset({view.user.pk}) if level >= Visibility.CONNECTIONS else frozenset(),
    )
    as_seen = privacy.see(stand_in, view.profile) or view
    return as_seen, wanted


VIEW_AS = {
    "visitor": Visibility.EVERYONE,
    "member": Visibility.MEMBERS,
    "connection": Visibility.CONNECTIONS,
}


@member_required
def member_detail(request: HttpRequest, username: str) -> HttpResponse:
    viewer = privacy.viewer_for(request.user)
    view = selectors.get_member_profile(viewer=viewer, username=username)
    if view is None:
        raise Http404
    view, viewing_as = _view_as(request, view)
    connection = (
        None
        if view.is_self
        else selectors.connection_between(viewer=request.user, member=view.user)
    )
    is_blocking = view.user.pk in viewer.blocking_ids
    context = {
        "view": view,
        "member": view.user,
        "viewing_as": viewing_as,
        "connection": connection,
        "is_blocking": is_blocking,
        "can_connect": not view.is_self and connection is None and not is_blocking,
        "can_message": not view.is_self and not is_blocking and view.user.is_approved,
        "direct_message_url": _direct_message_url(),
        "connect_form": ConnectForm(),
        "suggestions_html": fragments.suggestions_html(
            request, viewer=viewer, leave_out=None if view.is_self else view.user.pk
        ),
    }
    return render(request, "profiles/member_detail.html", context)


@member_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Edit one's own profile; "Preview" shows the rendered bio without saving anything."""
    profile = selectors.get_own_profile(member=request.user)
    if request.method != "POST":
        form = ProfileForm(initial=ProfileForm.initial_for(profile))
        return render(request, "profiles/profile_edit.html", {"form": form, "profile": profile})
    form = ProfileForm(request.POST, request.FILES, initial=ProfileForm.initial_for(profile))
    preview_html = ""
    if form.is_valid():
        if "preview" in request.POST:
            preview_html = render_markdown(form.cleaned_data["bio"])
        else:
            try:
                with transaction.atomic():
                    services.update_profile(member=request.user, data=form.profile_data())
                    if form.cleaned_data["remove_avatar"]:
                        services.remove_avatar(member=request.user)
                    elif form.cleaned_data["avatar"]:
                        services.set_avatar(member=request.user, upload=form.cleaned_data["avatar"])
            except ValidationError as error:
                field = "avatar" if getattr(error, "code", "") == "invalid_image" else None
                form.add_error(field, error)
            else:
                language = form.cleaned_data["preferred_language"]
                if language != profile.preferred_language:
                    translation.activate(language)  # the message below is in the new one
                messages.success(request, _("Your profile is saved."))
                response = redirect("profiles:member-detail", username=request.user.username)
                if language != profile.preferred_language:
                    site_languages.remember(response, language)  # and so are the pages
                return response
    context = {"form": form, "profile": profile, "preview_html": preview_html}
    status = 200 if preview_html or not form.errors else 400
    return render(request, "profiles/profile_edit.html", context, status=status)


@member_required
def members_map(request: HttpRequest) -> HttpResponse:
    data = selectors.members_map(viewer=privacy.viewer_for(request.user))
    return render(request, "profiles/members_map.html", {"map": data, "chart": map_chart(data)})


@member_required
def export_data(request: HttpRequest) -> HttpResponse:
    """Download everything the network holds about oneself, as JSON."""
    data = services.export_member_data(member=request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = f"se4u-{request.user.username}-{timezone.now():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@member_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(member=request.user)
        logout(request)
        messages.success(request, _("Your account is deleted. Thank you for taking part."))
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "profiles/delete_account.html", {"form": form}, status=status)
