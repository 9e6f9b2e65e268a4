"""Account pages: sign in and out, passwords, and the official's own settings."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory import forms
from directory.middleware import remember_language
from directory.services import accounts as services


class SignInView(auth_views.LoginView):
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You have signed out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm


@login_required
def account(request: HttpRequest) -> HttpResponse:
    official = request.user
    if request.method == "POST":
        form = forms.AccountForm(request.POST, instance=official)
        if form.is_valid():
            services.update_preferences(official=official, **form.cleaned_data)
            # The confirmation already speaks the language just chosen.
            translation.activate(official.language)
            messages.success(request, _("Your settings were saved."))
            return redirect("account")
        official.refresh_from_db()
    else:
        form = forms.AccountForm(instance=official)
    return render(request, "directory/account.html", {"form": form})


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The language picker in the page footer, for visitors and officials alike."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("conversations:workspace")
    form = forms.LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["language"][0])
        return HttpResponseRedirect(next_url)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.set_language(official=request.user, language=language)
    response = HttpResponseRedirect(next_url)
    remember_language(response, language)
    return response
