from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from profiles.permissions import member_required


@member_required
def room_list(request: HttpRequest) -> HttpResponse:
    return render(request, "chat/room_list.html", {"rooms": []})
