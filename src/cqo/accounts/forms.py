"""The sign-in form, throttled.

Password change uses Django's own form (the policy, its validators, is in settings), with the
current password checked under the same throttle as sign-in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from cqo.accounts import throttle

from . import services


class SigninForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    @sensitive_variables("password")
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            # Locks, wrong credentials and inactive accounts all end up as one non-field error
            # that does not say whether the username exists.
            self.user_cache = services.signin_authenticate(
                request=self.request, username=username, password=password, via="web"
            )
        return self.cleaned_data


class PasswordChangeForm(DjangoPasswordChangeForm):
    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        try:
            correct = throttle.password_recheck(self.user, old_password)
        except throttle.RecheckLocked as locked:
            raise services.SigninLocked(locked.seconds) from locked
        if not correct:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class LockClearForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Why the lock may go before its time, e.g. who called and how you checked."),
    )
