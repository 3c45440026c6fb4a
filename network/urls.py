from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from network import views
from profiles.views import SignupView

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("welcome/waiting/", views.membership_waiting, name="membership-waiting"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    # Before allauth's routes: the same sign-up, with an emailed invitation code filled in.
    path("accounts/signup/", SignupView.as_view(), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("moderation/", views.moderation_index, name="moderation-index"),
    path("moderation/", include("profiles.moderation_urls")),
    path("members/", include("profiles.urls")),
    path("forums/", include("forums.urls")),
    path("chat/", include("chat.urls")),
    path("workshops/", include("workshops.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
