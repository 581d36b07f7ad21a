"""Sign-in throttling: brute force kept out without handing anyone a way to lock others out.

Three limits, each counted in the cache over a sliding window (every failure keeps its count
alive for a full window). A lock is held in the cache (shared by the app servers: Redis in
production) and recorded as a ``SigninLock`` row, which the administrator sees and clears at
``/accounts/locks/``:

- **username and address** (``CQO_LOGIN_MAX_FAILURES``, 5): that pair is locked for
  ``CQO_LOGIN_LOCK_SECONDS`` (15 minutes). This is the limit a guesser meets first, and it
  locks only the guesser: the same username signs in from any other address.
- **address** (``CQO_LOGIN_ADDRESS_MAX_FAILURES``, 20, any usernames): password spraying from
  one address locks that address for the same time.
- **username, from everywhere** (``CQO_LOGIN_USER_MAX_FAILURES``, 20 in
  ``CQO_LOGIN_USER_WINDOW_SECONDS``, an hour): a slower curve against guessing spread over many
  addresses. From the limit on, the username is locked for one minute, doubling with each
  further failure up to ``CQO_LOGIN_LOCK_SECONDS``, but only for addresses it has not signed in
  from in the last ``CQO_LOGIN_KNOWN_ADDRESS_DAYS`` (30) days: an employee who lists the
  usernames cannot keep the CQO out of the CQO's own desk.

Usernames are counted whether or not an account has them, so a lock says nothing about which
accounts exist. A success clears its own pair's count only. Asking a signed-in user for the
password again (to sign, or to change it) counts against the username with no address, and
towards the username's curve. Why this and not django-axes: docs/decisions/0008-sign-in-throttle.md.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

FAIL_PREFIX = "cqo:login:fail:"
LOCK_PREFIX = "cqo:login:lock:"
KNOWN_PREFIX = "cqo:login:known:"


def now() -> float:
    # One place that reads the clock, so the throttle and the cache's expiry agree in tests.
    return time.time()


def _moment(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def _setting(name: str, default: int) -> int:
    return max(1, int(getattr(settings, name, default)))


def max_failures() -> int:
    return _setting("CQO_LOGIN_MAX_FAILURES", 5)


def lock_seconds() -> int:
    return _setting("CQO_LOGIN_LOCK_SECONDS", 900)


def address_max_failures() -> int:
    return _setting("CQO_LOGIN_ADDRESS_MAX_FAILURES", 20)


def user_max_failures() -> int:
    return _setting("CQO_LOGIN_USER_MAX_FAILURES", 20)


def user_window_seconds() -> int:
    return _setting("CQO_LOGIN_USER_WINDOW_SECONDS", 3600)


def known_address_seconds() -> int:
    return _setting("CQO_LOGIN_KNOWN_ADDRESS_DAYS", 30) * 86400


USER_LOCK_BASE_SECONDS = 60


def user_lock_seconds(failures: int) -> int:
    """The username-wide lock after ``failures`` failures: none below the limit, then one
    minute doubling per further failure, at most the pair lock's length."""
    over = failures - user_max_failures()
    if over < 0:
        return 0
    return min(lock_seconds(), USER_LOCK_BASE_SECONDS * 2 ** min(over, 20))


# --- the client's address -----------------------------------------------------------------


def _valid_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


@lru_cache(maxsize=8)
def _networks(
    proxies: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address: str) -> bool:
    if not address:
        return False
    proxies = tuple(getattr(settings, "CQO_TRUSTED_PROXIES", ()) or ())
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(proxies))


def client_ip(request: HttpRequest | None) -> str:
    """The client's address; behind a configured reverse proxy, the one it forwarded.

    ``X-Forwarded-For`` is read only when the request comes from an address or network in
    ``CQO_TRUSTED_PROXIES`` (none by default), right to left, skipping further trusted proxies:
    anything a client writes in that header itself sits to the left and is never reached.
    """
    if request is None:
        return ""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and _trusted(remote):
        for hop in reversed(forwarded.split(",")):
            address = _valid_ip(hop)
            if not address:
                break
            if not _trusted(address):
                return address
    return remote


# --- counting -----------------------------------------------------------------------------


def normal(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _hash(username: str) -> str:
    # Hashed: cache keys have a length and character limit, and usernames are free text.
    return hashlib.sha256(normal(username).encode()).hexdigest()


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        count = int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    # Some backends reset the expiry on incr; count each failure for a full window.
    cache.touch(key, timeout=window)
    return count


def _pair_key(username: str, ip: str) -> str:
    return f"{FAIL_PREFIX}pair:{_hash(username)}:{ip or '-'}"


def _ip_key(ip: str) -> str:
    return f"{FAIL_PREFIX}ip:{ip}"


def _user_key(username: str) -> str:
    return f"{FAIL_PREFIX}user:{_hash(username)}"


def _known_key(username: str, ip: str) -> str:
    return f"{KNOWN_PREFIX}{_hash(username)}:{ip}"


def known_address(username: str, ip: str) -> bool:
    return bool(ip) and cache.get(_known_key(username, ip)) is not None


def _lock_keys(username: str, ip: str, *, signed_in: bool = False) -> list[str]:
    name = normal(username)
    keys = []
    if name:
        keys.append(LOCK_PREFIX + _pair_key(name, ip))
        # A signed-in user asked for the password again came in from a known place already.
        if not signed_in and not known_address(name, ip):
            keys.append(LOCK_PREFIX + _user_key(name))
    if ip:
        keys.append(LOCK_PREFIX + _ip_key(ip))
    return keys


def lock_remaining(username: str, ip: str, *, signed_in: bool = False) -> int:
    """Seconds until sign-in is allowed again for this username from this address (0: now)."""
    found = cache.get_many(_lock_keys(username, ip, signed_in=signed_in))
    until = max((float(v) for v in found.values()), default=0.0)
    return max(0, math.ceil(until - now()))


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


@dataclass
class Failure:
    locked: bool
    # Which of "pair", "address" and "user" this failure locked.
    scopes: tuple[str, ...] = ()
    seconds: int = 0


def _lock(scope: str, count_key: str, username: str, ip: str, failures: int, seconds: int) -> None:
    """Start (or extend) a lock. The cache enforces it, the row lets the administrator see and
    clear it. The row may be rolled back with the caller's transaction (a signing that failed on
    a wrong password); the cache's lock holds all the same, and runs out by itself."""
    from .models import SigninLock

    moment = now()
    cache.set(LOCK_PREFIX + count_key, moment + seconds, timeout=seconds)
    # The username's curve locks again on each further failure: one row per lock, extended.
    updated = SigninLock.objects.filter(
        scope=scope,
        username=normal(username),
        address=ip,
        cleared_at__isnull=True,
        locked_until__gt=_moment(moment),
    ).update(failures=failures, locked_until=_moment(moment + seconds))
    if not updated:
        SigninLock.objects.create(
            scope=scope,
            username=normal(username),
            address=ip,
            failures=failures,
            locked_at=_moment(moment),
            locked_until=_moment(moment + seconds),
        )


def failure_note(username: str, ip: str) -> Failure:
    """Count one failed sign-in; lock the pair, the address or the username at its limit."""
    from .models import LockScope

    window = lock_seconds()
    locked: list[tuple[str, int]] = []
    name = normal(username)
    if name:
        pair = _count(_pair_key(name, ip), window)
        if pair >= max_failures():
            _lock(LockScope.PAIR, _pair_key(name, ip), name, ip, pair, window)
            cache.delete(_pair_key(name, ip))
            locked.append((LockScope.PAIR, window))
        overall = _count(_user_key(name), user_window_seconds())
        seconds = user_lock_seconds(overall)
        if seconds:
            _lock(LockScope.USER, _user_key(name), name, "", overall, seconds)
            locked.append((LockScope.USER, seconds))
    if ip:
        spread = _count(_ip_key(ip), window)
        if spread >= address_max_failures():
            _lock(LockScope.ADDRESS, _ip_key(ip), "", ip, spread, window)
            cache.delete(_ip_key(ip))
            locked.append((LockScope.ADDRESS, window))
    return Failure(
        locked=bool(locked),
        scopes=tuple(str(scope) for scope, _s in locked),
        seconds=max((s for _scope, s in locked), default=0),
    )


def success_note(username: str, ip: str = "") -> None:
    """A correct password: the pair starts again at zero and the address becomes known."""
    cache.delete(_pair_key(username, ip))
    if ip:
        cache.set(_known_key(username, ip), 1, timeout=known_address_seconds())


def counts_clear(lock: object) -> None:
    """Lift a lock the administrator cleared, and forget the counts behind it."""
    scope, username, ip = lock.scope, lock.username, lock.address  # type: ignore[attr-defined]
    key = {"pair": _pair_key(username, ip), "address": _ip_key(ip), "user": _user_key(username)}
    if scope in key:
        cache.delete_many([key[scope], LOCK_PREFIX + key[scope]])


class RecheckLocked(Exception):
    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def password_recheck(user: object, password: str) -> bool:
    """Whether ``password`` is ``user``'s, asked again by a signed-in user (to sign, or to change
    the password). Wrong answers count against the username with no address (and towards its
    curve), so a session or token left open does not allow unlimited guessing; raises
    ``RecheckLocked`` while that is locked or when this failure locks it."""
    name = user.get_username()  # type: ignore[attr-defined]
    remaining = lock_remaining(name, "", signed_in=True)
    if remaining:
        raise RecheckLocked(remaining)
    if password and user.check_password(password):  # type: ignore[attr-defined]
        success_note(name)
        return True
    failure = failure_note(name, "")
    if failure.locked:
        raise RecheckLocked(failure.seconds)
    return False
