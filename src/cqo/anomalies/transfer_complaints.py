"""Excel export of the customer complaints a user may read, filtered as on the list, with each
one's deadlines and where they stand."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes

from . import selectors_complaints as sel

MAX_ROWS = 100_000


def _local(value: datetime.datetime | None) -> Any:
    # Excel keeps no time zone: the enterprise's local time, as the pages show it.
    return timezone.localtime(value).replace(tzinfo=None) if value else ""


def complaints_export(
    user: Any, *, status: str = "", due: str = "", customer: int | None = None, query: str = ""
) -> bytes:
    now = timezone.now()
    wb = workbook_new()
    ws = wb.active
    ws.title = str(_("Customer complaints"))[:31]
    states = {
        "done": _("Met"), "late": _("Met late"), "overdue": _("Overdue"), "due": _("Due"),
        "none": "",
    }  # fmt: skip
    sheet_append(
        ws,
        [
            _("Complaint number"), _("Customer"), _("Part number"), _("Lot number"),
            _("Serial number"), _("Customer's reference"), _("Description"), _("Defect class"),
            _("Quantity concerned"), _("Claim amount (yuan)"), _("Received at"), _("Status"),
            _("Containment due"), _("Contained at"), _("Containment"), _("8D report due"),
            _("8D report submitted at"), _("8D report"), _("Nonconformance report"),
            _("Owner"),
        ],
    )  # fmt: skip
    qs = sel.complaints_filtered(
        user, status=status, due=due, customer=customer, query=query, now=now
    )
    for complaint in qs[:MAX_ROWS]:
        deadlines = {d.key: d for d in sel.complaint_deadlines(complaint, now=now)}
        contain = deadlines["containment"]
        eightd = deadlines.get("8d")
        sheet_append(
            ws,
            [
                complaint.number, complaint.customer.name, complaint.item.part_number,
                complaint.lot.number if complaint.lot else "", complaint.serial,
                complaint.customer_ref, complaint.description, complaint.defect_class,
                complaint.quantity, complaint.claim_amount, _local(complaint.received_at),
                str(complaint.get_status_display()), _local(complaint.containment_due),
                _local(complaint.contained_at), str(states[contain.state]),
                _local(complaint.eightd_due), _local(complaint.eightd_submitted_at),
                str(states[eightd.state]) if eightd else "",
                complaint.anomaly.number if complaint.anomaly else "",
                str(complaint.owner),
            ],
        )  # fmt: skip
    return xlsx_bytes(wb)
