"""Pages for moderators and newcomers: pending members, invitations, sign-up, reports."""

from allauth.account.views import SignupView as AllauthSignupView
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from profiles import selectors, services
from profiles.forms import (
    CohortCodeForm,
    InviteByEmailForm,
    RejectForm,
    ResolveReportForm,
)
from profiles.models import Report, User
from profiles.permissions import moderator_required


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
