"""WebSocket routes: each app contributes its own list."""

from conversations.routing import websocket_urlpatterns as conversation_routes

websocket_urlpatterns = [*conversation_routes]
