from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.cache import never_cache

from accounts import views
from accounts.forms import LocalisedPasswordResetForm

app_name = "accounts"

# Django's own views, wrapped in never_cache (some already are): pages about
# someone's account are never stored by browsers or proxies.

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/token/", views.create_token, name="token-create"),
    path("account/token/revoke/", views.revoke_token, name="token-revoke"),
    path("account/login/", auth_views.LoginView.as_view(), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/signup/", views.signup, name="signup"),
    path("account/signup/done/", views.signup_done, name="signup-done"),
    path(
        "account/activate/again/",
        views.resend_activation,
        name="activation-resend",
    ),
    path(
        "account/activate/<uidb64>/<token>/",
        views.activate,
        name="activate",
    ),
    path(
        "account/password/",
        never_cache(
            auth_views.PasswordChangeView.as_view(
                success_url=reverse_lazy("accounts:password-change-done")
            )
        ),
        name="password-change",
    ),
    path(
        "account/password/done/",
        never_cache(auth_views.PasswordChangeDoneView.as_view()),
        name="password-change-done",
    ),
    path(
        "account/password/reset/",
        never_cache(
            auth_views.PasswordResetView.as_view(
                form_class=LocalisedPasswordResetForm,
                email_template_name="registration/password_reset_email.txt",
                success_url=reverse_lazy("accounts:password-reset-done"),
            )
        ),
        name="password-reset",
    ),
    path(
        "account/password/reset/done/",
        never_cache(auth_views.PasswordResetDoneView.as_view()),
        name="password-reset-done",
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        never_cache(
            auth_views.PasswordResetConfirmView.as_view(
                success_url=reverse_lazy("accounts:password-reset-complete")
            )
        ),
        name="password-reset-confirm",
    ),
    path(
        "account/password/reset/complete/",
        never_cache(auth_views.PasswordResetCompleteView.as_view()),
        name="password-reset-complete",
    ),
    path("account/organisation/", views.organisation, name="organisation"),
    path(
        "account/organisation/requests/",
        views.organisation_requests,
        name="organisation-requests",
    ),
    path(
        "account/organisation/requests/<int:pk>/approve/",
        views.approve_request,
        name="membership-approve",
    ),
    path(
        "account/organisation/requests/<int:pk>/decline/",
        views.decline_request,
        name="membership-decline",
    ),
]
