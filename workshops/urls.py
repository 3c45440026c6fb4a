from django.urls import path

from workshops import views

app_name = "workshops"
urlpatterns = [path("", views.workshop_list, name="workshop-list")]
