"""The staff page of machine translation: which packages are installed, which are missing."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from translation import argos
from translation.models import Translation
from translation.selectors import language_name, translation_overview


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied(_("Machine translation is managed by platform operators."))
    summary = translation_overview()
    installed = [
        (package, language_name(package.source), language_name(package.target))
        for package in summary.installed
    ]
    return render(
        request,
        "translation/overview.html",
        {
            "overview": summary,
            "installed": installed,
            "status_counts": [
                (Translation.Status(status).label, count)
                for status, count in summary.counts.items()
            ],
            "argos_version": argos.version(),
            "install_command": " ".join(
                [
                    "manage.py translation_packages install --from-index",
                    *summary.languages_to_install,
                ]
            ),
        },
    )
