from django.contrib.auth import views as auth_views
from django.urls import path

from directory.views import accounts as views
from directory.views import authorities, coordination, invitations, officials

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/language/", views.choose_language, name="choose_language"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns += [
    path("invitations/<str:token>/", invitations.accept, name="invitation"),
]

# Mounted under /directory/ in the "directory" namespace.
directory_patterns = [
    path("", authorities.search, name="search"),
    path("authorities/<int:authority_id>/", authorities.authority, name="authority"),
    path("authorities/<int:authority_id>/edit/", authorities.edit, name="edit"),
    path("authorities/<int:authority_id>/status/", coordination.change_status, name="status"),
    path("authorities/<int:authority_id>/access/", coordination.change_access, name="access"),
    path("authorities/<int:authority_id>/officials/", officials.officials, name="officials"),
    path(
        "authorities/<int:authority_id>/officials/<int:membership_id>/roles/",
        officials.change_roles,
        name="roles",
    ),
    path(
        "authorities/<int:authority_id>/officials/<int:membership_id>/active/",
        officials.change_active,
        name="active",
    ),
    path("coordination/", coordination.desk, name="desk"),
]
