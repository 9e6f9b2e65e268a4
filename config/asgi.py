"""The one entry point Daphne serves: HTTP through Django, WebSocket through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models (the consumers do).
django_http = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from translation.queues import start_embedded_workers  # noqa: E402

# Embedded mode: the translation sweep starts with the server (never with manage.py).
start_embedded_workers()

application = ProtocolTypeRouter(
    {
        "http": django_http,
        # A socket from a page on a foreign origin is refused before it reaches any
        # consumer; the session cookie then says which official is on the line.
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
