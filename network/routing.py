"""Every WebSocket route of the site; each app keeps its own list."""

from chat.routing import websocket_urlpatterns as chat_routes
from notifications.routing import websocket_urlpatterns as notification_routes
from workshops.routing import websocket_urlpatterns as workshop_routes

websocket_urlpatterns = [*chat_routes, *notification_routes, *workshop_routes]
