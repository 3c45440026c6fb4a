from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from notifications.models import Notification
from profiles.permissions import member_required


@member_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user).select_related("actor")[:50]
    return render(request, "notifications/notification_list.html", {"notifications": notifications})
