from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from profiles import selectors, services
from profiles.forms import RejectForm
from profiles.models import MembershipStatus, User
from profiles.permissions import member_required, moderator_required


@member_required
def member_list(request: HttpRequest) -> HttpResponse:
    members = User.objects.filter(status=MembershipStatus.APPROVED, is_active=True).order_by(
        "display_name", "id"
    )
    page = Paginator(members, 24).get_page(request.GET.get("page"))
    return render(request, "profiles/member_list.html", {"page": page})


@member_required
def member_detail(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User, username=username)
    if not member.is_approved and member != request.user:
        raise Http404
    return render(request, "profiles/member_detail.html", {"member": member})


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
