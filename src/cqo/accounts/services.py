"""Accounts: signing in (with throttling and its audit events), password change, first admin.

Sign-in is shared by the web form and the API token endpoint, so both meet the same throttle and
leave the same audit events: ``accounts.login``, ``accounts.login_failed`` and ``accounts.locked``.
While a lock holds, attempts are refused without checking the password and without an event
each: the lock itself was recorded once, and the trail must not grow with an attacker's loop.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cqo.accounts import throttle
from cqo.audit.services import audit_record, snapshot
from cqo.core.permissions import require

ADMIN_ROLE = "admin"


class SigninLocked(ValidationError):
    """Sign-in is locked for this username or address; ``seconds`` says for how long."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        count = throttle.minutes(seconds)
        super().__init__(
            ngettext(
                "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minute; "
                "try again later.",
                "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minutes; "
                "try again later.",
                count,
            )
            % {"minutes": count},
            code="locked",
        )


class _Visitor:
    """The unknown party behind a failed sign-in, named by its address in the audit trail."""

    pk = None

    def __init__(self, ip: str) -> None:
        self.ip = ip

    def get_username(self) -> str:
        return f"anonymous@{self.ip or 'unknown'}"


def _user_named(username: str) -> Any:
    user_model = get_user_model()
    return user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()


def _audit_subject(user: Any, username: str) -> Any:
    return user if user is not None else ("accounts.user", "-", username[:150])


def signin_authenticate(
    *, request: HttpRequest | None, username: str, password: str, via: str = "web"
) -> Any:
    """Check a username and password under the throttle; return the user or raise.

    Raises ``SigninLocked`` while a lock holds (or when this failure starts one) and a
    ``ValidationError`` for wrong credentials that never says which of the two was wrong.
    """
    username = (username or "").strip()
    ip = throttle.client_ip(request)
    remaining = throttle.lock_remaining(username, ip)
    if remaining:
        raise SigninLocked(remaining)
    user = authenticate(request, username=username, password=password)
    if user is None:
        known = _user_named(username)
        subject = _audit_subject(known, username)
        failure = throttle.failure_note(username, ip)
        audit_record(
            actor=_Visitor(ip), action="accounts.login_failed", obj=subject,
            after={"ip": ip, "via": via},
        )  # fmt: skip
        if failure.locked:
            audit_record(
                actor=_Visitor(ip), action="accounts.locked", obj=subject,
                after={"ip": ip, "via": via, "scopes": list(failure.scopes),
                       "seconds": failure.seconds},
            )  # fmt: skip
            remaining = throttle.lock_remaining(username, ip)
            if remaining:
                raise SigninLocked(remaining)
        raise ValidationError(
            _(
                "The username or the password is not correct. Both are case-sensitive; "
                "after several failures sign-in is locked for a while."
            ),
            code="invalid_login",
        )
    throttle.success_note(username, ip)
    audit_record(actor=user, action="accounts.login", obj=user, after={"ip": ip, "via": via})
    return user


@transaction.atomic
def user_password_change(*, actor: Any, user: Any, password: str) -> Any:
    """Set a new password (checked against the password policy) and lift the must-change flag."""
    require(actor, "accounts.change_user_password", user)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    before = snapshot(user, fields=["must_change_password"])
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    # A new password ends every API token too: a token made under the old one is not trusted.
    from knox.models import AuthToken

    revoked, _detail = AuthToken.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action="accounts.password_change",
        obj=user,
        before=before,
        after={
            **snapshot(user, fields=["must_change_password"]),
            **({"tokens_revoked": revoked} if revoked else {}),
        },
    )
    return user


@transaction.atomic
def user_create_admin(*, username: str, email: str, password: str, display_name: str = "") -> Any:
    """Create a superuser in the ``admin`` group, from the console (``cqo createadmin``).

    No ``require`` here: there is no signed-in actor, and whoever runs the console command already
    holds the database. It is the only door to a superuser, and the event names it.
    """
    user_model = get_user_model()
    username = (username or "").strip()
    email = (email or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Give a username.")]
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as exc:
            errors["username"] = list(exc.messages)
        else:
            if user_model._default_manager.filter(username__iexact=username).exists():
                errors["username"] = [
                    _("An account with the username “%(username)s” already exists.")
                    % {"username": username}
                ]
    if not email:
        errors["email"] = [_("Give an e-mail address.")]
    else:
        try:
            validate_email(email)
        except ValidationError as exc:
            errors["email"] = list(exc.messages)
    if not errors:
        try:
            password_validation.validate_password(
                password, user_model(username=username, email=email)
            )
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user = user_model._default_manager.create_superuser(
        username=username, email=email, password=password, display_name=display_name
    )
    group, _created = Group.objects.get_or_create(name=ADMIN_ROLE)
    user.groups.add(group)
    audit_record(
        actor=None,
        action="accounts.admin_create",
        obj=user,
        after={
            **snapshot(user, fields=["username", "email", "is_staff", "is_superuser"]),
            "groups": [ADMIN_ROLE],
        },
        reason="cqo createadmin",
    )
    return user


@transaction.atomic
def signin_lock_clear(*, actor: Any, lock: Any, reason: str) -> Any:
    """Lift a sign-in lock before its time (the user called, the address is the office's) and
    forget the failures behind it; the administrator's act, with a reason, audited."""
    from .models import SigninLock

    require(actor, "accounts.clear_signinlock", lock)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the lock is cleared.")})
    lock = SigninLock.objects.select_for_update().get(pk=lock.pk)
    if lock.cleared_at is not None:
        raise ValidationError({"reason": _("This lock was cleared already.")})
    lock.cleared_at = timezone.now()
    lock.cleared_by = actor
    lock.clear_reason = reason
    lock.save(update_fields=["cleared_at", "cleared_by", "clear_reason"])
    throttle.counts_clear(lock)
    audit_record(
        actor=actor,
        action="accounts.lock_clear",
        obj=lock,
        after={
            "scope": lock.scope, "username": lock.username, "address": lock.address,
            "locked_until": lock.locked_until.isoformat(),
        },
        reason=reason,
    )  # fmt: skip
    return lock


@transaction.atomic
def token_revoke(*, actor: Any, token_id: str = "", every: bool = False, digest: str = "") -> int:
    """Revoke the actor's own API tokens: one by its public id or digest, or ``every`` one.
    Returns how many went; another user's token is never found."""
    from knox.models import AuthToken

    from .tokens import PUBLIC_ID_LENGTH, public_id

    tokens = AuthToken.objects.filter(user=actor)
    if digest:
        tokens = tokens.filter(digest=digest)
    elif not every:
        if len(token_id) != PUBLIC_ID_LENGTH or any(c not in "0123456789abcdef" for c in token_id):
            return 0
        tokens = tokens.filter(digest__startswith=token_id)
    ids = [public_id(t) for t in tokens]
    deleted, _rows = tokens.delete()
    if deleted:
        audit_record(actor=actor, action="accounts.token_revoke", obj=actor, after={"tokens": ids})
    return int(deleted)
