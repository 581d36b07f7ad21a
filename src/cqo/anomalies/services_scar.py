"""Every write of the SCAR part (§7.1.4): issue a request to a supplier from an NCR, issue its
link again or revoke it, take the supplier's answer through the link, accept or return it,
void it; and the daily reminder of requests the supplier has not answered in time.

Each service takes its actor first, checks the permission (``require``), validates (a
``ValidationError`` naming the field and the clause in the actor's language) and writes the
change with its audit event in one transaction. The supplier acts without an account: its actor
is the ``link_scar.SupplierActor`` a live link gives, which the audit trail names.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.audit.services import audit_record, audited_change, record_void, snapshot
from cqo.core.clauses import clause
from cqo.core.numbering import number_next
from cqo.core.permissions import require
from cqo.core.uploads import file_sha256, upload_check
from cqo.notifications.services import notify, reminder_claim

from . import link_scar
from .models import Anomaly, AnomalyStatus
from .models_scar import (
    SCAR_AWAITING_SUPPLIER,
    SCAR_OPEN,
    Scar,
    ScarAnswer,
    ScarAnswerOutcome,
    ScarLanguage,
    ScarStatus,
)

CLAUSE_SCAR = clause("§7.1.4")
ADD = "anomalies.add_scar"
REVIEW = "anomalies.review_scar"
LINK = "anomalies.link_scar"
VOID = "anomalies.void_scar"
ANSWER_FIELDS = ("containment", "root_cause", "corrective_actions", "verification", "prevention")
MAX_TEXT = 8000
REMIND_EVERY_DAYS = 3


def _text(value: Any) -> str:
    return str(value or "").replace("\x00", "").strip()


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: f"{message} ({CLAUSE_SCAR})"})


def scar_number_next(on: datetime.date) -> str:
    return number_next(Scar, f"SCAR-{on:%Y}-", 4)


def _expiry(now: datetime.datetime, days: Any) -> datetime.datetime:
    if days in (None, ""):
        return now + datetime.timedelta(days=link_scar.link_days())
    try:
        count = int(days)
    except (TypeError, ValueError):
        raise _refuse("link_days", _("Give the link's life as a whole number of days.")) from None
    if not 1 <= count <= 90:
        raise _refuse("link_days", _("A link lives between 1 and 90 days."))
    return now + datetime.timedelta(days=count)


@dataclass(frozen=True)
class IssuedLink:
    """A SCAR with the token of its new link: the only moment the token exists in clear."""

    scar: Scar
    token: str


# --- issue -----------------------------------------------------------------------------------


@transaction.atomic
def scar_issue(
    *,
    actor: Any,
    anomaly: Anomaly,
    problem: str,
    due_on: datetime.date | None,
    language: str = ScarLanguage.ZH,
    lot: Any = None,
    contact: str = "",
    owner: Any = None,
    link_days: Any = None,
) -> IssuedLink:
    """Ask the supplier of the NCR's lot for its corrective action (§7.1.4), with a link to
    answer through. Returns the SCAR and the link's token, shown once."""
    require(actor, ADD, anomaly, clause=CLAUSE_SCAR)
    ncr = Anomaly.objects.select_for_update().get(pk=anomaly.pk)
    if ncr.voided_at is not None or ncr.status == AnomalyStatus.CLOSED:
        raise _refuse("anomaly", _("A SCAR is raised from an open NCR."))
    supplier = getattr(lot, "supplier", None) if lot is not None else ncr.supplier
    if lot is not None:
        if lot.voided_at is not None:
            raise _refuse("lot", _("This lot is voided; a SCAR cannot name it."))
        if lot.supplier_id is None:
            raise _refuse("lot", _("This lot has no supplier: it was not bought in."))
        if ncr.supplier_id is not None and lot.supplier_id != ncr.supplier_id:
            raise _refuse("lot", _("This lot is not from the NCR's supplier."))
    if supplier is None:
        raise _refuse("supplier", _("The NCR names no supplier; a SCAR goes to a supplier."))
    problem = _text(problem)
    if not problem:
        raise _refuse("problem", _("Tell the supplier what was found."))
    if len(problem) > MAX_TEXT:
        raise _refuse("problem", _("At most %(n)d characters.") % {"n": MAX_TEXT})
    if language not in ScarLanguage.values:
        raise _refuse("language", _("Choose Chinese or English."))
    today = timezone.localdate()
    if due_on is None:
        raise _refuse("due_on", _("Give the date the answer is due."))
    if due_on < today:
        raise _refuse("due_on", _("The answer cannot be due in the past."))
    contact = _text(contact)
    if len(contact) > 200:
        raise _refuse("contact", _("At most %(n)d characters.") % {"n": 200})
    now = timezone.now()
    token = link_scar.token_new()
    scar = Scar(
        number=scar_number_next(today),
        anomaly=ncr,
        supplier=supplier,
        lot=lot,
        problem=problem,
        language=language,
        contact=contact,
        due_on=due_on,
        owner=owner or actor,
        issued_by=actor,
        issued_at=now,
        token_hash=link_scar.token_digest(token),
        link_issued_at=now,
        link_expires_at=_expiry(now, link_days),
    )
    scar.save()
    audit_record(
        actor=actor,
        action="anomalies.scar.issue",
        obj=scar,
        after=snapshot(scar, fields=_AUDITED),
        clause=CLAUSE_SCAR,
    )
    return IssuedLink(scar=scar, token=token)


_AUDITED = [
    "number", "anomaly", "supplier", "lot", "problem", "language", "contact", "due_on", "status",
    "owner", "link_issued_at", "link_expires_at", "link_revoked_at", "answered_at",
    "answers_late", "answers_returned", "closed_at", "closed_by",
]  # fmt: skip


def _open_or_refuse(scar: Scar) -> None:
    if scar.voided_at is not None:
        raise _refuse("scar", _("This SCAR is voided."))
    if scar.status == ScarStatus.ACCEPTED:
        raise _refuse("status", _("This SCAR is closed: the answer was accepted."))


# --- the link --------------------------------------------------------------------------------


def scar_link_reissue(*, actor: Any, scar: Scar, link_days: Any = None) -> IssuedLink:
    """A new link for the SCAR: a new token, shown once; the old link dies at once."""
    require(actor, LINK, scar, clause=CLAUSE_SCAR)
    token = link_scar.token_new()
    with audited_change(
        actor=actor,
        obj=scar,
        action="anomalies.scar.link_reissue",
        clause=CLAUSE_SCAR,
        fields=_AUDITED,
    ) as locked:
        _open_or_refuse(locked)
        now = timezone.now()
        locked.token_hash = link_scar.token_digest(token)
        locked.link_issued_at = now
        locked.link_expires_at = _expiry(now, link_days)
        locked.link_revoked_at = None
    return IssuedLink(scar=locked, token=token)


def scar_link_revoke(*, actor: Any, scar: Scar, reason: str) -> Scar:
    """End the SCAR's link now (sent to the wrong person, leaked)."""
    require(actor, LINK, scar, clause=CLAUSE_SCAR)
    reason = _text(reason)
    if not reason:
        raise _refuse("reason", _("Say why the link is revoked."))
    with audited_change(
        actor=actor,
        obj=scar,
        action="anomalies.scar.link_revoke",
        clause=CLAUSE_SCAR,
        reason=reason,
        fields=_AUDITED,
    ) as locked:
        if locked.link_revoked_at is not None:
            raise _refuse("link", _("The link is already revoked."))
        locked.link_revoked_at = timezone.now()
    return locked


# --- the supplier's answer -------------------------------------------------------------------


def scar_answer_submit(
    *,
    actor: link_scar.SupplierActor,
    scar: Scar,
    responder: str,
    containment: str,
    root_cause: str,
    corrective_actions: str,
    verification: str,
    prevention: str,
    attachment: Any = None,
) -> ScarAnswer:
    """The supplier's answer D3–D7 through the SCAR's link. All or nothing: every discipline
    answered, the attachment (if any) a PDF or picture by its content."""
    require(actor, link_scar.ANSWER_PERM, scar, clause=CLAUSE_SCAR)
    values = {
        "containment": _text(containment),
        "root_cause": _text(root_cause),
        "corrective_actions": _text(corrective_actions),
        "verification": _text(verification),
        "prevention": _text(prevention),
    }
    labels = {
        "containment": _("Say how the suspect product was contained (D3)."),
        "root_cause": _("Give the root cause, and how it was verified (D4)."),
        "corrective_actions": _("Give the permanent corrective actions (D5)."),
        "verification": _("Say how the actions were implemented and verified (D6)."),
        "prevention": _("Say what prevents the problem from recurring (D7)."),
    }
    errors: dict[str, str] = {}
    responder = _text(responder)
    if not responder:
        errors["responder"] = f"{_('Give your name and position.')} ({CLAUSE_SCAR})"
    elif len(responder) > 200:
        errors["responder"] = _("At most %(n)d characters.") % {"n": 200}
    for name, value in values.items():
        if not value:
            errors[name] = f"{labels[name]} ({CLAUSE_SCAR})"
        elif len(value) > MAX_TEXT:
            errors[name] = _("At most %(n)d characters.") % {"n": MAX_TEXT}
    if errors:
        raise ValidationError(errors)
    upload_check(attachment, field="attachment")
    digest = file_sha256(attachment) if attachment else ""
    with audited_change(
        actor=actor,
        obj=scar,
        action="anomalies.scar.answer",
        clause=CLAUSE_SCAR,
        fields=_AUDITED,
    ) as locked:
        now = timezone.now()
        # Checked again under the lock: the link may have died since the page was opened.
        if not link_scar.link_live(locked, now=now):
            raise _refuse("scar", _("This link no longer takes an answer."))
        late = timezone.localdate(now) > locked.due_on
        answer = ScarAnswer(
            scar=locked,
            responder=responder,
            attachment=attachment or "",
            attachment_sha256=digest,
            submitted_at=now,
            late=late,
            **values,
        )
        answer.save()
        locked.status = ScarStatus.ANSWERED
        locked.answered_at = now
        if late:
            locked.answers_late += 1
        owner = locked.owner
        url = locked.get_absolute_url()
        number = locked.number
        notify(
            [owner],
            lambda: _("The supplier answered %(scar)s; accept it or return it.") % {"scar": number},
            url=url,
            clause=CLAUSE_SCAR,
        )
    return answer


def _pending_answer(scar: Scar) -> ScarAnswer:
    answer = (
        ScarAnswer.objects.select_for_update()
        .filter(scar=scar, voided_at__isnull=True, outcome=ScarAnswerOutcome.PENDING)
        .order_by("-submitted_at", "-id")
        .first()
    )
    if answer is None or scar.status != ScarStatus.ANSWERED:
        raise _refuse("status", _("There is no answer of the supplier awaiting review."))
    return answer


def _review(*, actor: Any, answer: ScarAnswer, outcome: str, note: str) -> None:
    with audited_change(
        actor=actor,
        obj=answer,
        action=f"anomalies.scaranswer.{outcome}",
        clause=CLAUSE_SCAR,
        reason=note,
        fields=["outcome", "review_note", "reviewed_by", "reviewed_at"],
        lock=False,
    ) as row:
        row.outcome = outcome
        row.review_note = note
        row.reviewed_by = actor
        row.reviewed_at = timezone.now()


def scar_answer_accept(*, actor: Any, scar: Scar, note: str = "") -> Scar:
    """Accept the supplier's answer: the SCAR is closed and its link dies."""
    require(actor, REVIEW, scar, clause=CLAUSE_SCAR)
    note = _text(note)
    with audited_change(
        actor=actor,
        obj=scar,
        action="anomalies.scar.accept",
        clause=CLAUSE_SCAR,
        reason=note,
        fields=_AUDITED,
    ) as locked:
        _open_or_refuse(locked)
        answer = _pending_answer(locked)
        _review(actor=actor, answer=answer, outcome=ScarAnswerOutcome.ACCEPTED, note=note)
        locked.status = ScarStatus.ACCEPTED
        locked.closed_at = timezone.now()
        locked.closed_by = actor
    return locked


def scar_answer_return(*, actor: Any, scar: Scar, note: str) -> Scar:
    """Return the supplier's answer with what is missing: the link takes an answer again until
    it expires (issue a new link if it has)."""
    require(actor, REVIEW, scar, clause=CLAUSE_SCAR)
    note = _text(note)
    if not note:
        raise _refuse("note", _("Tell the supplier what is missing or wrong."))
    if len(note) > MAX_TEXT:
        raise _refuse("note", _("At most %(n)d characters.") % {"n": MAX_TEXT})
    with audited_change(
        actor=actor,
        obj=scar,
        action="anomalies.scar.return",
        clause=CLAUSE_SCAR,
        reason=note,
        fields=_AUDITED,
    ) as locked:
        _open_or_refuse(locked)
        answer = _pending_answer(locked)
        _review(actor=actor, answer=answer, outcome=ScarAnswerOutcome.RETURNED, note=note)
        locked.status = ScarStatus.RETURNED
        locked.answers_returned += 1
    return locked


def scar_void(*, actor: Any, scar: Scar, reason: str) -> Scar:
    """Void a SCAR raised in error (never deleted); its link dies with it."""
    voided = record_void(actor=actor, record=scar, reason=reason, perm=VOID, clause=CLAUSE_SCAR)
    return voided  # type: ignore[return-value]


# --- the daily reminder ------------------------------------------------------------------------


def scar_reminders_run(*, today: datetime.date | None = None) -> int:
    """Tell each SCAR's engineer when the supplier's answer is overdue, every few days until it
    comes; and when the link expired before an answer came. Returns the reminders sent."""
    today = today or timezone.localdate()
    sent = 0
    overdue = Scar.objects.filter(
        voided_at__isnull=True, status__in=SCAR_AWAITING_SUPPLIER, due_on__lt=today
    ).select_related("owner", "supplier")
    for scar in overdue.order_by("due_on", "pk").iterator(chunk_size=200):
        with transaction.atomic():
            if not reminder_claim(
                f"anomalies.scar.{scar.pk}", on=today, every_days=REMIND_EVERY_DAYS
            ):
                continue
            number, supplier, due = scar.number, str(scar.supplier), scar.due_on
            expired = scar.link_expires_at <= timezone.now()

            def text(number: str = number, supplier: str = supplier, due: Any = due,
                     expired: bool = expired) -> str:  # fmt: skip
                message = _("%(scar)s: %(supplier)s has not answered; it was due on %(due)s.") % {
                    "scar": number,
                    "supplier": supplier,
                    "due": due.isoformat(),
                }
                if expired:
                    message += " " + _("Its link has expired: issue a new one.")
                return message

            notify([scar.owner], text, url=scar.get_absolute_url(), clause=CLAUSE_SCAR)
            sent += 1
    return sent


def closure_obstacles(anomaly: Anomaly) -> list[str]:
    """An NCR waits for its suppliers' corrective action: every SCAR on it accepted (§7.1.4)."""
    numbers = list(
        Scar.objects.filter(anomaly=anomaly, voided_at__isnull=True, status__in=SCAR_OPEN)
        .order_by("id")
        .values_list("number", flat=True)
    )
    if not numbers:
        return []
    return [
        _("SCARs: %(numbers)s not accepted yet; accept the supplier's answer or void the "
          "request first (%(clause)s).")
        % {"numbers": ", ".join(numbers), "clause": CLAUSE_SCAR}
    ]  # fmt: skip
