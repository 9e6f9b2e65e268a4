"""HTTP routes: each app contributes its own."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("conversations.urls")),
    path("", include("directory.urls")),
    path("admin/", admin.site.urls),
]
