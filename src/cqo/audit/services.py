"""Writing to the audit trail and signing records.

``audit_record`` is called by every service that changes state, inside that service's
transaction, so a change and its audit event are committed together or not at all.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqo.core import bulk
from cqo.core.commit_hooks import on_commit_once
from cqo.core.models import Voidable
from cqo.core.permissions import require
from cqo.core.texts import encode

from . import anchors, chain
from .history import history_attribute
from .models import AuditEvent, ChainHead, Signature

FIELD_EXCLUDE = {"password"}


def actor_name(user: Any) -> str:
    if user is None:
        return "system"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.get_username()})" if full else user.get_username()


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance`` in a JSON-able form, for before/after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in FIELD_EXCLUDE or (fields is not None and field.name not in fields):
            continue
        data[field.attname] = field.value_from_object(instance)
    return chain.normalise(data)


def object_ref(obj: Any) -> tuple[str, str, str]:
    # The trail names a record in the site's own language, whatever the actor's page shows, so
    # one record reads the same in every event.
    if isinstance(obj, models.Model):
        with translation.override(settings.LANGUAGE_CODE):
            return obj._meta.label_lower, str(obj.pk), str(obj)[:300]
    if isinstance(obj, tuple) and len(obj) == 3:
        return str(obj[0]), str(obj[1]), str(obj[2])[:300]
    raise TypeError("audit object must be a model instance or (type, id, repr)")


def _now_ms() -> Any:
    # Millisecond precision: Django's JSON serialiser (used by backups) keeps no more, and the
    # hash must come out the same after a backup is restored.
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


@transaction.atomic
def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    clause: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    # The head row is the chain's lock: held to the end of the transaction, so events are
    # appended one transaction at a time. The head itself is the last event: on PostgreSQL,
    # updating one row once per event, each in its own savepoint (every service is atomic),
    # keeps every version of the row until commit and made each event slower than the last
    # (17 ms per event after 10,000); locking the row without updating it stays flat.
    ChainHead.objects.select_for_update().get_or_create(
        id=1, defaults={"seq": 0, "hash": chain.GENESIS}
    )
    head_seq, head_hash = chain_head()
    object_type, object_id, object_repr = object_ref(obj)
    fields: dict[str, Any] = {
        "seq": head_seq + 1,
        "occurred_at": _now_ms(),
        "actor_id": getattr(actor, "pk", None),
        "actor_repr": actor_name(actor)[:200],
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "before": chain.normalise(before),
        "after": chain.normalise(after),
        # A system reason keeps its msgid and parameters (shown in the reader's language).
        "reason": encode(reason),
        "clause": clause,
        "prev_hash": head_hash,
    }
    fields["hash"] = chain.event_hash(fields)
    event = AuditEvent(**fields, mac=anchors.event_mac(fields["hash"]))
    event.save()
    history_attribute(
        object_type=object_type,
        object_id=object_id,
        actor=actor,
        reason=f"{action}: {reason}" if reason else action,
    )
    # After commit (a rolled-back event must not be anchored), once per transaction however many
    # events it writes; robust: a full disk loses an anchor line, not the committed change's answer.
    on_commit_once(_anchor_head, robust=True)
    return event


def _anchor_head() -> None:
    """Anchor the chain head as committed. The chain links every earlier event to it, so one
    line per transaction holds its events as one line per event did (decision 0007); and the
    committed head is never an event a rolled-back savepoint took away, which the last event
    this transaction wrote could be."""
    seq, head_hash = chain_head()
    if not seq:
        return
    # The head row records how far the trail is known to reach (a cut tail shows against it).
    # Written here, after commit, and only forward; skipped while another transaction holds
    # the lock (its own commit writes a later head), so a committed request never waits on a
    # long import.
    with transaction.atomic():
        row = ChainHead.objects.select_for_update(skip_locked=True).filter(id=1).first()
        if row is not None and row.seq < seq:
            row.seq, row.hash = seq, head_hash
            row.save(update_fields=["seq", "hash"])
    anchors.anchor_event(seq, head_hash)


def chain_head() -> tuple[int, str]:
    """The last event's sequence number and hash (0 and the genesis hash on an empty trail), as
    this connection sees it."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return (int(last[0]), str(last[1])) if last else (0, chain.GENESIS)


# --- one audited change ---------------------------------------------------------------------

M = TypeVar("M", bound=models.Model)


@contextlib.contextmanager
def audited_change(
    *,
    actor: Any,
    obj: M,
    action: str,
    clause: str = "",
    reason: str = "",
    fields: list[str] | None = None,
    update_fields: list[str] | None = None,
    save: bool = True,
    lock: bool = True,
) -> Iterator[M]:
    """The one way a service changes an existing record::

        with audited_change(actor=actor, obj=unit, action="organisation.unit.update",
                            clause=CLAUSE_UNIT, reason=reason) as locked:
            if locked.is_voided:
                raise ValidationError(...)     # nothing saved, nothing audited
            locked.name = name

    In one transaction: locks the row (``select_for_update``), snapshots it (``fields`` only, when
    given), hands it to the caller to check and change, saves it (``update_fields``; ``save=False``
    when the caller saves it itself), snapshots it again and writes the audit event. An exception
    in the block rolls all of it back."""
    with transaction.atomic():
        if lock:
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        else:
            locked = obj
        before = snapshot(locked, fields)
        yield locked
        if save:
            locked.save(update_fields=update_fields)
        audit_record(
            actor=actor,
            action=action,
            obj=locked,
            before=before,
            after=snapshot(locked, fields),
            reason=reason,
            clause=clause,
        )


# --- many child rows, one event -------------------------------------------------------------


def audited_bulk_create(
    *,
    actor: Any,
    obj: Any,
    action: str,
    model: type[M],
    rows: Iterable[M],
    after: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
    reason: str = "",
    clause: str = "",
    batch_size: int = bulk.DEFAULT_BATCH_SIZE,
) -> bulk.BulkRows:
    """Insert many child rows of ``obj`` (a lot's measurements) and write ONE event on ``obj``
    for them, in one transaction. The event's ``after["bulk"]`` holds the rows' model, count and
    digest (``cqo.core.bulk``), so the batch is as tamper-evident as one audited row."""
    with transaction.atomic():
        batch = bulk.bulk_rows_create(model, rows, batch_size=batch_size)
        audit_record(
            actor=actor,
            action=action,
            obj=obj,
            before=before,
            after={**(after or {}), "bulk": batch.summary()},
            reason=reason,
            clause=clause,
        )
    return batch


# --- events that outlive the transaction they happen in ------------------------------------

# A refusal (a write stopped by a one-vote veto) rolls back the transaction it happens in, and
# an audit event written there would go with it. Such events wait here until the outermost
# transaction has ended, and are then written in a transaction of their own.
_DETACHED: contextvars.ContextVar[tuple[dict[str, Any], ...]] = contextvars.ContextVar(
    "audit_detached", default=()
)


def audit_record_detached(
    *, actor: Any, action: str, obj: Any, reason: str = "", clause: str = ""
) -> None:
    """Record an event that must survive the rollback of the transaction it happens in (who
    tried what, when it was refused). Written at once outside a transaction; inside one, kept
    until ``audit_detached_flush()``, which the request middleware calls after every request
    (and ``audit_detached_scope()`` around a job or a command). ``actor`` None is filled in with
    the request's user at the flush."""
    entry = {
        "actor": actor,
        "action": action,
        "obj": object_ref(obj),
        "reason": reason,
        "clause": clause,
    }
    if not transaction.get_connection().in_atomic_block:
        _detached_write([entry], default_actor=None)
        return
    _DETACHED.set((*_DETACHED.get(), entry))


def audit_detached_flush(*, actor: Any = None, context: str = "") -> int:
    """Write the events kept by ``audit_record_detached``, each naming ``actor`` when it had
    none, with ``context`` (the request, the job) added to its reason. Call it after the
    transaction that raised them has ended."""
    entries = _DETACHED.get()
    if not entries:
        return 0
    _DETACHED.set(())
    if context:
        entries = tuple({**e, "reason": f"{context} {e['reason']}".strip()} for e in entries)
    _detached_write(list(entries), default_actor=actor)
    return len(entries)


def audit_detached_discard() -> None:
    _DETACHED.set(())


@contextlib.contextmanager
def audit_detached_scope(*, actor: Any = None, context: str = "") -> Iterator[None]:
    """Around a job or a command: whatever it refused is recorded when it ends, however it ends."""
    token = _DETACHED.set(())
    try:
        yield
    finally:
        try:
            audit_detached_flush(actor=actor, context=context)
        finally:
            _DETACHED.reset(token)


def _detached_write(entries: list[dict[str, Any]], *, default_actor: Any) -> None:
    with transaction.atomic():
        for e in entries:
            audit_record(
                actor=e["actor"] if e["actor"] is not None else default_actor,
                action=e["action"],
                obj=e["obj"],
                reason=e["reason"],
                clause=e["clause"],
            )


def verify_chain(*, batch_size: int = 5000, anchored: bool = True) -> chain.ChainProblem | None:
    """The first problem of the trail, or None: the chain, the keyed seals, the anchor file
    (unless ``anchored`` is off: a restore replaces the trail the file describes), signatures."""
    head = ChainHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, chain.GENESIS)
    columns = (
        "id", "seq", "occurred_at", "actor_id", "actor_repr", "action", "object_type", "object_id",
        "object_repr", "before", "after", "reason", "clause", "prev_hash", "hash",
    )  # fmt: skip
    rows = AuditEvent.objects.order_by("seq").values(*columns).iterator(chunk_size=batch_size)
    problem = chain.verify_events(rows, head_seq=head_seq, head_hash=head_hash)
    return (
        problem
        or _verify_seals(batch_size=batch_size)
        or (_verify_anchors(head_seq=head_seq) if anchored else None)
        or _verify_signatures(batch_size=batch_size)
    )


def _verify_seals(*, batch_size: int) -> chain.ChainProblem | None:
    """Every event's MAC must fit its hash: an event re-hashed or inserted by someone without the
    key (the chain above still holds for them) has none that does."""
    rows = AuditEvent.objects.order_by("seq").values_list("seq", "id", "hash", "mac")
    for seq, event_id, event_hash, mac in rows.iterator(chunk_size=batch_size):
        if not anchors.mac_matches(event_hash, mac):
            return chain.ChainProblem(
                seq, event_id, "its keyed seal does not match: written without the audit key"
            )
    return None


def _verify_anchors(*, head_seq: int) -> chain.ChainProblem | None:
    """The anchor file outside the database must agree with the trail: an anchored event that
    is gone (a cut tail, the head moved back) or holds another hash (a rewritten past)."""
    log = anchors.read_anchors()
    if log.forged_lines:
        return chain.ChainProblem(
            None, None, f"anchor file line {log.forged_lines[0]} does not carry a valid seal"
        )
    if not log.anchors:
        return None
    hashes = dict(AuditEvent.objects.filter(seq__in=list(log.anchors)).values_list("seq", "hash"))
    for seq in sorted(log.anchors):
        anchor = log.anchors[seq]
        if seq not in hashes:
            return chain.ChainProblem(
                seq,
                None,
                f"anchored in the anchor file (line {anchor.line}) but missing from the trail, "
                f"which ends at #{head_seq}",
            )
        if hashes[seq] != anchor.hash:
            return chain.ChainProblem(
                seq, None, f"differs from the hash anchored in the anchor file (line {anchor.line})"
            )
    return None


def _verify_signatures(*, batch_size: int) -> chain.ChainProblem | None:
    """Every signing event must still have its signature row, and each signature must say what its (chained, hence trusted) audit event says: signer,
    meaning, clause, record, time and content hash. A signature row edited behind the platform's
    back no longer matches the event it was written with."""
    signatures = Signature.objects.select_related("audit_event").order_by("audit_event__seq")
    for sig in signatures.iterator(chunk_size=batch_size):
        event = sig.audit_event
        after = event.after or {}
        expected = {
            "signer": event.actor_id,
            "meaning": after.get("meaning"),
            "content_hash": after.get("content_hash"),
            "clause": event.clause,
            "object": (event.object_type, event.object_id),
            "signed_at": event.occurred_at,
        }
        actual = {
            "signer": sig.signer_id,
            "meaning": sig.meaning,
            "content_hash": sig.content_hash,
            "clause": sig.clause,
            "object": (sig.object_type, sig.object_id),
            "signed_at": sig.signed_at,
        }
        differs = [name for name in expected if expected[name] != actual[name]]
        if event.action != "signature.sign" or differs:
            what = ", ".join(differs) or "action"
            return chain.ChainProblem(
                event.seq, event.id, f"signature {sig.pk} does not match its event ({what})"
            )
    unsigned = (
        AuditEvent.objects.filter(action="signature.sign", signature__isnull=True)
        .order_by("seq")
        .values_list("seq", "id")
        .first()
    )
    if unsigned is not None:
        return chain.ChainProblem(
            unsigned[0], unsigned[1], "records a signature whose row is missing"
        )
    orphan = (
        Signature.objects.exclude(audit_event_id__in=AuditEvent.objects.values("id"))
        .values_list("pk", flat=True)
        .first()
    )
    if orphan is not None:
        return chain.ChainProblem(None, None, f"signature {orphan} is named by no audit event")
    return None


class SignatureError(ValidationError):
    pass


class PasswordRecheckLocked(Exception):
    """Raised by the registered password check while the signer's name is locked."""

    def __init__(self, minutes: int) -> None:
        super().__init__(minutes)
        self.minutes = minutes


def _plain_recheck(user: Any, password: str) -> bool:
    return bool(password) and bool(user.check_password(password))


# How a signer's password is checked. The accounts app (above this one) registers its throttled
# check from its ``ready()``, so wrong passwords at signing count like wrong sign-ins.
_password_recheck: list[Callable[[Any, str], bool]] = [_plain_recheck]


def password_recheck_register(check: Callable[[Any, str], bool]) -> None:
    _password_recheck[0] = check


@dataclass(frozen=True)
class SignedMeaning:
    """What a signature means ("Approved as CQO under §6 c)") and the clause it is given under.

    Each signed act has one function producing it (``appointment_sign_meaning``,
    ``charter_approve_meaning``, ``approval_decide_meaning``, ``veto_impose_meaning``, ...); the
    page that asks for the signature and the service that records it both call that function, so
    the signer signs the meaning the page showed."""

    text: str
    clause: str


def password_check_for_signing(*, user: Any, password: str) -> None:
    """Raise ``SignatureError`` unless ``password`` is the signer's; failures are throttled."""
    try:
        correct = _password_recheck[0](user, password)
    except PasswordRecheckLocked as locked:
        raise SignatureError(
            _(
                "Too many wrong passwords: signing is locked for %(minutes)d minutes; "
                "nothing was signed."
            )
            % {"minutes": locked.minutes},
            code="locked",
        ) from locked
    if not correct:
        raise SignatureError(
            _("The password is not correct; nothing was signed."), code="bad_password"
        )


@transaction.atomic
def signature_sign(
    *,
    user: Any,
    password: str,
    obj: Any,
    content: dict[str, Any],
    meaning: str,
    clause: str = "",
) -> Signature:
    """Sign ``content`` of ``obj`` after re-checking the signer's password (§ e-signature rule).

    The content hash pins what was signed: a later change to the record no longer matches it.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise SignatureError(_("Only an active, signed-in user can sign."))
    password_check_for_signing(user=user, password=password)
    digest = chain.content_hash(content)
    object_type, object_id, _repr = object_ref(obj)
    event = audit_record(
        actor=user,
        action="signature.sign",
        obj=obj,
        after={"meaning": meaning, "content_hash": digest},
        clause=clause,
    )
    return Signature.objects.create(
        signer=user,
        signer_repr=actor_name(user)[:200],
        meaning=meaning,
        clause=clause,
        object_type=object_type,
        object_id=object_id,
        content_hash=digest,
        signed_at=event.occurred_at,
        audit_event=event,
    )


def signatures_for(obj: Any) -> models.QuerySet[Signature]:
    object_type, object_id, _repr = object_ref(obj)
    return Signature.objects.filter(object_type=object_type, object_id=object_id)


def signature_matches(signature: Signature, content: dict[str, Any]) -> bool:
    return signature.content_hash == chain.content_hash(content)


@transaction.atomic
def record_void(
    *, actor: Any, record: Voidable, reason: str, perm: str, clause: str = ""
) -> Voidable:
    """Void ``record`` with a reason, in place of deleting it (nothing is ever hard-deleted)."""
    require(actor, perm, record, clause=clause)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for voiding this record.")})
    with audited_change(
        actor=actor,
        obj=record,
        action=f"{record._meta.label_lower}.void",
        clause=clause,
        reason=reason,
        update_fields=["voided_at", "voided_by", "void_reason"],
    ) as locked:
        if locked.voided_at is not None:
            raise ValidationError(_("This record is already voided."))
        locked.voided_at = timezone.now()
        locked.voided_by = actor
        locked.void_reason = reason
    return locked
