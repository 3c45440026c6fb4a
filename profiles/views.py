import dataclasses
import hashlib
import json
import time
from urllib.parse import urlencode

from allauth.account.views import SignupView as AllauthSignupView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.models import Tag

from network import languages as site_languages
from network.markdown import render_markdown
from profiles import fragments, privacy, selectors, services
from profiles.charts import map_chart
from profiles.forms import (
    CohortCodeForm,
    ConnectForm,
    DeleteAccountForm,
    DirectoryForm,
    InviteByEmailForm,
    ProfileForm,
    RejectForm,
    ReportForm,
    ResolveReportForm,
)
from profiles.languages import LANGUAGE_CHOICES
from profiles.models import Connection, Report, User, Visibility
from profiles.permissions import member_required, moderator_required
from profiles.selectors import DirectoryQuery
from taxonomy.labels import country_name
from taxonomy.labels import label as translated_label

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


@moderator_required
def pending_members(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.list_pending_members(), 25).get_page(request.GET.get("page"))
    return render(
        request, "profiles/pending_members.html", {"page": page, "reject_form": RejectForm()}
    )


@require_POST
@moderator_required
def approve_member(request: HttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(User, pk=user_id)
    try:
        services.approve_member(member=member, moderator=request.user)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("%(name)s is now a member.") % {"name": member.name})
    return redirect("moderation:members")


@require_POST
@moderator_required
def reject_member(request: HttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(User, pk=user_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.reject_member(
                member=member, moderator=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("The application was rejected."))
            return redirect("moderation:members")
    # Re-render with the applicant and the reason typed so far, so nothing is lost.
    page = Paginator(selectors.list_pending_members(), 25).get_page(request.GET.get("page"))
    context = {"page": page, "reject_form": form, "rejecting": member}
    return render(request, "profiles/pending_members.html", context, status=400)


class SignupView(AllauthSignupView):
    """allauth's sign-up, with the invitation code of an emailed link filled in."""

    def get_initial(self) -> dict:
        initial = super().get_initial()
        code = self.request.GET.get("code", "").strip()
        if code:
            initial["invitation_code"] = code[:64]
        return initial


@moderator_required
def invitations(request: HttpRequest) -> HttpResponse:
    """Cohort invitation codes and emailed invitations."""
    invite_form = InviteByEmailForm(prefix="invite")
    code_form = CohortCodeForm(prefix="code")
    if request.method == "POST" and "invite-emails" in request.POST:
        invite_form = InviteByEmailForm(request.POST, prefix="invite")
        if invite_form.is_valid():
            emails = invite_form.cleaned_data["emails"]
            for email in emails:
                services.invite_by_email(
                    moderator=request.user, email=email, cohort=invite_form.cleaned_data["cohort"]
                )
            messages.success(
                request,
                ngettext(
                    "Invitation sent to %(count)d address.",
                    "Invitations sent to %(count)d addresses.",
                    len(emails),
                )
                % {"count": len(emails)},
            )
            return redirect("moderation:invitations")
    elif request.method == "POST":
        code_form = CohortCodeForm(request.POST, prefix="code")
        if code_form.is_valid():
            invitation = services.create_invitation(
                created_by=request.user,
                cohort=code_form.cleaned_data["cohort"],
                max_uses=code_form.cleaned_data["max_uses"],
                expires_at=timezone.now()
                + timezone.timedelta(days=code_form.cleaned_data["valid_days"]),
            )
            messages.success(
                request,
                _("New code for %(cohort)s: %(code)s")
                % {"cohort": invitation.cohort, "code": invitation.code},
            )
            return redirect("moderation:invitations")
    context = {
        "invite_form": invite_form,
        "code_form": code_form,
        "cohort_codes": selectors.list_cohort_invitations(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "profiles/invitations.html", context, status=status)


# Directory, profiles and connections ---------------------------------------------------------


def _directory_query(request: HttpRequest, form: DirectoryForm) -> tuple[DirectoryQuery, bool]:
    """The query the form asks for; (query, is_default) where the default is "peers in my
    country" for a member who opens the directory with no filters at all."""
    form.is_valid()  # invalid filters are shown as errors; the valid ones still apply
    data = {key: value for key, value in form.cleaned_data.items() if value}
    query = DirectoryQuery(
        q=data.get("q", ""),
        country=data.get("country", ""),
        expertise=list(dict.fromkeys(data.get("expertise", []))),
        stakeholder_type=data.get("stakeholder_type", ""),
        language=data.get("language", ""),
        cluster=data.get("cluster", ""),
        sort=data.get("sort", "relevance"),
    )
    if request.GET:
        return query, False
    country = selectors.get_own_country(member=request.user)
    if country:
        query.country = country
        return query, True
    return query, False


def _chips(
    request: HttpRequest, query: DirectoryQuery, facets: dict, offered_terms: dict[str, str]
) -> list[dict]:
    """Active filters, each with the address of the same search without it.

    `offered_terms`: the curated expertise terms' labels by slug (the form's choices); only
    a free tag's name is read from the database."""
    labels = {key: {row["value"]: row["label"] for row in rows} for key, rows in facets.items()}
    chips = []
    params = request.GET.copy()
    params.pop("page", None)
    if not request.GET and query.country:
        params["country"] = query.country  # the default view, made explicit
    single = [
        ("q", query.q, _("Search")),
        ("country", query.country, _("Country")),
        ("stakeholder_type", query.stakeholder_type, _("Type")),
        ("language", query.language, _("Speaks")),
        ("cluster", query.cluster, _("Cluster")),
    ]
    for key, value, kind in single:
        if not value:
            continue
        rest = params.copy()
        rest[key] = ""  # empty, not absent: removing the country chip shows every country
        if key == "country":
            label = country_name(value) or value
        elif key == "language":
            label = str(LANGUAGE_NAMES.get(value, value))
        else:
            label = labels.get(key, {}).get(value, value)
        chips.append({"kind": kind, "label": label, "url": "?" + rest.urlencode()})
    free = [slug for slug in query.expertise if slug not in offered_terms]
    term_names = dict(Tag.objects.filter(slug__in=free).values_list("slug", "name")) if free else {}
    for slug in query.expertise:
        rest = params.copy()
        rest.setlist("expertise", [s for s in query.expertise if s != slug])
        label = offered_terms.get(slug) or translated_label(term_names.get(slug, slug))
        chips.append({"kind": _("Expertise"), "label": label, "url": "?" + rest.urlencode()})
    return chips


def _count_text(count: int) -> str:
    # Grouping digits (intcomma) reads the locale's formats each time: a facet lists dozens of
    # counts, and numbers below 1,000 look the same in every language.
    return str(count) if count < 1000 else intcomma(count)


def _facet_links(request: HttpRequest, query: DirectoryQuery, facets: dict) -> dict:
    """Each facet row with the address of the search narrowed to it, ready to show."""
    params = request.GET.copy()
    params.pop("page", None)
    if not request.GET and query.country:
        params["country"] = query.country
    pairs = list(params.lists())
    links = {}
    for key, rows in facets.items():
        items = []
        for row in rows:
            # The current filters with this value set, in their order (as QueryDict would
            # do, without copying it for each of the dozens of rows).
            values = [*query.expertise, row["value"]] if key == "expertise" else [row["value"]]
            more = [(k, values if k == key else v) for k, v in pairs]
            if key not in params:
                more.append((key, values))
            url = "?" + urlencode([(k, value) for k, v in more for value in v])
            selected = row["value"] == getattr(query, key, None)
            items.append(
                {**row, "count": _count_text(row["count"]), "url": url, "selected": selected}
            )
        links[key] = items
    return links


# Rendered <option> lists per (select, language), kept in this process: they change only
# when staff edit the taxonomy, and a shared-cache round trip per select costs more.
_OPTIONS: dict[tuple[str, str], tuple[float, str]] = {}


def _options(name: str, choices, selected) -> str:
    """<option> tags for a select. The full list is rendered once per language and cached
    (a loop over 250 countries is otherwise the slowest part of the page); the chosen values,
    already validated as choices or slugs, are then marked by replacing their value."""
    key = (name, get_language())
    built_at, html = _OPTIONS.get(key, (0.0, ""))
    if time.monotonic() - built_at > DirectoryForm.CHOICES_SECONDS:
        html = str(
            format_html_join(
                "", '<option value="{}">{}</option>', ((value, label) for value, label in choices)
            )
        )
        _OPTIONS[key] = (time.monotonic(), html)
    chosen = selected if isinstance(selected, list | tuple) else [selected]
    for value in chosen:
        marker = f'<option value="{escape(value)}">'
        html = html.replace(marker, marker[:-1] + " selected>", 1)
    return mark_safe(html)  # built by format_html_join above  # noqa: S308


def _results_cache_key(request: HttpRequest, query: DirectoryQuery, page: str) -> str:
    """Per viewer and per directory version: any change to who sees whom makes a new key."""
    version = cache.get_or_set(services.DIRECTORY_VERSION_KEY, 1, timeout=None)
    wanted = json.dumps([dataclasses.astuple(query), page, request.GET.urlencode()])
    digest = hashlib.sha256(wanted.encode()).hexdigest()[:32]
    language = get_language()
    return f"profiles:directory:{version}:{request.user.pk}:{language}:{digest}"


@member_required
def member_list(request: HttpRequest) -> HttpResponse:
    """The directory: GET filters combined with AND; htmx asks for the results alone.

    The results (cards, counts, chips) are cached per viewer under the directory version,
    which every change to profiles, privacy, connections, blocks or membership bumps.
    """
    form = DirectoryForm(request.GET)
    query, is_default = _directory_query(request, form)
    page_number = request.GET.get("page") or "1"
    context = {"form": form, "query": query, "is_default_view": is_default}
    caching = bool(settings.DIRECTORY_CACHE_SECONDS)
    key = _results_cache_key(request, query, page_number) if caching else ""
    cached = cache.get(key) if caching else None
    results_html = mark_safe(cached) if cached is not None else None  # noqa: S308 - our own render
    if results_html is None:
        result = selectors.search_directory(
            viewer=privacy.viewer_for(request.user), query=query, page_number=page_number
        )
        params = request.GET.copy()
        params.pop("page", None)
        if is_default:
            params["country"] = query.country
        context.update(
            result=result,
            page=result.page,
            chips=_chips(request, query, result.facets, dict(form.fields["expertise"].choices)),
            facets=_facet_links(request, query, result.facets),
            page_params=params.urlencode(),
        )
        results_html = render_to_string(
            "profiles/partials/directory_results.html", context, request=request
        )
        if caching:
            cache.set(key, results_html, timeout=settings.DIRECTORY_CACHE_SECONDS)
    if request.htmx and request.htmx.target == "directory-results":
        response = HttpResponse(results_html)
    else:
        offered = {value for value, _label in form.fields["expertise"].choices}
        free = [slug for slug in query.expertise if slug not in offered]
        free_options = mark_safe("")
        if free:  # a free tag picked from the facets stays selected in the form
            free_options = format_html_join(
                "",
                '<option value="{}" selected>{}</option>',
                Tag.objects.filter(slug__in=free).values_list("slug", "name"),
            )
        fields = form.fields
        context.update(
            results_html=results_html,
            options={
                "country": _options("country", fields["country"].choices, query.country),
                "stakeholder_type": _options(
                    "stakeholder_type", fields["stakeholder_type"].choices, query.stakeholder_type
                ),
                "language": _options("language", fields["language"].choices, query.language),
                "cluster": _options("cluster", fields["cluster"].choices, query.cluster),
                "expertise": _options("expertise", fields["expertise"].choices, query.expertise)
                + free_options,
                "sort": _options("sort", fields["sort"].choices, query.sort),
            },
        )
        response = render(request, "profiles/member_list.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


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
            request, viewer=viewer, exclude=() if view.is_self else (view.user.pk,)
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


def _other(username: str) -> User:
    return get_object_or_404(User, username=username)


def _back(request: HttpRequest, member: User) -> HttpResponse:
    target = request.POST.get("next", "")
    if target == "connections":
        return redirect("profiles:connections")
    return redirect(member)


def _run(request: HttpRequest, action, success: str) -> bool:
    try:
        action()
    except PermissionDenied:
        messages.error(request, _("That is not possible."))
        return False
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


@require_POST
@member_required
def connect(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    if privacy.see(request.user, other.profile) is None:
        raise Http404
    form = ConnectForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    _run(
        request,
        lambda: services.request_connection(sender=request.user, recipient=other, note=note),
        _("Your request to connect was sent."),
    )
    return _back(request, other)


def _pending_request(sender: User, recipient: User) -> Connection:
    return get_object_or_404(
        Connection, from_user=sender, to_user=recipient, state=Connection.State.PENDING
    )


@require_POST
@member_required
def accept(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    request_ = _pending_request(other, request.user)
    _run(
        request,
        lambda: services.accept_connection(member=request.user, connection=request_),
        _("You are now connected with %(name)s.") % {"name": other.name},
    )
    return _back(request, other)


@require_POST
@member_required
def decline(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    request_ = _pending_request(other, request.user)
    _run(
        request,
        lambda: services.decline_connection(member=request.user, connection=request_),
        _("Request declined."),
    )
    return redirect("profiles:connections")


@require_POST
@member_required
def withdraw(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    request_ = _pending_request(request.user, other)
    _run(
        request,
        lambda: services.withdraw_connection(member=request.user, connection=request_),
        _("Request withdrawn."),
    )
    return _back(request, other)


@require_POST
@member_required
def remove(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    _run(
        request,
        lambda: services.remove_connection(member=request.user, other=other),
        _("Connection removed."),
    )
    return _back(request, other)


@require_POST
@member_required
def block(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    if other.pk == request.user.pk or privacy.see(request.user, other.profile) is None:
        raise Http404
    _run(
        request,
        lambda: services.block_member(blocker=request.user, blocked=other),
        _("%(name)s is blocked. They cannot contact you or see your private details.")
        % {"name": other.name},
    )
    return _back(request, other)


@require_POST
@member_required
def unblock(request: HttpRequest, username: str) -> HttpResponse:
    other = _other(username)
    _run(
        request,
        lambda: services.unblock_member(blocker=request.user, blocked=other),
        _("%(name)s is no longer blocked.") % {"name": other.name},
    )
    return _back(request, other)


@member_required
def report(request: HttpRequest, username: str) -> HttpResponse:
    view = selectors.get_member_profile(viewer=privacy.viewer_for(request.user), username=username)
    if view is None or view.is_self:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_member(reporter=request.user, member=view.user, **form.cleaned_data)
        messages.success(request, _("Thank you. The moderators will look at your report."))
        return redirect(view.user)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "profiles/report_member.html", {"view": view, "form": form}, status=status
    )


@member_required
def connections(request: HttpRequest) -> HttpResponse:
    overview = selectors.list_connections(member=request.user)
    return render(request, "profiles/connections.html", {"overview": overview})


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


@moderator_required
def reports(request: HttpRequest) -> HttpResponse:
    context = {
        "reports": selectors.list_reports(viewer=request.user)[:100],
        "resolved": selectors.list_reports(viewer=request.user, resolved=True)[:20],
        "form": ResolveReportForm(),
    }
    return render(request, "profiles/reports.html", context)


@require_POST
@moderator_required
def resolve_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report_ = get_object_or_404(Report, pk=report_id)
    form = ResolveReportForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            if form.cleaned_data["suspend"] and report_.member.status != "suspended":
                services.suspend_member(moderator=request.user, member=report_.member)
            services.resolve_report(
                moderator=request.user, report=report_, resolution=form.cleaned_data["resolution"]
            )
        messages.success(request, _("Report closed."))
    return redirect("moderation:reports")
