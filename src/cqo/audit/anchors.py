"""Anchors for the audit chain outside the database (decision 0007).

The hash chain proves the trail is consistent with itself, not that it is the trail that was
written: someone who can write to the database can delete the newest events and move the chain
head back, or edit an event and re-hash every later one with the product's own code. Two anchors
hold against that, both keyed with a secret that is in neither the database nor a backup
(``CQO_AUDIT_KEY``, else ``var/audit_key`` made 0600 on first use):

- every event carries ``mac``, an HMAC of its hash: a re-hashed or inserted event has none that
  fits, in the database and in a backup archive alike;
- after each transaction that wrote events, the committed head's sequence number and hash are
  appended, HMAC'd, to ``var/audit/anchors.log`` (the chain ties every earlier event to it): a
  trail that ends before an anchored event, or holds another hash there, was cut or rewritten.

``head_digest`` is a short keyed digest of the chain head that the principal can print or sign;
a later verification prints the digest for the same head, so a rewritten past does not match.
What stays out of reach: anyone holding the key and write access to both the database and the
anchor file can forge all three.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

KEY_ENV = "CQO_AUDIT_KEY"


def key_path() -> Path:
    return Path(settings.VAR_DIR) / "audit_key"


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


@functools.cache
def _file_key(path: str) -> bytes:
    p = Path(path)
    if not p.exists():
        p.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting together must not each write a different key.
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    return p.read_text().strip().encode()


def audit_key() -> bytes:
    env = os.environ.get(KEY_ENV, "").strip()
    if env:
        return env.encode()
    return _file_key(str(key_path()))


def _mac(*parts: object) -> str:
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def event_mac(event_hash: str) -> str:
    return _mac("cqo-audit-event", event_hash)


def mac_matches(event_hash: str, mac: str) -> bool:
    return hmac.compare_digest(event_mac(event_hash), mac or "")


def head_digest(seq: int, head_hash: str) -> str:
    """Sixteen hex digits in four groups: short enough to print, sign or read over the phone."""
    raw = _mac("cqo-audit-head", seq, head_hash)[:16].upper()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _append(record: dict[str, object]) -> None:
    path = anchor_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    line = (json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n").encode()
    # One write on an O_APPEND descriptor: lines from several workers do not interleave.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def anchor_event(seq: int, event_hash: str) -> None:
    """Called once the event's transaction has committed (an uncommitted one may roll back)."""
    _append({"seq": seq, "hash": event_hash, "mac": _mac("cqo-audit-anchor", seq, event_hash)})


def anchor_restore(seq: int, head_hash: str) -> None:
    """A restore replaces the trail (it was checked on the way in): earlier anchors lapse."""
    _append(
        {"restored_to": seq, "hash": head_hash,
         "mac": _mac("cqo-audit-restore", seq, head_hash)}
    )  # fmt: skip


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    line: int


@dataclass(frozen=True)
class AnchorLog:
    anchors: dict[int, Anchor]
    forged_lines: list[int]


def read_anchors() -> AnchorLog:
    """The anchors in force (those after the last restore) and the lines whose MAC fails."""
    anchors: dict[int, Anchor] = {}
    forged: list[int] = []
    path = anchor_path()
    if not path.exists():
        return AnchorLog(anchors, forged)
    for number, record in _lines(path):
        if record is None:
            forged.append(number)
            continue
        try:
            restore = "restored_to" in record
            seq = int(record["restored_to"] if restore else record["seq"])  # type: ignore[call-overload]
            kind = "cqo-audit-restore" if restore else "cqo-audit-anchor"
            expected = _mac(kind, seq, record["hash"])
        except (KeyError, TypeError, ValueError):
            forged.append(number)
            continue
        if not hmac.compare_digest(expected, str(record.get("mac", ""))):
            forged.append(number)
        elif restore:
            anchors = {seq: Anchor(seq, str(record["hash"]), number)} if seq else {}
        else:
            anchors[seq] = Anchor(seq, str(record["hash"]), number)
    return AnchorLog(anchors, forged)


def _lines(path: Path) -> Iterator[tuple[int, dict[str, object] | None]]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except ValueError:
                yield number, None
                continue
            yield number, record if isinstance(record, dict) else None
