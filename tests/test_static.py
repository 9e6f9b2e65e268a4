"""Static files are served by whitenoise under hashed names, compressed, cached for good."""

import pytest
from django.templatetags.static import static


@pytest.mark.django_db
def test_static_files_are_hashed_compressed_and_cached_forever(client, official):
    client.force_login(official)
    page = client.get("/").text
    url = static("css/liaison.css")
    assert url in page
    assert url != "/static/css/liaison.css"  # a content hash is in the name

    for encoding in ("gzip", "br"):
        compressed = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
        assert compressed.status_code == 200
        assert compressed["Content-Encoding"] == encoding

    response = client.get(url)
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) >= 31536000


@pytest.mark.django_db
def test_htmx_and_its_websocket_extension_come_from_django_htmx(client, official):
    client.force_login(official)
    page = client.get("/").text
    assert static("django_htmx/htmx-2.min.js") in page
    assert static("django_htmx/ext/hx-ws-2.min.js") in page
    assert 'ws-connect="/ws/live/"' in page
