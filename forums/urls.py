from django.urls import path

from forums import views

app_name = "forums"
urlpatterns = [
    path("", views.category_list, name="category-list"),
    path("<slug:slug>/", views.category_detail, name="category-detail"),
]
