"""The daily check that the published charter still lists an appointment and delegations in
force (§4.2): a term or a delegation that simply ran out calls no service, so nothing else would
notice."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from cqo.authorities.selectors import delegations_in_force
from cqo.post.selectors import cqo_current

from . import services as S
from .models import Charter, CharterStatus


@transaction.atomic
def charter_expiry_check(*, on: datetime.date | None = None) -> dict[str, Any]:
    """Mark the published charter out of date (§4.2) when the appointment or a delegation it
    lists is no longer in force: a term or a delegation that simply ran out calls no service, so
    nothing else would notice."""
    day = on or timezone.localdate()
    result: dict[str, Any] = {"on": day.isoformat(), "outdated": False, "reasons": []}
    charter = Charter.objects.filter(status=CharterStatus.PUBLISHED).order_by("-version").first()
    if charter is None:
        return result
    content = charter.content or {}
    reasons: list[str] = []
    listed = content.get("appointment") or {}
    current = cqo_current(on=day)
    if listed and (current is None or current.pk != listed.get("id")):
        reasons.append(
            _("CQO appointment %(number)s listed in charter v%(v)s is no longer in force.")
            % {"number": listed.get("number", ""), "v": charter.version}
        )
    rows = content.get("delegations") or []
    if rows:
        live = set(delegations_in_force(on=day).values_list("pk", flat=True))
        for row in rows:
            if row.get("id") not in live:
                reasons.append(
                    _(
                        "The delegation of authority %(authority)s to %(delegate)s listed in "
                        "charter v%(v)s has expired or ended."
                    )
                    % {
                        "authority": row.get("authority", ""),
                        "delegate": row.get("delegate", ""),
                        "v": charter.version,
                    }
                )
    # Said once: a reason already on the charter is not recorded again every morning.
    reasons = [r for r in reasons if r not in (charter.outdated_reason or "")]
    if not reasons:
        return result
    for reason in reasons:
        S.charter_mark_outdated(reason=reason)
    result.update(outdated=True, reasons=reasons)
    return result


# Shortly after midnight, after the post's expiries (00:15).
charter_expiry_daily = db_periodic_task(crontab(hour="0", minute="20"))(charter_expiry_check)
