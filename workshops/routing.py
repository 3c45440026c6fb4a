from django.urls import path

from workshops.consumers import WorkshopConsumer

websocket_urlpatterns = [path("ws/workshops/<slug:slug>/", WorkshopConsumer.as_asgi())]
