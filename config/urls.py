"""HTTP routes: each app contributes its own."""

from django.contrib import admin
from django.urls import include, path

from directory.urls import directory_patterns

urlpatterns = [
    path("", include("conversations.urls")),
    path("", include("directory.urls")),
    path("directory/", include((directory_patterns, "directory"))),
    path("staff/translation/", include("translation.urls")),
    path("admin/", admin.site.urls),
]
