"""Charter services (§4.2): generate a version from the data, the principal approves it with an
e-signature and publishes it; it is marked out of date when the post or a delegation changes.

A charter version is approved and published only while its content still matches what
``charter_generate`` would build from today's data; otherwise the service refuses (§4.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cqo.accounts.models import User
from cqo.audit.services import SignedMeaning, audit_record, audited_change, snapshot
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.core.texts import encode, stored
from cqo.post import selectors as post_selectors
from cqo.post.services import _enterprise_lock, _require_principal_signer, _sign

from .content import charter_content, charter_hash
from .models import Charter, CharterStatus

CLAUSE_CHARTER = clause("§4.2")


@transaction.atomic
def charter_generate(*, actor: User, veto_delegable: bool = False, note: str = "") -> Charter:
    """Build a new charter version from the data (§4.2); an unapproved draft is rebuilt in place."""
    require(actor, "charter.generate_charter", clause=CLAUSE_CHARTER)
    appointment = post_selectors.cqo_current()
    if appointment is None:
        raise ValidationError(
            _(
                "No CQO appointment is in force; the charter names the CQO, so appoint and sign "
                "first (§3.1)."
            )
        )
    enterprise = _enterprise_lock(appointment.enterprise)
    draft = (
        Charter.objects.select_for_update()
        .filter(enterprise=enterprise, status=CharterStatus.DRAFT)
        .order_by("-version")
        .first()
    )
    version = (
        draft.version
        if draft
        else (
            (
                Charter.objects.filter(enterprise=enterprise)
                .order_by("-version")
                .values_list("version", flat=True)
                .first()
                or 0
            )
            + 1
        )
    )
    content = charter_content(
        enterprise=enterprise,
        appointment=appointment,
        version=version,
        veto_delegable=bool(veto_delegable),
    )
    before = snapshot(draft) if draft else None
    charter = draft or Charter(enterprise=enterprise, version=version)
    charter.veto_delegable = bool(veto_delegable)
    charter.appointment = appointment
    charter.content = content
    charter.content_hash = charter_hash(content)
    charter.note = (note or "").strip()
    charter.created_by = actor
    charter.created_at = timezone.now()
    charter.save()
    audit_record(
        actor=actor,
        action="post.charter.regenerate" if draft else "post.charter.generate",
        obj=charter,
        before=before,
        after=snapshot(
            charter, ["version", "status", "veto_delegable", "appointment", "content_hash"]
        ),
        clause=CLAUSE_CHARTER,
    )
    return charter


def charter_content_intact(charter: Charter) -> bool:
    return charter_hash(charter.content) == charter.content_hash


# Keys of the content that change with the day or the numbering, not with the data (§4.2).
_CHARTER_VOLATILE = ("as_of", "version")


def _charter_substance_hash(content: Mapping[str, Any]) -> str:
    return charter_hash({k: v for k, v in content.items() if k not in _CHARTER_VOLATILE})


def charter_matches_data(charter: Charter) -> bool:
    """Would ``charter_generate`` today produce this version's content (§4.2)?

    The appointment in force, its terms, the authorities and the delegations in force are
    compared; the generation day and the version number are not. No CQO in office, or another
    enterprise's CQO, means it does not match.
    """
    appointment = post_selectors.cqo_current()
    if appointment is None or appointment.enterprise_id != charter.enterprise_id:
        return False
    fresh = charter_content(
        enterprise=charter.enterprise,
        appointment=appointment,
        version=charter.version,
        veto_delegable=charter.veto_delegable,
    )
    return _charter_substance_hash(fresh) == _charter_substance_hash(charter.content)


def _charter_stale_refuse(charter: Charter) -> None:
    """Refuse to approve or publish a version the data has moved past (§4.2).

    We refuse rather than publish it already marked out of date: a charter that is wrong on the
    day it is published should never be the one in force.
    """
    if not charter_matches_data(charter):
        raise ValidationError(
            _(
                "Charter v%(v)s no longer matches the data: the CQO appointment or the "
                "delegations in force changed after it was generated. Generate a new version and "
                "approve that one (§4.2)."
            )
            % {"v": charter.version}
        )


def charter_approve_meaning(charter: Charter) -> SignedMeaning:
    """What the principal's signature on a charter version means; the page shows the same."""
    return SignedMeaning(
        _("Approved as the CQO's charter of authorities and duties by the principal under §4.2"),
        CLAUSE_CHARTER,
    )


@transaction.atomic
def charter_approve(*, actor: User, charter: Charter, password: str | None) -> Charter:
    """The principal approves a draft with an e-signature over its content hash (§4.2)."""
    require(actor, "charter.approve_charter", charter, clause=CLAUSE_CHARTER)
    _require_principal_signer(actor, CLAUSE_CHARTER)
    locked = Charter.objects.select_for_update().get(pk=charter.pk)
    if locked.status != CharterStatus.DRAFT:
        raise ValidationError(
            _("Only a draft charter can be approved; v%(v)s is %(status)s.")
            % {"v": locked.version, "status": locked.get_status_display()}
        )
    if not charter_content_intact(locked):
        raise ValidationError(
            _("The charter's content does not match its hash; generate it again.")
        )
    _charter_stale_refuse(locked)
    signature = _sign(
        actor=actor,
        password=password,
        obj=locked,
        content={"version": locked.version, "content_hash": locked.content_hash},
        signed=charter_approve_meaning(locked),
    )
    before = snapshot(locked, ["status", "approved_at", "signature"])
    locked.status = CharterStatus.APPROVED
    locked.approved_at = signature.signed_at
    locked.signature = signature
    locked.save()
    audit_record(
        actor=actor,
        action="post.charter.approve",
        obj=locked,
        before=before,
        after=snapshot(locked, ["status", "approved_at", "signature", "content_hash"]),
        clause=CLAUSE_CHARTER,
    )
    return locked


@transaction.atomic
def charter_publish(*, actor: User, charter: Charter) -> Charter:
    """Publish an approved version; the one published before it is superseded.

    A version whose content no longer matches today's data (a delegation made or ended, the
    appointment changed since it was generated) is refused, citing §4.2: generate a new one.
    """
    require(actor, "charter.publish_charter", charter, clause=CLAUSE_CHARTER)
    locked = Charter.objects.select_for_update().get(pk=charter.pk)
    if locked.status != CharterStatus.APPROVED:
        raise ValidationError(
            _("Only an approved charter can be published; approve it with your signature first.")
        )
    if not charter_content_intact(locked):
        raise ValidationError(
            _("The charter's content does not match its hash; generate it again.")
        )
    _charter_stale_refuse(locked)
    for old in Charter.objects.select_for_update().filter(
        enterprise=locked.enterprise, status=CharterStatus.PUBLISHED
    ):
        old_before = snapshot(old, ["status"])
        old.status = CharterStatus.SUPERSEDED
        old.save()
        audit_record(
            actor=actor,
            action="post.charter.supersede",
            obj=old,
            before=old_before,
            after=snapshot(old, ["status"]),
            reason=stored(gettext_noop("Superseded by v%(v)s."), v=locked.version),
            clause=CLAUSE_CHARTER,
        )
    before = snapshot(locked, ["status", "published_at"])
    locked.status = CharterStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save()
    audit_record(
        actor=actor,
        action="post.charter.publish",
        obj=locked,
        before=before,
        after=snapshot(locked, ["status", "published_at"]),
        clause=CLAUSE_CHARTER,
    )
    return locked


@transaction.atomic
def charter_mark_outdated(*, reason: str, actor: User | None = None) -> None:
    """Flag the published charter as out of date: the post or a delegation changed (§4.2).

    Called by the appointment services here and by the authorities app when a delegation is made
    or revoked, after their own permission check; it only raises a flag, so it asks for none.
    """
    # A system reason is kept as its msgid and parameters, shown in the reader's language.
    reason = encode(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the charter is out of date.")})
    charter = (
        Charter.objects.select_for_update()
        .filter(status=CharterStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )
    if charter is None:
        return
    with audited_change(
        actor=actor,
        obj=charter,
        action="post.charter.outdated",
        clause=CLAUSE_CHARTER,
        reason=reason,
        fields=["outdated_at", "outdated_reason"],
        update_fields=["outdated_at", "outdated_reason"],
        lock=False,  # locked by the query above
    ) as locked:
        if locked.outdated_at is None:
            locked.outdated_at = timezone.now()
            locked.outdated_reason = reason
        elif reason not in locked.outdated_reason:
            locked.outdated_reason = f"{locked.outdated_reason}\n{reason}"[-4000:]
