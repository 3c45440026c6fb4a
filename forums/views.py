from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from forums import permissions, selectors
from forums.models import Category


def category_list(request: HttpRequest) -> HttpResponse:
    categories = selectors.list_categories(viewer=request.user)
    return render(request, "forums/category_list.html", {"categories": categories})


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    if not permissions.can_read(request.user, category):
        raise Http404  # a category you may not read looks like no category at all
    return render(request, "forums/category_detail.html", {"category": category})
