"""Sign-in throttling, counted in the cache per username and per client address.

After ``CQO_LOGIN_MAX_FAILURES`` failures (each counted for ``CQO_LOGIN_LOCK_SECONDS`` after the
last one) the username, or the address, is locked for ``CQO_LOGIN_LOCK_SECONDS``. A username is
counted whether or not an account has it, so the lock says nothing about which accounts exist.
A successful sign-in clears its username's count but not its address's: otherwise one valid
account would let an attacker reset the address between guesses at other accounts.

The cache is shared by every app server (Redis in production), so the limits hold across them.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

FAIL_PREFIX = "cqo:login:fail:"
LOCK_PREFIX = "cqo:login:lock:"
DEFAULT_TRUSTED_PROXIES = ("127.0.0.1", "::1")


def now() -> float:
    # One place that reads the clock, so the throttle and the cache's expiry agree in tests.
    return time.time()


def max_failures() -> int:
    return max(1, int(settings.CQO_LOGIN_MAX_FAILURES))


def lock_seconds() -> int:
    return max(1, int(settings.CQO_LOGIN_LOCK_SECONDS))


def _valid_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_ip(request: HttpRequest | None) -> str:
    """The client's address; behind a trusted reverse proxy, the one it forwarded.

    ``X-Forwarded-For`` is read only when the request comes from a trusted proxy (by default the
    same machine), right to left, skipping further trusted proxies: anything a client writes in
    that header itself sits to the left and is never reached.
    """
    if request is None:
        return ""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    trusted = set(getattr(settings, "CQO_TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in trusted and forwarded:
        for hop in reversed(forwarded.split(",")):
            address = _valid_ip(hop)
            if not address:
                break
            if address not in trusted:
                return address
    return remote


def _subjects(username: str, ip: str) -> list[str]:
    subjects = []
    name = (username or "").strip().lower()
    if name:
        # Hashed: cache keys have a length and character limit, and usernames are free text.
        subjects.append("user:" + hashlib.sha256(name.encode()).hexdigest())
    if ip:
        subjects.append("ip:" + ip)
    return subjects


def lock_remaining(username: str, ip: str) -> int:
    """Seconds until sign-in is allowed again for this username and address (0: not locked)."""
    until = max((cache.get(LOCK_PREFIX + s) or 0.0 for s in _subjects(username, ip)), default=0.0)
    return max(0, math.ceil(until - now()))


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


@dataclass
class Failure:
    locked: bool
    # Which of "user" and "ip" this failure locked.
    scopes: tuple[str, ...] = ()


def failure_note(username: str, ip: str) -> Failure:
    """Count one failed sign-in; lock the username and/or address when it reaches the limit."""
    window = lock_seconds()
    scopes: list[str] = []
    for subject in _subjects(username, ip):
        key = FAIL_PREFIX + subject
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        # Some backends reset the expiry on incr; count each failure for a full window.
        cache.touch(key, timeout=window)
        if count >= max_failures():
            cache.set(LOCK_PREFIX + subject, now() + window, timeout=window)
            cache.delete(key)
            scopes.append(subject.split(":", 1)[0])
    return Failure(locked=bool(scopes), scopes=tuple(scopes))


def success_note(username: str) -> None:
    for subject in _subjects(username, ""):
        cache.delete(FAIL_PREFIX + subject)


class RecheckLocked(Exception):
    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def password_recheck(user: object, password: str) -> bool:
    """Whether ``password`` is ``user``'s, asked again by a signed-in user (to sign, or to change
    the password). Wrong answers count against the same per-username limit as sign-in, so a
    session or token left open does not allow unlimited guessing; raises ``RecheckLocked`` while
    the username is locked or when this failure locks it."""
    name = user.get_username()  # type: ignore[attr-defined]
    remaining = lock_remaining(name, "")
    if remaining:
        raise RecheckLocked(remaining)
    if password and user.check_password(password):  # type: ignore[attr-defined]
        success_note(name)
        return True
    if failure_note(name, "").locked:
        raise RecheckLocked(lock_seconds())
    return False
