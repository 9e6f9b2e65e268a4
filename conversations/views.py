"""Pages of the conversations area; for now the official's workspace."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    return render(request, "conversations/workspace.html")
