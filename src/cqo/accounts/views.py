"""Sign-in, sign-out, password change, and the CSRF failure page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .forms import LockClearForm, PasswordChangeForm, SigninForm
from .models import SigninLock


class SigninView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SigninForm
    # Someone already signed in goes on to the workbench (or ``next``); pages they may not see
    # answer 403, never a redirect back here, so this cannot loop.
    redirect_authenticated_user = True


class SignoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET), so a link or an image cannot sign anyone out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def _next(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if target and url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return target
        return ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next"] = self._next()
        context["forced"] = bool(getattr(self.request.user, "must_change_password", False))
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        # Through the service, so the policy, the must-change flag and the audit event go together.
        user = services.user_password_change(
            actor=self.request.user,
            user=form.user,
            password=form.cleaned_data["new_password1"],
        )
        # Other sessions of this user end; this one carries on.
        update_session_auth_hash(self.request, user)
        target = self._next()
        if target:
            messages.success(self.request, _("Your password was changed."))
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Usually an expired session in the middle of a form: say so plainly and offer a way back.
    # Nothing was saved: Django refused the request before any view ran.
    form_url = request.get_full_path() if request.method == "POST" else ""
    signed_in = bool(getattr(request, "user", None) and request.user.is_authenticated)
    login_url = reverse("accounts:login")
    if form_url:
        login_url += "?" + urlencode({"next": form_url})
    return render(
        request,
        "accounts/csrf_failure.html",
        {"reason": reason, "form_url": form_url, "signed_in": signed_in, "login_url": login_url},
        status=403,
    )


# --- sign-in locks (the administrator's page) ----------------------------------------------


def _may(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("You do not have permission to do this."))


@login_required
@require_GET
def lock_list(request: HttpRequest) -> HttpResponse:
    """Sign-in locks in force, and the last ones cleared or run out, for the administrator."""
    _may(request, "accounts.view_signinlock")
    moment = timezone.now()
    active = SigninLock.objects.filter(cleared_at__isnull=True, locked_until__gt=moment)
    past = SigninLock.objects.exclude(pk__in=active.values("pk")).select_related("cleared_by")
    return render(
        request,
        "accounts/lock_list.html",
        {"active": active, "past": past[:50], "form": LockClearForm()},
    )


@login_required
@require_POST
def lock_clear(request: HttpRequest, pk: int) -> HttpResponse:
    _may(request, "accounts.clear_signinlock")
    lock = get_object_or_404(SigninLock, pk=pk)
    form = LockClearForm(request.POST)
    if form.is_valid():
        try:
            services.signin_lock_clear(
                actor=request.user, lock=lock, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The lock was cleared."))
    else:
        messages.error(request, _("Say why the lock is cleared."))
    return redirect("accounts:locks")


# --- the user's own API tokens ----------------------------------------------------------------


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's API tokens: when each was issued and runs out; revoke any."""
    from knox.models import AuthToken

    from .tokens import public_id

    tokens = [
        {"id": public_id(t), "created": t.created, "expiry": t.expiry}
        for t in AuthToken.objects.filter(user=request.user).order_by("-created")
    ]
    return render(request, "accounts/token_list.html", {"tokens": tokens})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    if services.token_revoke(actor=request.user, token_id=token_id):
        messages.success(request, _("The token was revoked."))
    else:
        messages.error(request, _("No such token."))
    return redirect("accounts:tokens")
