"""Demo data for the authorities (§6): a delegation to the deputy, a strategy with a plan in the
inbox, open approvals (one overdue), proposals (one answered, one waiting) and an active veto on
the launch of a new brake caliper before its validation.

Runs after the post builder, which appoints the CQO: every authority here comes from that
appointment. Everything goes through the services; the only direct writes move a few timestamps
into the past so the inbox and the proposals show ageing, and each is recorded in the audit trail.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.audit.services import audit_record
from cqo.core.demo import DemoContext

from . import engine
from . import services as S


def _backdate(obj: Any, *, days: int, fields: dict[str, Any], actor: Any) -> None:
    """Move a demo record's dates into the past, so ageing shows; recorded, not hidden."""
    before = {k: str(getattr(obj, k)) for k in fields}
    # A save, not an update: the move gets its own history snapshot, which the audit event below
    # stamps with the person and the reason, so the story never shows it inside a later change.
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save(update_fields=list(fields))
    audit_record(
        actor=actor,
        action=f"{obj._meta.label_lower}.demo_backdate",
        obj=obj,
        before=before,
        after={k: str(v) for k, v in fields.items()},
        reason=f"demo: dated {days} days back to show ageing",
    )


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    units = ctx.get("organisation.units")
    people = ctx.get("organisation.people")
    cqo = users["cqo"]
    if not engine.is_current_cqo(cqo):
        raise RuntimeError(
            "the authorities demo needs the CQO appointed (run the post builder first)"
        )
    today = timezone.localdate()

    # §6: the deputy decides approvals for the inspection and metrology units for three months.
    delegation = S.delegation_create(
        actor=cqo,
        authority="c",
        delegate=people["deputy"],
        units=[units["QM-IN"], units["QM-MT"]],
        start_date=today,
        end_date=today + datetime.timedelta(days=91),
        scope_note="检验科、计量室的让步接收、偏离许可和质量异常处置审批；金额 5 万元以下。",
    )
    ctx.add("authorities.delegation", delegation)
