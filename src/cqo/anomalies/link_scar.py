"""The supplier's link to one SCAR: its token, the actor it stands for, and its throttle.

- The token is 32 random bytes (``secrets.token_urlsafe``), shown once to the quality engineer
  who issues the link; the database keeps its SHA-256 digest only, so a copy of the database
  opens no link. The link names the SCAR by id as well (``/anomalies/scar/<id>/reply/<token>/``)
  and the digest is compared with that SCAR's alone (``hmac.compare_digest``): a token of
  another SCAR opens nothing.
- Expired, revoked, replaced by a new link, answered (awaiting review), accepted, voided, a
  wrong token, another SCAR's token: the same 404, which says nothing of which it was.
- ``SupplierActor`` is who acts through a live link: no user account, a description the audit
  trail keeps as the actor's name (``audit.services.actor_name``), and one permission only —
  answering this SCAR.
- Throttle: per client address, counted in the cache over a sliding window; the failures (a
  404) have a lower limit than all requests, so guessing tokens stops long before the 256-bit
  space could matter, while a supplier who reloads the page a few times is never stopped.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

ANSWER_PERM = "anomalies.answer_scar"
TOKEN_BYTES = 32
PREFIX = "cqo:scarlink:"


def token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256((token or "").encode("utf-8", "surrogatepass")).hexdigest()


def token_matches(token: str, digest: str) -> bool:
    if not token or not digest or len(token) > 200:
        return False
    return hmac.compare_digest(token_digest(token), digest)


def link_days() -> int:
    return max(1, int(getattr(settings, "CQO_SCAR_LINK_DAYS", 30)))


@dataclass(frozen=True)
class SupplierActor:
    """The supplier acting through the link of SCAR ``scar_id``: no account, one permission."""

    scar_id: int
    supplier: str
    number: str
    pk: None = None
    is_active: bool = True
    is_authenticated: bool = False

    def get_full_name(self) -> str:
        return ""

    def get_username(self) -> str:
        # What the audit trail keeps as the actor's name, in the site's language (as it names
        # the records), whatever language the supplier's page is in.
        with translation.override(settings.LANGUAGE_CODE):
            return _("%(supplier)s (supplier, through the link of %(scar)s)") % {
                "supplier": self.supplier,
                "scar": self.number,
            }

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return perm == ANSWER_PERM and getattr(obj, "pk", None) == self.scar_id

    def __str__(self) -> str:
        return self.get_username()


# --- the throttle --------------------------------------------------------------------------


def _setting(name: str, default: int) -> int:
    return max(1, int(getattr(settings, name, default)))


def window_seconds() -> int:
    return _setting("CQO_SCAR_LINK_WINDOW_SECONDS", 600)


def max_requests() -> int:
    return _setting("CQO_SCAR_LINK_MAX_REQUESTS", 60)


def max_failures() -> int:
    return _setting("CQO_SCAR_LINK_MAX_FAILURES", 10)


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "-")[:64]


def _hits(kind: str, request: HttpRequest) -> list[float]:
    now = time.time()
    window = window_seconds()
    stamps = cache.get(f"{PREFIX}{kind}:{_address(request)}") or []
    return [s for s in stamps if now - s < window]


def _count(kind: str, request: HttpRequest) -> None:
    stamps = _hits(kind, request)
    stamps.append(time.time())
    cache.set(f"{PREFIX}{kind}:{_address(request)}", stamps[-500:], window_seconds())


def throttled(request: HttpRequest) -> bool:
    """True when this address has asked too often: every request counts, failures more so."""
    if len(_hits("fail", request)) >= max_failures():
        return True
    if len(_hits("any", request)) >= max_requests():
        return True
    _count("any", request)
    return False


def failure_count(request: HttpRequest) -> None:
    _count("fail", request)


def link_live(scar: Any, *, now: Any = None) -> bool:
    """Whether the link of ``scar`` may be used now (the token aside)."""
    from .models_scar import SCAR_AWAITING_SUPPLIER

    now = now or timezone.now()
    return (
        scar.voided_at is None
        and scar.status in SCAR_AWAITING_SUPPLIER
        and scar.link_revoked_at is None
        and bool(scar.token_hash)
        and scar.link_expires_at > now
    )
