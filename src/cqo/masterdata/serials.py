"""A unit's serial number recorded or voided by hand, on the lot's page or through the API
(§7.2.3.2; a complaint's serial is where a backward trace starts). Feeds record them in bulk
(``genealogy_feeds.genealogy_feed_post``, ``serials=``); the same checks apply here, one row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, record_void
from cqo.core.permissions import require

from .genealogy_feeds import CLAUSE_TRACE, FeedRefused, SerialRow, serial_rows_check
from .models import Lot, SerialNumber


def serial_number_record(*, actor: User, lot: Lot, serial: str) -> SerialNumber:
    """Give one unit of ``lot`` its serial number (unique per item among the live ones)."""
    require(actor, "masterdata.add_serialnumber", lot, clause=CLAUSE_TRACE)
    try:
        with transaction.atomic():
            # Checked inside the writing transaction: SQLite's writes are serial (IMMEDIATE);
            # on PostgreSQL the unique constraint answers a unit recorded at the same moment.
            [(lot_id, item_id, text)] = serial_rows_check(
                [SerialRow(lot.number if lot.voided_at is None else "", (serial or "").strip())]
            )
            record = SerialNumber.objects.create(
                serial=text, item_id=item_id, lot_id=lot_id, created_by=actor
            )
            audit_record(
                actor=actor,
                action="masterdata.serialnumber.create",
                obj=record,
                after={"serial": text, "lot": lot.number, "item": item_id},
                clause=CLAUSE_TRACE,
            )
    except FeedRefused as exc:
        # One row: the problem without its "row 1" prefix, on the field it is about.
        raise ValidationError({"serial": [exc.problem]}) from None
    except IntegrityError:
        taken = _(
            "Another change gave a unit of this item the same serial number a moment ago; "
            "nothing was recorded."
        )
        raise ValidationError({"serial": [taken]}) from None
    return record


def serial_number_void(*, actor: User, record: SerialNumber, reason: str) -> SerialNumber:
    """Void a serial number recorded in error (the unit's serial may then be given again)."""
    voided = record_void(
        actor=actor,
        record=record,
        reason=reason,
        perm="masterdata.void_serialnumber",
        clause=CLAUSE_TRACE,
    )
    assert isinstance(voided, SerialNumber)
    return voided
