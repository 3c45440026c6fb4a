from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def workshop_list(request: HttpRequest) -> HttpResponse:
    return render(request, "workshops/workshop_list.html", {"workshops": []})
